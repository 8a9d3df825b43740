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

# What the step catalogue reads from each step definition.
STEP_CONTEXT_ATTRIBUTES = ("type", "step_func", "parser", "target_fixture")


def is_scenario_function(function: Callable[..., Any]) -> bool:
    """True for a test function pytest-bdd generated from a Gherkin scenario."""
    return function in scenario_wrapper_template_registry


def step_contexts() -> list[StepFunctionContext]:
    """Every step definition imported so far (given/when/then), in registration order."""
    return list(step_function_context_registry.values())


def memoize_step_lookup() -> None:
    """Finds a step's definitions once per (test module, step type, step text), not once per step run.

    pytest-bdd looks for the definitions that parse a step by asking pytest, for every fixture name it
    knows, which definitions a test sees: hundreds of lookups for each step of each scenario, a few
    milliseconds of every scenario. Which definitions parse a step text, and which of them a test sees,
    depend only on the text, the step's type and where the test lives (its parent node: fixtures are
    scoped by location), and step definitions are all registered before the first test runs, so the
    answer is kept per fixture manager (one per session; a finished session's answers go with it).
    """
    original = bdd_scenario.find_fixturedefs_for_step
    if getattr(original, "memoized", False):
        return
    answers: weakref.WeakKeyDictionary[Any, dict[tuple[str, str | None, str], tuple[Any, ...]]] = (
        weakref.WeakKeyDictionary())

    def find(step: Any, fixturemanager: Any, node: Any) -> Iterable[Any]:
        place = node.parent.nodeid if node.parent is not None else node.nodeid
        known = answers.setdefault(fixturemanager, {})
        key = (place, step.type, step.name)
        if key not in known:
            known[key] = tuple(original(step=step, fixturemanager=fixturemanager, node=node))
        return known[key]

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
        problems.append("pytest_bdd.scenario.find_fixturedefs_for_step is gone (memoize_step_lookup wraps it)")
    if make_python_name("Add an org: step 5!") != "add_an_org_step_5":
        problems.append("pytest_bdd.scenario.make_python_name names scenarios differently")
    return [f"pytest-bdd {version}: {problem}" for problem in problems]
