"""The article of a page as published on the web, without the site around it.

Rule served: "Drift: given the page as text or HTML, the tool splits it into statements"
(docs/design.md section 6). A published page wraps the article in site chrome: header and
navigation, breadcrumbs, a table of contents, "page updated" stamps, feedback prompts, footer and
scripts. None of these is a statement of the page, and they change without the page changing, so
they are removed before the page is split; notes and tables inside the article stay.

The article is the first ``<article>``, else ``<main>`` or ``role="main"``, else the ``<body>``.
Inside it, elements whose tag or ARIA role marks them as chrome, or whose class or id names a
chrome part (breadcrumb, feedback, toc, ...), are dropped, and so are whole lines that only stamp
a date or ask for feedback.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

_CHROME_TAGS = ("script", "style", "noscript", "template", "nav", "aside", "footer", "form", "button",
                "iframe", "svg", "head")
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary"}
_CHROME_NAMES = re.compile(
    r"breadcrumb|feedback|helpful|rating|\btoc\b|table-of-contents|sidebar|side-nav|navbar|menu|cookie|"
    r"share|social|page-meta|last-updated|updated|print-?link|skip-link|pagination|prev-next",
    re.IGNORECASE,
)
# Whole lines that are chrome even when the site gives them no telling class.
_CHROME_LINES = re.compile(
    r"^(?:(?:page|article|this page was|last)\s+)?(?:updated|modified|published)(?:\s+on)?:?\s*"
    r"(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)"
    r"|^was this (?:page|article|topic) helpful\??"
    r"|^(?:send|give|leave|submit) (?:us )?(?:your )?feedback\.?$"
    r"|^(?:©|\(c\)|copyright\b)",
    re.IGNORECASE,
)


def _article(soup: BeautifulSoup) -> Tag:
    for candidate in (soup.find("article"), soup.find("main"), soup.find(attrs={"role": "main"}), soup.body):
        if isinstance(candidate, Tag):
            return candidate
    return soup


def _is_chrome(element: Tag) -> bool:
    if element.name in _CHROME_TAGS or str(element.get("role", "")).lower() in _CHROME_ROLES:
        return True
    if element.name == "header" and element.find(["h1", "h2"]) is None:
        return True  # a site header; an article's own header holds its title
    names = " ".join([*element.get("class", []), str(element.get("id", ""))])
    return bool(names.strip()) and bool(_CHROME_NAMES.search(names))


def article_html(html: str) -> str:
    """The article's HTML with the chrome inside it removed."""
    soup = BeautifulSoup(html, "html.parser")
    article = _article(soup)
    for element in list(article.find_all(True)):
        if not element.decomposed and _is_chrome(element):
            element.decompose()
    return str(article)


def is_chrome_line(line: str) -> bool:
    return bool(_CHROME_LINES.search(line.strip()))
