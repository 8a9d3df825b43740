"""Every use of pytest-bdd's private registries and helpers, in one place.

Rule served: docs/design.md "Layers" (each Gherkin scenario runs once per layer) and the step catalogue
(``harness docs steps``) need what pytest-bdd keeps to itself: which test functions are scenarios,
which step definitions exist, and the test name ``scenarios()`` gives a scenario. pytest-bdd does not
promise these names, so pyproject.toml pins it to a tested range and ``check_compatible`` (run by
tests/test_bdd_internals.py) says plainly which expected name a new version lacks.
"""

from __future__ import annotations

import importlib
import weakref
from collections.abc import Callable, Iterable, MutableMapping
from importlib import metadata
from typing import Any

from pytest_bdd.scenario import make_python_name, scenario_wrapper_template_registry
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

__all__ = [
    "STEP_CONTEXT_ATTRIBUTES",
    "StepFunctionContext",
    "check_compatible",
    "is_scenario_function",
    "make_python_name",
    "memoize_step_lookup",
    "scenario_wrapper_template_registry",
    "step_contexts",
    "step_function_context_registry",
]

# The module, not the function ``pytest_bdd.scenario`` the package exports under the same name.
bdd_scenario = importlib.import_module("pytest_bdd.scenario")
bdd_compat = importlib.import_module("pytest_bdd.compat")

# What the step catalogue reads from each step definition.
STEP_CONTEXT_ATTRIBUTES = ("type", "step_func", "parser", "target_fixture")


def is_scenario_function(function: Callable[..., Any]) -> bool:
    """True for a test function pytest-bdd generated from a Gherkin scenario."""
    return function in scenario_wrapper_template_registry


def step_contexts() -> list[StepFunctionContext]:
    """Every step definition imported so far (given/when/then), in registration order."""
    return list(step_function_context_registry.values())


def memoize_step_lookup() -> None:
    """Lists the step definitions a test module sees once, not once per step run.

    pytest-bdd looks for the definitions that parse a step by asking pytest, for every fixture name it
    knows, which definitions the test sees: hundreds of lookups for each step of each scenario, a few
    milliseconds of every scenario. Which step definitions a test sees depends only on where it lives
    (its parent node: fixtures are scoped by location), and every step definition is registered before
    the first test runs, so that list is made once per place and fixture manager (one per session; a
    finished session's lists go with it). Each step then keeps those of its type whose parser matches
    its text, in the order pytest-bdd's own ``find_fixturedefs_for_step`` yields them.
    """
    if getattr(bdd_scenario.find_fixturedefs_for_step, "memoized", False):
        return
    visible: weakref.WeakKeyDictionary[Any, dict[str, list[tuple[Any, StepFunctionContext]]]] = (
        weakref.WeakKeyDictionary())

    def step_definitions(fixturemanager: Any, node: Any) -> list[tuple[Any, StepFunctionContext]]:
        place = node.parent.nodeid if node.parent is not None else node.nodeid
        known = visible.setdefault(fixturemanager, {})
        if place not in known:
            known[place] = [(fixturedef, context)
                            for name in bdd_compat.get_fixture_names(fixturemanager=fixturemanager)
                            for fixturedef in bdd_compat.getfixturedefs(fixturemanager, name, node) or []
                            if (context := step_function_context_registry.get(fixturedef.func)) is not None]
        return known[place]

    def find(step: Any, fixturemanager: Any, node: Any) -> Iterable[Any]:
        return [fixturedef for fixturedef, context in step_definitions(fixturemanager, node)
                if context.type in (None, step.type) and context.parser.is_matching(step.name)]

    find.memoized = True  # type: ignore[attr-defined]
    setattr(bdd_scenario, "find_fixturedefs_for_step", find)  # noqa: B010 (a module attribute, typed loosely)


def check_compatible() -> list[str]:
    """What the installed pytest-bdd lacks of what this module relies on; empty when compatible."""
    version = metadata.version("pytest-bdd")
    problems: list[str] = []
    if not isinstance(scenario_wrapper_template_registry, MutableMapping):
        problems.append("pytest_bdd.scenario.scenario_wrapper_template_registry is no longer a mapping")
    if not isinstance(step_function_context_registry, MutableMapping):
        problems.append("pytest_bdd.steps.step_function_context_registry is no longer a mapping")
    fields = getattr(StepFunctionContext, "__dataclass_fields__", {})
    problems.extend(f"pytest_bdd.steps.StepFunctionContext has no field {name!r}"
                    for name in STEP_CONTEXT_ATTRIBUTES if name not in fields)
    if not callable(getattr(bdd_scenario, "find_fixturedefs_for_step", None)):
        problems.append("pytest_bdd.scenario.find_fixturedefs_for_step is gone (memoize_step_lookup replaces it)")
    problems.extend(f"pytest_bdd.compat.{name} is gone (memoize_step_lookup uses it)"
                    for name in ("get_fixture_names", "getfixturedefs")
                    if not callable(getattr(bdd_compat, name, None)))
    if make_python_name("Add an org: step 5!") != "add_an_org_step_5":
        problems.append("pytest_bdd.scenario.make_python_name names scenarios differently")
    return [f"pytest-bdd {version}: {problem}" for problem in problems]
