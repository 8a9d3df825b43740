"""Coverage fails for a statement without scenario, an unknown id tag, or no passing scenario."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.livingdoc import coverage

from .conftest import cucumber_element, write_cucumber

FEATURE = """@COLOUR
Feature: Widget
  @api_only
  Scenario: The widget is blue
    Given a widget

  @LID-CLOSED @LID-LOCKED @outline
  Scenario Outline: The lid is <state>
    Given a widget

    @LEGACY-1.0
    Examples:
      | state |
      | shut  |
"""
URI = "widget/widget.feature"


def _all_pass() -> list[dict[str, object]]:
    return [
        cucumber_element("test_the_widget_is_blue[api]", "The widget is blue", 4, ["api_only"], ["passed"]),
        cucumber_element(
            "test_the_lid_is_state[api-shut]", "The lid is <state>", 8, ["LID-CLOSED"], ["passed"] * 2
        ),
        cucumber_element(
            "test_the_lid_is_state[ui-shut]", "The lid is <state>", 8, ["LID-CLOSED"], ["passed"] * 2
        ),
    ]


def _args(tmp_path: Path, widget_map: Path, *extra: str) -> list[str]:
    return ["--features", str(tmp_path / "features"), "--source-map", str(widget_map), *extra]


def test_everything_covered_and_passing(
    tmp_path: Path,
    widget_map: Path,
    write_feature: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_feature("widget.feature", FEATURE)
    results = write_cucumber(tmp_path / "cucumber.json", URI, ["COLOUR"], _all_pass())
    assert coverage.main(_args(tmp_path, widget_map, "--results", str(results), "--json")) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["verified"] == 4
    lid = next(s for s in report["statements"] if s["id"] == "LID-CLOSED")
    assert lid["scenarios"][0]["layers"] == {"api": "passed", "ui": "passed"}
    colour = next(s for s in report["statements"] if s["id"] == "COLOUR")
    assert [c["layers"] for c in colour["scenarios"]] == [
        {"api": "passed", "ui": "not run"},
        {"api": "passed", "ui": "passed"},
    ]


def test_statement_without_scenario(
    tmp_path: Path,
    widget_map: Path,
    write_feature: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_feature("widget.feature", FEATURE.replace(" @LID-LOCKED", ""))
    assert coverage.main(_args(tmp_path, widget_map, "--no-results")) == 1
    out = capsys.readouterr().out
    assert "statement LID-LOCKED has no scenario (tag one with @LID-LOCKED)" in out


def test_unknown_id_tag(
    tmp_path: Path,
    widget_map: Path,
    write_feature: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_feature("widget.feature", FEATURE.replace("@api_only", "@api_only @LID-OPEN @wip"))
    assert coverage.main(_args(tmp_path, widget_map, "--no-results")) == 1
    out = capsys.readouterr().out
    assert (
        "widget.feature:4: scenario 'The widget is blue' is tagged @LID-OPEN, which is not a statement id"
        in out
    )
    assert "@wip" not in out and "@api_only," not in out


def test_statement_without_passing_scenario(
    tmp_path: Path,
    widget_map: Path,
    write_feature: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_feature("widget.feature", FEATURE)
    elements = _all_pass()
    elements[2] = cucumber_element(
        "test_the_lid_is_state[ui-shut]", "The lid is <state>", 8, [], ["passed", "failed"]
    )
    results = write_cucumber(tmp_path / "cucumber.json", URI, ["COLOUR"], elements)
    assert coverage.main(_args(tmp_path, widget_map, "--results", str(results))) == 1
    out = capsys.readouterr().out
    for sid in ("LID-CLOSED", "LID-LOCKED", "LEGACY-1.0"):
        assert f"statement {sid} has no passing scenario" in out
    # COLOUR (a feature tag) has one passing scenario, so it is no problem, but it shows as failing.
    assert "statement COLOUR" not in out
    assert "COLOUR       failing" in out
    assert "api=passed  ui=failed" in out


def test_not_run_is_not_passing(
    tmp_path: Path,
    widget_map: Path,
    write_feature: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_feature("widget.feature", FEATURE)
    results = write_cucumber(tmp_path / "cucumber.json", URI, [], _all_pass()[:1])
    assert coverage.main(_args(tmp_path, widget_map, "--results", str(results), "--json")) == 1
    report = json.loads(capsys.readouterr().out)
    assert {s["id"]: s["status"] for s in report["statements"]}["LID-LOCKED"] == "not run"


def test_missing_results_file_is_a_clear_error(
    tmp_path: Path,
    widget_map: Path,
    write_feature: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_feature("widget.feature", FEATURE)
    missing = tmp_path / "reports" / "cucumber.json"
    assert coverage.main(_args(tmp_path, widget_map, "--results", str(missing))) == 2
    err = capsys.readouterr().err
    assert f"results file {missing} not found" in err and "--cucumberjson" in err


def test_junit_results(
    tmp_path: Path,
    widget_map: Path,
    write_feature: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_feature("widget.feature", FEATURE)
    junit = tmp_path / "junit.xml"
    junit.write_text(
        '<?xml version="1.0"?><testsuites><testsuite name="pytest">'
        '<testcase classname="steps.test_widget" name="test_the_widget_is_blue[api]" time="0.5"/>'
        '<testcase classname="steps.test_widget" name="test_the_lid_is_state[api-shut]" time="0.5"/>'
        '<testcase classname="steps.test_widget" name="test_the_lid_is_state[ui-shut]" time="0.5">'
        '<skipped message="no browser"/></testcase>'
        "</testsuite></testsuites>",
        encoding="utf-8",
    )
    assert coverage.main(_args(tmp_path, widget_map, "--results", str(junit), "--json")) == 0
    report = json.loads(capsys.readouterr().out)
    lid = next(s for s in report["statements"] if s["id"] == "LID-CLOSED")
    assert lid["scenarios"][0]["layers"] == {"api": "passed", "ui": "skipped"}


def test_missing_features_folder(
    tmp_path: Path, widget_map: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert coverage.main(_args(tmp_path, widget_map, "--no-results")) == 2
    assert "features folder" in capsys.readouterr().err
