"""``-n 2`` against its CPU bound, and a profile of both workers over time (what they wait on).

Rule served: docs/design.md, speed - two workers use both cores: the ``-n 2`` run's wall time is
within 1.15x of the CPU bound, the serial run's total CPU (every process: pytest, its servers'
threads, Chromium) divided by two. Because the machine may be shared, each run also reports the
CPU the rest of the machine used meanwhile and the time the CPUs sat in I/O wait (fsync), and each
worker's time is split into start-up, tests (with their CPU) and idle gaps between tests (xdist's
scheduling) and the tail where one worker had finished and the other had not.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

import psutil

from benchmarks.figures import Figure
from benchmarks.suite import CPU_SECONDS, ROOT, run_pytest, scenario_figures

CPU_BOUND_RATIO = 1.15
PAIRS = 2


@dataclass(frozen=True)
class Machine:
    """The whole machine's CPU over one run: busy core-seconds, I/O-wait core-seconds, and the time the
    hypervisor gave this machine's CPUs to someone else (steal: not ours, not busy)."""

    busy: float
    iowait: float
    steal: float = 0.0

    @classmethod
    def now(cls) -> Machine:
        times = psutil.cpu_times()
        steal = getattr(times, "steal", 0.0)
        idle = times.idle + getattr(times, "iowait", 0.0)
        return cls(sum(times) - idle - steal - getattr(times, "guest", 0.0) - getattr(times, "guest_nice", 0.0),
                   getattr(times, "iowait", 0.0), steal)

    def since(self, before: Machine) -> Machine:
        return Machine(self.busy - before.busy, self.iowait - before.iowait, self.steal - before.steal)


BASELINE_SECONDS = 3.0


def measured_run(args: list[str], label: str) -> dict[str, Any]:
    """One pytest run with the per-worker profile; wall, its CPU (all processes) and the rest of the machine's.

    The run's CPU is the whole machine's busy time during it, less what the machine was doing just before
    (sampled for a few seconds): the rusage of pytest's children misses most of Chromium's CPU, because its
    zygote's renderers are reaped outside pytest's process tree once the browser closes (seen: 133 core-s of
    a serial run's 273 were nobody's by rusage on an otherwise idle machine)."""
    idle_start = Machine.now()
    time.sleep(BASELINE_SECONDS)
    baseline = Machine.now().since(idle_start).busy / BASELINE_SECONDS  # cores busy before the run
    before, launched = Machine.now(), time.time()
    wall, records, _ = run_pytest([*args, "--bench-profile"], label)
    machine = Machine.now().since(before)
    others = min(machine.busy, baseline * wall)
    return {"wall": wall, "cpu": machine.busy - others, "tree_cpu": CPU_SECONDS[label], "others": others,
            "iowait": machine.iowait, "steal": machine.steal, "records": records, "launched": launched,
            "exited": launched + wall}


