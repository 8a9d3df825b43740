"""What a finished scenario left on its item and in the fixture manager is let go (harness/pytest/plugin.py).

Rule served: docs/design.md, speed - the test process stays flat over a long run. Items and the
fixture manager live until the session ends; tracemalloc found each scenario's pytest-bdd report
contexts, step reports and ``target_fixture`` values kept there.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]
PLUGINS = ("-p", "harness.pytest.plugin", "-p", "no:playwright", "-p", "no:cacheprovider", "-p", "no:randomly",
           "-p", "no:schemathesis")

FEATURE = """\
Feature: Widgets
  Scenario: A widget is blue
    Given a widget
    Then it is blue
"""

TESTS = """\
import pytest
from pytest_bdd import given, scenarios, then

scenarios("widgets.feature")


@given("a widget", target_fixture="widget")
def _():
    return {"colour": "blue", "payload": "x" * 10_000}


@then("it is blue")
def _(widget):
    assert widget["colour"] == "blue"
"""

CONFTEST = """\
def pytest_sessionfinish(session):
    from pytest_bdd import reporting

    manager = session._fixturemanager
    on_items = sum(1 for by_node in manager._arg2node2fixturedefs.values() for node in by_node
                   if node in session.items)
    on_items += sum(1 for defs in getattr(manager, "_arg2fixturedefs", {}).values() for d in defs
                    if getattr(d, "node", None) in session.items)
    # The registries are module-wide: count only this run's entries (an outer run may share the process).
    ids = {item.nodeid for item in session.items}
    reports = sum(1 for item in list(reporting.scenario_reports_registry) if item in session.items)
    contexts = sum(1 for rep in list(reporting.test_report_context_registry) if rep.nodeid in ids)
    print(f"left: fixtures {on_items}, step reports {reports}, report contexts {contexts}")
"""


def test_a_finished_scenario_leaves_nothing_on_its_item(pytester: pytest.Pytester) -> None:
    pytester.makefile(".feature", widgets=FEATURE)
    pytester.makepyfile(test_widgets=TESTS)
    pytester.makeconftest(CONFTEST)
    result = pytester.runpytest_subprocess(*PLUGINS, "-s")
    result.assert_outcomes(passed=2)  # once per layer
    result.stdout.fnmatch_lines(["*left: fixtures 0, step reports 0, report contexts 0*"])


SESSION_TESTS = """\
import pytest


@pytest.fixture(scope="session")
def shared():
    return {}


@pytest.fixture
def dependent(shared):
    return {"payload": "x" * 10_000}


@pytest.mark.parametrize("n", range(COUNT))
def test_uses_dependent(dependent, n):
    assert dependent


def test_zz_counts(shared, request):
    finalizers = request._fixture_defs["shared"]._finalizers
    print(f"finalizers on the session fixture: {len(finalizers)} left")
"""


@pytest.mark.parametrize("count", [2, 12])
def test_a_session_fixture_keeps_no_finalizer_of_finished_tests(pytester: pytest.Pytester, count: int) -> None:
    """pytest adds a dependent function fixture's ``finish`` to the session fixture per test, each holding
    that test's request and its map of fixtures, until the session ends: the count must not grow."""
    pytester.makepyfile(test_session=SESSION_TESTS.replace("COUNT", str(count)))
    result = pytester.runpytest_subprocess(*PLUGINS, "-s")
    result.assert_outcomes(passed=count + 1)
    result.stdout.fnmatch_lines(["*finalizers on the session fixture: 1 left*"])
