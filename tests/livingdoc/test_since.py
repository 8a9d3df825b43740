"""`signoff --since OLD`: verdicts changed, scenarios added or removed, page sentences changed.

Rule served: "QA runs the sign-off command before a release and archives the signed report"
(docs/design.md section 1): the next sign-off lists what moved since the archived one, in the
record, the summary and the living document, so a reviewer re-reads only that.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.livingdoc import signoff
from harness.livingdoc.results import ResultsError
from harness.livingdoc.since import load_record

from .conftest import WIDGET_PAGE, cucumber_element, write_cucumber

FEATURE = """@COLOUR @LEGACY-1.0
Feature: W
  @LID-CLOSED @LID-LOCKED
  Scenario: All
    Given x
{extra}"""
EXTRA = """
  Scenario: Another
    Given x
"""


def _sign(tmp_path: Path, write_feature: Callable[[str, str], Path], widget_map: Path, folder: str,
          statuses: list[str], *, another: bool = False, page: Path | None = None,
          since: dict[str, object] | None = None, ways: dict[str, str] | None = None) -> dict[str, object]:
    write_feature("w.feature", FEATURE.format(extra=EXTRA if another else ""))
    reports = tmp_path / folder
    reports.mkdir()
    if ways is not None:  # counter-example name -> verdict, all of statement LID-CLOSED
        items = [{"name": name, "breaks": f"{name} breaks the lid", "verdict": verdict}
                 for name, verdict in ways.items()]
        (reports / "counterexamples.json").write_text(json.dumps({"statements": {"LID-CLOSED": {"items": items}}}),
                                                      "utf-8")
    elements = [cucumber_element(f"test_all[{layer}]", "All", 4, [], [status])
                for layer, status in zip(("api", "ui"), statuses, strict=True)]
    if another:
        elements += [cucumber_element(f"test_another[{layer}]", "Another", 7, [], ["passed"])
                     for layer in ("api", "ui")]
    write_cucumber(reports / "cucumber.json", "widget/w.feature", [], elements)
    (reports / "evidence.json").write_text(json.dumps({"run_seed": 99, "tests": {}}), "utf-8")
    signoff.sign_off(reports, test_exit_code=0, features_dir=tmp_path / "features", source_map_path=widget_map,
                     page=page, since=since)
    return json.loads((reports / "signoff.json").read_text(encoding="utf-8"))


def test_what_moved_since_the_last_signoff_is_listed(
    tmp_path: Path, widget_map: Path, write_feature: Callable[[str, str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old = _sign(tmp_path, write_feature, widget_map, "old", ["passed", "passed"], page=tmp_path / "widget.txt")
    assert old["verdicts"] == {"widget/w.feature::test_all": {"api": "passed", "ui": "passed"}}
    page = tmp_path / "changed.txt"
    page.write_text(WIDGET_PAGE.replace("It must also be round.", "It must also be square."), encoding="utf-8")
    capsys.readouterr()
    new = _sign(tmp_path, write_feature, widget_map, "new", ["passed", "failed"], another=True, page=page,
                since=old)
    moved = new["since"]
    assert moved["since_run"] == old["run_id"]
    assert moved["verdicts_changed"] == ["widget/w.feature::test_all: api passed, ui passed -> api passed, ui failed"]
    assert moved["scenarios_added"] == ["widget/w.feature::test_another"] and moved["scenarios_removed"] == []
    assert moved["page_sentences_changed"] == ["COLOUR"]
    assert "LID-CLOSED: verified -> failing" in moved["statements_changed"]
    out = capsys.readouterr().out
    assert f"since {old['run_id']}:" in out and "verdict: widget/w.feature::test_all" in out
    html = (tmp_path / "new" / "living-document.html").read_text(encoding="utf-8")
    assert f"Changed since sign-off {old['run_id']}" in html and "<code>COLOUR</code>" in html
    digest = hashlib.sha256((tmp_path / "new" / "living-document.html").read_bytes()).hexdigest()
    assert new["files_sha256"]["living-document.html"] == digest  # the checksum is of the page with the list


def test_nothing_moved_says_so(
    tmp_path: Path, widget_map: Path, write_feature: Callable[[str, str], Path]
) -> None:
    old = _sign(tmp_path, write_feature, widget_map, "old", ["passed", "passed"])
    new = _sign(tmp_path, write_feature, widget_map, "new", ["passed", "passed"], since=old)
    moved = new["since"]
    assert [k for k, v in moved.items() if isinstance(v, list) and v] == []
    assert "Nothing changed." in (tmp_path / "new" / "living-document.html").read_text(encoding="utf-8")


def test_a_record_from_an_older_harness_is_not_taken_for_unchanged(
    tmp_path: Path, widget_map: Path, write_feature: Callable[[str, str], Path]
) -> None:
    old = {"run_id": "20260101T000000Z-aaaa", "statements": {"COLOUR": "verified"}}
    new = _sign(tmp_path, write_feature, widget_map, "new", ["passed", "passed"], since=old)
    assert new["since"]["unknown"] and new["since"]["scenarios_added"] == []


def test_a_file_that_is_not_a_record_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ResultsError, match="not a sign-off record"):
        load_record(bad)
    args = argparse.Namespace(reports=tmp_path, features=tmp_path, source_map=None, page=None, signed_by=None,
                              since=bad)
    assert signoff.run(args) == 2 and "not a sign-off record" in capsys.readouterr().err


def test_counter_examples_added_or_no_longer_caught_are_listed(
    tmp_path: Path, widget_map: Path, write_feature: Callable[[str, str], Path]
) -> None:
    old = _sign(tmp_path, write_feature, widget_map, "old", ["passed", "passed"], ways={"lid-open": "caught"})
    same = _sign(tmp_path, write_feature, widget_map, "same", ["passed", "passed"], since=old,
                 ways={"lid-open": "caught"})
    assert same["since"]["counterexamples_changed"] == []
    new = _sign(tmp_path, write_feature, widget_map, "new", ["passed", "passed"], since=old,
                ways={"lid-open": "missed", "lid-glued": "caught"})
    assert new["since"]["counterexamples_changed"] == ["LID-CLOSED"]
    assert new["statement_counterexamples"] == {"LID-CLOSED": ["lid-glued: caught", "lid-open: not caught"]}
    html = (tmp_path / "new" / "living-document.html").read_text(encoding="utf-8")
    assert "Statements whose counter-examples changed" in html


def test_a_record_without_counter_examples_is_not_taken_for_unchanged(
    tmp_path: Path, widget_map: Path, write_feature: Callable[[str, str], Path]
) -> None:
    old = _sign(tmp_path, write_feature, widget_map, "old", ["passed", "passed"])
    del old["statement_counterexamples"]
    new = _sign(tmp_path, write_feature, widget_map, "new", ["passed", "passed"], since=old, ways={"x": "caught"})
    assert "the earlier record keeps no counter-example results" in new["since"]["unknown"]
