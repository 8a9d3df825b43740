"""OAuth on the wire: the refresh answer, revoke and its errors, userinfo and the identity URL."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from .target import Target, oauth_body


def test_refresh_answers_the_documented_fields_signed_with_the_secret(target: Target) -> None:
    response = target.refresh()
    body = response.json()
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    assert {"access_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at"} <= set(body)
    assert body["token_type"] == "Bearer" and body["issued_at"].isdigit()
    expected = hmac.new(target.consumer_secret.encode(), (body["id"] + body["issued_at"]).encode(),
                        hashlib.sha256).digest()
    assert body["signature"] == base64.b64encode(expected).decode()


def test_a_wrong_refresh_token_is_invalid_grant(target: Target) -> None:
    response = target.client.post(f"{target.login_url}/services/oauth2/token", data={
        "grant_type": "refresh_token", "refresh_token": "5Aep861NotAToken", "client_id": target.consumer_key,
        "client_secret": target.consumer_secret}, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": "expired access/refresh token"}


def test_revoke_kills_an_access_token_and_refuses_an_unknown_one(target: Target) -> None:
    fresh = target.refresh().json()
    url = f"{target.login_url}/services/oauth2/revoke"
    assert target.client.post(url, data={"token": fresh["access_token"]}).status_code == 200
    limits = f"{fresh['instance_url']}/services/data/v{target.api_version}/limits"
    after = target.client.get(limits, headers={"Authorization": f"Bearer {fresh['access_token']}"})
    assert after.status_code == 401 and after.json()[0]["errorCode"] == "INVALID_SESSION_ID"
    unknown = target.client.post(url, data={"token": "not-a-token"})
    assert unknown.status_code == 400
    assert unknown.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert unknown.text == "error=unsupported_token_type&error_description=this%20token%20type%20is%20not%20supported"
    asked_json = target.client.post(url, data={"token": "not-a-token"}, headers={"Accept": "application/json"})
    assert asked_json.status_code == 400
    assert oauth_body(asked_json) == {"error": "unsupported_token_type",
                                      "error_description": "this token type is not supported"}


def test_userinfo_and_identity_url(target: Target) -> None:
    session = target.session
    info = target.client.get(f"{target.login_url}/services/oauth2/userinfo", headers=target.bearer()).json()
    assert (info["user_id"], info["organization_id"]) == (session.user_id, session.org_id)
    assert {"sub", "preferred_username", "email", "urls"} <= set(info)
    identity = target.client.get(session.body["id"], headers=target.bearer(),
                                 params={"version": target.api_version}).json()
    assert identity["id"] == session.body["id"] and identity["username"] == info["preferred_username"]
    assert identity["urls"]["rest"] == f"{session.instance_url}/services/data/v{target.api_version}/"


@pytest.mark.parametrize(("change", "error"), [
    ({"client_id": "3MVG9NotAnApp"}, {"error": "invalid_client_id", "error_description": "client identifier invalid"}),
    ({"client_secret": "wrong"}, {"error": "invalid_client", "error_description": "invalid client credentials"}),
    ({"grant_type": "magic"}, {"error": "unsupported_grant_type", "error_description": "grant type not supported"}),
])
def test_token_endpoint_errors(target: Target, change: dict[str, str], error: dict[str, str]) -> None:
    form = {"grant_type": "refresh_token", "refresh_token": target.refresh_token, "client_id": target.consumer_key,
            "client_secret": target.consumer_secret, **change}
    response = target.client.post(f"{target.login_url}/services/oauth2/token", data=form,
                                  headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.json() == error
