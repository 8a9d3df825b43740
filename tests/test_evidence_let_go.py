"""A finished test's evidence leaves its item: a long run does not grow by one entry per scenario.

Rule served: docs/design.md, speed - the test process stays flat over a long run. Items live until
the session ends, so whatever a plugin keeps on them is kept for the whole run.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]
PLUGIN = ("-p", "harness.pytest.evidence", "-p", "no:playwright", "-p", "no:cacheprovider", "-p", "no:randomly")

CONFTEST = """\
from harness.pytest import evidence

KEPT = []


def pytest_sessionfinish(session):
    KEPT.extend(item.nodeid for item in session.items if evidence._ENTRY in item.stash)
    print(f"items still holding evidence: {len(KEPT)} of {len(session.items)}")
"""

TESTS = """\
import pytest
from harness.pytest import evidence


@pytest.mark.parametrize("n", range(3))
def test_records_a_snapshot(request, n):
    evidence.record(request, "snapshot", {"n": n, "big": "x" * 1000})
"""


@pytest.mark.parametrize("option", [[], ["--evidence=out/evidence.json"]], ids=["no-evidence", "evidence"])
def test_no_item_keeps_its_entry_after_the_test(pytester: pytest.Pytester, option: list[str]) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_kept=TESTS)
    result = pytester.runpytest_subprocess(*PLUGIN, "-s", *option)
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*items still holding evidence: 0 of 3*"])
