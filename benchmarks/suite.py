"""Benchmarks that run the acceptance suite through pytest, watched by ``benchmarks.probe``.

Rule served: per-scenario time in each layer and where an API scenario's time goes (the suite
serially and with ``-n 2``: benchmarks/parallel.py); the browser layer against a bare Playwright script (the
harness's overhead) and the cost of evidence on its own; memory over a long run (flat, not growing).
Every run is a fresh pytest process, as a developer or CI would start it.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.figures import Figure, median, p90
from benchmarks.round_trip import bare_round_trip

ROOT = Path(__file__).resolve().parent.parent
# The guide's IP-then-DNS example, in the browser layer.
EXAMPLE = ["features/create_external_client_app/example_dns_name.feature", "-k", "both_urls", "--layer", "ui"]
# A long run: the three rows of the callback outline (the wizard brought to the app step, the console
# opened at an address, the URL read) in the API layer every round, in the browser layer every third
# round: three API to one browser scenario. The purpose scenarios (a whole wizard, a log-in and a backup)
# ran at about 3.5 s each on a busy machine, hours for 5,000; these take a tenth of that.
MEMORY_MIX = ["features/create_external_client_app/callback_url.feature", "-k", "offers", "--bench-ui-every=3"]
# Targets (docs/design.md, speed)
API_MEDIAN_MS = 20.0
BROWSER_OVERHEAD = 1.10
# Flat: under 1 MB per 1,000 scenarios, i.e. under 5 MB over the 5,000-scenario run.
MEMORY_GROWTH_PER_100 = 0.1


def run_pytest(args: list[str], label: str) -> tuple[float, list[dict[str, Any]], int]:
    """Runs pytest with the probe; returns (wall seconds, one record per test, exit code)."""
    out = Path(tempfile.mkdtemp(prefix="bench-")) / "probe.jsonl"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "benchmarks.probe",
               f"--bench-out={out}", *args]
    began, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env={**os.environ}, check=False)
    wall = time.perf_counter() - began
    CPU_SECONDS[label] = _children_cpu() - cpu
    if done.returncode not in (0, 1):
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-15:])
        raise RuntimeError(f"{label}: pytest exited {done.returncode}\n{tail}")
    records = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    summary = (done.stdout.strip().splitlines() or [""])[-1]
    print(f"  ran {label}: {summary} ({wall:.1f} s)", flush=True)
    return wall, records, done.returncode


CPU_SECONDS: dict[str, float] = {}


def _children_cpu() -> float:
    """User + system CPU of every finished child process (pytest, its workers, Chromium)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _layer(records: list[dict[str, Any]], layer: str) -> list[dict[str, Any]]:
    return [r for r in records if r.get("layer") == layer]


def scenario_figures(records: list[dict[str, Any]]) -> list[Figure]:
    api, ui = _layer(records, "api"), _layer(records, "ui")
    cpu = median([r.get("cpu_ms", 0.0) for r in api]) or 0.0
    own = median([r.get("test_thread_cpu_ms", 0.0) for r in api]) or 0.0
    trips = median([float(r.get("requests", 0)) + float(r.get("appliance_requests", 0)) for r in api]) or 0.0
    bare = bare_round_trip()
    floor = trips * bare["cpu_ms"]
    bound = (f"bounded by CPU: {cpu:.0f} ms of it is this process's CPU (one interpreter): {own:.0f} ms the test's "
             f"thread, {cpu - own:.0f} ms the servers' threads; {trips:.0f} round trips (test side and the "
             f"appliance's own) at {bare['cpu_ms']:.2f} ms each when the app does nothing are {floor:.0f} ms of "
             "it, the rest is the harness's and the apps' own work")
    api_figures = [Figure("API scenario, median", median([r["total_ms"] for r in api]), "ms", API_MEDIAN_MS, bound),
                   Figure("API scenario, 90th percentile", p90([r["total_ms"] for r in api]), "ms"),
                   Figure("API scenario, median CPU (test + servers)", cpu, "ms"),
                   Figure("  CPU in the test's thread (steps, drivers, pytest)", own, "ms"),
                   Figure("  CPU in the servers' threads (apps, proxy)", cpu - own, "ms"),
                   Figure("  a bare round trip (proxy, TLS, uvicorn), CPU", bare["cpu_ms"], "ms",
                          note=f"{bare['direct_cpu_ms']:.2f} ms without the proxy; the app answers a constant "
                               "(benchmarks/round_trip.py)"),
                   Figure("  transport floor: bare trip x round trips", floor, "ms")]
    # The breakdown is the API scenario's: it is printed under it, before the browser's figures.
    return [*api_figures, *breakdown(api),
            Figure("browser scenario, median", median([r["total_ms"] for r in ui]) if ui else None, "ms"),
            Figure("browser scenario, 90th percentile", p90([r["total_ms"] for r in ui]) if ui else None, "ms")]


