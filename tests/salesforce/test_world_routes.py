"""``/__harness/world``: a whole world built, and read back, in one control call (harness/README.md)."""

from __future__ import annotations

from starlette.testclient import TestClient

from harness.reference import control_gate

from .support import CALLBACK

USER = {"username": "ada@acme.example.com", "password": "S3cret!pass", "first_name": "Ada", "last_name": "Admin",
        "email": "ada@acme.example.com", "active": True, "profile": "System Administrator"}
APP = {"name": "Backup", "callback_urls": [CALLBACK], "scopes": ["full", "refresh_token", "openid"]}


def test_one_call_builds_orgs_with_their_users_and_apps(client: TestClient) -> None:
    answer = client.post("/__harness/world", json={"orgs": [{"name": "acme", "users": [USER], "apps": [APP]},
                                                            {"name": "globex", "sandbox": "dev"}]})
    assert answer.status_code == 200, answer.text
    acme, globex = answer.json()["orgs"]
    assert acme["my_domain_host"] == "acme.my.salesforce.com" and globex["is_sandbox"] is True
    assert [u["username"] for u in acme["users"]] == [USER["username"]] and globex["users"] == []
    assert acme["apps"][0]["org_id"] == acme["id"] and acme["apps"][0]["consumer_secret"]
    listed = client.get(f"/__harness/orgs/{acme['id']}/users").json()
    assert [u["id"] for u in listed] == [acme["users"][0]["id"]]


def test_one_call_reads_what_the_single_routes_read(client: TestClient) -> None:
    [org] = client.post("/__harness/world", json={"orgs": [{"name": "acme", "users": [USER], "apps": [APP]}]}
                        ).json()["orgs"]
    app_id = org["apps"][0]["id"]
    world = client.get(f"/__harness/world?apps={app_id}").json()
    expected_org = client.get(f"/__harness/orgs/{org['id']}").json()
    assert world["orgs"] == [{**expected_org, "users": client.get(f"/__harness/orgs/{org['id']}/users").json()}]
    app = client.get(f"/__harness/apps/{app_id}").json()
    assert world["apps"] == [{**app, "grants": client.get(f"/__harness/apps/{app_id}/grants").json()}]
    assert client.get("/__harness/world").json()["apps"] == []


def test_a_malformed_world_is_refused_before_anything_is_built(client: TestClient) -> None:
    refused = client.post("/__harness/world", json={"orgs": [{"name": "acme"}, {"name": "globex", "users": "ada"}]})
    assert refused.status_code == 400 and "users" in refused.json()["message"]
    assert client.get("/__harness/world").json()["orgs"] == []
    for body in (b"[1]", b"{not json"):
        bad = client.post("/__harness/world", content=body, headers={"content-type": "application/json"})
        assert bad.status_code == 400, bad.text
    unknown = client.get("/__harness/world?apps=0H4000000000000AAA")
    assert unknown.status_code == 404


def test_the_world_needs_the_control_token(client: TestClient) -> None:
    answer = client.get("/__harness/world", headers={control_gate.HEADER: "wrong-token-of-this-start"})
    assert answer.status_code == 403


def test_a_world_with_a_reset_seed_starts_from_nothing(client: TestClient) -> None:
    client.post("/__harness/world", json={"orgs": [{"name": "old"}]})
    answer = client.post("/__harness/world", json={"reset_seed": 3, "orgs": [{"name": "acme"}]})
    assert [o["name"] for o in client.get("/__harness/world").json()["orgs"]] == ["acme"]
    client.post("/__harness/reset", json={"seed": 3})
    again = client.post("/__harness/world", json={"orgs": [{"name": "acme"}]}).json()
    assert again["orgs"][0]["id"] == answer.json()["orgs"][0]["id"], "the same seed gives the same ids"
    assert client.post("/__harness/world", json={"reset_seed": "3"}).status_code == 400
