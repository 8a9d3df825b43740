"""``harness serve`` killed with SIGKILL at points of the OAuth dance and after a reset loses nothing.

Rule served: a restart resumes exactly the world that was there, and the fake persists a change
before it answers (harness/salesforce/models/persistence.py, harness/reference/demo.py). One demo
work directory is served, killed and served again five times; after each kill the test checks the
world (the fake's orgs and apps) and the appliance's connection:

- A: right after the first start (seeded world) - the demo's org, user and app are resumed as they were;
- E: right after the appliance started the authorization, before the browser went to Salesforce - the
  same authorize URL still leads to a completed authorization;
- F: after the login at Salesforce, on the consent page - the Salesforce session and the page's form
  still work, Allow is accepted;
- B: right after Salesforce's consent redirect, before the browser follows it - the callback completes
  (the code issued just before the kill was on disk);
- C: right after the wizard finished - the connection is Connected and a backup runs;
- D: after a reset and a new world made by scenarios (fake and appliance reset, new org connected) -
  that world, not a fresh seed, is resumed, its connection stays Connected and a backup runs.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

from harness.drivers.control_clients import ApplianceControl, SalesforceControl
from harness.drivers.page_objects.salesforce import parse_form
from harness.drivers.setup_labels import guide_app
from harness.reference.embedded import APPLIANCE_DNS_URL, APPLIANCE_URL, RunningReference
from tests.appliance.conftest import ADMIN
from tests.appliance.test_demo_restart import _api
from tests.appliance.world import sign_in

_REPO = Path(__file__).resolve().parents[2]
_START_S = 120
_STARTED: list[subprocess.Popen[bytes]] = []
_IGNORING_CTRL_C = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); os.execv(sys.executable, "


@pytest.fixture(autouse=True)
def _no_demo_left_running() -> Iterator[None]:
    """A test that fails half-way leaves no ``harness serve`` behind."""
    yield
    while _STARTED:
        process = _STARTED.pop()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=60)


class Demo:
    """One ``harness serve`` process over ``workdir``, started in a session of its own so it can be killed.

    It is ready once it printed its banner (after the world was resumed or seeded, and ``demo.json``
    written); the files are read only then, so a restart is never judged by the previous start's files.
    """

    def __init__(self, workdir: Path, ignoring_ctrl_c: bool = False) -> None:
        command = [sys.executable, "-m", "harness.cli", "serve", "--workdir", str(workdir)]
        if ignoring_ctrl_c:  # like a background job of a script: started with SIGINT ignored (kept by exec)
            command = [sys.executable, "-c", f"{_IGNORING_CTRL_C}{command!r})"]
        self.process = subprocess.Popen(command, cwd=_REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        _STARTED.append(self.process)
        self.banner = self._banner()
        self.reference = RunningReference.load(workdir / "reference.json")
        self.demo: dict[str, str] = json.loads((workdir / "demo.json").read_text())

    def _banner(self) -> str:
        assert self.process.stdout is not None
        output, fd = b"", self.process.stdout.fileno()
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"Press Ctrl-C to stop." not in output:
                if not selector.select(timeout=_START_S):  # waits for output, never longer than _START_S
                    self.kill()
                    raise AssertionError(f"harness serve printed nothing for {_START_S} s: {output!r}")
                chunk = os.read(fd, 65536)  # unbuffered: what select saw is what is read
                if not chunk:
                    raise AssertionError(f"harness serve ended: {output.decode()[-3000:]}")
                output += chunk
        return output.decode()

    def kill(self) -> str:
        """SIGKILL: no handler runs, nothing is flushed or closed."""
        os.killpg(self.process.pid, signal.SIGKILL)
        output, _ = self.process.communicate(timeout=60)
        return output.decode()

    def control(self, client: httpx.Client) -> SalesforceControl:
        return SalesforceControl(client, self.reference.control_token)


def _wizard_to_step_6(browser: httpx.Client, app: dict[str, str]) -> str:
    _api(browser, "POST", "/wizard/license", {"accepted": True})
    _api(browser, "POST", "/wizard/administrator", {"username": ADMIN[0], "password": ADMIN[1]})
    _api(browser, "POST", "/wizard/database", {"kind": "sqlite"})
    _api(browser, "POST", "/wizard/license-file", {"trial": True})
    _api(browser, "POST", "/wizard/external-client-app",
         {"consumer_key": app["consumer_key"], "consumer_secret": app["consumer_secret"]})
    return str(_api(browser, "POST", "/wizard/salesforce", {"environment": "production"})["authorize_url"])


def _log_in_at_salesforce(http: httpx.Client, url: str, username: str, password: str) -> tuple[str, dict[str, str]]:
    """Login only: follows the authorize URL and posts the login form; the consent form it ends on."""
    response, method, data = None, "GET", None
    for _ in range(12):
        response = http.request(method, url, data=data)
        if response.is_redirect:
            url, method, data = urljoin(url, response.headers["location"]), "GET", None
            continue
        form = parse_form(response.text)
        assert form is not None, f"{response.status_code} {response.text[:300]}"
        if "decision" in form[2]:
            return urljoin(url, form[0]), form[2]
        url, method, data = urljoin(url, form[0]), form[1].upper(), {**form[2], "username": username, "pw": password}
    raise AssertionError("never reached the consent page")


def _allow(http: httpx.Client, action: str, fields: dict[str, str]) -> str:
    """Allow on the consent page; the appliance URL Salesforce sends the browser back to."""
    response = http.post(action, data={**fields, "decision": "allow"})
    assert response.is_redirect, f"{response.status_code} {response.text[:300]}"
    return str(response.headers["location"])


def _finish(browser: httpx.Client) -> None:
    _api(browser, "POST", "/wizard/schedule", {"schedule": "Daily"})
    _api(browser, "POST", "/wizard/finish")


def _connected_and_backs_up(demo: Demo, cookies: dict[str, str], org_id: str) -> None:
    with demo.reference.client(cookies=cookies) as browser:
        _api(browser, "POST", "/session", {"username": ADMIN[0], "password": ADMIN[1]})
        (org,) = _api(browser, "GET", "/orgs")
        assert (org["org_id"], org["status"]) == (org_id, "Connected"), org
        run = _api(browser, "POST", "/policies/1/run")
        assert run["status"] in ("Success", "Warning"), run["reason"]


def _scenarios_make_a_world(demo: Demo) -> tuple[dict[str, Any], dict[str, Any], str]:
    """What a run of scenarios with ``--reference`` leaves: both sides reset, a new org, user and app."""
    with demo.reference.client() as client:
        control = demo.control(client)
        control.reset(3)
        ApplianceControl(client, APPLIANCE_URL, demo.reference.control_token).reset()
        org = control.create_org("globex")
        control.create_user(org["id"], username="ops@globex.example.com", password="Gl0bex!pass-word",
                            profile="System Administrator", active=True)
        app = control.create_app(org["id"], **guide_app("Globex Backup", "ops@globex.example.com",
                                                        [APPLIANCE_URL, APPLIANCE_DNS_URL]))
    return org, app, "Gl0bex!pass-word"


def test_sigkill_at_six_points_of_the_dance_and_after_a_reset_loses_nothing(tmp_path: Path) -> None:
    first = Demo(tmp_path)
    seeded = first.demo
    first.kill()  # A: right after the seeded world answered its first control calls

    second = Demo(tmp_path)
    assert second.demo == seeded, "the seeded org, user and app were resumed"
    browser = second.reference.client()
    url = _wizard_to_step_6(browser, seeded)
    cookies = dict(browser.cookies)
    browser.close()
    second.kill()  # E: the attempt is stored, the browser has not reached Salesforce yet

    resumed = Demo(tmp_path)
    with resumed.reference.client() as at_salesforce:
        action, fields = _log_in_at_salesforce(at_salesforce, url, seeded["username"], seeded["password"])
        salesforce_cookies = dict(at_salesforce.cookies)
    resumed.kill()  # F: logged in at Salesforce, the consent page is shown

    again = Demo(tmp_path)
    with again.reference.client(cookies=salesforce_cookies) as at_salesforce:
        callback = _allow(at_salesforce, action, fields)
    again.kill()  # B: the code is in the redirect the browser holds, not yet followed

    third = Demo(tmp_path)
    with third.reference.client(cookies=cookies) as browser:
        browser.get(callback)
        assert _api(browser, "GET", "/wizard/salesforce")["status"] == "connected"
        _finish(browser)
        cookies = dict(browser.cookies)
    third.kill()  # C: the token exchange and the saved connection are done

    fourth = Demo(tmp_path)
    _connected_and_backs_up(fourth, cookies, seeded["org_id"])
    org, app, password = _scenarios_make_a_world(fourth)
    with fourth.reference.client() as browser:
        url = _wizard_to_step_6(browser, app)
        with fourth.reference.client() as at_salesforce:
            browser.get(sign_in(at_salesforce, url, "ops@globex.example.com", password))
        _finish(browser)
        cookies = dict(browser.cookies)
    fourth.kill()  # D: after the reset and the world the scenarios made

    fifth = Demo(tmp_path)
    assert all("Resumed the demo" in demo.banner for demo in (second, resumed, again, third, fourth, fifth))
    try:
        with fifth.reference.client() as client:
            assert fifth.control(client).app(app["id"])["consumer_key"] == app["consumer_key"]
            assert [g["user_id"] for g in fifth.control(client).grants(app["id"])], "the grant was kept"
        _connected_and_backs_up(fifth, cookies, org["id"])
        assert fifth.demo["org_id"] not in (org["id"], seeded["org_id"]), "the demo's org was seeded again"
        assert fifth.demo["username"] == "admin@acme.example.com", "beside the kept world, under its free name"
    finally:
        fifth.kill()


def test_ctrl_c_stops_the_demo_even_when_it_was_started_with_ctrl_c_ignored(tmp_path: Path) -> None:
    demo = Demo(tmp_path, ignoring_ctrl_c=True)
    demo.process.send_signal(signal.SIGINT)
    demo.process.communicate(timeout=60)
    assert demo.process.returncode == 130, "the interrupt ended it the way Ctrl-C in a terminal does"
