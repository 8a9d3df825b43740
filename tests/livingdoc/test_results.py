"""Results are read from Cucumber JSON or JUnit XML, with the layer taken from the pytest id."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.livingdoc.results import ResultsError, layer_counts, layer_of, load_results
from harness.livingdoc.traceability import FeatureParseError, feature_steps, parse_feature

from .conftest import cucumber_element, write_cucumber


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("test_scopes[api]", "api"),
        ("test_scopes[ui]", "ui"),
        ("test_outline[ui-2]", "ui"),
        ("test_outline[row1-api]", "api"),
        ("test_outline[x-ui-y]", None),
        ("test_scopes", None),
        ("test_scopes[apiary]", None),
        ("Scenario name [api]", "api"),
    ],
)
def test_layer_of(label: str, expected: str | None) -> None:
    assert layer_of(label) == expected


def test_cucumber_steps_durations_and_feature_tags(tmp_path: Path) -> None:
    path = write_cucumber(
        tmp_path / "c.json",
        "features/widget/a.feature",
        ["COLOUR"],
        [cucumber_element("test_a[ui]", "A", 3, ["ui_only"], ["passed", "failed"])],
    )
    (result,) = load_results(path).results
    assert result.layer == "ui" and result.status == "failed"
    assert result.tags == ("COLOUR", "ui_only")
    assert [s.status for s in result.steps] == ["passed", "failed"]
    assert result.steps[1].error == "boom"
    assert result.duration == pytest.approx(0.0045)
    assert layer_counts([result]) == {
        "api": {"passed": 0, "failed": 0, "skipped": 0},
        "ui": {"passed": 0, "failed": 1, "skipped": 0},
    }


def test_results_join_scenarios_by_file_and_name(tmp_path: Path) -> None:
    feature = tmp_path / "features" / "widget" / "a.feature"
    feature.parent.mkdir(parents=True)
    feature.write_text("Feature: W\n  Scenario: A\n    Given x\n  Scenario: B\n    Given x\n", "utf-8")
    refs = parse_feature(feature)
    path = write_cucumber(
        tmp_path / "c.json", "widget/a.feature", [], [cucumber_element("test_a[api]", "A", 2, [], ["passed"])]
    )
    results = load_results(path)
    assert [r.test_id for r in results.for_scenario(refs[0])] == ["test_a[api]"]
    assert results.for_scenario(refs[1]) == []


@pytest.mark.parametrize("content", ["{not json", '{"features": []}', "<testsuite><testcase"])
def test_unreadable_results(tmp_path: Path, content: str) -> None:
    path = tmp_path / "r.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ResultsError, match=str(path)):
        load_results(path)


def test_feature_parser_inherits_tags(tmp_path: Path) -> None:
    feature = tmp_path / "f.feature"
    feature.write_text(
        "# comment\n@A @b\nFeature: F\n  Background:\n    Given x\n\n  @C # why\n  Rule: R\n"
        "    @D\n    Scenario: S\n      Given x\n  Rule: Other\n    Scenario Outline: O <v>\n"
        "      Given x\n      @E\n      Examples:\n        | v |\n        | 1 |\n",
        "utf-8",
    )
    first, second = parse_feature(feature)
    assert (first.name, first.line, first.tags) == ("S", 10, ("A", "b", "C", "D"))
    assert first.ids == ["A", "C", "D"]
    assert (second.name, second.tags, second.outline) == ("O <v>", ("A", "b", "E"), True)
    assert second.python_name == "test_o_v"


def test_invalid_gherkin_is_one_clear_error(tmp_path: Path) -> None:
    feature = tmp_path / "bad.feature"
    feature.write_text("Feature: F\n  Scenario: S\n    Given x\n  Nonsense here\n", "utf-8")
    with pytest.raises(FeatureParseError, match=r"bad.feature: not valid Gherkin: .*\(4:"):
        parse_feature(feature)


def test_an_outline_named_with_placeholders_is_found_by_its_line(tmp_path: Path) -> None:
    feature = tmp_path / "features" / "widget" / "a.feature"
    feature.parent.mkdir(parents=True)
    feature.write_text("Feature: W\n  Scenario Outline: Paint <c>\n    Given <c>\n    Examples:\n      | c |\n"
                       "      | red |\n", "utf-8")
    (ref,) = parse_feature(feature)
    path = write_cucumber(tmp_path / "c.json", "widget/a.feature", [],
                          [cucumber_element("test_paint_c[api-red]", "Paint red", 2, [], ["passed"])])
    assert [r.test_id for r in load_results(path).for_scenario(ref)] == ["test_paint_c[api-red]"]


def test_feature_steps_resolve_and_and_but(tmp_path: Path) -> None:
    feature = tmp_path / "features" / "f.feature"
    feature.parent.mkdir()
    feature.write_text("Feature: F\n  Background:\n    Given a\n    And b\n  Rule: R\n    Scenario: S\n"
                       "      When c\n      But d\n      Then e\n      And f\n", "utf-8")
    steps = feature_steps(tmp_path / "features")
    assert [(s.keyword, s.text, s.line) for s in steps] == [
        ("Given", "a", 3), ("Given", "b", 4), ("When", "c", 7), ("When", "d", 8), ("Then", "e", 9), ("Then", "f", 10)]
