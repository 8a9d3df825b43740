"""A step's data table or doc string is kept by the evidence plugin and reaches every report.

Rule served: "Reports from one run: ... per statement: ... steps" (docs/design.md section 6): "the
checklist asks for:" is only half a sentence without its table. A tiny pytest-bdd project runs in a
temporary folder (pytester), so the evidence comes from pytest-bdd's own parse of the feature.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harness.livingdoc import cucumber_json
from harness.livingdoc.evidence_file import load_evidence_file
from harness.livingdoc.report import write_report

from .conftest import write_map

pytest_plugins = ["pytester"]
FEATURE = '''\
Feature: Widgets
  @CHECKLIST
  Scenario: The checklist names every part
    Given a widget
    Then the checklist asks for:
      | part   |
      | lid    |
      | handle |
    And the label reads:
      """
      Handle with care
      """
'''
TESTS = '''\
from pytest_bdd import given, scenarios, then

scenarios("widgets.feature")


@given("a widget")
def _():
    pass


@then("the checklist asks for:")
def _(datatable):
    assert [row[0] for row in datatable] == ["part", "lid", "handle"]


@then("the label reads:")
def _(docstring):
    assert docstring == "Handle with care"
'''
PAGE = "Widgets\nThe checklist names every part of the widget.\n"


@pytest.fixture
def run(pytester: pytest.Pytester) -> Path:
    pytester.makefile(".feature", widgets=FEATURE)
    pytester.makepyfile(test_widgets=TESTS)
    result = pytester.runpytest("-p", "harness.pytest.evidence", "-p", "no:playwright", "-p", "no:cacheprovider",
                                "-p", "no:randomly", "--evidence", "reports/evidence.json")
    result.assert_outcomes(passed=1)
    return pytester.path / "reports"


def test_the_evidence_keeps_tables_and_doc_strings(run: Path) -> None:
    (entry,) = json.loads((run / "evidence.json").read_text(encoding="utf-8"))["tests"].values()
    given, table, label = entry["steps"]
    assert "rows" not in given and "doc_string" not in given
    assert table["rows"] == [["part"], ["lid"], ["handle"]]
    assert label["doc_string"] == "Handle with care"


def test_cucumber_json_and_the_living_document_show_them(run: Path, tmp_path: Path) -> None:
    evidence = load_evidence_file(run / "evidence.json")
    cucumber_json.write(run / "cucumber.json", evidence)
    (feature,) = json.loads((run / "cucumber.json").read_text(encoding="utf-8"))
    steps = feature["elements"][0]["steps"]
    assert steps[1]["rows"] == [{"cells": ["part"]}, {"cells": ["lid"]}, {"cells": ["handle"]}]
    assert steps[2]["doc_string"]["value"] == "Handle with care"
    source_map = write_map(tmp_path / "map.toml", PAGE, [(None, "heading", 0, 0), ("CHECKLIST", "consideration", 1, 1)])
    output = run / "living-document.html"
    write_report(output, results_path=run / "cucumber.json", features_dir=run.parent,
                 source_map_path=source_map, evidence_path=run / "evidence.json")
    html = output.read_text(encoding="utf-8")
    (table,) = re.findall(r'<table class="datatable">(.*?)</table>', html, re.S)
    assert re.findall(r"<td>([^<]*)</td>", table) == ["part", "lid", "handle"]
    assert '<pre class="docstring">Handle with care</pre>' in html
