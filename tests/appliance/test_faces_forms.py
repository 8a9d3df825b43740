"""The HTML forms take typed requests too: a wrong value is a page with an alert that names the field.

Rule served: bad input gets a 4xx whose message names the field, through either face; nothing saved
before is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from harness.appliance import ApplianceSettings, create_app

BASE = "https://172.12.0.1"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(ApplianceSettings(data_dir=tmp_path, password_hash_cost=4))
    with TestClient(app, base_url=BASE, follow_redirects=False) as client:
        yield client


def _submit(client: TestClient, slug: str, **fields: str) -> tuple[int, str]:
    page = client.get(f"/wizard/{slug}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text[:300]
    answer = client.post(f"/wizard/{slug}", data={"csrf_token": token.group(1), **fields})
    alert = re.search(r'role="alert"[^>]*>([^<]*)<', answer.text)
    return answer.status_code, alert.group(1) if alert else ""


def _to_step(client: TestClient, step: int) -> None:
    forms = [("license", {"accepted": "yes"}), ("administrator", {"username": "admin", "password": "Str0ng!Pass"}),
             ("database", {"kind": "sqlite"}), ("license-file", {"license_kind": "trial"})]
    for slug, fields in forms[: step - 1]:
        assert _submit(client, slug, **fields)[0] == 303


@pytest.mark.parametrize(("step", "slug", "fields", "named"), [
    (2, "administrator", {"username": "a" * 300, "password": "Str0ng!Pass"}, "username"),
    (2, "administrator", {"username": "admin"}, "password"),
    (3, "database", {"kind": "oracle"}, "kind"),
    (5, "external-client-app", {"consumer_key": "k" * 300, "consumer_secret": "s"}, "consumer_key"),
])
def test_a_wrong_form_value_is_an_alert_naming_the_field(browser: TestClient, step: int, slug: str,
                                                         fields: dict[str, str], named: str) -> None:
    _to_step(browser, step)
    status, alert = _submit(browser, slug, **fields)
    assert status == 400 and alert.startswith(named), alert
    assert browser.get("/api/v1/wizard").json()["step"] == step


def test_earlier_steps_are_kept_after_a_refused_form(browser: TestClient) -> None:
    _to_step(browser, 3)
    _submit(browser, "database", kind="oracle")
    assert browser.get("/api/v1/wizard/summary").json()["administrator"] == "admin"
