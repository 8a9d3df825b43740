"""A pytest plugin the benchmarks load (``-p benchmarks.probe``) to see where a scenario's time goes.

Rule served: figures, not guesses (docs/design.md, speed). For every test it writes one JSON line to
``--bench-out``: its total time (set-up, call, teardown), its layer, and how much of it went to
resets, to the Given steps, to HTTP requests in When/Then steps, to TLS handshakes made by the test
side and to new tunnels through the virtual network's proxy (by anyone, the appliance included).
Requests are counted per phase and per sender: ``requests_<phase>`` are the test side's (sent from the
thread that runs the test; a redirect httpx follows counts as the request it is), and
``appliance_requests_<phase>`` the appliance's own server-to-server calls (its Salesforce and Metadata
clients, run on the servers' threads in this same process, so the sender is told by thread, not host).
``--bench-repeat N`` runs each selected scenario N times (a long run for the memory figure) and
``--bench-memory`` samples the resident memory of this process and of the browser after each test.
It changes nothing a scenario does; it only watches.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import httpx
import pytest

_RECORD = pytest.StashKey[dict[str, Any]]()


class _Watch:
    """What the wrapped HTTP client saw during the current test."""

    def __init__(self) -> None:
        self.current: dict[str, Any] | None = None
        self.phase = "setup"
        self.test_thread = threading.main_thread().ident

    def add(self, key: str, value: float) -> None:
        if self.current is not None:
            self.current[key] = self.current.get(key, 0.0) + value


WATCH = _Watch()
_ORIGINAL_SEND = httpx.Client.send


def _send(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
    started_tls: list[float] = []

    def trace(event: str, info: dict[str, Any]) -> None:
        if event.endswith("start_tls.started"):
            started_tls.append(time.perf_counter())
        elif event.endswith("start_tls.complete") and started_tls:
            WATCH.add("tls_ms", (time.perf_counter() - started_tls.pop()) * 1000)
            WATCH.add("tls_handshakes", 1)

    request.extensions = {**request.extensions, "trace": trace}
    began = time.perf_counter()
    response: httpx.Response | None = None
    try:
        response = _ORIGINAL_SEND(self, request, **kwargs)
        return response
    finally:
        _count(request, response, (time.perf_counter() - began) * 1000)


def _count(request: httpx.Request, response: httpx.Response | None, took: float) -> None:
    phase = "reset" if request.url.path.endswith("/__harness/reset") else WATCH.phase
    sent = 1 + (len(response.history) if response is not None else 0)  # redirects httpx followed
    if threading.get_ident() != WATCH.test_thread:
        # The appliance's own calls, on a server thread, made while a test-side request waits for its
        # answer: counted apart, and their time is already inside that request's.
        WATCH.add("appliance_requests", sent)
        WATCH.add(f"appliance_requests_{phase}", sent)
        return
    if phase == "reset":
        WATCH.add("reset_ms", took)
    elif phase == "steps":
        WATCH.add("requests_ms", took)
    elif phase == "teardown":
        WATCH.add("teardown_requests_ms", took)
    WATCH.add("requests", sent)
    WATCH.add(f"requests_{phase}", sent)  # round trips per phase: deterministic, unlike times


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("benchmarks")
    group.addoption("--bench-out", default=None, metavar="PATH", help="write one JSON line per test here")
    group.addoption("--bench-repeat", type=int, default=1, metavar="N", help="run each selected scenario N times")
    group.addoption("--bench-ui-every", type=int, default=1, metavar="K",
                    help="with --bench-repeat: browser scenarios only in every K-th round")
    group.addoption("--bench-memory", action="store_true", help="sample RSS of this process and the browser")
    group.addoption("--bench-profile", action="store_true",
                    help="after each test, the CPU used so far by this process and its live children (the browser)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--bench-out"):
        httpx.Client.send = _send  # type: ignore[method-assign]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each scenario once per round: new items (not one item run again), ids ``[...-r0]``, ``[...-r1]``."""
    rounds = metafunc.config.getoption("--bench-repeat")
    if rounds > 1 and "layer" in metafunc.fixturenames:
        metafunc.fixturenames.append("bench_round")
        metafunc.parametrize("bench_round", range(rounds), ids=[f"r{n}" for n in range(rounds)])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``--bench-ui-every K``: browser scenarios only in every K-th round (a mix for long runs)."""
    every = config.getoption("--bench-ui-every")
    if every <= 1:
        return
    dropped = [item for item in items if _params(item).get("layer") == "ui"
               and _params(item).get("bench_round", 0) % every]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


def _params(item: pytest.Item) -> dict[str, Any]:
    return dict(item.callspec.params) if hasattr(item, "callspec") else {}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
    layer = _params(item).get("layer")
    WATCH.current = record = {"nodeid": item.nodeid, "layer": layer, "given_ms": 0.0, "steps_ms": 0.0,
                              "tunnels": _tunnels(item), "started_at": time.time()}
    WATCH.phase = "setup"
    WATCH.test_thread = threading.get_ident()
    if item.config.getoption("--bench-profile"):
        record["tree_cpu_start_s"] = _tree_cpu()
    began, cpu, own = time.perf_counter(), time.process_time(), time.thread_time()
    result = yield
    record["total_ms"] = (time.perf_counter() - began) * 1000
    # CPU of this process, server threads included: the figure a loaded machine distorts least.
    record["cpu_ms"] = (time.process_time() - cpu) * 1000
    # Of it, the test's own thread (steps, drivers, fixtures, pytest); the rest is the servers' threads.
    record["test_thread_cpu_ms"] = (time.thread_time() - own) * 1000
    record["tunnels"] = _tunnels(item) - record["tunnels"]
    record["ended_at"] = time.time()
    record["worker"] = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if item.config.getoption("--bench-profile"):
        record["tree_cpu_s"] = _tree_cpu()
    if item.config.getoption("--bench-memory"):
        record.update(_memory())
    _write(item.config, record)
    WATCH.current = None
    return result


def pytest_bdd_before_step(request: pytest.FixtureRequest, step: Any) -> None:
    request.node.stash[_RECORD] = {"started": time.perf_counter(), "type": step.type}
    WATCH.phase = "steps" if step.type != "given" else "given"


def pytest_bdd_after_step(request: pytest.FixtureRequest, step: Any) -> None:
    mark = request.node.stash.get(_RECORD, None)
    if mark is None:
        return
    took = (time.perf_counter() - mark["started"]) * 1000
    WATCH.add("given_ms" if mark["type"] == "given" else "steps_ms", took)
    WATCH.phase = "teardown"


_PROXY: list[Any] = []


@pytest.fixture(autouse=True)
def _bench_proxy(request: pytest.FixtureRequest) -> None:
    """Finds the embedded reference's proxy once, to count the tunnels each test opens."""
    if _PROXY or "layer" not in request.fixturenames:
        return
    network = getattr(request.getfixturevalue("reference"), "network", None)
    _PROXY.append(getattr(network, "proxy", None))


