"""Drift sees wording, not layout: wrapped lines and list markup change nothing, a URL's case does.

Rule served: "Drift: given the page as text or HTML, the tool splits it into statements,
fingerprints them and reports unchanged, changed, new and removed statements" (docs/design.md
section 6), on pages of the project's own making (conftest.py): the report's summary agrees with the
exit status, and a changed statement is never offered new fingerprints to paste.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harness.livingdoc import drift
from harness.livingdoc.splitter import split_text

from .conftest import GUIDE_HTML, GUIDE_PAGE, WIDGET_LAYOUT, WIDGET_PAGE, write_map

EXAMPLE = "Now you must also paste this address into the Return Address box of the partner app: " \
          "https://lantern.corp.example."


def _report(tmp_path: Path, page_text: str, map_path: Path, capsys: pytest.CaptureFixture[str],
            suffix: str = ".txt") -> tuple[int, dict[str, object], str]:
    page = tmp_path / f"page{suffix}"
    page.write_text(page_text, encoding="utf-8")
    argv = [str(page), "--source-map", str(map_path), "--features", str(tmp_path / "none")]
    code = drift.main([*argv, "--json"])
    report = json.loads(capsys.readouterr().out)
    assert drift.main(argv) == code  # text and JSON agree on the exit status
    return code, report, capsys.readouterr().out


def test_a_sentence_wrapped_over_two_lines_is_unchanged(
    tmp_path: Path, guide_map: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = GUIDE_PAGE.read_text(encoding="utf-8")
    wrapped = text.replace("paste this address into the Return Address box",
                           "paste this address into\nthe Return Address box")
    wrapped = wrapped.replace("Read everything (read_all), Keep", "Read everything (read_all),\nKeep")
    assert wrapped.count("\n") == text.count("\n") + 2
    code, report, out = _report(tmp_path, wrapped, guide_map, capsys)
    assert (code, report["drifted"]) == (0, False), out
    assert out.strip().endswith("no drift: the page matches the source map")


def test_list_items_wrapped_in_paragraphs_add_no_sentences(
    tmp_path: Path, guide_map: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html = GUIDE_HTML.read_text(encoding="utf-8")
    wrapped = re.sub(r"<li>(The |https)", r"<li>\n<p>\1", html).replace("</li>", "</p></li>")
    wrapped = wrapped.replace("<li><a ", "<li><div><a ").replace("</a></p></li>", "</a></div></li>")
    assert wrapped.count("<p>") > html.count("<p>")
    assert [s.text for s in split_text(wrapped) if s.normalised in ("-", "")] == []
    assert [s.fingerprint for s in split_text(wrapped)] == [s.fingerprint for s in split_text(html)]
    code, report, _ = _report(tmp_path, wrapped, guide_map, capsys, ".html")
    assert (code, report["new"]) == (0, [])


def test_a_url_whose_case_changed_is_drift(
    tmp_path: Path, guide_map: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = GUIDE_PAGE.read_text(encoding="utf-8")
    assert EXAMPLE in text
    code, report, out = _report(tmp_path, text.replace("https://lantern.corp.example.",
                                                       "HTTPS://Lantern.corp.example."), guide_map, capsys)
    assert code == 1 and report["drifted"] is True
    changed = [s for s in report["statements"] if s["status"] == "changed"]
    assert [c["text"] for s in changed for c in s["changes"]] == [EXAMPLE.replace("https://lantern",
                                                                                  "HTTPS://Lantern")]
    assert "statement(s) changed" in out.splitlines()[-1]


def test_only_new_sentences_is_drift_and_the_summary_says_so(
    tmp_path: Path, widget_map: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = WIDGET_PAGE + "Appendix\n"
    code, report, out = _report(tmp_path, page, widget_map, capsys)
    assert code == 1 and len(report["new"]) == 1
    assert out.splitlines()[-1] == "drift: 1 new sentence(s) no statement owns"


def test_a_changed_statement_is_never_offered_new_fingerprints(
    tmp_path: Path, widget_map: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = WIDGET_PAGE.replace("The widget must be blue.", "The widget must not be blue.")
    code, report, out = _report(tmp_path, page, widget_map, capsys)
    (colour,) = [s for s in report["statements"] if s["id"] == "COLOUR"]
    assert code == 1 and colour["status"] == "changed"
    assert "proposed" not in colour and "no fingerprints are proposed" in colour["review"]
    assert "proposed:" not in out and "review:" in out


def test_a_statement_that_only_moved_is_offered_its_new_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    map_path = write_map(tmp_path / "widget.toml", WIDGET_PAGE, WIDGET_LAYOUT)
    page = WIDGET_PAGE.replace("Rules\n", "Rules\nA new rule for widgets was added here.\n")
    code, report, out = _report(tmp_path, page, map_path, capsys)
    (locked,) = [s for s in report["statements"] if s["id"] == "LID-LOCKED"]
    assert locked["status"] == "unchanged" and locked["proposed"]["sentences"] == [8, 8]
    assert "changes no meaning" in locked["proposed"]["why"]
    assert "proposed: sentences = [8, 8]" in out and "only moved" in out.splitlines()[-1]
    assert code == 1  # the added sentence is still drift