def breakdown(api: list[dict[str, Any]]) -> list[Figure]:
    """Where an API scenario's time goes (medians over the API scenarios)."""
    def part(key: str) -> float | None:
        return median([float(r.get(key, 0.0)) for r in api])

    given = median([max(0.0, r["given_ms"] - r.get("reset_ms", 0.0)) for r in api])
    other = median([r["total_ms"] - r["given_ms"] - r["steps_ms"] for r in api])
    return [
        Figure("  of which resets (control API)", part("reset_ms"), "ms"),
        Figure("  of which Given set-up (without resets)", given, "ms"),
        Figure("  of which When/Then HTTP requests", part("requests_ms"), "ms"),
        Figure("  of which When/Then, the rest (driver, checks)",
               median([r["steps_ms"] - r.get("requests_ms", 0.0) for r in api]), "ms"),
        Figure("  of which fixtures, teardown and pytest", other, "ms"),
        Figure("  test-side TLS handshakes through the proxy", part("tls_handshakes"), "per scenario",
               note=f"{part('tls_ms') or 0:.1f} ms"),
        Figure("  new proxy tunnels, appliance's included", part("tunnels"), "per scenario"),
        Figure("  HTTP requests sent by the test side", part("requests"), "per scenario",
               note=f"before: {BEFORE['requests']:.0f} (split on 7118741: {SPLIT_BEFORE['requests']:.0f})"),
        Figure("  HTTP requests the appliance sends on its own", part("appliance_requests"), "per scenario",
               note=f"before: {SPLIT_BEFORE['appliance_requests']:.0f}"),
        *round_trips(api),
    ]


# Round trips per API scenario (medians) with the probe on commit 5226902, before the world routes:
# counts, unlike times, do not depend on the machine, so they stand as the "before" column. That probe
# counted the appliance's own calls with the test side's and a followed redirect as nothing.
BEFORE = {"requests": 34, "requests_reset": 2, "requests_given": 8, "requests_steps": 9, "requests_teardown": 8}
# The same medians on commit 7118741 with the probe that tells the senders apart (by thread: the
# appliance's calls run on its server threads) and counts each redirect followed; the When/Then steps
# then asked GET /wizard before each wizard intent and fetched the page after the callback.
SPLIT_BEFORE = {"requests": 20, "requests_reset": 0, "requests_given": 2, "requests_steps": 10,
                "requests_teardown": 3, "appliance_requests": 5, "appliance_requests_given": 0,
                "appliance_requests_steps": 2}
# Targets: set-up one call per system it touches (Salesforce, the appliance); the snapshot one per
# system (Salesforce, both appliances); When/Then act through the public API, so no target there.
# The Given set-up was 3 after the world routes (commit caa7d6d: the app step sent a second Salesforce
# call for the org id the first answered); the Salesforce Given steps now gather their world on the test
# side with ids chosen from the scenario's seed and send it once (harness/drivers/control_clients.py): 2.
# Scenarios whose Given connects an org through the appliance (an OAuth dance) count more, outside the median.
PHASES = (("requests_reset", "resets (control API)", None), ("requests_given", "Given set-up", 2.0),
          ("requests_steps", "When/Then (public API)", None), ("requests_teardown", "snapshot at the end", 3.0))
# The appliance's own server-to-server calls (token, Metadata SOAP, identity, backups) in each phase.
APPLIANCE_PHASES = (("appliance_requests_given", "Given set-up"), ("appliance_requests_steps", "When/Then"))


def round_trips(api: list[dict[str, Any]]) -> list[Figure]:
    """Round trips per phase, median over the API scenarios: the test side's, beside the count before the
    world routes and before the split, then the appliance's own."""
    def middle(key: str) -> float | None:
        return median([float(r.get(key, 0)) for r in api])

    return [*(Figure(f"  round trips: {label}", middle(key), "per scenario", limit,
                     note=f"before: {BEFORE[key]}; split on 7118741: {SPLIT_BEFORE[key]}")
              for key, label, limit in PHASES),
            *(Figure(f"  appliance's own round trips: {label}", middle(key), "per scenario",
                     note=f"before: {SPLIT_BEFORE[key]}") for key, label in APPLIANCE_PHASES)]


