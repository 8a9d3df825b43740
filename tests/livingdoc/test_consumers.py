"""The reports read by the tools reviewers use: Cucumber's HTML formatter, a Cucumber JSON reader, JUnit.

Rule served: "Reports from one run: ... Cucumber JSON ... Cucumber Messages" (docs/design.md section
6), checked by their real consumers rather than by our own reading of the formats: each layer's
run is its own result, a step's data table reaches the reader, screenshots are shown.
The Node consumers come from the project's package.json (``npm ci``, run by ``make setup``); without
Node or its packages these tests fail and say how to install them, they never pass quietly.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from junitparser import JUnitXml

from harness.livingdoc import cucumber_json, cucumber_messages
from harness.livingdoc.evidence_file import load_evidence_file
from harness.livingdoc.results import load_results

from .conftest import PNG, evidence_entry

ROOT = Path(__file__).resolve().parents[2]
CONSUMERS = Path(__file__).parent / "consumers"
CHECKLIST_FEATURE = """Feature: Widget checklist
  @CHECKLIST
  Scenario: The checklist names every part
    Given a widget
    Then the checklist asks for:
      | part   |
      | lid    |
      | handle |
"""
PARTS = [["part"], ["lid"], ["handle"]]
JUNIT_PROJECT = """
import pytest
from pytest_bdd import given, scenarios, then

scenarios("checklist.feature")


@pytest.fixture(params=["api", "ui"], autouse=True)
def layer(request):
    return request.param


@given("a widget")
def _():
    pass


@then("the checklist asks for:")
def _(datatable, layer):
    assert layer == "api", "the ui layer fails here"
"""
pytest_plugins = ["pytester"]


def _node(script: str, *args: str) -> None:
    """Run a Node consumer from the project's node_modules; a missing install is a failure that says why."""
    if shutil.which("node") is None or not (ROOT / "node_modules" / "@cucumber" / "html-formatter").is_dir():
        pytest.fail("the report consumers are not installed: run `make setup` (npm ci in the project root)")
    done = subprocess.run(["node", str(CONSUMERS / script), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def _seen(page: Path, *clicks: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, str(CONSUMERS / "read_page.py"), str(page), *clicks], cwd=ROOT,
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def checklist_run(tmp_path: Path, write_feature: Callable[[str, str], Path]) -> Path:
    """One scenario with a data table, run in both layers; the ui run failed its Then and took screenshots."""
    write_feature("checklist.feature", CHECKLIST_FEATURE)
    reports = tmp_path / "reports"
    base = "features/widget/checklist.feature::test_the_checklist_names_every_part"
    tests = {}
    for layer, last in (("api", "passed"), ("ui", "failed")):
        entry = evidence_entry(f"{base}[{layer}]", "The checklist names every part", 3,
                               [("Given", "a widget", "passed"), ("Then", "the checklist asks for:", last)],
                               layer=layer, tags=["CHECKLIST"], shots=layer == "ui")
        entry["scenario"]["feature"].update(uri="widget/checklist.feature", name="Widget checklist", tags=[])
        entry["steps"][1]["rows"] = PARTS
        tests[entry["nodeid"]] = entry
    for step in tests[f"{base}[ui]"]["steps"]:
        if "screenshot" in step:
            (reports / step["screenshot"]).parent.mkdir(parents=True, exist_ok=True)
            (reports / step["screenshot"]).write_bytes(PNG)
    (reports / "evidence.json").write_text(json.dumps({"run_seed": 7, "tests": tests}), encoding="utf-8")
    return reports


def test_cucumber_json_carries_the_table_and_both_layers(checklist_run: Path) -> None:
    evidence = load_evidence_file(checklist_run / "evidence.json")
    cucumber_json.write(checklist_run / "cucumber.json", evidence)
    (feature,) = json.loads((checklist_run / "cucumber.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in feature["elements"]] == ["test_the_checklist_names_every_part[api]",
                                                      "test_the_checklist_names_every_part[ui]"]
    for element in feature["elements"]:
        assert element["steps"][1]["rows"] == [{"cells": row} for row in PARTS]
    results = load_results(checklist_run / "cucumber.json").results
    assert [s.rows for r in results for s in r.steps if s.rows] == [(("part",), ("lid",), ("handle",))] * 2


def test_cucumber_html_formatter_shows_both_layers_the_table_and_screenshots(
    tmp_path: Path, checklist_run: Path
) -> None:
    evidence = load_evidence_file(checklist_run / "evidence.json")
    cucumber_messages.write(checklist_run / "messages.ndjson", evidence, tmp_path / "features")
    _node("cucumber_html.mjs", str(checklist_run / "messages.ndjson"), str(checklist_run / "cucumber.html"))
    seen = _seen(checklist_run / "cucumber.html", "checklist.feature#api")  # the passed layer opens on a click
    text = str(seen["text"])
    assert "50% (1 / 2) passed" in text, text
    assert "checklist.feature#api" in text and "checklist.feature#ui" in text
    assert text.count("Then the checklist asks for:") == 2, text  # each layer's steps shown, not one as a retry
    assert seen["cells"].count("handle") == 2, seen["cells"]  # type: ignore[union-attr]
    assert "the checklist asks for: failed" in text  # the ui layer's failure
    assert int(seen["images"]) >= 1  # type: ignore[arg-type]


def test_a_cucumber_json_reader_counts_each_layer(checklist_run: Path) -> None:
    evidence = load_evidence_file(checklist_run / "evidence.json")
    cucumber_json.write(checklist_run / "json" / "cucumber.json", evidence)
    _node("cucumber_json_html.cjs", str(checklist_run / "json"), str(checklist_run / "mchr"))
    (collected,) = json.loads((checklist_run / "mchr" / "merged-output.json").read_text(encoding="utf-8"))
    scenarios = collected["elements"]
    assert [s["id"] for s in scenarios] == ["test_the_checklist_names_every_part[api]",
                                            "test_the_checklist_names_every_part[ui]"]
    seen = _seen(checklist_run / "mchr" / "index.html")
    assert "Widget checklist" in str(seen["text"])


def test_a_junit_reader_sees_each_layer(pytester: pytest.Pytester) -> None:
    """pytest's own JUnit file of a two-layer run, read with junitparser (what CI servers read)."""
    pytester.makefile(".feature", checklist=CHECKLIST_FEATURE)
    pytester.makepyfile(test_checklist=JUNIT_PROJECT)
    pytester.runpytest("-p", "no:playwright", "-p", "no:cacheprovider", "-p", "no:randomly",
                       "--junitxml", "junit.xml").assert_outcomes(passed=1, failed=1)
    cases = {case.name: case for suite in JUnitXml.fromfile(str(pytester.path / "junit.xml")) for case in suite}
    assert set(cases) == {"test_the_checklist_names_every_part[api]", "test_the_checklist_names_every_part[ui]"}
    assert cases["test_the_checklist_names_every_part[api]"].is_passed
    assert [type(r).__name__ for r in cases["test_the_checklist_names_every_part[ui]"].result] == ["Failure"]
    ours = {r.test_id: r for r in load_results(pytester.path / "junit.xml").results}
    assert (ours["test_the_checklist_names_every_part[ui]"].status, ours["test_the_checklist_names_every_part[ui]"]
            .layer) == ("failed", "ui")
