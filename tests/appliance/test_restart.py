"""Stop and start the appliance over the same data directory at any moment; the next action works.

Rule served: docs/design.md "The reference appliance" - nothing configured is lost on a restart. Each
test stops the appliance (its TestClient closes and a new app is built over the same data directory,
or a process is killed mid-run) and then acts through the JSON API, like a person after a reboot. The
browser's cookies survive the restart, as they would in a real browser.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from harness.appliance.app import create_app
from harness.appliance.core.crypto import KeyMismatch
from harness.appliance.core.store import Store
from tests.appliance.conftest import ADMIN, appliance_client, authorize, finish, post, to_step5
from tests.appliance.world import Salesforce, follow

Restart = Callable[[TestClient], TestClient]


@pytest.fixture
def restart(tmp_path: Path, make_settings: Any) -> Any:
    """Closes the running appliance and starts a new one on the same data directory and cookies."""
    opened: list[TestClient] = []

    def again(before: TestClient | None = None, **settings: Any) -> TestClient:
        if before is not None:
            before.__exit__(None, None, None)
        after = appliance_client(make_settings(tmp_path, **settings)).__enter__()
        if before is not None:
            after.cookies.update(before.cookies)
        opened.append(after)
        return after

    yield again
    for client in opened:
        client.__exit__(None, None, None)


def test_the_key_is_made_once_and_readable_by_the_owner_only(restart: Any, tmp_path: Path) -> None:
    first = restart()
    key_file = tmp_path / "secret.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    kept = key_file.read_bytes()
    restart(first)
    assert key_file.read_bytes() == kept


def test_mid_wizard_the_wizard_resumes_and_step_6_authorizes(restart: Any, salesforce: Salesforce) -> None:
    first = restart()
    to_step5(first)
    post(first, "/wizard/external-client-app", salesforce.credentials)
    second = restart(first)
    assert second.get("/api/v1/wizard").json()["step"] == 6
    assert second.get("/api/v1/wizard/external-client-app").json()["consumer_key"] == salesforce.app["consumer_key"]
    url = post(second, "/wizard/salesforce", {"environment": "production"})["authorize_url"]
    follow(second, salesforce.sign_in(url))
    assert second.get("/api/v1/wizard/salesforce").json()["status"] == "connected"


def test_an_authorization_started_before_the_restart_completes_after_it(
    restart: Any, salesforce: Salesforce
) -> None:
    first = restart()
    to_step5(first)
    post(first, "/wizard/external-client-app", salesforce.credentials)
    url = post(first, "/wizard/salesforce", {"environment": "production"})["authorize_url"]
    back = salesforce.sign_in(url)
    second = restart(first)
    assert second.get("/api/v1/wizard/salesforce").json()["status"] == "pending"
    follow(second, back)
    assert second.get("/api/v1/wizard/salesforce").json()["status"] == "connected"
    post(second, "/wizard/schedule", {"schedule": "Daily"})
    assert post(second, "/wizard/finish")["org_id"] == salesforce.org_id


def test_after_a_connection_backups_and_reauthorization_work(restart: Any, salesforce: Salesforce) -> None:
    first = restart()
    finish(first, salesforce)
    second = restart(first)
    assert second.get("/api/v1/orgs").json()[0]["status"] == "Connected"
    assert post(second, "/policies/1/run")["status"] in ("Success", "Warning")
    url = post(second, f"/orgs/{salesforce.org_id}/reauthorize")["authorize_url"]
    follow(second, salesforce.sign_in(url))
    assert second.get("/api/v1/orgs/authorization").json()["status"] == "connected"
    new_app = salesforce.new_app(name="Backup Two")
    third = restart(second)
    creds = {"consumer_key": new_app["consumer_key"], "consumer_secret": new_app["consumer_secret"]}
    assert post(third, f"/orgs/{salesforce.org_id}/connection", creds)["status"] == "Re-authorization required"
    assert salesforce.live_grants() == [], "the old app's grant was revoked with the key kept on disk"


def test_the_3_1_shared_app_survives_a_restart(restart: Any, salesforce: Salesforce) -> None:
    salesforce.app = salesforce.new_app(name="Legacy", kind="connected_app")
    first = restart(version="3.1")
    finish(first, salesforce)
    second = restart(first, version="3.1")
    assert post(second, "/policies/1/run")["status"] in ("Success", "Warning")
    assert second.get("/api/v1/security/connected-app").json()["consumer_key"] == salesforce.app["consumer_key"]


_RUNNER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from harness.appliance.core import Appliance
    from harness.appliance.settings import ApplianceSettings
    data_dir, proxy, ca = sys.argv[1:4]
    appliance = Appliance(ApplianceSettings(data_dir=Path(data_dir), outbound_proxy=proxy, ca_bundle=Path(ca)))
    appliance.run_now(1)
""")


def _wait_for_running(data_dir: Path, process: subprocess.Popen[bytes]) -> None:
    store, deadline = Store(f"sqlite:///{data_dir / 'appliance.sqlite3'}"), time.monotonic() + 30
    try:
        while not any(r["status"] == "Running" for r in store.rows("runs")):
            assert process.poll() is None, "the backup process ended before its run started"
            assert time.monotonic() < deadline, "the backup never started"
            time.sleep(0.05)  # polling for another process's write, bounded by the deadline
    finally:
        store.close()


def test_a_run_cut_short_is_marked_interrupted_and_the_next_one_works(
    restart: Any, salesforce: Salesforce, tmp_path: Path, network: Any
) -> None:
    first = restart()
    finish(first, salesforce)
    first.__exit__(None, None, None)
    salesforce.control.inject_fault("sobjects", "latency", seconds=120, count=1)
    process = subprocess.Popen(
        [sys.executable, "-c", _RUNNER, str(tmp_path), network.network.proxy_url, str(network.network.ca_path)],
        cwd=Path(__file__).resolve().parents[2], start_new_session=True,
    )
    try:
        _wait_for_running(tmp_path, process)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    salesforce.control.clear_faults()
    second = restart()
    post(second, "/session", {"username": ADMIN[0], "password": ADMIN[1]})
    (run,) = second.get("/api/v1/policies/1/runs").json()
    assert run["status"] == "Interrupted" and run["reason"].startswith("Interrupted: the appliance stopped")
    assert run["finished_at"] is not None
    assert post(second, "/policies/1/run")["status"] in ("Success", "Warning")


def _fingerprint(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir()) if p.is_file()}


def test_a_key_that_does_not_fit_the_data_stops_the_start_and_changes_nothing(
    restart: Any, salesforce: Salesforce, tmp_path: Path, make_settings: Any
) -> None:
    first = restart()
    to_step5(first)
    authorize(first, salesforce)
    first.__exit__(None, None, None)
    before = _fingerprint(tmp_path)
    with pytest.raises(KeyMismatch, match="does not match the data in"):
        create_app(make_settings(tmp_path, secret_key="some other key"))
    (tmp_path / "secret.key").rename(tmp_path / "secret.key.away")
    with pytest.raises(KeyMismatch, match="key file .* is missing"):
        create_app(make_settings(tmp_path))
    (tmp_path / "secret.key.away").rename(tmp_path / "secret.key")
    assert _fingerprint(tmp_path) == before
    assert restart().get("/api/v1/wizard/salesforce").json()["status"] == "connected"
