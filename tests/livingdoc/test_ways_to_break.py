"""The living document shows each statement's counter-examples beside it (docs/design.md section 2)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from harness.livingdoc import cucumber_json
from harness.livingdoc.evidence_file import load_evidence_file
from harness.livingdoc.report import write_report


def _sections(tmp_path: Path, reports: Path, widget_map: Path, counterexamples: Path) -> dict[str, str]:
    cucumber_json.write(reports / "cucumber.json", load_evidence_file(reports / "evidence.json"))
    output = reports / "living-document.html"
    write_report(output, results_path=reports / "cucumber.json", features_dir=tmp_path / "features",
                 source_map_path=widget_map, evidence_path=reports / "evidence.json",
                 counterexamples_path=counterexamples)
    html = output.read_text(encoding="utf-8")
    return {m.group(1): m.group(2)
            for m in re.finditer(r'<section class="statement" id="([^"]+)">(.*?)</section>', html, re.S)}


def test_each_statement_names_its_ways_to_break_it_and_which_were_caught(
        tmp_path: Path, widget_map: Path, lids_run: Path) -> None:
    items = [{"name": "lid-stays-open", "breaks": "close() does nothing", "verdict": "caught",
              "by": "test_closing[api]"},
             {"name": "<b>bold</b>", "breaks": "the lid <script>closes</script> twice", "verdict": "missed"}]
    path = lids_run / "counterexamples.json"
    path.write_text(json.dumps({"statements": {"LID-CLOSED": {"items": items}}}), "utf-8")
    sections = _sections(tmp_path, lids_run, widget_map, path)
    closed = sections["LID-CLOSED"]
    assert closed.count("ways to break it: 2, caught: 1") == 2  # the badge and the list's heading
    assert "lid-stays-open" in closed and "close() does nothing" in closed and "test_closing[api]" in closed
    assert "not caught" in closed and "&lt;script&gt;" in closed and "<script>closes" not in closed
    assert "ways to break it" not in sections["COLOUR"]


def test_no_results_file_shows_no_ways(tmp_path: Path, widget_map: Path, lids_run: Path) -> None:
    sections = _sections(tmp_path, lids_run, widget_map, lids_run / "absent.json")
    assert all("ways to break it" not in body for body in sections.values())
