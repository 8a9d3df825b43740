"""``/__harness/world`` on the appliance: steps 1-4 in one control call, and the whole state read back in one.

Rule served: the control call leaves the appliance exactly where the four API calls leave it, and the
read-back answers what the public API answers (harness/README.md "Appliance harness control").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from tests.appliance.conftest import ADMIN, appliance_client, finish, post, to_step5
from tests.appliance.world import Salesforce

WORLD = {"wizard_step": 5, "administrator": {"username": ADMIN[0], "password": ADMIN[1]}}


def _api_view(client: TestClient) -> dict[str, Any]:
    return {"wizard": client.get("/api/v1/wizard").json(), "summary": client.get("/api/v1/wizard/summary").json(),
            "app_step": client.get("/api/v1/wizard/external-client-app").json()}


def test_one_call_leaves_the_wizard_where_four_api_calls_do(tmp_path: Path, make_settings: Any) -> None:
    with appliance_client(make_settings(tmp_path / "api")) as by_api, \
            appliance_client(make_settings(tmp_path / "world")) as by_world:
        to_step5(by_api)
        answer = by_world.post("/__harness/world", json=WORLD)
        assert answer.status_code == 200, answer.text
        assert answer.json() == by_api.get("/api/v1/wizard").json()
        assert _api_view(by_world) == _api_view(by_api)
        assert _api_view(by_world)["wizard"]["step"] == 5


def test_the_read_back_is_what_the_api_answers(client: TestClient, salesforce: Salesforce) -> None:
    before = client.get("/__harness/world").json()
    assert before == {"wizard": client.get("/api/v1/wizard").json(),
                      "connection": client.get("/api/v1/wizard/salesforce").json()}
    finish(client, salesforce)
    post(client, "/policies/1/run")
    world = client.get("/__harness/world").json()
    runs = client.get("/api/v1/policies/1/runs").json()
    assert world["policies"] == [{**client.get("/api/v1/policies").json()[0], "runs": runs}] and runs
    assert world["orgs"] == client.get("/api/v1/orgs").json()
    assert world["last_authorization"] == client.get("/api/v1/orgs/authorization").json()


def test_a_weak_password_or_another_step_is_refused(client: TestClient) -> None:
    weak = client.post("/__harness/world", json={**WORLD, "administrator": {"username": "a", "password": "weak"}})
    assert weak.status_code == 400 and "password" in weak.json()["message"]
    assert client.post("/__harness/world", json={**WORLD, "wizard_step": 3}).status_code == 400
    assert client.post("/__harness/world", json=WORLD, headers={"X-Harness-Control": "x" * 20}).status_code == 403


def test_a_world_with_reset_starts_from_a_new_appliance(client: TestClient) -> None:
    to_step5(client)
    post(client, "/wizard/external-client-app", {"consumer_key": "k" * 20, "consumer_secret": "s" * 20})
    kept = client.post("/__harness/world", json=WORLD)
    assert kept.status_code == 200, kept.text
    assert client.get("/api/v1/wizard/summary").json()["consumer_key"] == "k" * 20, "without reset, kept"
    fresh = client.post("/__harness/world", json={**WORLD, "reset": True})
    assert fresh.status_code == 200, fresh.text
    assert client.get("/api/v1/wizard/summary").json()["consumer_key"] is None
