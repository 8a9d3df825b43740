"""After the wizard: default policy, Run now, orgs table, Edit Connection, Re-authorize, 3.1 mode."""

from __future__ import annotations

import json
from pathlib import Path

from starlette.testclient import TestClient

from harness.appliance.app import create_app
from tests.appliance.conftest import BASE, finish, make_settings, post
from tests.appliance.stub_salesforce import StubApp, StubSalesforce


def test_finish_creates_the_default_policy(client: TestClient, salesforce: StubSalesforce) -> None:
    summary = finish(client, salesforce, "Hourly")
    assert summary["org_id"] == salesforce.org_id
    (policy,) = client.get("/api/v1/policies").json()
    assert (policy["org_id"], policy["schedule"], policy["files_and_attachments"], policy["retention"]) == (
        salesforce.org_id,
        "Hourly",
        False,
        "1 year",
    )
    assert client.get("/api/v1/wizard").json()["finished"] is True
    post(client, "/wizard/license", {"accepted": True}, expect=409)


def test_orgs_need_a_session(client: TestClient, salesforce: StubSalesforce) -> None:
    finish(client, salesforce)
    client.cookies.clear()
    assert client.get("/api/v1/orgs").status_code == 401
    post(client, "/session", {"username": "admin", "password": "nope"}, expect=401)


def test_orgs_table(client: TestClient, salesforce: StubSalesforce) -> None:
    finish(client, salesforce)
    (org,) = client.get("/api/v1/orgs").json()
    assert (org["alias"], org["org_id"], org["status"], org["app"]) == (
        salesforce.org_id,
        salesforce.org_id,
        "Connected",
        salesforce.app.consumer_key,
    )


def test_run_now_backs_up_with_paging(client: TestClient, salesforce: StubSalesforce, tmp_path: Path) -> None:
    finish(client, salesforce)
    run = post(client, "/policies/1/run")
    assert run["status"] == "Success" and run["objects"] == {"Account": 5, "Contact": 5}
    snapshot = json.loads(next((tmp_path / "backups" / salesforce.org_id).glob("*.json")).read_text())
    assert len(snapshot["objects"]["Contact"]) == 5 and "Attachment" not in snapshot["objects"]
    assert [r["id"] for r in client.get("/api/v1/policies/1/runs").json()] == [1]


def test_edit_connection_needs_reauthorization(client: TestClient, salesforce: StubSalesforce) -> None:
    finish(client, salesforce)
    new_app = StubApp()
    org = post(
        client,
        f"/orgs/{salesforce.org_id}/connection",
        {"consumer_key": new_app.consumer_key, "consumer_secret": new_app.consumer_secret},
    )
    assert org["status"] == "Re-authorization required"
    run = post(client, "/policies/1/run")
    assert run["status"] == "Failed" and run["reason"].startswith("Re-authorization required")
    salesforce.app = new_app
    url = post(client, f"/orgs/{salesforce.org_id}/reauthorize")["authorize_url"]
    assert client.get(salesforce.authorize(url)).headers["location"] == "/configuration/orgs?authorization=1"
    assert client.get("/api/v1/orgs/authorization").json()["status"] == "connected"
    assert client.get("/api/v1/orgs").json()[0]["status"] == "Connected"
    assert post(client, "/policies/1/run")["status"] == "Success"


def test_revoked_grant_means_reauthorization(client: TestClient, salesforce: StubSalesforce) -> None:
    finish(client, salesforce)
    salesforce.refresh_tokens.clear()
    run = post(client, "/policies/1/run")
    assert run["status"] == "Failed" and "invalid_grant" in run["reason"]
    assert client.get("/api/v1/orgs").json()[0]["status"] == "Re-authorization required"


def test_salesforce_down_means_failed(client: TestClient, salesforce: StubSalesforce) -> None:
    finish(client, salesforce)
    salesforce.token_fault = 503
    assert post(client, "/policies/1/run")["status"] == "Failed"
    assert client.get("/api/v1/orgs").json()[0]["status"] == "Failed"
    salesforce.token_fault = None
    assert post(client, "/policies/1/run")["status"] == "Success"
    assert client.get("/api/v1/orgs").json()[0]["status"] == "Connected"


def test_add_organization_with_its_own_app(client: TestClient, salesforce: StubSalesforce) -> None:
    finish(client, salesforce)
    post(client, "/orgs/add", {"environment": "production"}, expect=400)
    salesforce.app, salesforce.org_id = StubApp(), "00D000000000002EAA"
    body = post(
        client,
        "/orgs/add",
        {
            "environment": "production",
            "consumer_key": salesforce.app.consumer_key,
            "consumer_secret": salesforce.app.consumer_secret,
        },
    )
    assert body["callback_url"] == BASE
    client.get(salesforce.authorize(body["authorize_url"]))
    assert [o["org_id"] for o in client.get("/api/v1/orgs").json()] == [
        "00D000000000001EAA",
        "00D000000000002EAA",
    ]


def test_scheduled_runs_follow_the_clock(client: TestClient, salesforce: StubSalesforce) -> None:
    finish(client, salesforce, "Hourly")
    client.post("/__harness/clock", json={"advance_seconds": 3601})
    runs = client.get("/api/v1/policies/1/runs").json()
    assert [r["trigger"] for r in runs] == ["schedule"]


def test_secrets_are_encrypted_at_rest(
    client: TestClient, salesforce: StubSalesforce, tmp_path: Path
) -> None:
    finish(client, salesforce)
    raw = (tmp_path / "appliance.sqlite3").read_bytes()
    assert salesforce.app.consumer_secret.encode() not in raw
    assert not any(t.encode() in raw for t in salesforce.refresh_tokens)
    assert salesforce.app.consumer_key.encode() in raw


def test_legacy_connected_app_is_shared(tmp_path: Path, salesforce: StubSalesforce) -> None:
    settings = make_settings(tmp_path, salesforce, version="3.1")
    with TestClient(create_app(settings), base_url=BASE, follow_redirects=False) as client:
        assert client.get("/api/v1/wizard/external-client-app").json()["title"] == "Create Connected App"
        finish(client, salesforce)
        page = client.get("/wizard/external-client-app")
        assert page.status_code == 303
        assert client.get("/api/v1/orgs").json()[0]["app"] == "Connected app (shared)"
        post(
            client,
            f"/orgs/{salesforce.org_id}/connection",
            {"consumer_key": "a", "consumer_secret": "b"},
            expect=400,
        )
        new_app = StubApp()
        response = client.put(
            "/api/v1/security/connected-app",
            json={"consumer_key": new_app.consumer_key, "consumer_secret": new_app.consumer_secret},
        )
        assert response.status_code == 200
        assert client.get("/api/v1/orgs").json()[0]["status"] == "Re-authorization required"
        salesforce.app = new_app
        url = post(client, f"/orgs/{salesforce.org_id}/reauthorize")["authorize_url"]
        client.get(salesforce.authorize(url))
        assert client.get("/api/v1/orgs").json()[0]["status"] == "Connected"
