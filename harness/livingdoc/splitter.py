"""Split a documentation page into sentences and fingerprint them.

Rule served: "Drift: given the page as text or HTML, the tool splits it into statements,
fingerprints them ..." and "a fingerprint of the original sentence(s). Do not paste the original
sentences into the repository" (docs/design.md section 6). A fingerprint is the first 16 hex digits of
the sha256 of the normalised sentence, so the repository can recognise a sentence without holding
its words. The same page as plain text or as HTML yields the same fingerprints.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from harness.livingdoc.published import article_html, is_chrome_line

FINGERPRINT_LENGTH = 16

_BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "title",
    "tr",
    "ul",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head"}
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
# A boundary is end punctuation, optional closing quote/bracket, whitespace, then a plausible start.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_NO_BREAK_AFTER = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|vs|No|approx|Fig|cf)\.|^(?:Step|Section|Chapter)\s+\d{1,3}\.)$", re.IGNORECASE
)
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u25cf\u25e6]|\d{1,2}[.)])\s+")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a page. ``text`` lives in memory only; the repository keeps ``fingerprint``."""

    index: int
    block: int
    text: str
    normalised: str
    fingerprint: str


# A URL is compared exactly by Salesforce (callback URLs), so its letters keep their case.
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")
# A line continues the sentence above when that line did not end one and this one reads as its rest:
# it starts in lower case, or the line above stops on a comma or a word that cannot end a sentence.
_ENDS_BLOCK = re.compile(r"[.!?:][\"')\]]*$")
_OPEN_END = re.compile(r"(?:,|;|\b(?:a|an|the|and|or|of|to|in|on|for|with|as|at|by|from|your|its|is|are))$",
                       re.IGNORECASE)
_STARTS_LOWER = re.compile(r"^[\"'(\[]?[a-z]")
_TABLE_ROW = re.compile(r"^\s*\|")


def normalise(text: str) -> str:
    """Unicode-fold, straighten quotes and dashes, drop bullets and table pipes, collapse space, lowercase.

    URLs keep their case: ``HTTPS://172.12.0.1`` is another callback URL to Salesforce's exact match,
    so rewriting one is a change of meaning, and drift must see it.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _BULLET.sub("", text)
    text = re.sub(r"\s+", " ", text.strip().strip("|").strip())
    pieces = []
    last = 0
    for match in _URL.finditer(text):
        pieces += [text[last : match.start()].lower(), match.group(0)]
        last = match.end()
    return "".join([*pieces, text[last:].lower()])


def join_wrapped_lines(text: str) -> list[str]:
    """The page's blocks: a sentence wrapped over several lines is one block, as if written on one.

    Rule served: drift reports changes of wording, never of layout (docs/design.md section 6). A new
    block starts after a blank line, at a bullet or table row, and after a line that ended a sentence.
    """
    blocks: list[str] = []
    previous = ""
    for line in text.splitlines():
        stripped = line.strip()
        continues = (previous and stripped and not _BULLET.match(stripped) and not _TABLE_ROW.match(stripped)
                     and not _ENDS_BLOCK.search(previous)
                     and (_STARTS_LOWER.match(stripped) or _OPEN_END.search(previous)))
        if continues:
            blocks[-1] = f"{blocks[-1]} {stripped}"
        elif stripped:
            blocks.append(stripped)
        previous = blocks[-1] if stripped else ""
    return blocks


def fingerprint(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


class _TextExtractor(HTMLParser):
    """Plain text of an HTML page, one line per block element; script/style dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._bullet = False  # a list item opened and none of its text seen yet

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            if tag == "li":
                self.parts.append("\n- ")
                self._bullet = True
            elif not self._bullet:  # <li><p>text</p></li>: the item's text stays on the bullet's line
                self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS and not self._bullet:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:  # HTML collapses white space: a line break in the source is a space
            self.parts.append(re.sub(r"\s+", " ", data))
            self._bullet = self._bullet and not data.strip()


def html_to_text(html: str) -> str:
    """The article's text, one line per block, without the published site's chrome (published.py)."""
    parser = _TextExtractor()
    parser.feed(article_html(html))
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line and not is_chrome_line(line))


def looks_like_html(text: str) -> bool:
    return bool(
        re.search(r"<\s*(?:html|body|p|div|h[1-6]|li|ul|table|span|br)\b", text[:4096], re.IGNORECASE)
    )


def split_block(block: str) -> list[str]:
    """Split one block (a line or paragraph) into sentences."""
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(block):
        head = block[start : match.start()].rstrip()
        # Keep "Step 5." or "e.g." with what follows; they end words, not sentences.
        if _NO_BREAK_AFTER.search(re.sub(r"[\"')\]]+$", "", head)):
            continue
        pieces.append(block[start : match.end()].strip())
        start = match.end()
    pieces.append(block[start:].strip())
    return [p for p in pieces if normalise(p)]


def split_text(text: str) -> list[Sentence]:
    """Split a page (plain text or HTML) into numbered, fingerprinted sentences."""
    # HTML marks its blocks (html_to_text gives one per line); plain text only has line breaks
    blocks = html_to_text(text).splitlines() if looks_like_html(text) else join_wrapped_lines(text)
    sentences: list[Sentence] = []
    for block_no, block in enumerate(b for b in blocks if normalise(b)):
        for piece in split_block(block):
            norm = normalise(piece)
            digest = hashlib.sha256(norm.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]
            sentences.append(Sentence(len(sentences), block_no, piece, norm, digest))
    return sentences


def split_page(path: Path) -> list[Sentence]:
    return split_text(Path(path).read_text(encoding="utf-8"))


def page_fingerprint(fingerprints: list[str]) -> str:
    """One fingerprint for a whole page: sha256 over its sentence fingerprints, in order.

    The source map's fingerprint sequence gives the same value as the page it was made from, so a
    sign-off record can name the page it was checked against without holding any of its words.
    """
    return hashlib.sha256("\n".join(fingerprints).encode("ascii")).hexdigest()
