"""Allure results of a run (``--alluredir``), through allure-pytest-bdd, with what the harness knows.

Rule served: "Reports from one run" (docs/design.md section 6), for teams that read Allure.
allure-pytest-bdd writes the scenarios, their steps, each step's data table (CSV) or doc string,
and the pytest parameters, so the layer is the parameter ``layer``. This plugin adds, on each
test: a ``statement`` label per statement id the scenario carries, the Faker seed as a parameter
(excluded from Allure's history id, so reruns with another seed stay one test), each step's
screenshot (taken by the evidence plugin) and a failure's Playwright trace as attachments; and it
keeps fixtures (passwords, tokens) out of the step parameters, where allure-pytest-bdd puts them.
Registered with the other plugins (conftest.py); it acts only when ``--alluredir`` is given.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import allure
import pytest
from allure_pytest_bdd.pytest_bdd_listener import PytestBDDListener
from allure_pytest_bdd.steps import get_step_uuid

from harness.livingdoc import sourcemap
from harness.pytest import evidence


@functools.cache
def statement_ids() -> frozenset[str]:
    """The statement ids of the packaged source map: the tags that name a statement."""
    return frozenset(s.id for s in sourcemap.load().statements)


def _active(config: pytest.Config) -> bool:
    """allure-pytest-bdd is writing results in this run."""
    return bool(getattr(config.option, "allure_report_dir", None))


@pytest.hookimpl(trylast=True)  # after allure-pytest-bdd has opened the test case
def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    if not _active(request.config):
        return
    for tag in sorted(set(scenario.tags) | set(feature.tags)):
        if tag in statement_ids():
            allure.dynamic.label("statement", tag)


@pytest.hookimpl(trylast=True)  # after allure-pytest-bdd has written the step's parameters
def pytest_bdd_before_step_call(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                                step_func: Any, step_func_args: dict[str, Any]) -> None:
    """Keep only the step's own arguments as Allure step parameters, never the fixtures it uses.

    allure-pytest-bdd lists every argument of the step function, fixtures included: the local
    administrator's password, a refresh token. A sentence's argument is a piece of its text, so a
    parameter whose value does not appear in the step's text is a fixture and is dropped.
    """
    lifecycle = _lifecycle(request.config) if _active(request.config) else None
    if lifecycle is None:
        return
    with lifecycle.update_step(uuid=get_step_uuid(step)) as result:
        if result is not None:
            result.parameters = [p for p in result.parameters
                                 if p.name in step_func_args and str(step_func_args[p.name]) in step.name]


def _lifecycle(config: pytest.Config) -> Any:
    listener = next((p for p in config.pluginmanager.get_plugins() if isinstance(p, PytestBDDListener)), None)
    return getattr(listener, "lifecycle", None)


def pytest_bdd_after_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    item = request.node
    if not _active(item.config):
        return
    data = evidence.scenario_data_of(item)
    if data is not None:
        allure.dynamic.parameter("faker seed", data.seed, excluded=True)
    base = evidence.folder_of(item.config)
    for number, step in enumerate(evidence.steps_of(item), start=1):
        shot = step.get("screenshot")
        if base is not None and shot and not str(shot).startswith("unavailable") and (base / shot).is_file():
            allure.attach.file(str(base / shot), name=f"screenshot after step {number}: {step['keyword']} "
                               f"{step['name']}", attachment_type=allure.attachment_type.PNG)


def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> None:
    """A failure's trace, once pytest-playwright has saved it (fixture teardown, before this report)."""
    if call.when != "teardown" or not _active(item.config):
        return
    for key, value in item.user_properties:
        if key == "playwright_trace" and Path(str(value)).is_file():
            allure.attach.file(str(value), name="Playwright trace (playwright show-trace)", extension="zip")