def browser_overhead(repeat: int) -> list[Figure]:
    """The guide's IP-then-DNS example through the harness vs the bare script, same servers and clicks."""
    _, plain, _ = run_pytest([*EXAMPLE, f"--bench-repeat={repeat + 1}"], "example [ui], no evidence")
    folder = Path(tempfile.mkdtemp(prefix="bench-evidence-"))
    _, shots, _ = run_pytest([*EXAMPLE, f"--bench-repeat={repeat + 1}", f"--evidence={folder / 'evidence.json'}",
                              "--step-screenshots=all"], "example [ui], evidence with per-step screenshots")
    bare = subprocess.run([sys.executable, "-m", "benchmarks.bare_example", f"--repeat={repeat + 1}"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    bare_s = json.loads(bare.stdout.strip().splitlines()[-1])["seconds"][1:]  # first: warm-up
    harness_ms = median([r["total_ms"] for r in plain[1:]])
    evidence_ms = median([r["total_ms"] for r in shots[1:]])
    bare_ms = median([s * 1000 for s in bare_s])
    ratio = harness_ms / bare_ms if harness_ms and bare_ms else None
    cost = evidence_ms - harness_ms if evidence_ms and harness_ms else None
    return [Figure("IP-then-DNS example [ui] through the harness, median", harness_ms, "ms"),
            Figure("the same clicks, bare Playwright script, median", bare_ms, "ms"),
            Figure("harness / bare script (per-step screenshots off)", ratio, "x", BROWSER_OVERHEAD),
            Figure("evidence with per-step screenshots, extra", cost, "ms")]


def memory(scenarios: int) -> list[Figure]:
    """A long run mixing API and browser scenarios; resident memory sampled after each. Growth is the
    least-squares slope from the first tenth on (start-up and warm-up left out), so one sample's
    noise (a garbage collection, a renderer that just started) does not decide it."""
    rounds = max(1, scenarios // 4)
    _, records, _ = run_pytest([*MEMORY_MIX, "--bench-memory", f"--bench-repeat={rounds}"],
                               f"memory, {rounds * 4} scenarios")
    # The last scenario's record is taken after the session's teardown closed the browser.
    records = [r for r in records if "test_rss_mb" in r][:-1]
    if len(records) < 20:
        return [Figure("memory run", None, "", note=f"only {len(records)} scenarios ran")]
    start = len(records) // 10
    blocks = _slope(records, start, "python_blocks") * 100
    notes = {"test_rss_mb": f"Python's allocator: {blocks:+,.0f} blocks per 100 scenarios over the same span; "
                            "RSS growing while it stays flat is memory outside Python (C libraries, the C heap)",
             "browser_rss_mb": ""}
    floor = idle_floor(rounds * 4)
    notes["test_rss_mb"] += (f"; a test that does nothing, {floor['tests']:.0f} times in this project: "
                             f"{floor['rss']:+.2f} MB and {floor['blocks']:+,.0f} blocks per 100 tests (below)")
    figures = []
    for key, label in (("test_rss_mb", "test process"), ("browser_rss_mb", "browser")):
        ys = [records[i][key] for i in range(start, len(records))]
        figures += [Figure(f"{label} RSS at scenario {start} / {len(records)}", ys[-1], "MB",
                           note=f"from {ys[0]:.0f} MB"),
                    Figure(f"{label} RSS growth per 100 scenarios", _slope(records, start, key) * 100, "MB",
                           MEMORY_GROWTH_PER_100, notes[key])]
    return [*figures, Figure("  floor: a test that does nothing, RSS growth per 100 tests", floor["rss"], "MB",
                             note="pytest and the plugins alone (benchmarks/idle_example.py)")]


def idle_floor(tests: int) -> dict[str, float]:
    """The same measure over ``tests`` runs of a test that does nothing, in this project's pytest."""
    os.environ["BENCH_IDLE_TESTS"] = str(tests)
    try:
        _, records, _ = run_pytest(["benchmarks/idle_example.py", "--bench-memory"], f"idle floor, {tests} tests")
    finally:
        del os.environ["BENCH_IDLE_TESTS"]
    records = [r for r in records if "test_rss_mb" in r]
    if len(records) < 20:
        raise RuntimeError(f"idle floor: only {len(records)} tests ran")
    start = len(records) // 10
    return {"tests": float(len(records)), "rss": _slope(records, start, "test_rss_mb") * 100,
            "blocks": _slope(records, start, "python_blocks") * 100}


def _slope(records: list[dict[str, Any]], start: int, key: str) -> float:
    xs = list(range(start, len(records)))
    ys = [float(records[i].get(key, 0.0)) for i in xs]
    return statistics.linear_regression(xs, ys).slope if len(set(ys)) > 1 else 0.0
