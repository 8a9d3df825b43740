"""The browser layer on a remote Playwright browser server (``playwright run-server``).

Rule served: the browser can live on a team's grid (docs/design.md, speed): with
``--browser-server WS_URL`` pytest-playwright connects instead of launching, and the harness's
launch options (its Chromium, the CA pin, the proxy) travel with the connection. Shown here against
a server started on 127.0.0.1 with the Playwright package's own CLI.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = "features/create_external_client_app/callback_url.feature"


@pytest.fixture
def browser_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``playwright run-server`` on 127.0.0.1; yields its address and its log (DEBUG=pw:server).

    ``python -m playwright`` runs the Node driver as its child, so the server gets a process group
    of its own and the whole group is ended afterwards, never only the wrapper.
    """
    log = tmp_path / "server.log"
    # --unsafe: the server accepts the client's executable path and flags (the CA pin is a flag).
    with log.open("w") as errors:
        server = subprocess.Popen([sys.executable, "-m", "playwright", "run-server", "--host", "127.0.0.1",
                                   "--port", "0", "--unsafe"], stdout=subprocess.PIPE, stderr=errors, text=True,
                                  env={**os.environ, "DEBUG": "pw:server"}, start_new_session=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # "Listening on ws://127.0.0.1:PORT/", or "" if it died
        match = re.search(r"ws://127\.0\.0\.1:\d+/?", line)
        assert match, f"playwright run-server did not start: {line!r}"
        yield match.group(0), log
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def test_browser_scenarios_run_on_a_playwright_browser_server(browser_server: tuple[str, Path]) -> None:
    endpoint, log = browser_server
    command = [sys.executable, "-m", "pytest", SCENARIO, "-k", "offers and ui", "-p", "no:randomly", "-q",
               f"--browser-server={endpoint}"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST") and k != "PYTEST_CURRENT_TEST"}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=300, env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert re.search(r"\b3 passed\b", done.stdout), done.stdout[-500:]
    # The browser was launched by the server for this client, not by pytest itself.
    assert re.search(r"engaged launch mode for \"chromium\"", log.read_text()), log.read_text()[-2000:]


def test_launch_options_reach_the_server_in_its_own_names() -> None:
    from harness.pytest.plugin import server_launch_options

    sent = json.loads(server_launch_options({"executable_path": "/usr/lib/chromium/chromium", "headless": True,
                                             "args": ["--x"], "proxy": {"server": "http://127.0.0.1:1"}}))
    assert sent == {"executablePath": "/usr/lib/chromium/chromium", "headless": True, "args": ["--x"],
                    "proxy": {"server": "http://127.0.0.1:1"}}


def test_a_grid_elsewhere_uses_its_own_chromium_unless_one_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.pytest import plugin

    monkeypatch.delenv("HARNESS_CHROMIUM", raising=False)
    monkeypatch.setattr(plugin, "ensure_chromium", lambda headless: "/local/shell" if headless else "/local/chromium")
    assert plugin._chromium_for("ws://grid.example.test:3000/", headless=True) is None
    assert plugin._chromium_for("ws://127.0.0.1:3000/", headless=True) == "/local/shell"
    assert plugin._chromium_for(None, headless=True) == "/local/shell"
    assert plugin._chromium_for(None, headless=False) == "/local/chromium"
    monkeypatch.setenv("HARNESS_CHROMIUM", "/opt/chromium/chrome")
    assert plugin._chromium_for("ws://grid.example.test:3000/", headless=True) == "/opt/chromium/chrome"
