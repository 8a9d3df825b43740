"""Once the wizard is finished, the appliance answers only its logged-in administrator.

Weaknesses served: read endpoints answered without login after the wizard; login had no
throttling; a foreign Origin could change state; headers lacked HSTS and a narrow form-action.
"""

from __future__ import annotations

import httpx
import pytest

from harness.drivers.api import ApiAdministrator
from harness.drivers.control_clients import ApplianceControl
from harness.reference.embedded import APPLIANCE_URL
from tests.security.conftest import World, api

WIZARD_READS = ["/wizard", "/wizard/summary", "/wizard/external-client-app", "/wizard/salesforce"]
WIZARD_WRITES = ["/wizard/back", "/wizard/license", "/wizard/administrator", "/wizard/schedule",
                 "/wizard/external-client-app", "/wizard/salesforce", "/wizard/finish"]
WIZARD_PAGES = ["/wizard", "/wizard/license", "/wizard/external-client-app", "/wizard/summary"]


@pytest.mark.parametrize("path", WIZARD_READS)
def test_wizard_reads_need_a_login_once_finished(finished: ApiAdministrator, stranger: httpx.Client,
                                                 path: str) -> None:
    answer = api(stranger, "GET", path)
    assert answer.status_code == 401, answer.text
    assert answer.json()["error"] == "not_logged_in"


@pytest.mark.parametrize("path", WIZARD_WRITES)
def test_wizard_writes_need_a_login_once_finished(finished: ApiAdministrator, stranger: httpx.Client,
                                                  path: str) -> None:
    assert api(stranger, "POST", path, {}).status_code == 401


@pytest.mark.parametrize("path", WIZARD_PAGES)
def test_wizard_pages_send_a_stranger_to_the_login(finished: ApiAdministrator, stranger: httpx.Client,
                                                   path: str) -> None:
    answer = stranger.get(f"{APPLIANCE_URL}{path}")
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert "Summary" not in answer.text


def test_the_logged_in_administrator_still_reads_the_wizard(finished: ApiAdministrator) -> None:
    assert finished.call("GET", "/wizard")["finished"] is True


def test_repeated_failures_lock_the_account_for_a_while(finished: ApiAdministrator, world: World,
                                                        stranger: httpx.Client,
                                                        appliances: dict[str, ApplianceControl]) -> None:
    wrong = {"username": world.admin.username, "password": "Wrong!Pass1"}
    answers = [api(stranger, "POST", "/session", wrong) for _ in range(6)]
    assert [a.status_code for a in answers[:5]] == [401] * 5
    assert answers[5].status_code == 429, answers[5].text
    right = {"username": world.admin.username, "password": world.admin.password}
    locked = api(stranger, "POST", "/session", right)
    assert locked.status_code == 429 and "locked" in locked.json()["message"]
    assert "minute" in locked.json()["message"]
    appliances["3.2"].advance_clock(16 * 60)
    assert api(stranger, "POST", "/session", right).status_code == 200


def test_a_foreign_origin_cannot_change_state(finished: ApiAdministrator) -> None:
    answer = finished.http.post(f"{APPLIANCE_URL}/api/v1/orgs/add", json={},
                                headers={"Origin": "https://evil.example.com"})
    assert answer.status_code == 403 and answer.json()["error"] == "foreign_origin"


def test_the_own_origin_is_accepted(finished: ApiAdministrator) -> None:
    answer = finished.http.request("DELETE", f"{APPLIANCE_URL}/api/v1/session", json={},
                                   headers={"Origin": APPLIANCE_URL})
    assert answer.status_code == 200


def test_a_foreign_origin_form_post_is_refused(finished: ApiAdministrator) -> None:
    answer = finished.http.post(f"{APPLIANCE_URL}/logout", data={"csrf_token": "x"},
                                headers={"Origin": "https://evil.example.com"})
    assert answer.status_code == 403


def test_headers_pin_https_and_narrow_form_targets(stranger: httpx.Client) -> None:
    answer = stranger.get(f"{APPLIANCE_URL}/wizard")
    assert "max-age=" in answer.headers["strict-transport-security"]
    form_action = next(d for d in answer.headers["content-security-policy"].split(";")
                       if d.strip().startswith("form-action"))
    sources = form_action.split()[1:]
    assert "https:" not in sources and "'self'" in sources
    assert "https://login.salesforce.com" in sources and "https://*.my.salesforce.com" in sources
