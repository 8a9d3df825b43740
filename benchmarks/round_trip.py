"""The CPU one HTTP round trip costs through the sealed network when the app does nothing: the floor
under every scenario's round trips.

Rule served: docs/design.md, speed - a missed target says what bounds it, measured. An API scenario is
a number of round trips (the test side's and the appliance's own); each passes the client (httpx),
the virtual network's CONNECT proxy and TLS, a uvicorn server thread and Starlette, all in the test
process. This times that path with an app that answers a constant, on the same parts the harness
uses (``VirtualNetwork``, ``ServerThread``, a client built like ``RunningReference.client``), so
``round trips x this`` is what a scenario costs before any rule of the appliance or the fake runs.
"""

from __future__ import annotations

import ssl
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from harness.network import VirtualNetwork
from harness.reference.servers import ServerThread

NAME = "bare.round-trip.test"  # routed by this benchmark's own network only


async def _constant(request: Request) -> JSONResponse:
    return JSONResponse({"ok": True})


def bare_round_trip(requests: int = 400, rounds: int = 5) -> dict[str, float]:
    """CPU and wall milliseconds per round trip (medians over ``rounds`` rounds of ``requests``, after a
    warm-up), through proxy + TLS on one kept connection, and straight to the server (TLS, no proxy)."""
    with tempfile.TemporaryDirectory(prefix="bench-trip-") as folder, VirtualNetwork(Path(folder)) as network:
        cert, key = network.issue([NAME], Path(folder) / "certs", "bare")
        server = ServerThread(Starlette(routes=[Route("/", _constant)]), cert, key, name="bare")
        port = server.start()
        network.add_server([NAME], port)
        trust = ssl.create_default_context(cafile=str(network.ca_path))
        try:
            with httpx.Client(proxy=network.proxy_url, verify=trust) as proxied, \
                    httpx.Client(verify=trust) as direct:
                through = _time(lambda: proxied.get(f"https://{NAME}/"), requests, rounds)
                straight = _time(lambda: direct.get(f"https://127.0.0.1:{port}/",
                                                    extensions={"sni_hostname": NAME}), requests, rounds)
        finally:
            server.request_stop()
            server.join()
    return {"cpu_ms": through[0], "wall_ms": through[1], "direct_cpu_ms": straight[0]}


def _time(send: Callable[[], httpx.Response], requests: int, rounds: int) -> tuple[float, float]:
    for _ in range(50):  # warm-up: the TLS handshake, the first tunnel, caches
        send().raise_for_status()
    cpu, wall = [], []
    for _ in range(rounds):
        began_cpu, began = time.process_time(), time.perf_counter()
        for _ in range(requests):
            send()
        cpu.append((time.process_time() - began_cpu) * 1000 / requests)
        wall.append((time.perf_counter() - began) * 1000 / requests)
    return statistics.median(cpu), statistics.median(wall)


if __name__ == "__main__":
    print(bare_round_trip())
