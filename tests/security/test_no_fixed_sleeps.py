"""No fixed sleeps where scenarios and their drivers wait: they wait for a condition, never for time.

Rule served: a suite that never flakes - a sleep is either too short on a slow machine or wasted on a
fast one. Steps, drivers, page objects, features and these tests must wait on what they expect.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WATCHED = ["steps", "features", "harness/drivers", "tests/security"]
SLEEP = re.compile(r"\b(?:time\.sleep|asyncio\.sleep|anyio\.sleep|wait_for_timeout)\s*\(")


def test_no_sleep_where_scenarios_wait() -> None:
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for folder in WATCHED for path in sorted((ROOT / folder).rglob("*.py"))
             for number, line in enumerate(path.read_text().splitlines(), 1)
             if SLEEP.search(line) and path.name != Path(__file__).name]
    assert found == []


def test_the_pattern_sees_each_kind_of_sleep() -> None:
    for line in ["time.sleep(1)", "await asyncio.sleep(0.5)", "page.wait_for_timeout(200)", "anyio.sleep (1)"]:
        assert SLEEP.search(line), line
    assert not SLEEP.search("page.wait_for_url(url)")
