"""The living document is one self-contained HTML file that escapes whatever the run recorded."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.livingdoc import report
from harness.livingdoc.report import write_report

from .conftest import cucumber_element, write_cucumber

HOSTILE = '<script>alert("x")</script>'
# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture
def run_files(tmp_path: Path, write_feature: Callable[[str, str], Path]) -> Path:
    write_feature(
        "widget.feature",
        f"@COLOUR\nFeature: Widget\n  Scenario: Blue {HOSTILE}\n    Given x\n\n"
        "  @LID-CLOSED\n  Scenario: Closed\n    Given x\n",
    )
    reports = tmp_path / "reports"
    (reports / "screenshots").mkdir(parents=True)
    blue = "test_blue_scriptalertxscript[ui]"
    elements = [
        cucumber_element(blue, f"Blue {HOSTILE}", 3, [], ["passed", "failed"]),
        cucumber_element("test_closed[api]", "Closed", 7, ["LID-CLOSED"], ["passed"]),
    ]
    elements[0]["steps"][1]["result"]["error_message"] = f"AssertionError: {HOSTILE}"  # type: ignore[index]
    write_cucumber(reports / "cucumber.json", "widget/widget.feature", ["COLOUR"], elements)
    shot = reports / "screenshots" / "listed.png"
    shot.write_bytes(PNG)
    nodeid = "features/widget/widget.feature::test_closed[api]"
    (reports / "screenshots" / f"{report.sanitise(nodeid)}.png").write_bytes(PNG)
    evidence = {
        "run_seed": 4242,
        "written_at": 1764350000.0,
        "tests": {
            f"features/widget/widget.feature::{blue}": {
                "faker_seed": 77,
                "values": {"org_name": HOSTILE, "consumer_secret": "s3cr3t-value", "password": "pw-value"},
                "screenshots": [str(shot), "unavailable: page closed"],
                "layer": "ui",
                "duration": 2.5,
            },
            nodeid: {
                "faker_seed": 78,
                "values": {"username": "ada@example.com"},
                "layer": "api",
                "duration": 0.25,
            },
        },
    }
    (reports / "evidence.json").write_text(json.dumps(evidence), encoding="utf-8")
    return reports


def _write(tmp_path: Path, reports: Path, widget_map: Path) -> str:
    output = reports / "living-document.html"
    write_report(
        output,
        results_path=reports / "cucumber.json",
        features_dir=tmp_path / "features",
        source_map_path=widget_map,
        evidence_path=reports / "evidence.json",
        screenshots=reports / "screenshots",
    )
    return output.read_text(encoding="utf-8")


def test_report_escapes_hostile_text(tmp_path: Path, widget_map: Path, run_files: Path) -> None:
    html = _write(tmp_path, run_files, widget_map)
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(" in html
    assert html.count("<script") == 0


def test_report_is_self_contained(tmp_path: Path, widget_map: Path, run_files: Path) -> None:
    html = _write(tmp_path, run_files, widget_map)
    assert "<style>" in html
    assert not re.search(r'<link\b|(?:src|href)="(?!data:|#)', html)
    # "Closed" sits under COLOUR (feature tag) and LID-CLOSED, so its screenshot appears twice.
    assert html.count('src="data:image/png;base64,') == 3


def test_report_shows_statuses_layers_steps_values_and_run_header(
    tmp_path: Path, widget_map: Path, run_files: Path
) -> None:
    html = _write(tmp_path, run_files, widget_map)
    sections = {
        m.group(1): m.group(2)
        for m in re.finditer(r'<section class="statement" id="([^"]+)">(.*?)</section>', html, re.S)
    }
    assert set(sections) == {"COLOUR", "LEGACY-1.0", "LID-CLOSED", "LID-LOCKED"}
    assert '<span class="badge failing">failing</span>' in sections["COLOUR"]
    assert '<span class="badge verified">verified</span>' in sections["LID-CLOSED"]
    assert (
        "no scenario" in sections["LID-LOCKED"]
        and "No scenario carries @LID-LOCKED" in sections["LID-LOCKED"]
    )
    assert "ui: failed" in sections["COLOUR"] and "api: not run" in sections["COLOUR"]
    assert "Summary of COLOUR." in sections["COLOUR"]
    assert "(seed 77)" in sections["COLOUR"] and "2.500 s" in sections["COLOUR"]
    assert "s3cr3t-value" not in html and "pw-value" not in html and "masked" in html
    assert "ada@example.com" in sections["LID-CLOSED"]
    assert "AssertionError: &lt;script&gt;" in sections["COLOUR"]
    assert "4242" in html and "2025-11-28" in html
    assert "<strong>1</strong> of 4 statements verified" in html
    assert "api: 1 passed, 0 failed" in html and "ui: 0 passed, 1 failed" in html


def test_report_cli_needs_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert report.main(["--results", str(tmp_path / "none.json"), "--output", str(tmp_path / "x.html")]) == 2
    assert "not found" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_flat_evidence_form(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    path.write_text(
        json.dumps({"__run__": {"run_seed": 1}, "a::t[api]": {"faker_seed": 2}, "junk": 3}), "utf-8"
    )
    assert report.load_evidence(path) == ({"run_seed": 1}, {"a::t[api]": {"faker_seed": 2}})
    assert report.load_evidence(tmp_path / "absent.json") == ({}, {})


def test_error_headline() -> None:
    assert (
        report.error_headline("def f():\n>   assert x\nE   AssertionError: nope\nE   more")
        == "AssertionError: nope"
    )
    assert report.error_headline("line one\nlast words\n") == "last words"
    assert report.error_headline("") == ""