def _tunnels(item: pytest.Item) -> int:
    proxy = _PROXY[0] if _PROXY else None
    if proxy is None:
        return 0
    totals = getattr(proxy, "totals", None)  # the proxy keeps only its latest records; totals count them all
    return int(totals["tunnels"]) if totals is not None else len(proxy.tunnels)


def _memory() -> dict[str, float]:
    import psutil

    me = psutil.Process()
    rss, browser = 0, 0
    for process in me.children(recursive=True):
        with contextlib.suppress(psutil.Error):  # a renderer may end between listing and reading it
            if "chrom" in process.name().lower():
                rss += process.memory_info().rss
                browser += 1
    # Blocks Python's own allocator holds (objects, small buffers): flat while RSS grows means the growth
    # is outside Python (C libraries, the C allocator's heap).
    return {"test_rss_mb": me.memory_info().rss / 2**20, "browser_rss_mb": rss / 2**20,
            "browser_processes": browser, "python_blocks": sys.getallocatedblocks()}


def pytest_sessionstart(session: pytest.Session) -> None:
    """With --bench-profile, when this process (a worker under xdist) began: its start-up is the gap
    from here to its first test."""
    if session.config.getoption("--bench-profile"):
        _write(session.config, {"event": "session", "worker": os.environ.get("PYTEST_XDIST_WORKER", "main"),
                                "at": time.time(), "tree_cpu_s": _tree_cpu()})


def _tree_cpu() -> float:
    """User + system seconds of this process and of every descendant, live or ended (Chromium's processes).

    A renderer lives as long as its browser context: Chromium's zygote starts one per scenario and
    reaps it when the context closes, so most of the browser's CPU is in ended processes. An ended
    process's CPU is in its parent's ``children_user``/``children_system`` once the parent has reaped
    it; summing those of every live process (this one included) counts each ended process once."""
    import psutil

    def spent(process: psutil.Process) -> float:
        times = process.cpu_times()
        return times.user + times.system + times.children_user + times.children_system

    total = spent(psutil.Process())
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            total += spent(child)
    return total


def _write(config: pytest.Config, record: dict[str, Any]) -> None:
    target = config.getoption("--bench-out")
    if target:
        with Path(target).open("a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
