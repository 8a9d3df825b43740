"""The living document: statuses, steps with screenshot thumbnails, traces, filters, page text, strength."""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from pathlib import Path

import pytest

from benchmarks import synthetic_results
from harness.livingdoc import cucumber_json, report
from harness.livingdoc.evidence_file import load_evidence_file
from harness.livingdoc.report import write_report

from .conftest import WIDGET_PAGE, cucumber_element, evidence_entry, write_cucumber

HOSTILE = '<script>alert("x")</script>'


def _build(tmp_path: Path, reports: Path, widget_map: Path, **options: object) -> str:
    cucumber_json.write(reports / "cucumber.json", load_evidence_file(reports / "evidence.json"))
    output = reports / "living-document.html"
    write_report(output, results_path=reports / "cucumber.json", features_dir=tmp_path / "features",
                 source_map_path=widget_map, evidence_path=reports / "evidence.json", **options)  # type: ignore[arg-type]
    return output.read_text(encoding="utf-8")


def _sections(html: str) -> dict[str, str]:
    return {m.group(1): m.group(2)
            for m in re.finditer(r'<section class="statement" id="([^"]+)">(.*?)</section>', html, re.S)}


def test_steps_link_their_screenshots_and_a_failure_links_its_trace(
    tmp_path: Path, widget_map: Path, lids_run: Path
) -> None:
    html = _build(tmp_path, lids_run, widget_map)
    assert "data:image" not in html  # files are referenced, not inlined
    shots = re.findall(r'<a class="shot" href="([^"]+)"[^>]*><img loading="lazy" src="\1"', html)
    assert shots and all((lids_run / urllib.parse.unquote(s)).is_file() for s in shots)
    assert 'href="playwright/red/trace.zip"' in html
    colour = _sections(html)["COLOUR"]
    assert '<span class="badge failing">failing</span>' in colour
    assert "E   AssertionError: it is red failed" in colour and "it is painted red" in colour


def test_statuses_layers_values_and_run_header(tmp_path: Path, widget_map: Path, lids_run: Path) -> None:
    html = _build(tmp_path, lids_run, widget_map)
    sections = _sections(html)
    assert set(sections) == {"COLOUR", "LEGACY-1.0", "LID-CLOSED", "LID-LOCKED"}
    assert '<span class="badge verified">verified</span>' in sections["LID-CLOSED"]
    assert "No scenario carries @LID-LOCKED" in sections["LID-LOCKED"]
    assert "api: passed" in sections["LID-CLOSED"] and "ui: passed" in sections["LID-CLOSED"]
    assert "parity: same" in sections["LID-CLOSED"]
    assert "(seed 5)" in sections["LID-CLOSED"] and "Acme" in sections["LID-CLOSED"]
    assert "<strong>1</strong> of 4 statements verified" in html
    assert "ui: 1 passed, 1 failed" in html


def test_filters_list_every_tag_and_status(tmp_path: Path, widget_map: Path, lids_run: Path) -> None:
    html = _build(tmp_path, lids_run, widget_map)
    assert re.findall(r'<select id="f-tag">(.*?)</select>', html, re.S)[0].count("<option>") == 2  # COLOUR, LID-CLOSED
    assert 'data-status="failed" data-tags="COLOUR"' in html
    assert 'data-status="passed" data-tags="COLOUR LID-CLOSED"' in html
    assert 'id="f-text" type="search"' in html and html.count("<script>") == 1


def test_hostile_text_is_escaped(tmp_path: Path, widget_map: Path, write_feature: object) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (tmp_path / "features/widget").mkdir(parents=True)
    (tmp_path / "features/widget/w.feature").write_text(
        f"@COLOUR\nFeature: W\n  Scenario: Blue {HOSTILE}\n    Given x\n", encoding="utf-8")
    element = cucumber_element("test_blue[ui]", f"Blue {HOSTILE}", 3, [], ["failed"])
    element["steps"][0]["result"]["error_message"] = f"AssertionError: {HOSTILE}"  # type: ignore[index]
    write_cucumber(reports / "cucumber.json", "widget/w.feature", ["COLOUR"], [element])
    evidence = {"tests": {"features/widget/w.feature::test_blue[ui]": {
        "values": {"org_name": HOSTILE, "consumer_secret": "s3cr3t-value"}, "faker_seed": 1, "layer": "ui"}}}
    (reports / "evidence.json").write_text(json.dumps(evidence), encoding="utf-8")
    write_report(reports / "doc.html", results_path=reports / "cucumber.json", features_dir=tmp_path / "features",
                 source_map_path=widget_map, evidence_path=reports / "evidence.json")
    html = (reports / "doc.html").read_text(encoding="utf-8")
    assert HOSTILE not in html and "&lt;script&gt;alert(" in html
    assert "s3cr3t-value" not in html and "masked" in html


