"""Injected faults per endpoint, and the request log (which never holds secrets)."""

from __future__ import annotations

import time

import pytest

from harness.salesforce.middleware import ConnectionDropped

from .support import TOKEN_URL, World


def _fault(world: World, **body: object) -> dict:  # type: ignore[type-arg]
    response = world.client.post("/__harness/faults", json=body)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_status_fault_fires_count_times(world: World) -> None:
    code = world.code()
    _fault(world, endpoint="token", kind="status", status=502, count=1)
    failed = world.exchange(code)
    assert failed.status_code == 502 and failed.json()["error"] == "server_error"
    assert world.exchange(code).status_code == 200


def test_maintenance_until_cleared(world: World) -> None:
    _fault(world, endpoint="authorize", kind="maintenance")
    for _ in range(2):
        response = world.client.get(world.authorize_url())
        assert response.status_code == 503 and "Down for Maintenance" in response.text
    assert world.client.delete("/__harness/faults").json() == {"ok": True}
    assert world.client.get(world.authorize_url()).status_code == 302


def test_latency_delays_then_answers(world: World) -> None:
    _fault(world, endpoint="openid_configuration", kind="latency", seconds=0.3, count=1)
    started = time.monotonic()
    response = world.client.get("/.well-known/openid-configuration")
    assert response.status_code == 200 and time.monotonic() - started >= 0.3


def test_drop_breaks_the_response(world: World) -> None:
    _fault(world, endpoint="*", kind="drop", count=1)
    with pytest.raises(ConnectionDropped):
        world.client.get("/id/keys")
    assert world.client.get("/id/keys").status_code == 200


def test_fault_errors_name_the_problem(world: World) -> None:
    bad = {"endpoint": "nowhere", "kind": "status"}
    assert "endpoint" in world.client.post("/__harness/faults", json=bad).json()["message"]
    assert (
        "kind"
        in world.client.post("/__harness/faults", json={"endpoint": "token", "kind": "x"}).json()["message"]
    )
    assert (
        world.client.post("/__harness/faults", json={"endpoint": "token", "kind": "latency"}).status_code
        == 400
    )
    assert (
        world.client.post(
            "/__harness/faults", json={"endpoint": "token", "kind": "status", "count": 0}
        ).status_code
        == 400
    )


def test_request_log_keeps_keys_not_secrets(world: World) -> None:
    body = world.tokens()
    world.client.get(
        "https://login.salesforce.com/services/oauth2/revoke", params={"token": body["access_token"]}
    )
    log = world.client.get("/__harness/requests").json()
    assert all(set(e) >= {"method", "host", "path", "query", "form_keys", "status"} for e in log)
    token_call = next(e for e in log if e["path"] == "/services/oauth2/token")
    assert token_call["method"] == "POST" and token_call["status"] == 200
    assert set(token_call["form_keys"]) == {
        "grant_type",
        "code",
        "client_id",
        "client_secret",
        "redirect_uri",
    }
    revoke = next(e for e in log if e["path"] == "/services/oauth2/revoke")
    assert revoke["query"] == "token=%2A%2A%2A"
    text = str(log)
    for secret in (
        world.app["consumer_secret"],
        world.user["password"],
        body["access_token"],
        body["refresh_token"],
    ):
        assert secret not in text
    assert not any(e["path"].startswith("/__harness") for e in log)
    assert any(e["host"] == "login.salesforce.com" and e["path"] == "/services/oauth2/authorize" for e in log)
    assert TOKEN_URL.endswith(token_call["path"])
