"""The article of a published page: site chrome goes, the page's own notes and tables stay."""

from __future__ import annotations

import pytest

from harness.livingdoc.published import article_html, is_chrome_line
from harness.livingdoc.splitter import html_to_text


@pytest.mark.parametrize(
    "line",
    ["Page updated 3/14/2026", "Last updated: May 2, 2025", "Updated on 2025-05-02", "Was this page helpful?",
     "Send feedback", "© 2026 Lantern Software", "Copyright 2026 Lantern"],
)
def test_chrome_lines(line: str) -> None:
    assert is_chrome_line(line)


@pytest.mark.parametrize(
    "line",
    ["Updated settings apply at the next backup.", "Send the feedback form to the administrator before 5 PM.",
     "The page was updated by the administrator.", "Note"],
)
def test_statements_are_not_chrome(line: str) -> None:
    assert not is_chrome_line(line)


def test_the_article_is_chosen_and_its_own_header_kept() -> None:
    html = """<html><body><header><a href="/">Site</a></header>
    <div role="navigation">Home > Guide</div>
    <main><article><header><h1>Widget setup</h1><div class="breadcrumb">Guide > Widgets</div></header>
    <div class="note"><p>Note</p><p>Older widgets were square.</p></div>
    <table><tr><td>Lid</td><td>Closed</td></tr></table>
    <section class="feedback">Rate this page</section></article>
    <aside>Related pages</aside></main><footer>Footer words.</footer></body></html>"""
    assert html_to_text(html).splitlines() == ["Widget setup", "Note", "Older widgets were square.", "Lid", "Closed"]
    assert "Site" not in article_html(html)


def test_a_page_without_article_or_main_uses_the_body() -> None:
    html = "<html><head><title>T</title></head><body><nav>Menu</nav><p>The lid must be closed.</p></body></html>"
    assert html_to_text(html) == "The lid must be closed."
