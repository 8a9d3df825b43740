from __future__ import annotations

import ssl
import time
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from harness.network import HarnessCA
from harness.reference.servers import ServerThread


def _app() -> Starlette:
    return Starlette(routes=[Route("/", lambda request: PlainTextResponse("up"))])


def test_a_server_answers_once_start_returns_and_stops_with_a_kept_alive_client_connected(tmp_path: Path) -> None:
    ca = HarnessCA.create(tmp_path / "ca")
    cert, key = ca.issue(["127.0.0.1"], tmp_path, "local")
    server = ServerThread(_app(), cert, key, name="probe")
    port = server.start()
    with httpx.Client(verify=ssl.create_default_context(cafile=str(ca.cert_path))) as client:
        assert client.get(f"https://127.0.0.1:{port}/").text == "up"
        began = time.monotonic()
        server.stop()  # the client still holds its connection open
    assert time.monotonic() - began < 5, "stopping waited for an idle kept-alive connection"


def test_a_server_that_cannot_start_says_so_at_once(tmp_path: Path) -> None:
    missing = tmp_path / "missing.pem"
    server = ServerThread(_app(), missing, missing, name="broken")
    began = time.monotonic()
    with pytest.raises(RuntimeError, match="broken server stopped before it was ready"):
        server.start()
    assert time.monotonic() - began < 5
