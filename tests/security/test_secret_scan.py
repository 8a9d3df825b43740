"""The secret scan finds a leaked secret in any of its spellings and names the place, never the secret.

Weakness served: nothing checked that consumer secrets, tokens and passwords stay out of pages, JSON
answers, logs and reports; these tests show the scan would catch each kind of leak.
"""

from __future__ import annotations

import json
import logging
import re
import zipfile
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from harness.drivers.api import ApiAdministrator
from harness.drivers.control_clients import SalesforceControl
from harness.pytest.secret_scan import LogTap, Recorder, Secrets, find, from_salesforce, report_files
from harness.reference.embedded import APPLIANCE_URL, ReferenceAccess
from tests.security.conftest import World

SECRET = "s3cr3t/+ &<value>"


def _secrets() -> Secrets:
    found = Secrets()
    found.add(SECRET, "consumer secret")
    found.add("short", "password")
    return found


@pytest.mark.parametrize("text", [SECRET, "s3cr3t%2F%2B%20%26%3Cvalue%3E", "s3cr3t%2F%2B+%26%3Cvalue%3E",
                                  "s3cr3t/+ &amp;&lt;value&gt;", json.dumps({"x": SECRET})])
def test_every_spelling_is_found_and_the_place_named(text: str) -> None:
    hits = find(f"before {text} after", "appliance GET /x (200)", _secrets())
    assert [str(h) for h in hits] == ["consumer secret found in appliance GET /x (200)"]
    assert SECRET not in str(hits[0])


def test_short_values_are_not_secrets() -> None:
    assert len(_secrets()) == 1 and find("short", "p", _secrets()) == []


def test_the_recorder_keeps_headers_pages_and_json() -> None:
    async def page(_: object) -> HTMLResponse:
        return HTMLResponse(f"<p>{SECRET}</p>")

    async def data(_: object) -> JSONResponse:
        return JSONResponse({"secret": SECRET})

    recorder = Recorder(Starlette(routes=[Route("/page", page), Route("/data", data)]), "appliance")
    with TestClient(recorder) as client:
        client.get("/page")
        client.get("/data")
        client.get("/missing")
    seen = recorder.take()
    assert [place for place, _ in seen] == ["appliance GET /page (200)", "appliance GET /data (200)",
                                             "appliance GET /missing (404)"]
    assert len(find(seen[0][1], seen[0][0], _secrets())) == 1 and recorder.take() == []


def test_the_log_tap_keeps_messages_and_tracebacks() -> None:
    tap, logger = LogTap(), logging.getLogger("harness.test.secret")
    logger.addHandler(tap)
    try:
        try:
            raise ValueError(SECRET)
        except ValueError:
            logger.exception("failed with %s", "x")
    finally:
        logger.removeHandler(tap)
    (place, text), = tap.take()
    assert place == "log line of harness.test.secret (ERROR)" and SECRET in text


def test_report_files_are_read_except_images(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "junit.xml").write_text(f"<x>{SECRET}</x>")
    (tmp_path / "shot.png").write_bytes(b"\x89PNG" + SECRET.encode())
    places = [place for place, _ in report_files(tmp_path)]
    assert places == [f"report file {tmp_path / 'sub' / 'junit.xml'}"]


def test_a_secret_inside_a_compressed_trace_is_found(tmp_path: Path) -> None:
    # A Playwright trace is a zip: what the browser typed is in it, compressed, invisible as raw bytes.
    trace = tmp_path / "playwright" / "t" / "trace.zip"
    trace.parent.mkdir(parents=True)
    with zipfile.ZipFile(trace, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("trace.trace", json.dumps({"type": "action", "params": {"value": SECRET}}) * 20)
        archive.writestr("resources/shot.jpeg", SECRET)
    assert SECRET.encode() not in trace.read_bytes()
    places = {place: text for place, text in report_files(tmp_path)}
    assert list(places) == [f"report file {trace} (trace.trace)"]
    assert SECRET in places[f"report file {trace} (trace.trace)"]


def test_the_fake_salesforce_secrets_in_play_are_collected(salesforce: SalesforceControl,
                                                           reference: ReferenceAccess) -> None:
    org = salesforce.create_org("leaks")
    salesforce.create_user(org["id"], username="a@leaks.example.com", password="Pa55word!xyz", first_name="A",
                           last_name="B", email="a@leaks.example.com", active=True, profile="System Administrator")
    app = salesforce.create_app(org["id"], name="Backup", callback_urls=["https://172.12.0.1"], scopes=["full"])
    found = from_salesforce(reference.salesforce_backend.state)  # type: ignore[attr-defined]
    assert found.kinds[app["consumer_secret"]] == "consumer secret"
    assert found.kinds["Pa55word!xyz"] == "Salesforce password"


def test_no_appliance_answer_so_far_leaked(http: httpx.Client, reference: ReferenceAccess) -> None:
    """The plugin's own check ran after every earlier test; here it sees a fresh answer too."""
    assert http.get("https://172.12.0.1/wizard").status_code in (200, 303)


def test_a_secret_echoed_by_a_real_page_is_caught_with_its_place(finished: ApiAdministrator, world: World,
                                                                   stranger: httpx.Client,
                                                                   reference: ReferenceAccess) -> None:
    """Someone pastes the app's secret as the user name; the refused log-in page shows the name back."""
    page = stranger.get(f"{APPLIANCE_URL}/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf, page.text[:300]
    stranger.post(f"{APPLIANCE_URL}/login", data={"csrf_token": csrf.group(1), "username": world.consumer_secret,
                                                  "password": "Wrong!Pass1"})
    secrets = from_salesforce(reference.salesforce_backend.state)  # type: ignore[attr-defined]
    seen = [item for recorder in reference.recorders for item in recorder.take()]  # type: ignore[attr-defined]
    hits = {str(hit) for place, text in seen for hit in find(text, place, secrets)}
    assert hits == {"consumer secret found in appliance 3.2 POST /login (401)"}
