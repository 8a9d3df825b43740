"""The evidence plugin: per-step results and screenshots, recorded facts, one file, also under xdist.

Each test runs a tiny pytest-bdd project in a temporary folder (pytester). Its "page" is a stand-in
whose ``screenshot`` writes a file, so the plugin's screenshot logic runs without a browser.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.pytest import evidence

pytest_plugins = ["pytester"]
PLUGIN = ("-p", "harness.pytest.evidence", "-p", "no:playwright", "-p", "no:cacheprovider")

FEATURE = """\
@WIDGET
Feature: Widgets
  Scenario: A widget turns blue
    Given a widget
    When it is painted
    And it dries
    Then it is blue

  Scenario: A widget turns red
    Given a widget
    When it is painted
    Then it is red

  Scenario: A widget is polished
    Given a widget
    When it is polished
"""

TESTS = """\
import pytest
from pytest_bdd import given, scenarios, then, when

from harness.pytest import evidence

scenarios("widgets.feature")


class Page:
    def screenshot(self, path, full_page):
        with open(path, "wb") as f:
            f.write(b"png")


@pytest.fixture(params=["api", "ui"], autouse=True)
def layer(request):
    return request.param


@pytest.fixture
def widget(request, layer):
    if layer == "ui":
        request.getfixturevalue("page")
    return {"colour": "grey"}


@pytest.fixture
def page():
    return Page()


@given("a widget")
def _(widget):
    return widget


@when("it is painted")
def _(widget, request):
    widget["colour"] = "blue"
    evidence.record(request, "snapshot", {"colour": widget["colour"]})


@when("it dries")
def _(widget):
    pass


@then("it is blue")
def _(widget):
    assert widget["colour"] == "blue"


@then("it is red")
def _(widget):
    assert widget["colour"] == "red", "the widget is not red"
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".feature", widgets=FEATURE)
    pytester.makepyfile(test_widgets=TESTS)
    return pytester


def _evidence(pytester: pytest.Pytester) -> dict[str, dict[str, object]]:
    data = json.loads((pytester.path / "reports/evidence.json").read_text())
    return {nodeid.split("::", 1)[1]: entry for nodeid, entry in data["tests"].items()}


def test_steps_screenshots_and_recorded_facts(project: pytest.Pytester) -> None:
    result = project.runpytest(*PLUGIN, "--evidence=reports/evidence.json", "-p", "no:randomly")
    result.assert_outcomes(passed=2, failed=4)
    tests = _evidence(project)
    polished = tests["test_a_widget_is_polished[api]"]["steps"]
    assert [s["status"] for s in polished] == ["passed", "undefined"] and "it is polished" in polished[1]["error"]
    blue_ui = tests["test_a_widget_turns_blue[ui]"]
    assert blue_ui["outcome"] == "passed" and blue_ui["layer"] == "ui"
    assert [s["status"] for s in blue_ui["steps"]] == ["passed"] * 4
    shots = [s.get("screenshot") for s in blue_ui["steps"]]
    assert shots[0] is None and all(shots[1:])  # after When, And (a When) and Then; not after Given
    assert all((project.path / "reports" / s).is_file() for s in shots[1:])
    assert blue_ui["snapshot"] == {"colour": "blue"}
    assert blue_ui["scenario"]["feature"]["tags"] == ["WIDGET"]
    assert "screenshot" not in json.dumps(tests["test_a_widget_turns_blue[api]"]["steps"])


def test_a_failing_step_keeps_its_error_and_screenshot(project: pytest.Pytester) -> None:
    project.runpytest(*PLUGIN, "--evidence=reports/evidence.json", "--step-screenshots=failures")
    red = _evidence(project)["test_a_widget_turns_red[ui]"]
    assert red["outcome"] == "failed"
    statuses = [(s["status"], bool(s.get("screenshot"))) for s in red["steps"]]
    assert statuses == [("passed", False), ("passed", False), ("failed", True)]
    assert "the widget is not red" in red["steps"][2]["error"]


def test_workers_send_evidence_to_the_controller(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess(*PLUGIN, "--evidence=reports/evidence.json", "-n", "2", "-p", "no:randomly")
    result.assert_outcomes(passed=2, failed=4)
    tests = _evidence(project)
    assert len(tests) == 6
    assert tests["test_a_widget_turns_blue[ui]"]["snapshot"] == {"colour": "blue"}
    assert tests["test_a_widget_turns_red[api]"]["steps"][-1]["status"] == "failed"


def test_record_refuses_what_it_cannot_keep(project: pytest.Pytester) -> None:
    item = project.getitem("def test_func(): pass")
    with pytest.raises(TypeError, match="not JSON serialisable"):
        evidence.record(item, "scan", {1, 2})
    with pytest.raises(ValueError, match="filled by the harness"):
        evidence.record(item, "steps", [])
    evidence.record(item, "scan", {"findings": 0})
    assert evidence._entry(item)["scan"] == {"findings": 0}


def test_sanitise_names_files_after_the_test() -> None:
    assert evidence.sanitise("a/b.feature::test_x[ui]") == "a_b.feature_test_x_ui_"
    assert len(evidence.sanitise("x" * 400)) == 150


def test_no_evidence_option_writes_nothing(project: pytest.Pytester) -> None:
    project.runpytest(*PLUGIN)
    assert not Path(project.path / "reports").exists()
