"""``/__harness/world``: a whole world built, and read back, in one control call (harness/README.md)."""

from __future__ import annotations

import random

import pytest
from starlette.testclient import TestClient

from harness.drivers.control_clients import app_credentials, salesforce_id
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


def _chosen(seed: int = 11) -> tuple[dict[str, object], dict[str, object]]:
    """An org (with its user) and an app, with ids, key and secret chosen as the test side chooses them."""
    rng = random.Random(seed)
    org = {"id": salesforce_id("00D", rng), "name": "acme", "users": [{**USER, "id": salesforce_id("005", rng)}]}
    return org, {**APP, **app_credentials("external_client_app", rng)}


def test_a_world_takes_the_ids_keys_and_secrets_the_client_chose(client: TestClient) -> None:
    org, app = _chosen()
    answer = client.post("/__harness/world", json={"orgs": [{**org, "apps": [app]}]})
    assert answer.status_code == 200, answer.text
    [made] = answer.json()["orgs"]
    assert (made["id"], made["users"][0]["id"]) == (org["id"], org["users"][0]["id"])  # type: ignore[index]
    assert {k: made["apps"][0][k] for k in ("id", "consumer_key", "consumer_secret", "org_id")} == {
        "id": app["id"], "consumer_key": app["consumer_key"], "consumer_secret": app["consumer_secret"],
        "org_id": org["id"]}
    assert client.get(f"/__harness/apps/{app['id']}").json()["consumer_key"] == app["consumer_key"]


def test_top_level_apps_go_into_orgs_that_exist_or_come_earlier(client: TestClient) -> None:
    org, app = _chosen()
    [made] = client.post("/__harness/world", json={"orgs": [org]}).json()["orgs"]
    answer = client.post("/__harness/world", json={"apps": [{**app, "org_id": made["id"]}]})
    assert answer.status_code == 200, answer.text
    assert answer.json()["orgs"] == [] and answer.json()["apps"][0]["org_id"] == org["id"]
    same_call = client.post("/__harness/world", json={"orgs": [{**_chosen(12)[0], "name": "globex",
                                                                "users": []}],
                                                      "apps": [{**_chosen(12)[1], "org_id": _chosen(12)[0]["id"]}]})
    assert same_call.status_code == 200, same_call.text


@pytest.mark.parametrize(("change", "field", "problem"), [
    ({"org_id": "00Dshort"}, "orgs[0].id", "is not an 18-character Salesforce id"),
    ({"org_id": "00D5g0ABCDEFGHIZZZ"}, "orgs[0].id", "case-safe suffix"),
    ({"org_id": salesforce_id("005", random.Random(2))}, "orgs[0].id", "must start with the key prefix 00D"),
    ({"user_prefix": "00D"}, "orgs[0].users[0].id", "must start with the key prefix 005"),
    ({"app": {"id": salesforce_id("0H4", random.Random(3))}}, "orgs[0].apps[0].id", "the key prefix 0xI"),
    ({"app": {"consumer_key": "3MVG9short"}}, "orgs[0].apps[0].consumer_key", "is not a consumer key"),
    ({"app": {"consumer_secret": "not hex"}}, "orgs[0].apps[0].consumer_secret", "is not 64 hexadecimal digits"),
])
def test_a_malformed_chosen_value_is_refused_naming_it_and_builds_nothing(
        client: TestClient, change: dict[str, object], field: str, problem: str) -> None:
    org, app = _chosen()
    if "org_id" in change:
        org["id"] = change["org_id"]
    if "user_prefix" in change:
        org["users"] = [{**USER, "id": salesforce_id("00D", random.Random(1))}]
    app.update(change.get("app", {}))  # type: ignore[call-overload]
    refused = client.post("/__harness/world", json={"orgs": [{**org, "apps": [app]}]})
    assert refused.status_code == 400, refused.text
    assert refused.json()["message"].startswith(f"{field}: ") and problem in refused.json()["message"]
    assert client.get("/__harness/world").json()["orgs"] == []


def test_a_chosen_value_already_used_is_refused_naming_it_and_builds_nothing(client: TestClient) -> None:
    org, app = _chosen()
    assert client.post("/__harness/world", json={"orgs": [{**org, "apps": [app]}]}).status_code == 200
    other_org, other_app = _chosen(12)
    other_org = {**other_org, "name": "globex", "users": []}
    for body, field in (({"orgs": [{**other_org, "id": org["id"]}]}, "orgs[0].id"),
                        ({"orgs": [{**other_org, "apps": [{**other_app, "id": app["id"]}]}]}, "orgs[0].apps[0].id"),
                        ({"orgs": [other_org], "apps": [{**other_app, "consumer_key": app["consumer_key"],
                                                         "org_id": other_org["id"]}]}, "apps[0].consumer_key"),
                        ({"apps": [{**other_app, "org_id": "00D000000000000AAA"}]}, "apps[0].org_id")):
        refused = client.post("/__harness/world", json=body)
        assert refused.status_code == 400, refused.text
        assert refused.json()["message"].startswith(f"{field}: "), refused.json()
        assert [o["name"] for o in client.get("/__harness/world").json()["orgs"]] == ["acme"]
