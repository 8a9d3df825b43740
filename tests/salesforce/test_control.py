"""The /__harness control API, as harness/README.md defines it."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from harness.salesforce.models.ids import case_safe

from .support import CALLBACK, World

SCOPES = ["full", "refresh_token", "openid"]


def _org(client: TestClient, **body: object) -> dict:  # type: ignore[type-arg]
    response = client.post("/__harness/orgs", json={"name": "acme", **body})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_orgs_have_real_shaped_ids_and_hosts(client: TestClient) -> None:
    org = _org(client)
    assert re.fullmatch(r"00D[0-9A-Za-z]{15}", org["id"]) and case_safe(org["id"][:15]) == org["id"]
    assert org["my_domain_host"] == "acme.my.salesforce.com" and org["login_host"] == "login.salesforce.com"
    assert org["is_sandbox"] is False and org["active"] is True
    sandbox = _org(client, sandbox="dev")
    assert sandbox["my_domain_host"] == "acme--dev.sandbox.my.salesforce.com"
    assert sandbox["login_host"] == "test.salesforce.com" and sandbox["is_sandbox"] is True
    assert client.patch(f"/__harness/orgs/{org['id']}", json={"active": False}).json()["active"] is False


def test_users(client: TestClient) -> None:
    org = _org(client)
    body = {
        "username": "a@acme.example.com",
        "password": "P-ass-1",
        "first_name": "A",
        "last_name": "B",
        "email": "a@acme.example.com",
        "active": True,
        "profile": "System Administrator",
    }
    user = client.post(f"/__harness/orgs/{org['id']}/users", json=body).json()
    assert user["id"].startswith("005") and len(user["id"]) == 18 and user["password"] == "P-ass-1"
    assert user["org_id"] == org["id"]
    patched = client.patch(f"/__harness/orgs/{org['id']}/users/{user['id']}", json={"active": False}).json()
    assert patched["active"] is False and "password" not in patched
    duplicate = client.post(f"/__harness/orgs/{org['id']}/users", json=body)
    assert duplicate.status_code == 400 and "already used" in duplicate.json()["message"]


def test_apps_settings_defaults_and_edits(client: TestClient) -> None:
    org = _org(client)
    app = client.post(
        f"/__harness/orgs/{org['id']}/apps",
        json={"name": "Backup App", "callback_urls": [CALLBACK], "scopes": SCOPES},
    ).json()
    assert app["consumer_key"].startswith("3MVG9") and len(app["consumer_secret"]) == 64
    assert (app["kind"], app["api_name"], app["distribution_state"]) == (
        "external_client_app",
        "Backup_App",
        "Local",
    )
    assert app["oauth_enabled"] and app["require_secret_web_server"] and app["require_secret_refresh"]
    assert not app["require_pkce"] and not app["refresh_token_rotation"] and not app["blocked"]
    assert app["permitted_users"] == "AllSelfAuthorized"
    assert app["scope_labels"] == [
        "Full access (full)",
        "Perform requests at any time (refresh_token, offline_access)",
        "Access unique user identifiers (openid)",
    ]
    edited = client.patch(f"/__harness/apps/{app['id']}", json={"require_pkce": True}).json()
    assert (
        edited["require_pkce"] is True and client.get(f"/__harness/apps/{app['id']}").json()["require_pkce"]
    )
    rotated = client.post(f"/__harness/apps/{app['id']}/rotate-secret").json()
    assert (
        rotated["consumer_secret"] != app["consumer_secret"]
        and rotated["consumer_key"] == app["consumer_key"]
    )


def test_offline_access_is_the_refresh_token_scope(client: TestClient) -> None:
    org = _org(client)
    app = client.post(
        f"/__harness/orgs/{org['id']}/apps",
        json={"callback_urls": [CALLBACK], "scopes": ["offline_access", "refresh_token"]},
    ).json()
    assert app["scopes"] == ["offline_access"]
    assert app["scope_labels"] == ["Perform requests at any time (refresh_token, offline_access)"]


def test_setting_errors_name_the_problem(client: TestClient) -> None:
    org = _org(client)
    url = f"/__harness/orgs/{org['id']}/apps"
    cases = {
        "callback_urls": {
            "callback_urls": [f"https://h{i}.example.com/" + "p" * 90 for i in range(21)],
            "scopes": SCOPES,
        },
        "use HTTPS or a custom URI scheme": {"callback_urls": ["172.12.0.1"], "scopes": SCOPES},
        "unknown OAuth scope": {"callback_urls": [CALLBACK], "scopes": ["everything"]},
        "at least one Callback URL": {"callback_urls": [], "scopes": SCOPES},
        "unknown app setting": {"callback_urls": [CALLBACK], "scopes": SCOPES, "colour": "red"},
        "api_name": {"callback_urls": [CALLBACK], "scopes": SCOPES, "api_name": "bad__name"},
        "permitted_users": {"callback_urls": [CALLBACK], "scopes": SCOPES, "permitted_users": "Everyone"},
    }
    for problem, body in cases.items():
        response = client.post(url, json=body)
        assert response.status_code == 400 and problem in response.json()["message"], (problem, response.text)
    too_long = client.post(url, json=cases["callback_urls"]).json()["message"]
    assert "2000" in too_long


def test_callback_limit_is_2000_characters_in_total(client: TestClient) -> None:
    org = _org(client)
    url = f"/__harness/orgs/{org['id']}/apps"
    exact = ["https://a.example.com/" + "x" * 978, "https://b.example.com/" + "y" * 977]  # 1000+1+999
    assert len("\n".join(exact)) == 2000
    assert client.post(url, json={"callback_urls": exact, "scopes": SCOPES}).status_code == 200
    over = [exact[0], exact[1] + "z"]
    assert client.post(url, json={"callback_urls": over, "scopes": SCOPES}).status_code == 400


def test_unknown_ids_and_bad_bodies(client: TestClient) -> None:
    assert client.get("/__harness/apps/0xInope").status_code == 404
    assert client.post("/__harness/orgs/00Dnope/users", json={}).json()["message"] == "no org with id '00Dnope'"
    assert client.post("/__harness/orgs", content=b"not json",
                       headers={"content-type": "application/json"}).status_code == 400
    assert client.post("/__harness/orgs", json={"name": "bad--name"}).status_code == 400
    assert client.post("/__harness/nothing").status_code == 404
    assert client.post("/__harness/clock", json={"advance_seconds": -1}).status_code == 400


def test_reset_rebuilds_from_scratch(world: World) -> None:
    world.tokens()
    assert world.client.post("/__harness/reset", json={"seed": 3}).json() == {"ok": True}
    assert world.client.get("/__harness/orgs").json() == []
    assert world.client.get(f"/__harness/apps/{world.app['id']}").status_code == 404
    assert world.client.get("/__harness/requests").json() == []


def test_same_seed_same_ids(client: TestClient) -> None:
    client.post("/__harness/reset", json={"seed": 11})
    first = _org(client)["id"]
    client.post("/__harness/reset", json={"seed": 11})
    assert _org(client)["id"] == first


def test_grants_and_revoke_grants(world: World) -> None:
    world.tokens()
    grants = world.client.get(f"/__harness/apps/{world.app['id']}/grants").json()
    assert grants[0]["user_id"] == world.user["id"] and grants[0]["refresh_token_active"] is True
    assert grants[0]["scopes"] == SCOPES
    assert world.client.post(f"/__harness/apps/{world.app['id']}/revoke-grants").json() == {"revoked": 1}
    assert world.client.get(f"/__harness/apps/{world.app['id']}/grants").json() == []
    # revoking also forgets the approval: the consent page comes back
    assert "Allow Access?" in world.client.get(world.authorize_url()).text


def test_clock(client: TestClient) -> None:
    now = client.get("/__harness/clock").json()["now"]
    advanced = client.post("/__harness/clock", json={"advance_seconds": 100}).json()["now"]
    assert advanced - now >= 100
