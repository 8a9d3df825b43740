"""After the wizard: default policy, Run now, orgs table, Edit Connection, Re-authorize, 3.1 mode."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from tests.appliance.conftest import BASE, appliance_client, finish, post
from tests.appliance.world import Salesforce, follow


def test_finish_creates_the_default_policy(client: TestClient, salesforce: Salesforce) -> None:
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


def test_orgs_need_a_session(client: TestClient, salesforce: Salesforce) -> None:
    finish(client, salesforce)
    client.cookies.clear()
    assert client.get("/api/v1/orgs").status_code == 401
    post(client, "/session", {"username": "admin", "password": "nope"}, expect=401)


def test_orgs_table(client: TestClient, salesforce: Salesforce) -> None:
    finish(client, salesforce)
    (org,) = client.get("/api/v1/orgs").json()
    assert (org["alias"], org["org_id"], org["status"], org["app"]) == (
        salesforce.org_id,
        salesforce.org_id,
        "Connected",
        salesforce.app["consumer_key"],
    )
    assert org["username"] == salesforce.username


def test_run_now_backs_up_with_paging(client: TestClient, salesforce: Salesforce, tmp_path: Path) -> None:
    finish(client, salesforce)
    run = post(client, "/policies/1/run")
    assert run["status"] in ("Success", "Warning"), run["reason"]
    assert run["objects"].get("Account", 0) > 0 and "Attachment" not in run["objects"]
    snapshot = json.loads(next((tmp_path / "backups" / salesforce.org_id).glob("*.json")).read_text())
    assert {name: len(rows) for name, rows in snapshot["objects"].items()} == run["objects"]
    assert [r["id"] for r in client.get("/api/v1/policies/1/runs").json()] == [1]


def test_a_backup_that_cannot_be_written_fails_with_its_reason(
    client: TestClient, salesforce: Salesforce, tmp_path: Path
) -> None:
    finish(client, salesforce)
    (tmp_path / "backups").write_text("a file where the backups folder belongs")  # the disk refuses
    run = post(client, "/policies/1/run")
    assert run["status"] == "Failed" and "could not be saved" in run["reason"], run
    assert [r["status"] for r in client.get("/api/v1/policies/1/runs").json()] == ["Failed"]
    (tmp_path / "backups").unlink()
    assert post(client, "/policies/1/run")["status"] in ("Success", "Warning"), "the next run works again"


def reauthorize(client: TestClient, salesforce: Salesforce, org_id: str) -> dict[str, Any]:
    url = post(client, f"/orgs/{org_id}/reauthorize")["authorize_url"]
    back = follow(client, salesforce.sign_in(url))
    assert back.headers["location"] == "/configuration/orgs?authorization=1"
    return client.get("/api/v1/orgs/authorization").json()  # type: ignore[no-any-return]


def test_edit_connection_needs_reauthorization(client: TestClient, salesforce: Salesforce) -> None:
    finish(client, salesforce)
    old_app, new_app = salesforce.app, salesforce.new_app(name="Backup Two")
    org = post(client, f"/orgs/{salesforce.org_id}/connection",
               {"consumer_key": new_app["consumer_key"], "consumer_secret": new_app["consumer_secret"]})
    assert org["status"] == "Re-authorization required" and org["app"] == new_app["consumer_key"]
    assert salesforce.live_grants(old_app) == [], "the old app's grant is revoked"
    run = post(client, "/policies/1/run")
    assert run["status"] == "Failed" and run["reason"].startswith("Re-authorization required")
    salesforce.app = new_app
    assert reauthorize(client, salesforce, salesforce.org_id)["status"] == "connected"
    assert client.get("/api/v1/orgs").json()[0]["status"] == "Connected"
    assert post(client, "/policies/1/run")["status"] in ("Success", "Warning")


def test_revoked_grant_means_reauthorization(client: TestClient, salesforce: Salesforce) -> None:
    finish(client, salesforce)
    salesforce.control.revoke_grants(salesforce.app["id"])
    run = post(client, "/policies/1/run")
    assert run["status"] == "Failed" and "invalid_grant" in run["reason"]
    assert client.get("/api/v1/orgs").json()[0]["status"] == "Re-authorization required"


def test_salesforce_down_means_failed(client: TestClient, salesforce: Salesforce) -> None:
    finish(client, salesforce)
    salesforce.control.inject_fault("token", "status", status=503)
    assert post(client, "/policies/1/run")["status"] == "Failed"
    assert client.get("/api/v1/orgs").json()[0]["status"] == "Failed"
    salesforce.control.clear_faults()
    assert post(client, "/policies/1/run")["status"] in ("Success", "Warning")
    assert client.get("/api/v1/orgs").json()[0]["status"] == "Connected"


def test_add_organization_with_its_own_app(client: TestClient, salesforce: Salesforce) -> None:
    finish(client, salesforce)
    post(client, "/orgs/add", {"environment": "production"}, expect=400)
    first_org = salesforce.org_id
    salesforce.org_id, salesforce.username = salesforce.new_org("globex")
    salesforce.app = salesforce.new_app(salesforce.org_id)
    body = post(client, "/orgs/add", {"environment": "production", **salesforce.credentials})
    assert body["callback_url"] == BASE
    follow(client, salesforce.sign_in(body["authorize_url"]))
    assert client.get("/api/v1/orgs/authorization").json()["status"] == "connected"
    assert [o["org_id"] for o in client.get("/api/v1/orgs").json()] == [first_org, salesforce.org_id]


def test_scheduled_runs_follow_the_clock(client: TestClient, salesforce: Salesforce) -> None:
    finish(client, salesforce, "Hourly")
    client.post("/__harness/clock", json={"advance_seconds": 3601})
    runs = client.get("/api/v1/policies/1/runs").json()
    assert [r["trigger"] for r in runs] == ["schedule"]


def test_secrets_are_encrypted_at_rest(client: TestClient, salesforce: Salesforce, tmp_path: Path) -> None:
    finish(client, salesforce)
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("appliance.sqlite3*"))
    assert salesforce.app["consumer_secret"].encode() not in raw
    assert b"5Aep" not in raw, "no refresh token in clear"
    assert salesforce.app["consumer_key"].encode() in raw


def test_legacy_connected_app_is_shared(tmp_path: Path, salesforce: Salesforce, make_settings: Any) -> None:
    salesforce.app = salesforce.new_app(name="Legacy", kind="connected_app")
    with appliance_client(make_settings(tmp_path, version="3.1")) as client:
        assert client.get("/api/v1/wizard/external-client-app").json()["title"] == "Create Connected App"
        finish(client, salesforce)
        assert client.get("/wizard/external-client-app").status_code == 303
        assert client.get("/api/v1/orgs").json()[0]["app"] == "Connected app (shared)"
        post(client, f"/orgs/{salesforce.org_id}/connection", {"consumer_key": "a", "consumer_secret": "b"},
             expect=400)
        salesforce.app = salesforce.new_app(name="Legacy Two", kind="connected_app")
        response = client.put("/api/v1/security/connected-app", json=salesforce.credentials)
        assert response.status_code == 200
        assert client.get("/api/v1/security/connected-app").json() == {"consumer_key": salesforce.app["consumer_key"]}
        assert client.get("/api/v1/orgs").json()[0]["status"] == "Re-authorization required"
        assert reauthorize(client, salesforce, salesforce.org_id)["status"] == "connected"
        assert client.get("/api/v1/orgs").json()[0]["status"] == "Connected"


def test_the_connection_to_salesforce_is_kept_alive(client: TestClient, salesforce: Salesforce, network: Any) -> None:
    finish(client, salesforce)
    proxy = network.network.proxy
    before = len(proxy.connections)
    salesforce.control.requests()  # the test's own client: its tunnel is open before the runs
    logged = len(salesforce.control.requests())
    for _ in range(3):
        post(client, "/policies/1/run")
    tunnels = len(proxy.connections) - before
    calls = len(salesforce.control.requests()) - logged
    assert calls > 20, "a run makes many calls (token, versions, describe, queries)"
    assert tunnels <= 2, f"{tunnels} tunnels for {calls} calls: the appliance must reuse its connections"
