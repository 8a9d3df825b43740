"""Fixtures for the virtual-network tests: a loopback HTTPS echo server and a seal on sockets.

Rule served: no test may open a connection to a non-loopback address (docs/design.md section 3); the
``loopback_only`` guard fails any test that tries, whichever thread tries it.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from harness.network import VirtualNetwork

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
outside_attempts: list[object] = []


def _check(address: object) -> None:
    if isinstance(address, tuple) and address:
        try:
            loopback = ipaddress.ip_address(str(address[0])).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            outside_attempts.append(address)
            raise OSError(f"test seal: connection to non-loopback {address!r} refused")


def _guarded_connect(self: socket.socket, address: object) -> None:
    _check(address)
    _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    _check(address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    outside_attempts.clear()
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    yield
    assert outside_attempts == [], f"something tried to leave loopback: {outside_attempts}"


class _Echo(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server API
        body = json.dumps({"host": self.headers.get("Host"), "path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server API
        pass


class EchoServer:
    """An HTTPS server on 127.0.0.1 that answers every GET with the Host header it saw."""

    def __init__(self, cert: Path, key: Path) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def network(tmp_path: Path) -> Iterator[VirtualNetwork]:
    net = VirtualNetwork(tmp_path / "net").start()
    yield net
    net.stop()


@pytest.fixture
def appliance_server(network: VirtualNetwork) -> Iterator[EchoServer]:
    names = ["172.12.0.1", "acme.internal.com"]
    server = EchoServer(*network.issue(names, stem="appliance"))
    network.add_server(names, server.port)
    yield server
    server.stop()
