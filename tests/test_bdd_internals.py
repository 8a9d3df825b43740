"""pytest-bdd's private names the harness relies on (harness/pytest/bdd_internals.py) are still there.

A new pytest-bdd that renames or reshapes them fails here with the name that is missing, instead of
as a puzzling error far away (a scenario run in no layer, an empty step catalogue).
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from pytest_bdd import given, scenario

from harness.pytest import bdd_internals

pytest_plugins = ["pytester"]


def test_the_installed_pytest_bdd_offers_every_internal_the_harness_reads() -> None:
    assert bdd_internals.check_compatible() == []


def test_an_incompatible_version_is_named_in_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bdd_internals, "step_function_context_registry", [])
    monkeypatch.setattr(bdd_internals, "StepFunctionContext", SimpleNamespace)
    monkeypatch.setattr(bdd_internals, "make_python_name", lambda name: name)
    problems = bdd_internals.check_compatible()
    assert any("step_function_context_registry is no longer a mapping" in p for p in problems)
    assert any("has no field 'parser'" in p for p in problems)
    assert any("make_python_name names scenarios differently" in p for p in problems)
    assert all(p.startswith("pytest-bdd ") for p in problems)


@given("a step defined only to be found in the registry")
def _registered_step() -> None:
    """Registered at import, as every step module's definitions are."""


def test_a_step_definition_is_found_with_what_the_catalogue_reads() -> None:
    found = [c for c in bdd_internals.step_contexts() if c.step_func is _registered_step]
    assert len(found) == 1
    context = found[0]
    assert context.type == "given"
    assert context.parser.is_matching("a step defined only to be found in the registry")
    assert context.target_fixture is None


def test_a_generated_scenario_is_recognised_and_a_plain_function_is_not(tmp_path: Path) -> None:
    feature = tmp_path / "one.feature"
    feature.write_text("Feature: One\n  Scenario: Add an org: step 5!\n    Given nothing\n")

    @scenario(str(feature), "Add an org: step 5!", features_base_dir=str(tmp_path))
    def test_generated() -> None:
        """Bound the way ``scenarios()`` binds every scenario of a feature file."""

    assert bdd_internals.is_scenario_function(test_generated)
    assert not bdd_internals.is_scenario_function(test_the_installed_pytest_bdd_offers_every_internal_the_harness_reads)


def test_the_python_name_is_the_one_scenarios_gives() -> None:
    assert bdd_internals.make_python_name("Add an org: step 5!") == "add_an_org_step_5"



LOOKUP_FEATURE = """\
Feature: Lamps
  Scenario Outline: A lamp is lit
    Given a lamp of <watts> watts
    When it is switched on
    Then it shines with <watts> watts

    Examples:
{rows}
"""

LOOKUP_TESTS = """\
from pytest_bdd import given, parsers, scenarios, then, when

scenarios("lamps.feature")


@given(parsers.parse("a lamp of {watts:d} watts"), target_fixture="lamp")
def _(watts):
    return {"watts": watts, "on": False}


@when("it is switched on")
def _(lamp):
    lamp["on"] = True


@then(parsers.parse("it shines with {watts:d} watts"))
def _(lamp, watts):
    assert lamp["on"] and lamp["watts"] == watts
"""

LOOKUP_CONFTEST = """\
from harness.pytest import bdd_internals

asked = []
original = bdd_internals.bdd_compat.getfixturedefs


def counting(fixturemanager, name, node):
    asked.append(name)
    return original(fixturemanager, name, node)


bdd_internals.bdd_compat.getfixturedefs = counting


def pytest_sessionfinish(session):
    bdd_internals.bdd_compat.getfixturedefs = original
    print(f"pytest asked about {len(asked)} fixture names")
"""


def test_the_step_definitions_a_module_sees_are_listed_once_not_per_step(pytester: pytest.Pytester) -> None:
    """Three times the scenarios ask pytest no more (pytest-bdd alone asks per step, over every name)."""
    pytester.makepyfile(test_lamps=LOOKUP_TESTS)
    pytester.makeconftest(LOOKUP_CONFTEST)
    asked = []
    for rows in (1, 3):
        examples = "      | watts |\n" + "".join(f"      | {10 * (n + 1)}    |\n" for n in range(rows))
        pytester.makefile(".feature", lamps=LOOKUP_FEATURE.format(rows=examples))
        result = pytester.runpytest_subprocess("-p", "harness.pytest.plugin", "-p", "no:playwright", "-p",
                                               "no:cacheprovider", "-p", "no:randomly", "-p", "no:schemathesis",
                                               "-s", "--layer", "api")
        result.assert_outcomes(passed=rows)
        asked.append(int(re.findall(r"pytest asked about (\d+) fixture names", result.stdout.str())[0]))
    assert asked[0] > 0 and asked[1] == asked[0], asked
