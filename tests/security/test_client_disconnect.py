"""A client that leaves mid-body is counted and ends its request quietly, on the appliance and the fake.

Rule served: harness/reference/disconnects.py - no traceback is logged for a request nobody waits
for, and ``app.state.client_disconnects`` counts them. One test drives each app in-process with an
ASGI ``http.disconnect`` where the body should be; one sends malformed and cut-short chunked bodies to
a real uvicorn over a socket and reads the server's own log.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import anyio.from_thread
import pytest
import uvicorn
from starlette.applications import Starlette

from harness.appliance import ApplianceSettings
from harness.appliance import create_app as create_appliance
from harness.reference import control_gate
from harness.salesforce import SalesforceBackend
from harness.salesforce import create_app as create_salesforce

JSON_POST = [(b"host", b"172.12.0.1"), (b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")]


def _gone_mid_body(app: Starlette, path: str, headers: list[tuple[bytes, bytes]]) -> list[dict[str, Any]]:
    """Runs one POST whose client disconnects before any body arrives; returns what the app sent."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "https", "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": headers, "client": ("127.0.0.1", 5000), "server": ("172.12.0.1", 443)}
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # In a thread of its own: another test's browser may leave an event loop running in this one.
    with anyio.from_thread.start_blocking_portal() as portal:
        portal.call(app, scope, receive, send)
    return sent


def test_the_appliance_counts_a_client_gone_mid_body_and_logs_no_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_appliance(ApplianceSettings(data_dir=tmp_path, password_hash_cost=4))
    with caplog.at_level(logging.DEBUG):
        _gone_mid_body(app, "/api/v1/wizard/license", JSON_POST)
        _gone_mid_body(app, "/wizard/license", [(b"host", b"172.12.0.1"),
                                                (b"content-type", b"application/x-www-form-urlencoded")])
    assert app.state.client_disconnects == 2
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    app.state.appliance.close()


def test_the_fake_salesforce_counts_a_control_client_gone_mid_body(caplog: pytest.LogCaptureFixture) -> None:
    # Its other routes get the body from its request-log middleware, which reads it whole first.
    app = create_salesforce(SalesforceBackend())
    control_gate.enable(app, "disconnect-test-control-token")
    headers = [(b"host", b"login.salesforce.com"), (b"content-type", b"application/json"),
               (control_gate.HEADER.lower().encode(), b"disconnect-test-control-token")]
    with caplog.at_level(logging.DEBUG):
        _gone_mid_body(app, "/__harness/orgs", headers)
    assert app.state.client_disconnects == 1
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.fixture
def served_appliance(tmp_path: Path) -> Iterator[tuple[Starlette, int]]:
    """The appliance on plain HTTP on a loopback port, its log going to pytest's (log_config=None)."""
    app = create_appliance(ApplianceSettings(data_dir=tmp_path, password_hash_cost=4))
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        while not server.started:  # uvicorn flags start-up; bounded by the thread staying alive
            assert thread.is_alive(), "uvicorn did not start"
            thread.join(0.02)
        yield app, listener.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(30)


def _post_chunked(port: int, body: bytes, close_early: bool) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(b"POST /api/v1/wizard/license HTTP/1.1\r\nHost: 172.12.0.1\r\n"
                     b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
        if close_early:
            conn.shutdown(socket.SHUT_WR)
        return conn.recv(4096)


def test_malformed_and_cut_chunked_bodies_log_no_traceback_on_a_real_server(
    served_appliance: tuple[Starlette, int], caplog: pytest.LogCaptureFixture
) -> None:
    app, port = served_appliance
    with caplog.at_level(logging.INFO):
        _post_chunked(port, b"5\r\nabc", close_early=True)
        answer = _post_chunked(port, b"zz\r\nabc\r\n0\r\n\r\n", close_early=False)
        # A well-formed request afterwards: the server is fine, and by now the two above were handled.
        assert _post_chunked(port, b"2\r\n{}\r\n0\r\n\r\n", close_early=False).startswith(b"HTTP/1.1 ")
    assert not answer.startswith(b"HTTP/1.1 5"), answer[:80]
    crashes = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert crashes == []
    assert app.state.client_disconnects >= 1
