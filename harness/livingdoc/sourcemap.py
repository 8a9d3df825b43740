"""Load and validate the source map of a documented page.

Rule served: "Source map: one structured file per documented page, listing each statement's id,
kind (purpose, consideration, example, note), a one-line summary in our own words and a fingerprint
of the original sentence(s)" (docs/design.md section 6). Every error names the file and the field, so a
writer editing the TOML by hand sees at once what to fix.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

PAGES_DIR = Path(__file__).parent / "source_maps"
DEFAULT_PAGE = "create_external_client_app"
KINDS = ("purpose", "consideration", "example", "note")
# An id tag is all caps, with optional digits and dash/dot separated parts: @SCOPES, @LEGACY-3.2.
ID_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*(?:[-.][A-Z0-9]+)*$")
_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")
_SUMMARY_MAX = 160


class SourceMapError(ValueError):
    """The source map file is unreadable or breaks a rule; the message names file and field."""


@dataclass(frozen=True)
class Statement:
    id: str
    kind: str
    summary: str
    sentences: tuple[int, int]  # inclusive index range in the split page
    fingerprints: tuple[str, ...]


@dataclass(frozen=True)
class Untestable:
    role: str
    sentences: tuple[int, int]
    fingerprints: tuple[str, ...]


@dataclass(frozen=True)
class SourceMap:
    path: Path
    page_id: str
    title: str
    source: str
    sentence_count: int
    statements: tuple[Statement, ...]
    untestable: tuple[Untestable, ...]

    @property
    def ids(self) -> list[str]:
        return [s.id for s in self.statements]

    def statement(self, statement_id: str) -> Statement:
        for item in self.statements:
            if item.id == statement_id:
                return item
        raise KeyError(statement_id)

    def sequence(self) -> list[tuple[str, str | None]]:
        """(fingerprint, owning statement id or None if untestable), in page order."""
        slots: dict[int, tuple[str, str | None]] = {}
        entries: list[Statement | Untestable] = [*self.statements, *self.untestable]
        for entry in entries:
            owner = entry.id if isinstance(entry, Statement) else None
            for offset, digest in enumerate(entry.fingerprints):
                slots[entry.sentences[0] + offset] = (digest, owner)
        return [slots[i] for i in sorted(slots)]


def default_path(page: str = DEFAULT_PAGE) -> Path:
    return PAGES_DIR / f"{page}.toml"


def is_id_tag(tag: str) -> bool:
    return bool(ID_PATTERN.match(tag.lstrip("@")))


class _Checker:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> SourceMapError:
        return SourceMapError(f"{self.path}: {where}: {message}")

    def text(self, table: dict[str, object], key: str, where: str) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}.{key}", "required, a non-empty string")
        return value.strip()

    def span(
        self, table: dict[str, object], where: str, count: int
    ) -> tuple[tuple[int, int], tuple[str, ...]]:
        rng = table.get("sentences")
        if not (isinstance(rng, list) and len(rng) == 2 and all(type(i) is int for i in rng)):
            raise self.fail(f"{where}.sentences", "required, [first, last] sentence indexes")
        first, last = rng
        if not 0 <= first <= last < count:
            raise self.fail(f"{where}.sentences", f"[{first}, {last}] is outside 0..{count - 1}")
        prints = table.get("fingerprints")
        if not isinstance(prints, list) or not prints:
            raise self.fail(f"{where}.fingerprints", "required, a list of 16-hex-digit fingerprints")
        for n, digest in enumerate(prints):
            if not isinstance(digest, str) or not _FINGERPRINT.match(digest):
                raise self.fail(f"{where}.fingerprints[{n}]", f"{digest!r} is not 16 lowercase hex digits")
        if len(prints) != last - first + 1:
            raise self.fail(
                f"{where}.fingerprints", f"{len(prints)} fingerprints for {last - first + 1} sentences"
            )
        return (first, last), tuple(prints)


def load(path: Path | None = None) -> SourceMap:
    """Read and validate a source map (default: the page this project documents)."""
    path = Path(path) if path is not None else default_path()
    check = _Checker(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceMapError(f"{path}: source map file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourceMapError(f"{path}: not valid TOML: {exc}") from None
    page = data.get("page")
    if not isinstance(page, dict):
        raise check.fail("page", "required table [page] is missing")
    count = page.get("sentence_count")
    if type(count) is not int or count < 1:
        raise check.fail("page.sentence_count", "required, a positive integer")
    statements = _statements(check, data.get("statement"), count)
    untestable = _untestable(check, data.get("untestable", []), count)
    _no_overlap(check, statements, untestable)
    return SourceMap(
        path=path,
        page_id=check.text(page, "id", "page"),
        title=check.text(page, "title", "page"),
        source=str(page.get("source", "")),
        sentence_count=count,
        statements=statements,
        untestable=untestable,
    )


def _statements(check: _Checker, raw: object, count: int) -> tuple[Statement, ...]:
    if not isinstance(raw, list) or not raw:
        raise check.fail("statement", "at least one [[statement]] is required")
    seen: set[str] = set()
    result = []
    for n, table in enumerate(raw):
        where = f"statement[{n}]"
        if not isinstance(table, dict):
            raise check.fail(where, "must be a table")
        sid = check.text(table, "id", where)
        where = f"statement[{n}] ({sid})"
        if not ID_PATTERN.match(sid):
            raise check.fail(f"{where}.id", "ids are capitals, digits and - or . separators, e.g. LEGACY-3.2")
        if sid in seen:
            raise check.fail(f"{where}.id", "duplicate id")
        seen.add(sid)
        kind = check.text(table, "kind", where)
        if kind not in KINDS:
            raise check.fail(f"{where}.kind", f"{kind!r} is not one of {', '.join(KINDS)}")
        summary = check.text(table, "summary", where)
        if "\n" in summary or len(summary) > _SUMMARY_MAX:
            raise check.fail(f"{where}.summary", f"must be one line of at most {_SUMMARY_MAX} characters")
        span, prints = check.span(table, where, count)
        result.append(Statement(sid, kind, summary, span, prints))
    return tuple(result)


def _untestable(check: _Checker, raw: object, count: int) -> tuple[Untestable, ...]:
    if not isinstance(raw, list):
        raise check.fail("untestable", "must be an array of tables [[untestable]]")
    result = []
    for n, table in enumerate(raw):
        where = f"untestable[{n}]"
        if not isinstance(table, dict):
            raise check.fail(where, "must be a table")
        span, prints = check.span(table, where, count)
        result.append(Untestable(check.text(table, "role", where), span, prints))
    return tuple(result)


def _no_overlap(
    check: _Checker, statements: tuple[Statement, ...], untestable: tuple[Untestable, ...]
) -> None:
    owner: dict[int, str] = {}
    entries = [(s.id, s.sentences) for s in statements] + [
        (f"untestable[{n}]", u.sentences) for n, u in enumerate(untestable)
    ]
    for name, (first, last) in entries:
        for index in range(first, last + 1):
            if index in owner:
                raise check.fail(f"{name}.sentences", f"sentence {index} is already mapped by {owner[index]}")
            owner[index] = name