def test_page_sentences_beside_each_statement(tmp_path: Path, widget_map: Path, lids_run: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(WIDGET_PAGE.replace("The lid must be locked.", "The lid must be locked twice."), "utf-8")
    sections = _sections(_build(tmp_path, lids_run, widget_map, page=page))
    assert "The widget must be blue. It must also be round." in sections["COLOUR"]
    assert "Older widgets were square." in sections["LEGACY-1.0"]
    assert "changed on the page since the source map" in sections["LID-LOCKED"]
    assert "The lid must be locked twice." in sections["LID-LOCKED"]
    assert "changed on the page" not in sections["COLOUR"]


def test_mutation_strength_and_survivors(tmp_path: Path, widget_map: Path, lids_run: Path) -> None:
    (lids_run / "mutation.json").write_text(json.dumps({"statements": {
        "LID-CLOSED": {"killed": 3, "total": 4, "survivors": ["lid.py:12 close() does nothing"]}}}), "utf-8")
    sections = _sections(_build(tmp_path, lids_run, widget_map, mutation_path=lids_run / "mutation.json"))
    assert "mutation strength 3/4 (75%)" in sections["LID-CLOSED"]
    assert "lid.py:12 close() does nothing" in sections["LID-CLOSED"]
    assert "mutation strength" not in sections["COLOUR"]


def test_layers_that_disagree_are_shown(tmp_path: Path, widget_map: Path, lids_run: Path) -> None:
    evidence = json.loads((lids_run / "evidence.json").read_text())
    ui = next(e for k, e in evidence["tests"].items() if k.endswith("closed[ui]"))
    ui["snapshot"] = {"lid": "open"}
    (lids_run / "evidence.json").write_text(json.dumps(evidence), "utf-8")
    html = _build(tmp_path, lids_run, widget_map)
    assert "parity: different" in _sections(html)["LID-CLOSED"]
    assert "lid: api=&#39;closed&#39; ui=&#39;open&#39;" in html


def test_an_outline_shows_one_parity_badge_per_status(tmp_path: Path, widget_map: Path, lids_run: Path) -> None:
    evidence = json.loads((lids_run / "evidence.json").read_text())
    base = "features/widget/lids.feature::test_widgets_come_in_colours"
    for layer in ("api", "ui"):
        for colour in ("blue", "red"):
            steps = [("Given", "a widget", "passed"), ("When", f"it is painted {colour}", "passed"),
                     ("Then", f"it is {colour}", "passed")]
            nodeid = f"{base}[{layer}-{colour}]"
            evidence["tests"][nodeid] = evidence_entry(nodeid, "Widgets come in colours", 11, steps, layer=layer,
                                                       snapshot={"colour": colour})
    (lids_run / "evidence.json").write_text(json.dumps(evidence), "utf-8")
    colour = _sections(_build(tmp_path, lids_run, widget_map))["COLOUR"]
    (outline,) = [d for d in colour.split("<details") if "<summary>Widgets come in colours" in d]
    badges = re.findall(r'<span class="badge [^"]+">(parity: [^<]*)</span>', outline)
    assert badges == ["parity: same (2 examples)"]


def test_report_cli_needs_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert report.main(["--results", str(tmp_path / "none.json"), "--output", str(tmp_path / "x.html")]) == 2
    assert "not found" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_flat_evidence_form(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    path.write_text(json.dumps({"__run__": {"run_seed": 1}, "a::t[api]": {"faker_seed": 2}, "junk": 3}), "utf-8")
    assert report.load_evidence(path) == ({"run_seed": 1}, {"a::t[api]": {"faker_seed": 2}})
    assert report.load_evidence(tmp_path / "absent.json") == ({}, {})


def test_error_headline() -> None:
    assert report.error_headline("def f():\n>   assert x\nE   AssertionError: nope\nE   more") == "AssertionError: nope"
    assert report.error_headline("line one\nlast words\n") == "last words"
    assert report.error_headline("") == ""


def test_a_generated_run_shows_every_result_once(tmp_path: Path) -> None:
    reports = synthetic_results.generate(tmp_path, 200)
    output = reports / "doc.html"
    started = time.perf_counter()
    write_report(output, results_path=reports / "cucumber.json", features_dir=tmp_path / "features",
                 evidence_path=reports / "evidence.json")
    html = output.read_text(encoding="utf-8")
    assert html.count("<h3>test_synthetic_scenario_") == 200
    # 100 ui runs with a screenshot after When, Then and And; the 3 failing ones stop at Then
    assert html.count('class="shot"') == 100 * 3 - 3
    assert html.count('data-status="failed"') == 3
    print(f"200 results: {time.perf_counter() - started:.2f} s")  # measured by the benchmark, not asserted
