"""The CONNECT proxy tunnels routed names to loopback and refuses everything else before any dial.

Rule served: "A small proxy on 127.0.0.1 routes each name to a loopback server and refuses every
other destination, so no byte leaves the machine" (docs/design.md section 3).
"""

from __future__ import annotations

import socket
import ssl
from pathlib import Path

import httpx
import pytest

from harness.network import ConnectProxy, RouteTable, VirtualNetwork, is_loopback

from .conftest import EchoServer


def _client(network: VirtualNetwork) -> httpx.Client:
    context = ssl.create_default_context(cafile=str(network.ca_path))
    return httpx.Client(proxy=network.proxy_url, verify=context, trust_env=False, timeout=10)


def _raw(proxy_url: str, data: bytes) -> bytes:
    port = int(proxy_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(4096):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("url", ["https://172.12.0.1/", "https://acme.internal.com/wizard"])
def test_documented_urls_reach_the_loopback_server(
    network: VirtualNetwork, appliance_server: EchoServer, url: str
) -> None:
    with _client(network) as client:
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["host"] == httpx.URL(url).host
    assert network.proxy.connections == [("127.0.0.1", appliance_server.port)]
    (tunnel,) = network.proxy.tunnels
    assert (tunnel.host, tunnel.port) == (httpx.URL(url).host, 443)
    assert network.proxy.refusals == []


def test_wildcard_route_with_wildcard_certificate(network: VirtualNetwork) -> None:
    server = EchoServer(*network.issue(["login.salesforce.com", "*.my.salesforce.com"], stem="sf"))
    try:
        network.add_server(["login.salesforce.com", "*.my.salesforce.com"], server.port)
        with _client(network) as client:
            assert client.get("https://acme-dev-ed.my.salesforce.com/").json()["host"] == (
                "acme-dev-ed.my.salesforce.com"
            )
            assert client.get("https://login.salesforce.com/").status_code == 200
    finally:
        server.stop()


@pytest.mark.parametrize("url", ["https://example.org/", "https://10.1.2.3/", "https://172.12.0.2/"])
def test_unrouted_destinations_are_refused_and_recorded(
    network: VirtualNetwork, appliance_server: EchoServer, url: str
) -> None:
    with _client(network) as client, pytest.raises(httpx.ProxyError, match="403"):
        client.get(url)
    (refusal,) = network.proxy.refusals
    assert (refusal.host, refusal.port, refusal.status) == (httpx.URL(url).host, 443, 403)
    assert network.proxy.connections == []  # refused before any dial


def test_refusal_body_names_the_destination(network: VirtualNetwork) -> None:
    answer = _raw(network.proxy_url, b"CONNECT 10.1.2.3:443 HTTP/1.1\r\nHost: 10.1.2.3:443\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 403 Forbidden\r\n")
    assert b"10.1.2.3:443" in answer.split(b"\r\n\r\n", 1)[1]


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (
            b"GET http://clients2.google.com/time/1/current HTTP/1.1\r\nHost: clients2.google.com\r\n\r\n",
            b"405",
        ),
        (b"CONNECT nonsense HTTP/1.1\r\n\r\n", b"400"),
        (b"CONNECT a.b:99999 HTTP/1.1\r\n\r\n", b"400"),
        (b"\x16\x03\x01\x02\x00garbage\r\n\r\n", b"400"),
        (b"HELLO\r\n\r\n", b"400"),
        (b"CONNECT [::1 HTTP/1.1\r\n\r\n", b"400"),
        (b"X" * 20000 + b"\r\n\r\n", b"431"),
    ],
)
def test_odd_requests_get_errors_and_the_proxy_survives(
    network: VirtualNetwork, appliance_server: EchoServer, request_bytes: bytes, status: bytes
) -> None:
    answer = _raw(network.proxy_url, request_bytes)
    assert answer.split(b" ", 2)[1] == status
    assert len(network.proxy.refusals) == 1
    # Half-sent and empty connections are shrugged off too.
    _raw(network.proxy_url, b"CONNECT acme.internal")
    _raw(network.proxy_url, b"")
    with _client(network) as client:
        assert client.get("https://172.12.0.1/").status_code == 200
    assert network.proxy.connections == [("127.0.0.1", appliance_server.port)]


def test_routed_but_dead_server_is_a_502(tmp_path: Path) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    dead_port = listener.getsockname()[1]
    listener.close()
    routes = RouteTable()
    routes.add("acme.internal.com:443", ("127.0.0.1", dead_port))
    with ConnectProxy(routes) as proxy:
        answer = _raw(proxy.url, b"CONNECT acme.internal.com:443 HTTP/1.1\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 502")
        assert proxy.refusals[0].status == 502
        assert all(is_loopback(host) for host, _ in proxy.connections)


def test_many_concurrent_tunnels(network: VirtualNetwork, appliance_server: EchoServer) -> None:
    import concurrent.futures

    def fetch(i: int) -> int:
        with _client(network) as client:
            return client.get(f"https://acme.internal.com/{i}").status_code

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        assert list(pool.map(fetch, range(24))) == [200] * 24
    assert all(is_loopback(host) for host, _ in network.proxy.connections)


def test_stop_and_clear_records(tmp_path: Path) -> None:
    proxy = ConnectProxy(RouteTable())
    port = proxy.start()
    assert proxy.start() == port
    assert proxy.url == f"http://127.0.0.1:{port}"
    _raw(proxy.url, b"CONNECT example.org:443 HTTP/1.1\r\n\r\n")
    assert proxy.refusals
    proxy.clear_records()
    assert proxy.refusals == []
    proxy.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2)


def test_a_non_loopback_target_is_never_dialled_even_if_a_route_table_lies() -> None:
    class LyingRoutes(RouteTable):
        def resolve(self, host: str, port: int) -> tuple[str, int] | None:
            return ("10.1.2.3", 443)

    with ConnectProxy(LyingRoutes()) as proxy:
        answer = _raw(proxy.url, b"CONNECT acme.internal.com:443 HTTP/1.1\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 500")
        assert proxy.connections == []
        assert proxy.refusals[0].reason.startswith("route target is not loopback")


def test_records_keep_the_latest_and_count_them_all(network: VirtualNetwork, appliance_server: EchoServer) -> None:
    """The proxy lives for the whole run: its records must not grow with the number of tunnels."""
    from harness.network.proxy import RECORDS_KEPT

    asked = RECORDS_KEPT + 20
    for _ in range(asked):
        _raw(network.proxy_url, b"CONNECT example.org:443 HTTP/1.1\r\n\r\n")
    with _client(network) as client:
        assert client.get("https://acme.internal.com/last").status_code == 200
    assert len(network.proxy.refusals) == RECORDS_KEPT
    assert network.proxy.totals == {"refusals": asked, "connections": 1, "tunnels": 1}
    assert network.proxy.refusals[-1].host == "example.org"
    network.proxy.clear_records()
    assert network.proxy.totals == {"refusals": 0, "connections": 0, "tunnels": 0}
