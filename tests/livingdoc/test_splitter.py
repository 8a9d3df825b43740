"""The splitter turns a page (text, HTML, a published page) into fingerprinted sentences (docs/design.md s. 6)."""

from __future__ import annotations

from pathlib import Path

from harness.livingdoc import sourcemap
from harness.livingdoc.splitter import (
    fingerprint,
    html_to_text,
    normalise,
    split_block,
    split_page,
    split_text,
)

from .conftest import GUIDE_HTML, GUIDE_PAGE, WIDGET_PAGE


def test_normalise_folds_case_space_quotes_bullets_and_pipes() -> None:
    assert normalise("  - The \u201cLid\u201d   must\u00a0be  closed. |") == 'the "lid" must be closed.'
    assert normalise("\u2022 It\u2019s on") == "it's on"
    assert fingerprint("The lid.") == fingerprint("- the   LID.") != fingerprint("The lid!")
    assert len(fingerprint("x")) == 16


def test_sentence_boundaries() -> None:
    assert split_block("Step 5. Create the app") == ["Step 5. Create the app"]
    assert split_block("Use e.g. this one. Then stop.") == ["Use e.g. this one.", "Then stop."]
    assert split_block("It has the address 10.0.0.1. To continue, wait.") == [
        "It has the address 10.0.0.1.",
        "To continue, wait.",
    ]
    assert split_block("Version 3.2 is new. see lower case") == ["Version 3.2 is new. see lower case"]
    assert split_block('He said "stop." Then left.') == ['He said "stop."', "Then left."]


def test_text_sentences_are_numbered_by_block() -> None:
    sentences = split_text(WIDGET_PAGE)
    assert [s.block for s in sentences] == [0, 1, 1, 2, 3, 4, 5, 6]
    assert [s.index for s in sentences] == list(range(8))
    assert sentences[3].normalised == "note"


def test_html_and_text_give_the_same_fingerprints() -> None:
    html = """<!DOCTYPE html><html><head><title>x</title><style>p{color:red}</style></head><body>
    <h1>Widget setup</h1>
    <p>The widget must be <b>blue</b>.
       It must also be round.</p>
    <table><tr><td>Note</td><td>Older widgets were square.</td></tr></table>
    <script>var hidden = "The lid must be open.";</script>
    <h2>Rules</h2><ul><li>The lid must be closed.</li><li>The lid must be&nbsp;locked.</li></ul>
    </body></html>"""
    assert [s.fingerprint for s in split_text(html)] == [s.fingerprint for s in split_text(WIDGET_PAGE)]
    assert "hidden" not in html_to_text(html)


def test_guide_page_has_the_packaged_maps_shape(guide_map: Path) -> None:
    """Our guide page splits like the documented page: the packaged map's ranges fit it exactly."""
    sentences = split_page(GUIDE_PAGE)
    packaged, ours = sourcemap.load(), sourcemap.load(guide_map)
    assert len(sentences) == packaged.sentence_count == ours.sentence_count
    assert [s.fingerprint for s in sentences] == [digest for digest, _ in ours.sequence()]
    assert [s.sentences for s in ours.statements] == [s.sentences for s in packaged.statements]


def test_published_html_splits_like_the_text(guide_map: Path) -> None:
    assert [s.fingerprint for s in split_page(GUIDE_HTML)] == [s.fingerprint for s in split_page(GUIDE_PAGE)]
    text = html_to_text(GUIDE_HTML.read_text(encoding="utf-8"))
    for chrome in ("Lantern Help Center", "Deployment", "Step 3.", "Page updated", "helpful", "feedback", "©",
                   "dataLayer", "cookies", "On this page"):
        assert chrome not in text


def test_html_white_space_collapses() -> None:
    html = "<body><p>The lid must\n   be closed.</p></body>"
    assert html_to_text(html) == "The lid must be closed."
