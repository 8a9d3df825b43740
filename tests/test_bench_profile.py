"""The benchmark's per-worker profile and closing note read their records right (no timing asserted).

Rule served: docs/design.md, speed - ``make bench`` prints ``-n 2`` against its CPU bound with what
each worker spent its time on, and closes with every target, met or missed, and what bounds a miss.
"""

from __future__ import annotations

import pytest

from benchmarks.figures import Figure, closing_note
from benchmarks.parallel import workers


def _test(worker: str, start: float, end: float, cpu: tuple[float, float]) -> dict[str, object]:
    return {"worker": worker, "started_at": start, "ended_at": end, "total_ms": (end - start) * 1000,
            "tree_cpu_start_s": cpu[0], "tree_cpu_s": cpu[1], "layer": "api"}


def test_a_workers_time_splits_into_launch_tests_gaps_and_tail() -> None:
    records = [{"event": "session", "worker": "gw0", "at": 101.0}, {"event": "session", "worker": "gw1", "at": 102.0},
               _test("gw0", 103.0, 104.0, (1.0, 1.5)), _test("gw0", 106.0, 107.0, (2.0, 2.5)),
               _test("gw1", 104.0, 110.0, (1.0, 4.0))]
    profile = workers(records, launched=100.0)
    assert profile["gw0"] == pytest.approx({"startup": 3.0, "session": 1.0, "tests": 2.0, "cpu": 1.0, "gaps": 2.0,
                                            "end": 7.0, "count": 2.0})
    assert profile["gw1"]["end"] == 10.0 and profile["gw1"]["cpu"] == 3.0 and profile["gw1"]["gaps"] == 0.0


def test_the_closing_note_names_each_missed_target_with_its_bound(capsys: pytest.CaptureFixture[str]) -> None:
    closing_note([Figure("API scenario, median", 40.0, "ms", 20.0, "bounded by CPU: 35 ms"),
                  Figure("memory growth", 0.0, "MB", 0.1), Figure("no target", 3.0, "s")])
    out = capsys.readouterr().out
    assert "1 of 2 targets met" in out and "missed: API scenario, median: bounded by CPU: 35 ms" in out
    assert "no target" not in out


def test_the_cpu_of_a_process_tree_counts_descendants_that_ended() -> None:
    """A renderer lives as long as its browser context and is reaped by Chromium's zygote, not by
    pytest: the tree's CPU must still count it. Here a child starts a grandchild that burns CPU and
    reaps it; the child is still alive when the tree is read."""
    import subprocess
    import sys

    from benchmarks.probe import _tree_cpu

    burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    parent = (f"import subprocess, sys, time\nsubprocess.run([sys.executable, '-c', {burn!r}], check=True)\n"
              "print('reaped', flush=True)\ntime.sleep(30)")
    before = _tree_cpu()
    child = subprocess.Popen([sys.executable, "-c", parent], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "reaped"
        assert _tree_cpu() - before >= 0.3
    finally:
        child.kill()
        child.wait()


def test_the_memory_floor_runs_the_idle_test_and_refuses_a_run_too_short_to_measure() -> None:
    from benchmarks.suite import idle_floor

    floor = idle_floor(40)
    assert floor["tests"] == 40 and isinstance(floor["rss"], float) and isinstance(floor["blocks"], float)
    with pytest.raises(RuntimeError, match="only 5 tests ran"):
        idle_floor(5)
