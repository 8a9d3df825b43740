"""The token endpoint: code exchange and refresh, their errors as JSON 400s."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from harness.salesforce.errors import ControlBadRequest
from harness.salesforce.models import signing

from .support import CALLBACK, TOKEN_URL, World, pkce_pair, signing_pair


def _error(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 400, response.text
    return response.json()  # type: ignore[no-any-return]


def test_code_exchange_answers_every_documented_field(world: World) -> None:
    body = world.tokens()
    assert list(body) == [
        "access_token",
        "refresh_token",
        "signature",
        "scope",
        "id_token",
        "instance_url",
        "id",
        "token_type",
        "issued_at",
    ]
    assert body["instance_url"] == "https://acme.my.salesforce.com"
    assert body["id"] == f"https://login.salesforce.com/id/{world.org['id']}/{world.user['id']}"
    assert body["token_type"] == "Bearer" and body["issued_at"].isdigit() and len(body["issued_at"]) == 13
    assert body["scope"] == "full refresh_token openid"
    expected = hmac.new(
        world.app["consumer_secret"].encode(), (body["id"] + body["issued_at"]).encode(), hashlib.sha256
    ).digest()
    assert base64.b64decode(body["signature"]) == expected


def test_id_token_is_rs256_with_kid_from_the_jwks(world: World) -> None:
    body = world.tokens(nonce="n-1")
    keys = world.client.get("https://login.salesforce.com/id/keys").json()["keys"]
    token = jwt.decode(body["id_token"], signing.public_key())
    assert token.header["alg"] == "RS256" and token.header["kid"] == keys[0]["kid"]
    assert token.claims["aud"] == world.app["consumer_key"] and token.claims["nonce"] == "n-1"
    assert token.claims["sub"] == body["id"]


def test_scopes_decide_refresh_token_and_id_token(world: World) -> None:
    body = world.tokens(scope="full")
    assert "refresh_token" not in body and "id_token" not in body and body["scope"] == "full"
    body = world.tokens(scope="offline_access openid", prompt="consent")
    assert "refresh_token" in body and "id_token" in body


def test_code_is_single_use_and_a_replay_revokes_what_it_issued(world: World) -> None:
    code = world.code()
    first = world.exchange(code).json()
    assert _error(world.exchange(code)) == {
        "error": "invalid_grant",
        "error_description": "expired authorization code",
    }
    rest = world.client.get(f"{first['instance_url']}/services/data/v60.0/limits",
                            headers={"Authorization": f"Bearer {first['access_token']}"})
    assert rest.status_code == 401
    refresh = world.client.post(TOKEN_URL, data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"],
                                                 "client_id": world.app["consumer_key"],
                                                 "client_secret": world.app["consumer_secret"]})
    assert _error(refresh)["error_description"] == "expired access/refresh token"
    assert world.tokens()["access_token"]  # a new code still works


def test_code_expires_after_15_minutes(world: World) -> None:
    code = world.code()
    world.backend.advance_clock(15 * 60 + 1)
    assert _error(world.exchange(code))["error_description"] == "expired authorization code"


def test_redirect_uri_must_equal_the_authorize_one(world: World) -> None:
    response = world.exchange(world.code(), redirect_uri=f"{CALLBACK}/")
    assert _error(response) == {
        "error": "redirect_uri_mismatch",
        "error_description": "redirect_uri must match configuration",
    }


def test_client_checks(world: World) -> None:
    assert _error(world.exchange(world.code(), client_id="3MVG9nope")) == {
        "error": "invalid_client_id",
        "error_description": "client identifier invalid",
    }
    assert _error(world.exchange(world.code(), client_secret="wrong")) == {
        "error": "invalid_client",
        "error_description": "invalid client credentials",
    }
    assert _error(world.exchange(world.code(), client_secret=None))["error"] == "invalid_client"


def test_secret_optional_for_web_server_but_still_checked_when_sent(world: World) -> None:
    world.backend.update_app(world.app["id"], require_secret_web_server=False)
    assert world.exchange(world.code(), client_secret=None).status_code == 200
    assert _error(world.exchange(world.code(), client_secret="wrong"))["error"] == "invalid_client"


def test_http_basic_client_credentials(world: World) -> None:
    basic = base64.b64encode(f"{world.app['consumer_key']}:{world.app['consumer_secret']}".encode()).decode()
    data = {"grant_type": "authorization_code", "code": world.code(), "redirect_uri": CALLBACK}
    response = world.client.post(TOKEN_URL, data=data, headers={"Authorization": f"Basic {basic}"})
    assert response.status_code == 200


def test_pkce_verifier(world: World) -> None:
    verifier, challenge = pkce_pair()
    params = {"code_challenge": challenge, "code_challenge_method": "S256"}
    assert world.exchange(world.code(**params), code_verifier=verifier).status_code == 200
    assert _error(world.exchange(world.code(**params)))["error"] == "invalid_grant"
    assert _error(world.exchange(world.code(**params), code_verifier="x" * 50))["error"] == "invalid_request"


def test_unsupported_grant_type_and_get(world: World) -> None:
    assert _error(world.client.post(TOKEN_URL, data={"grant_type": "password"})) == {
        "error": "unsupported_grant_type",
        "error_description": "grant type not supported",
    }
    assert _error(world.client.get(TOKEN_URL))["error"] == "invalid_request"


def _refresh(world: World, token: str, **extra: str | None) -> object:
    data = {
        "grant_type": "refresh_token",
        "refresh_token": token,
        "client_id": world.app["consumer_key"],
        "client_secret": world.app["consumer_secret"],
        **extra,
    }
    return world.client.post(TOKEN_URL, data={k: v for k, v in data.items() if v is not None})


def test_refresh_returns_a_new_access_token_without_refresh_token(world: World) -> None:
    first = world.tokens()
    response = _refresh(world, first["refresh_token"])
    body = response.json()  # type: ignore[attr-defined]
    assert response.status_code == 200 and "refresh_token" not in body  # type: ignore[attr-defined]
    assert body["access_token"] != first["access_token"] and body["instance_url"] == first["instance_url"]


def test_refresh_secret_rules(world: World) -> None:
    token = world.tokens()["refresh_token"]
    assert _error(_refresh(world, token, client_secret=None))["error"] == "invalid_client"
    world.backend.update_app(world.app["id"], require_secret_refresh=False)
    assert _refresh(world, token, client_secret=None).status_code == 200  # type: ignore[attr-defined]
    assert _error(_refresh(world, token, client_secret="wrong"))["error"] == "invalid_client"


def test_revoked_or_unknown_refresh_token_is_invalid_grant(world: World) -> None:
    token = world.tokens()["refresh_token"]
    assert _error(_refresh(world, "5Aep861nope")) == {
        "error": "invalid_grant",
        "error_description": "expired access/refresh token",
    }
    world.backend.revoke_grants(world.app["id"])
    assert _error(_refresh(world, token))["error_description"] == "expired access/refresh token"


def test_rotation_issues_new_refresh_tokens_and_punishes_reuse(world: World) -> None:
    world.backend.update_app(world.app["id"], refresh_token_rotation=True)
    old = world.tokens()["refresh_token"]
    new = _refresh(world, old).json()["refresh_token"]  # type: ignore[attr-defined]
    assert new != old
    assert _error(_refresh(world, old))["error"] == "invalid_grant"
    assert _error(_refresh(world, new))["error"] == "invalid_grant"  # reuse killed the grant


def test_inactive_user_cannot_exchange_or_refresh(world: World) -> None:
    code, token = world.code(), world.tokens()["refresh_token"]
    world.backend.update_user(world.org["id"], world.user["id"], active=False)
    assert _error(world.exchange(code)) == {"error": "invalid_grant", "error_description": "inactive user"}
    assert _error(_refresh(world, token))["error_description"] == "inactive user"


def test_five_grants_per_user_per_app(world: World) -> None:
    first = world.tokens()["refresh_token"]
    for _ in range(4):
        world.tokens()
    assert len(world.backend.grants(world.app["id"])) == 5
    world.tokens()
    grants = world.backend.grants(world.app["id"])
    assert len(grants) == 5 and all(g["refresh_token_active"] for g in grants)
    assert _error(_refresh(world, first))["error"] == "invalid_grant"


def test_urlencoded_format(world: World) -> None:
    response = world.exchange(world.code(), format="urlencoded")
    assert response.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert "access_token=" in response.text


def test_either_refresh_name_is_granted_by_the_other(world: World) -> None:
    other = world.backend.create_app(world.org["id"], name="Offline", callback_urls=[CALLBACK],
                                     scopes=["full", "offline_access", "openid"])
    code = world.code(client_id=other["consumer_key"])
    secret = other["consumer_secret"]
    body = world.exchange(code, client_id=other["consumer_key"], client_secret=secret).json()
    assert body["scope"] == "full offline_access openid" and "refresh_token" in body


def test_refresh_fails_once_the_app_loses_its_refresh_scope(world: World) -> None:
    token = world.tokens()["refresh_token"]
    world.backend.update_app(world.app["id"], scopes=["full", "openid"])
    assert _error(_refresh(world, token)) == {"error": "invalid_grant",
                                              "error_description": "expired access/refresh token"}


def test_client_credentials_flow_on_the_my_domain_only(world: World) -> None:
    form = {"grant_type": "client_credentials", "client_id": world.app["consumer_key"],
            "client_secret": world.app["consumer_secret"]}
    my_domain = "https://acme.my.salesforce.com/services/oauth2/token"
    on_login_host = _error(world.client.post(TOKEN_URL, data=form))
    assert on_login_host["error_description"] == "request not supported on this domain"
    assert _error(world.client.post(my_domain, data=form))["error_description"] == (
        "client credentials flow is not enabled for this app")
    world.backend.update_app(world.app["id"], client_credentials_enabled=True, scopes=["full", "api", "refresh_token"])
    assert _error(world.client.post(my_domain, data=form))["error_description"] == "no client credentials user enabled"
    world.backend.update_app(world.app["id"], client_credentials_user=world.user["username"])
    body = world.client.post(my_domain, data=form).json()
    assert body["scope"] == "api" and "refresh_token" not in body and "id_token" not in body
    assert body["id"].endswith(f"/{world.org['id']}/{world.user['id']}")
    wrong = world.client.post(my_domain, data={**form, "client_secret": "nope"})
    assert _error(wrong)["error"] == "invalid_client"


def test_jwt_bearer_flow(world: World) -> None:
    private, certificate = signing_pair()
    key = RSAKey.import_key(private)

    def assertion(**claims: object) -> str:
        base = {"iss": world.app["consumer_key"], "sub": world.user["username"],
                "aud": "https://login.salesforce.com", "exp": int(time.time()) + 120}
        return jwt.encode({"alg": "RS256"}, {**base, **claims}, key)

    def grant(value: str) -> httpx.Response:
        return world.client.post(TOKEN_URL, data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                                                  "assertion": value})

    assert _error(grant(assertion()))["error_description"] == "invalid assertion"  # no certificate yet
    world.backend.update_app(world.app["id"], certificate=certificate)
    assert _error(grant(assertion()))["error_description"] == "user hasn't approved this consumer"
    world.tokens()  # the user approves the app once, in the browser
    body = grant(assertion()).json()
    assert "refresh_token" not in body and "id_token" not in body and body["scope"] == "full openid"
    assert _error(grant(assertion(aud="https://example.com")))["error_description"] == "audience is invalid"
    assert _error(grant(assertion(exp=int(time.time()) - 1)))["error_description"] == "invalid assertion"
    assert _error(grant(assertion(iss="3MVG9Nobody")))["error"] == "invalid_client_id"
    other = RSAKey.generate_key(2048)
    forged = jwt.encode({"alg": "RS256"}, {"iss": world.app["consumer_key"], "sub": world.user["username"],
                                           "aud": "https://login.salesforce.com", "exp": int(time.time()) + 60}, other)
    assert _error(grant(forged))["error_description"] == "invalid assertion"


def test_a_certificate_that_is_not_pem_is_refused(world: World) -> None:
    with pytest.raises(ControlBadRequest, match="X.509 certificate in PEM form"):
        world.backend.update_app(world.app["id"], certificate="not a certificate")