def _pooled(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several runs of the same command as one: times and CPU per run (means); the first run's records
    and launch time (the scenario figures and the worker profile are one run's)."""
    mean = {key: sum(r[key] for r in runs) / len(runs)
            for key in ("wall", "cpu", "tree_cpu", "others", "iowait", "steal")}
    return {**runs[0], **mean, "exited": runs[0]["exited"]}


def workers(records: list[dict[str, Any]], launched: float) -> dict[str, dict[str, float]]:
    """Per worker: start-up (pytest launched to its first test: interpreter, imports, xdist, collection,
    the reference), time in tests, CPU in tests, idle gaps between tests, and when its last test ended
    (seconds since pytest was launched)."""
    starts = {r["worker"]: r["at"] for r in records if r.get("event") == "session"}
    out: dict[str, dict[str, float]] = {}
    for worker, began in sorted(starts.items()):
        tests = sorted((r for r in records if r.get("worker") == worker and "total_ms" in r),
                       key=lambda r: r["started_at"])
        if not tests:
            continue
        in_tests = sum(r["total_ms"] for r in tests) / 1000
        span = tests[-1]["ended_at"] - tests[0]["started_at"]
        out[worker] = {"startup": tests[0]["started_at"] - launched, "session": began - launched,
                       "tests": in_tests, "cpu": sum(r["tree_cpu_s"] - r["tree_cpu_start_s"] for r in tests),
                       "gaps": max(0.0, span - in_tests), "end": tests[-1]["ended_at"] - launched,
                       "count": float(len(tests))}
    return out


def worker_figures(profile: dict[str, dict[str, float]]) -> list[Figure]:
    figures = []
    last = max((w["end"] for w in profile.values()), default=0.0)
    for name, w in profile.items():
        load = w["cpu"] / w["tests"] if w["tests"] else None
        figures += [Figure(f"  {name}: launch to its first test", w["startup"], "s",
                           note=f"{w['session']:.1f} s to its session start"),
                    Figure(f"  {name}: in tests ({w['count']:.0f})", w["tests"], "s",
                           note=f"CPU {w['cpu']:.1f} s of its process tree, {load or 0:.2f} cores while in tests "
                                "(a lower bound: some ended renderers are nobody's by rusage)"),
                    Figure(f"  {name}: idle between tests", w["gaps"], "s"),
                    Figure(f"  {name}: idle at the end, waiting for the other", last - w["end"], "s")]
    return figures


# A slice of the suite with both layers (a browser and the servers), run as independent pytest processes.
CONTENTION_SLICE = ["features/create_external_client_app/callback_url.feature", "-q", "-p", "no:randomly"]


def contention(args: list[str]) -> dict[str, float]:
    """The same work alone and twice at once, as two independent pytest processes (no xdist): the machine's
    CPU per run in each case. Their ratio is what sharing two cores costs by itself (context switches
    among the pytest threads, Chromium's processes and the Playwright driver, caches), which no worker
    layout can avoid: with it, two workers need more CPU than the serial run, whatever they wait on."""
    command = [sys.executable, "-m", "pytest", *CONTENTION_SLICE, *args]

    def run(copies: int) -> float:
        before = Machine.now()
        started = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                   for _ in range(copies)]
        if any(process.wait() != 0 for process in started):
            raise RuntimeError(f"contention slice failed: {' '.join(command)}")
        return Machine.now().since(before).busy / copies

    run(1)  # warm-up: bytecode, the browser's first start
    alone, shared = run(1), run(2)
    return {"alone": alone, "shared": shared, "factor": shared / alone if alone else 0.0}


def parallel(args: list[str]) -> list[Figure]:
    """The acceptance suite serially, then with ``-n 2``; the ratio to the CPU bound, and why."""
    # The same work costs a different amount of CPU from one minute to the next on a shared machine
    # (the serial run's CPU was 76 s in one bench run and 93 s in another, same tree): the ratio is
    # taken over PAIRS interleaved serial/-n 2 pairs, pooled, and each pair's is printed beside it.
    pairs = [(measured_run(["features", *args], f"features, serial ({n + 1})"),
              measured_run(["features", "-n", "2", *args], f"features, -n 2 ({n + 1})")) for n in range(PAIRS)]
    serial, two = _pooled([p[0] for p in pairs]), _pooled([p[1] for p in pairs])
    each = ", ".join(f"{t['wall'] / (s['cpu'] / 2):.2f}x ({t['wall']:.0f} s against {s['cpu'] / 2:.0f} s)"
                     for s, t in pairs if s["cpu"])
    bound = serial["cpu"] / 2
    shared = contention(args)
    fair = bound * shared["factor"]
    cores = os.cpu_count() or 1
    first = pairs[0][1]  # the worker profile is the first -n 2 run's
    profile = workers(first["records"], first["launched"])
    last = max((w["end"] for w in profile.values()), default=0.0)
    after = first["wall"] - last
    why = (f"the run kept {two['cpu'] / two['wall']:.2f} of {cores} cores busy; its own CPU is "
           f"{two['cpu'] / 2 / bound if bound else 0:.2f}x the bound's; the rest of the machine used "
           f"{two['others']:.0f} core-s; I/O wait {two['iowait']:.1f} s; the workers used "
           f"{two['cpu'] - serial['cpu']:+.0f} s "
           f"CPU more than serial; start-up {sum(w['startup'] for w in profile.values()):.1f} s, idle between "
           f"tests {sum(w['gaps'] for w in profile.values()):.1f} s, tail "
           f"{sum(last - w['end'] for w in profile.values()):.1f} s (both workers), {after:.1f} s from the "
           "last test to exit")
    return [
        *scenario_figures(serial["records"]),
        Figure(f"acceptance suite, serial (mean of {PAIRS})", serial["wall"], "s",
               note=f"CPU {serial['cpu']:.0f} s, all processes ({serial['cpu'] / serial['wall']:.2f} cores; "
                    f"{serial['tree_cpu']:.0f} s by pytest's rusage); rest of the machine {serial['others']:.0f} s; "
                    f"stolen by the hypervisor {serial['steal']:.0f} s"),
        Figure(f"acceptance suite, -n 2 (mean of {PAIRS})", two["wall"], "s",
               note=f"CPU {two['cpu']:.0f} s, all processes ({two['cpu'] / two['wall']:.2f} of {cores} cores); "
                    f"rest of the machine {two['others']:.0f} s; stolen by the hypervisor {two['steal']:.0f} s"),
        Figure("CPU bound of -n 2 (serial CPU / 2)", bound, "s"),
        Figure("-n 2 / its CPU bound", two["wall"] / bound if bound else None, "x", CPU_BOUND_RATIO,
               f"pooled over {PAIRS} pairs, each: {each}; {why}; the same work costs {shared['factor']:.2f}x "
               "the CPU when two runs share the cores (below)"),
        Figure("the same slice twice at once / alone, CPU per run", shared["factor"], "x",
               note=f"{shared['alone']:.1f} s alone, {shared['shared']:.1f} s each when two run at once, as "
                    "independent pytest processes (no xdist): what sharing the two cores costs by itself"),
        Figure("-n 2 / the CPU bound with that cost counted", two["wall"] / fair if fair else None, "x",
               note=f"bound {fair:.0f} s = serial CPU x {shared['factor']:.2f} / 2"),
        Figure("-n 2: CPU time in I/O wait (fsync), whole machine", two["iowait"], "s"),
        Figure("-n 2 / serial", two["wall"] / serial["wall"], "x"),
        *worker_figures(profile),
        Figure("  after the last test until pytest exited", after, "s"),
    ]
