"""pytest-bdd's private names the harness relies on (harness/pytest/bdd_internals.py) are still there.

A new pytest-bdd that renames or reshapes them fails here with the name that is missing, instead of
as a puzzling error far away (a scenario run in no layer, an empty step catalogue).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from pytest_bdd import given, scenario

from harness.pytest import bdd_internals


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


def test_a_steps_definitions_are_looked_up_once_per_module_type_and_text(monkeypatch: pytest.MonkeyPatch) -> None:
    bdd_scenario = bdd_internals.bdd_scenario
    asked: list[tuple[str, str]] = []

    def lookup(step: SimpleNamespace, fixturemanager: object, node: SimpleNamespace) -> list[str]:
        asked.append((node.parent.nodeid, step.name))
        return [f"definition of {step.name}"]

    monkeypatch.setattr(bdd_scenario, "find_fixturedefs_for_step", lookup)
    bdd_internals.memoize_step_lookup()
    find = bdd_scenario.find_fixturedefs_for_step
    class Manager:
        """Stands for pytest's FixtureManager (one per session; weakly referenced)."""

    manager = Manager()
    module_a, module_b = SimpleNamespace(nodeid="a.feature"), SimpleNamespace(nodeid="b.feature")
    opens = SimpleNamespace(type="when", name="the administrator opens the page")
    for test in ("first", "second", "third"):
        assert list(find(step=opens, fixturemanager=manager, node=SimpleNamespace(parent=module_a, nodeid=test))) == [
            "definition of the administrator opens the page"]
    find(step=opens, fixturemanager=manager, node=SimpleNamespace(parent=module_b, nodeid="fourth"))
    find(step=SimpleNamespace(type="then", name=opens.name), fixturemanager=manager,
         node=SimpleNamespace(parent=module_a, nodeid="fifth"))
    assert asked == [("a.feature", opens.name), ("b.feature", opens.name), ("a.feature", opens.name)]
    find(step=opens, fixturemanager=Manager(), node=SimpleNamespace(parent=module_a, nodeid="next session"))
    assert len(asked) == 4, "another session (fixture manager) asks again"
