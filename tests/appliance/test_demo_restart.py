"""``harness serve`` is one world across restarts: Ctrl-C, serve again, and the org is still usable.

Rule served: the demo keeps the appliance's data and the fake Salesforce's orgs, apps and grants in its
work directory, so after a restart the appliance's stored refresh token still authorizes a backup. The
test runs the real command in a process, stops it with SIGINT (Ctrl-C) and starts it again.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from cryptography.fernet import Fernet

from harness.appliance.core import Appliance
from harness.appliance.settings import ApplianceSettings
from harness.reference.embedded import APPLIANCE_URL, RunningReference
from tests.appliance.conftest import ADMIN
from tests.appliance.world import sign_in

_REPO = Path(__file__).resolve().parents[2]


def _serve(workdir: Path) -> subprocess.Popen[bytes]:
    (workdir / "reference.json").unlink(missing_ok=True)
    return subprocess.Popen([sys.executable, "-m", "harness.cli", "serve", "--workdir", str(workdir)],
                            cwd=_REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _ready(workdir: Path, process: subprocess.Popen[bytes], *files: str) -> RunningReference:
    deadline = time.monotonic() + 90
    while not all((workdir / name).exists() for name in ("reference.json", *files)):
        if process.poll() is not None:
            raise AssertionError((process.stdout.read() if process.stdout else b"").decode()[-3000:])
        assert time.monotonic() < deadline, "harness serve did not come up"
        time.sleep(0.1)  # waiting for another process, bounded by the deadline
    return RunningReference.load(workdir / "reference.json")


def _stop(process: subprocess.Popen[bytes]) -> str:
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    return output.decode()


def _api(browser: httpx.Client, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    response = browser.request(method, f"{APPLIANCE_URL}/api/v1{path}", json=(body or {}) if method != "GET" else None)
    assert response.status_code == 200, response.text
    return response.json()


def _connect(reference: RunningReference, demo: dict[str, str]) -> httpx.Client:
    """The wizard to the end with the demo's app and user, as a person would with its printed values."""
    browser = reference.client()
    _api(browser, "POST", "/wizard/license", {"accepted": True})
    _api(browser, "POST", "/wizard/administrator", {"username": ADMIN[0], "password": ADMIN[1]})
    _api(browser, "POST", "/wizard/database", {"kind": "sqlite"})
    _api(browser, "POST", "/wizard/license-file", {"trial": True})
    _api(browser, "POST", "/wizard/external-client-app",
         {"consumer_key": demo["consumer_key"], "consumer_secret": demo["consumer_secret"]})
    url = _api(browser, "POST", "/wizard/salesforce", {"environment": "production"})["authorize_url"]
    with reference.client() as at_salesforce:
        browser.get(sign_in(at_salesforce, url, demo["username"], demo["password"]))
    assert _api(browser, "GET", "/wizard/salesforce")["status"] == "connected"
    _api(browser, "POST", "/wizard/schedule", {"schedule": "Daily"})
    _api(browser, "POST", "/wizard/finish")
    return browser


def test_the_demo_survives_ctrl_c_and_a_restart(tmp_path: Path) -> None:
    first = _serve(tmp_path)
    try:
        reference = _ready(tmp_path, first, "demo.json")
        demo = json.loads((tmp_path / "demo.json").read_text())
        assert (tmp_path / "demo.json").stat().st_mode & 0o777 == 0o600
        browser = _connect(reference, demo)
        cookies = dict(browser.cookies)
        browser.close()
    finally:
        _stop(first)
    second = _serve(tmp_path)
    try:
        reference = _ready(tmp_path, second)
        with reference.client(cookies=cookies) as browser:
            _api(browser, "POST", "/session", {"username": ADMIN[0], "password": ADMIN[1]})
            (org,) = _api(browser, "GET", "/orgs")
            assert (org["org_id"], org["status"]) == (demo["org_id"], "Connected")
            run = _api(browser, "POST", "/policies/1/run")
            assert run["status"] in ("Success", "Warning"), run["reason"]
    finally:
        output = _stop(second)
    assert "Resumed the demo" in output


def test_a_demo_whose_key_does_not_fit_stops_with_a_clear_message(tmp_path: Path) -> None:
    data_dir = tmp_path / "appliance-3.2"
    appliance = Appliance(ApplianceSettings(data_dir=data_dir))
    appliance.store.set_config("still_in_the_log", True)  # left open: the -wal and -shm stay, as after a kill
    key_file = data_dir / "secret.key"
    key_file.write_bytes(Fernet.generate_key())
    before = _files(data_dir)
    assert {"appliance.sqlite3-wal", "appliance.sqlite3-shm"} <= set(before)
    process = _serve(tmp_path)
    output = process.communicate(timeout=90)[0].decode()
    assert process.returncode == 1, output[-2000:]
    assert f"harness serve: the data in {tmp_path} cannot be used" in output
    assert "does not match the data in" in output and "Traceback" not in output
    assert _files(data_dir) == before, "the refused start changed no file, the log and its index included"
    appliance.close()


def _files(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mode) for p in sorted(directory.iterdir()) if p.is_file()}


def test_the_fake_salesforce_snapshot_round_trips(tmp_path: Path) -> None:
    from harness.salesforce import SalesforceBackend
    from harness.salesforce.models.persistence import Snapshots

    first = SalesforceBackend(seed=3)
    org = first.create_org(name="acme")
    first.create_user(org["id"], username="a@acme.example.com", password="Pw!12345678")
    app = first.create_app(org["id"], name="Backup", callback_urls=["https://172.12.0.1"], scopes=["full"])
    Snapshots(first, tmp_path / "sf.json").save()
    assert (tmp_path / "sf.json").stat().st_mode & 0o777 == 0o600
    second = SalesforceBackend()
    assert Snapshots(second, tmp_path / "sf.json").load()
    assert second.get_app(app["id"])["consumer_key"] == app["consumer_key"]
    assert second.list_users(org["id"])[0]["username"] == "a@acme.example.com"
    again = second.create_org(name="globex")
    assert again["id"] == first.create_org(name="globex")["id"], "ids go on from where the snapshot left them"
    assert Snapshots(SalesforceBackend(), tmp_path / "missing.json").load() is False
