"""The wizard through the JSON API: step order, password rules, Back/Next, restart, wrong steps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.appliance.conftest import ADMIN, appliance_client, post, to_step5


def test_starts_at_step_one(client: TestClient) -> None:
    assert client.get("/api/v1/wizard").json() == {
        "step": 1,
        "step_name": "Accept License Agreement",
        "slug": "license",
        "reached": 1,
        "finished": False,
    }


def test_steps_one_to_five_in_order(client: TestClient) -> None:
    to_step5(client)
    state = client.get("/api/v1/wizard").json()
    assert (state["step"], state["step_name"]) == (5, "Create External Client App")


@pytest.mark.parametrize("password", ["Sh0rt!", "alllower1!", "ALLUPPER1!", "NoSpecial12", "Пароль!123"])
def test_weak_passwords_are_refused(client: TestClient, password: str) -> None:
    post(client, "/wizard/license", {"accepted": True})
    body = post(client, "/wizard/administrator", {"username": "admin", "password": password}, expect=400)
    assert body["error"] == "invalid_input" and "password" in body["message"]
    assert client.get("/api/v1/wizard").json()["step"] == 2


@pytest.mark.parametrize("special", list("!@#$%^&`~*()_-=+[]{};':\\\"|,./<>?"))
def test_every_documented_special_character_is_accepted(client: TestClient, special: str) -> None:
    post(client, "/wizard/license", {"accepted": True})
    post(client, "/wizard/administrator", {"username": "admin", "password": f"Abcdefg{special}"})


def test_skipping_ahead_is_refused(client: TestClient) -> None:
    body = post(client, "/wizard/database", {"kind": "sqlite"}, expect=409)
    assert "step 1" in body["message"]


def test_license_must_be_accepted(client: TestClient) -> None:
    post(client, "/wizard/license", {"accepted": False}, expect=400)


def test_back_keeps_what_was_entered(client: TestClient) -> None:
    to_step5(client)
    post(client, "/wizard/back")
    post(client, "/wizard/back")
    assert client.get("/api/v1/wizard").json()["step"] == 3
    post(client, "/wizard/database", {"kind": "postgresql", "url": "postgresql://u:pw@db.example:5432/b"})
    summary = client.get("/api/v1/wizard/summary").json()
    assert summary["administrator"] == ADMIN[0]
    assert summary["database"] == "postgresql://u:***@db.example:5432/b"


@pytest.mark.parametrize("url", ["postgresql://u:p@[::1:5432/x", "postgresql://u:pw@db.example:abc/b"])
def test_a_postgresql_url_with_a_bad_port_is_a_clear_refusal(client: TestClient, url: str) -> None:
    post(client, "/wizard/license", {"accepted": True})
    post(client, "/wizard/administrator", {"username": ADMIN[0], "password": ADMIN[1]})
    refused = post(client, "/wizard/database", {"kind": "postgresql", "url": url}, expect=400)
    assert "PostgreSQL URL" in refused["message"]


def test_a_password_given_as_a_url_option_is_never_shown(client: TestClient) -> None:
    post(client, "/wizard/license", {"accepted": True})
    post(client, "/wizard/administrator", {"username": ADMIN[0], "password": ADMIN[1]})
    post(client, "/wizard/database", {"kind": "postgresql", "url": "postgresql://u@db.example:5432/b?password=Secr3tPw"})
    summary = client.get("/api/v1/wizard/summary")
    assert summary.json()["database"] == "postgresql://u@db.example:5432/b" and "Secr3tPw" not in summary.text


def test_postgresql_url_is_validated(client: TestClient) -> None:
    post(client, "/wizard/license", {"accepted": True})
    post(client, "/wizard/administrator", {"username": "admin", "password": ADMIN[1]})
    post(client, "/wizard/database", {"kind": "postgresql", "url": "mysql://x@y/z"}, expect=400)


def test_restart_resumes_where_it_was(tmp_path: Path, make_settings: Any) -> None:
    settings = make_settings(tmp_path)
    with appliance_client(settings) as first:
        to_step5(first)
        post(first, "/wizard/external-client-app", {"consumer_key": "KEY1", "consumer_secret": "SECRET1"})
    with appliance_client(settings) as second:
        state = second.get("/api/v1/wizard").json()
        assert state["step"] == 6
        assert second.get("/api/v1/wizard/external-client-app").json()["consumer_key"] == "KEY1"


def test_failed_step_keeps_earlier_configuration(client: TestClient) -> None:
    to_step5(client)
    post(client, "/wizard/external-client-app", {"consumer_key": "", "consumer_secret": "x"}, expect=400)
    assert client.get("/api/v1/wizard").json()["step"] == 5
    assert client.get("/api/v1/wizard/summary").json()["administrator"] == ADMIN[0]


def test_json_writes_need_json_content_type(client: TestClient) -> None:
    response = client.post("/api/v1/wizard/license", data={"accepted": "true"})
    assert response.status_code == 415


def test_openapi_lists_the_wizard(client: TestClient) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert "/wizard/external-client-app" in doc["paths"] and doc["openapi"].startswith("3.")


def test_harness_reset_goes_back_to_step_one(client: TestClient) -> None:
    to_step5(client)
    assert client.post("/__harness/reset", json={}).json() == {"ok": True}
    assert client.get("/api/v1/wizard").json()["step"] == 1


def test_harness_reset_rebuilds_the_appliance_as_a_first_start(client: TestClient) -> None:
    to_step5(client)
    appliance = client.app.state.appliance  # type: ignore[attr-defined]
    before = appliance.wizard, appliance.clock
    moved = client.post("/__harness/clock", json={"advance_seconds": 86400}).json()["now"]
    backups = appliance.settings.data_dir / "backups"
    backups.mkdir(exist_ok=True)
    client.post("/__harness/reset", json={}).raise_for_status()
    assert appliance.wizard is not before[0] and appliance.clock is not before[1]
    assert appliance.clock.now() < moved - 3600, "the clock's offset is gone"
    assert not backups.exists()
    assert client.get("/api/v1/wizard").json()["step"] == 1


def test_step_five_and_the_start_of_step_six_answer_the_wizards_state(client: TestClient) -> None:
    """The answers a client acts on next say where the wizard stands (so it need not ask GET /wizard),
    and the OpenAPI document says so."""
    to_step5(client)
    assert client.get("/api/v1/wizard/external-client-app").json()["wizard"] == client.get("/api/v1/wizard").json()
    after = post(client, "/wizard/external-client-app", {"consumer_key": "3MVG9key", "consumer_secret": "s" * 40})
    assert (after["step"], after["reached"]) == (6, 6)
    post(client, "/wizard/back")
    started = post(client, "/wizard/salesforce", {"environment": "production"})
    assert started["authorize_url"].startswith("https://login.salesforce.com/")
    assert started["wizard"] == client.get("/api/v1/wizard").json() and started["wizard"]["step"] == 5
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    answer = paths["/wizard/salesforce"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer["required"] == ["authorize_url", "wizard"]
    assert answer["properties"]["wizard"] == {"$ref": "#/components/schemas/WizardState"}
