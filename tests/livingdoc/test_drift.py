"""Drift reports unchanged, changed, new and removed statements and the scenarios they touch."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.livingdoc import drift, sourcemap

from .conftest import GUIDE_HTML, GUIDE_PAGE, WIDGET_PAGE

FEATURE = """@LID-CLOSED
Feature: Lids
  @api_only
  Scenario: A closed lid stays closed
    Given a widget

  @COLOUR
  Scenario: The widget is blue
    Given a widget
"""


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = drift.main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def _by_id(report: dict[str, object]) -> dict[str, dict[str, object]]:
    statements = report["statements"]
    assert isinstance(statements, list)
    return {s["id"]: s for s in statements}


def test_unchanged_page_does_not_drift(
    tmp_path: Path, widget_map: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = _run(capsys, str(tmp_path / "widget.txt"), "--source-map", str(widget_map))
    assert code == 0
    assert report["drifted"] is False
    assert {s["status"] for s in _by_id(report).values()} == {"unchanged"}


def test_changed_new_and_removed(
    tmp_path: Path,
    widget_map: Path,
    write_feature: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_feature("lids.feature", FEATURE)
    page = tmp_path / "changed.txt"
    page.write_text(
        WIDGET_PAGE.replace("It must also be round.", "It must also be square.")
        .replace("- The lid must be locked.\n", "")
        .replace("Rules\n", "Rules\n- The widget must be signed by an engineer on duty.\n"),
        encoding="utf-8",
    )
    code, report = _run(
        capsys, str(page), "--source-map", str(widget_map), "--features", str(tmp_path / "features")
    )
    assert code == 1
    statements = _by_id(report)
    assert statements["COLOUR"]["status"] == "changed"
    (change,) = statements["COLOUR"]["changes"]
    assert change["kind"] == "changed" and change["text"] == "It must also be square."
    assert statements["COLOUR"]["scenarios"] == [
        f"The widget is blue ({tmp_path / 'features/widget/lids.feature'}:8)"
    ]
    assert statements["LID-LOCKED"]["status"] == "removed"
    assert statements["LID-CLOSED"]["status"] == "unchanged"
    assert statements["LEGACY-1.0"]["status"] == "unchanged"
    (new,) = report["new"]
    assert new["text"] == "- The widget must be signed by an engineer on duty."


def test_sentence_added_inside_a_statement_changes_it(tmp_path: Path, widget_map: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text(
        WIDGET_PAGE.replace("- The lid must be closed.", "- The lid must be closed, always."), "utf-8"
    )
    report = drift.check_page(page, sourcemap.load(widget_map))
    assert [s.owner for s in report.statements if s.status != "unchanged"] == ["LID-CLOSED"]
    assert report.statements[-2].new_indexes == [6]


def test_similar_sentence_next_to_a_statement_joins_it(tmp_path: Path, widget_map: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text(WIDGET_PAGE + "- The lid must be sealed.\n", "utf-8")
    report = drift.check_page(page, sourcemap.load(widget_map))
    locked = report.statements[-1]
    assert locked.status == "changed" and locked.changes[0].kind == "added"
    assert report.new == []


def test_untestable_changes_are_told_apart(tmp_path: Path, widget_map: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text(WIDGET_PAGE.replace("Rules", "Requirements"), "utf-8")
    report = drift.check_page(page, sourcemap.load(widget_map))
    assert report.drifted
    assert all(s.status == "unchanged" for s in report.statements)
    assert [u.summary for u in report.untestable if u.changes] == ["heading"]
    assert "not testable" in drift.format_text(report)


def test_guide_page_unchanged(guide_map: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = _run(capsys, str(GUIDE_PAGE), "--source-map", str(guide_map))
    assert code == 0 and report["drifted"] is False
    assert len(_by_id(report)) == 8


def test_published_page_with_site_chrome_is_unchanged(guide_map: Path) -> None:
    html = GUIDE_HTML.read_text(encoding="utf-8")
    assert all(chrome in html for chrome in ("breadcrumb", "<footer", "Page updated", "Was this page helpful"))
    report = drift.check_page(GUIDE_HTML, sourcemap.load(guide_map))
    assert not report.drifted, drift.format_text(report)
    assert report.sentence_count == 23


def test_chrome_changes_are_not_drift(tmp_path: Path, guide_map: Path) -> None:
    html = (
        GUIDE_HTML.read_text(encoding="utf-8")
        .replace("Page updated 3/14/2026", "Page updated 9/1/2026")
        .replace("<li><a href=\"/docs/deploy\">Deployment</a></li>", "<li><a href=\"/d\">Installing</a></li>")
        .replace("All rights reserved.", "Some rights reserved. New footer sentence.")
        .replace("Step 5. Plan Archives", "Step 5. Plan Your Archives")
        .replace("function track(event)", "function track(name)")
    )
    page = tmp_path / "republished.html"
    page.write_text(html, encoding="utf-8")
    assert not drift.check_page(page, sourcemap.load(guide_map)).drifted


def test_edits_inside_the_published_article_are_caught(
    tmp_path: Path, guide_map: Path, write_feature: Callable[[str, str], Path]
) -> None:
    write_feature("scopes.feature", "@SCOPES\nFeature: Scopes\n  Scenario: Permissions are asked for\n    Given x\n")
    html = (
        GUIDE_HTML.read_text(encoding="utf-8")
        .replace("<em>Know who you are (whoami)</em> permissions.",
                 "<em>Know who you are (whoami)</em> and <em>Write reports (report)</em> permissions.")
        .replace("every linked Harbor account used one shared partner app.",
                 "every linked Harbor account used one shared partner app per region.")
        .replace("<li>The following switch must be off: <strong>Demand Proof Challenge (DPC)</strong>.</li>", "")
        .replace("<p>Consider this example:</p>",
                 "<p>The partner app must have an owner.</p><p>Consider this example:</p>")
    )
    page = tmp_path / "edited.html"
    page.write_text(html, encoding="utf-8")
    report = drift.check_page(page, sourcemap.load(guide_map), tmp_path / "features")
    status = {s.owner: s.status for s in report.statements}
    assert status == {"PURPOSE": "unchanged", "LEGACY-3.2": "changed", "SCOPES": "changed", "OAUTH-ON": "unchanged",
                      "PKCE-OFF": "removed", "CALLBACK": "unchanged", "EXAMPLE-DNS": "unchanged",
                      "EDIT-REAUTH": "unchanged"}
    scopes = next(s for s in report.statements if s.owner == "SCOPES")
    assert scopes.scenarios[0].startswith("Permissions are asked for")
    assert "Write reports (report)" in scopes.changes[0].text
    assert [c.text for c in report.new] == ["The partner app must have an owner."]


def test_guide_page_as_plain_html_unchanged(guide_map: Path, tmp_path: Path) -> None:
    lines = GUIDE_PAGE.read_text(encoding="utf-8").splitlines()
    body = "".join(f"<li>{ln[2:]}</li>" if ln.startswith("- ") else f"<p>{ln}</p>" for ln in lines[1:])
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><h1>{lines[0]}</h1>{body}</body></html>", "utf-8")
    report = drift.check_page(page, sourcemap.load(guide_map))
    assert not report.drifted, drift.format_text(report)


def test_unreadable_inputs_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert drift.main([str(tmp_path / "absent.txt")]) == 2
    assert "cannot read page" in capsys.readouterr().err
    assert drift.main([str(tmp_path), "--source-map", str(tmp_path / "none.toml")]) == 2
