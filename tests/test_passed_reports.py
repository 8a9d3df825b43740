"""pytest's terminal reporter keeps a passed test's reports as a count (harness/pytest/passed_reports.py).

Rule served: docs/design.md, speed - the test process stays flat over a long run. The terminal
reporter keeps every report until the session ends; the reports of passed tests must not grow with
their number, while the summary line and ``-rP``'s output of passed tests stay as pytest writes them.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]
PLUGINS = ("-p", "harness.pytest.plugin", "-p", "no:playwright", "-p", "no:cacheprovider", "-p", "no:randomly",
           "-p", "no:schemathesis")

TESTS = """\
import pytest


@pytest.mark.parametrize("n", range(COUNT))
def test_passes(n):
    assert n >= 0


def test_prints():
    print("output of a passed test")


def test_fails():
    assert False, "a failure keeps its report"


@pytest.mark.skip(reason="a skip keeps its report")
def test_skipped():
    pass
"""

CONFTEST = """\
def pytest_terminal_summary(terminalreporter):
    stats = terminalreporter.stats
    kept = [report for category in ("passed", "") for report in stats.get(category, [])
            if report.nodeid.startswith("test_many.py::test_passes")]
    failed = [report.nodeid for report in stats.get("failed", [])]
    print(f"reports of passed tests kept: {len(kept)} left; failed kept: {' '.join(failed)}")
"""


@pytest.mark.parametrize("count", [2, 12])
def test_passed_reports_do_not_grow_with_their_number(pytester: pytest.Pytester, count: int) -> None:
    pytester.makepyfile(test_many=TESTS.replace("COUNT", str(count)))
    pytester.makeconftest(CONFTEST)
    result = pytester.runpytest_subprocess(*PLUGINS)
    result.assert_outcomes(passed=count + 1, failed=1, skipped=1)
    result.stdout.fnmatch_lines(["*reports of passed tests kept: 0 left; failed kept: test_many.py::test_fails*",
                                 f"*1 failed, {count + 1} passed, 1 skipped*"])
    result.stdout.fnmatch_lines(["*AssertionError: a failure keeps its report*"])
    assert "output of a passed test" not in result.stdout.str()


def test_passes_asked_for_keep_their_reports(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_many=TESTS.replace("COUNT", "3"))
    pytester.makeconftest(CONFTEST)
    result = pytester.runpytest_subprocess(*PLUGINS, "-rP")
    result.assert_outcomes(passed=4, failed=1, skipped=1)
    result.stdout.fnmatch_lines(["*= PASSES =*", "*output of a passed test*", "*reports of passed tests kept: 9 left*"])
