"""Fixtures for the living-documentation tests: pages in our own words, their source maps, feature
files, evidence and Cucumber JSON written to tmp_path.

Rule served: docs/design.md section 6 (source map, traceability, drift, reports). The product page
is never copied into the repository, and no test needs it: ``pages/guide_page.txt`` is a page of our
own making with the same structure as the documented one (sentence for sentence: headings, notes,
considerations, the example), ``pages/guide_page.html`` is that page as a help site publishes it
(navigation, breadcrumbs, sidebar, feedback, footer, scripts), and ``guide_map`` is its source map
laid out exactly like the packaged one.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.livingdoc import sourcemap
from harness.livingdoc.splitter import split_text

PAGES = Path(__file__).parent / "pages"
GUIDE_PAGE = PAGES / "guide_page.txt"
GUIDE_HTML = PAGES / "guide_page.html"

WIDGET_PAGE = """Widget setup
The widget must be blue. It must also be round.
Note |
Older widgets were square. |
Rules
- The lid must be closed.
- The lid must be locked.
"""
# (id or None for untestable, kind or role, first sentence, last sentence)
WIDGET_LAYOUT = [
    (None, "heading", 0, 0),
    ("COLOUR", "consideration", 1, 2),
    (None, "label", 3, 3),
    ("LEGACY-1.0", "note", 4, 4),
    (None, "heading", 5, 5),
    ("LID-CLOSED", "consideration", 6, 6),
    ("LID-LOCKED", "consideration", 7, 7),
]


def packaged_layout() -> list[tuple[str | None, str, int, int]]:
    """The packaged source map's layout: (id or None, kind or role, first, last) in page order."""
    packaged = sourcemap.load()
    rows = [(s.id, s.kind, *s.sentences) for s in packaged.statements]
    rows += [(None, u.role, *u.sentences) for u in packaged.untestable]
    return sorted(rows, key=lambda row: row[2])


@pytest.fixture
def guide_map(tmp_path: Path) -> Path:
    """The source map of our guide page, with the packaged map's ids, kinds and sentence ranges."""
    return write_map(tmp_path / "guide.toml", GUIDE_PAGE.read_text(encoding="utf-8"), packaged_layout())


def write_map(path: Path, page_text: str, layout: list[tuple[str | None, str, int, int]]) -> Path:
    """Write a source map for ``page_text``: fingerprints only, summaries made up here."""
    sentences = split_text(page_text)
    parts = [
        "[page]",
        'id = "widget"',
        'title = "Widget setup"',
        f"sentence_count = {len(sentences)}",
    ]
    for sid, kind, first, last in layout:
        prints = json.dumps([s.fingerprint for s in sentences[first : last + 1]])
        if sid is None:
            parts += ["[[untestable]]", f'role = "{kind}"']
        else:
            parts += ["[[statement]]", f'id = "{sid}"', f'kind = "{kind}"', f'summary = "Summary of {sid}."']
        parts += [f"sentences = [{first}, {last}]", f"fingerprints = {prints}"]
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def widget_map(tmp_path: Path) -> Path:
    (tmp_path / "widget.txt").write_text(WIDGET_PAGE, encoding="utf-8")
    return write_map(tmp_path / "widget.toml", WIDGET_PAGE, WIDGET_LAYOUT)


@pytest.fixture
def write_feature(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(name: str, text: str) -> Path:
        path = tmp_path / "features" / "widget" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def cucumber_element(
    test_id: str, name: str, line: int, tags: list[str], statuses: list[str]
) -> dict[str, object]:
    return {
        "keyword": "Scenario",
        "id": test_id,
        "name": name,
        "line": line,
        "description": "",
        "tags": [{"name": t, "line": line - 1} for t in tags],
        "type": "scenario",
        "steps": [
            {
                "keyword": "Given" if n == 0 else "Then",
                "name": f"step {n}",
                "line": line + 1 + n,
                "match": {"location": ""},
                "result": {"status": s, "duration": 1_500_000 * (n + 1)}
                | ({"error_message": "boom"} if s == "failed" else {}),
            }
            for n, s in enumerate(statuses)
        ],
    }


def write_cucumber(path: Path, uri: str, feature_tags: list[str], elements: list[dict[str, object]]) -> Path:
    feature = {
        "keyword": "Feature",
        "uri": uri,
        "name": "Widget",
        "id": uri,
        "line": 2,
        "description": "",
        "language": "en",
        "tags": [{"name": t, "line": 1} for t in feature_tags],
        "elements": elements,
    }
    path.write_text(json.dumps([feature]), encoding="utf-8")
    return path


# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
LIDS_FEATURE = """@COLOUR
Feature: Widget lids
  Background:
    Given a widget

  @LID-CLOSED
  Scenario: A closed lid stays closed
    When the lid is closed
    Then the lid is closed

  Scenario Outline: Widgets come in colours
    When it is painted <colour>
    Then it is <colour>

    Examples:
      | colour |
      | blue   |
      | red    |
"""


def evidence_entry(nodeid: str, name: str, line: int, steps: list[tuple[str, str, str]], *, layer: str,
                   tags: list[str] | None = None, shots: bool = False, **extra: object) -> dict[str, object]:
    """An evidence entry as harness/pytest/evidence.py writes it; ``steps`` are (keyword, text, status)."""
    entry: dict[str, object] = {
        "nodeid": nodeid, "name": nodeid.rsplit("::", 1)[-1], "layer": layer, "started": 1764350000.0,
        "duration": 0.5, "outcome": "failed" if any(s == "failed" for *_, s in steps) else "passed",
        "scenario": {"keyword": "Scenario", "name": name, "line": line, "description": "", "tags": tags or [],
                     "feature": {"uri": "widget/lids.feature", "name": "Widget lids", "keyword": "Feature",
                                 "line": 2, "description": "", "language": "en", "tags": ["COLOUR"]}},
        "steps": [], **extra,
    }
    for n, (keyword, text, status) in enumerate(steps):
        step: dict[str, object] = {"keyword": keyword, "type": keyword.lower(), "name": text, "line": line + n,
                                   "status": status, "duration": 0.01}
        if status == "failed":
            step["error"] = f"E   AssertionError: {text} failed"
        if shots and keyword != "Given" and status != "skipped":
            step["screenshot"] = f"screenshots/{name[:5]}/{n:02d}.png"
        entry["steps"].append(step)  # type: ignore[attr-defined]
    return entry


@pytest.fixture
def lids_run(tmp_path: Path, write_feature: Callable[[str, str], Path]) -> Path:
    """A finished run of LIDS_FEATURE: evidence.json, screenshots and a trace in tmp_path/reports."""
    write_feature("lids.feature", LIDS_FEATURE)
    reports = tmp_path / "reports"
    base = "features/widget/lids.feature::"
    closed = [("Given", "a widget", "passed"), ("When", "the lid is closed", "passed"),
              ("Then", "the lid is closed", "passed")]
    tests = {
        f"{base}test_a_closed_lid_stays_closed[api]": evidence_entry(
            f"{base}test_a_closed_lid_stays_closed[api]", "A closed lid stays closed", 7, closed, layer="api",
            tags=["LID-CLOSED"], snapshot={"lid": "closed"}, faker_seed=5, values={"org_name": "Acme"}),
        f"{base}test_a_closed_lid_stays_closed[ui]": evidence_entry(
            f"{base}test_a_closed_lid_stays_closed[ui]", "A closed lid stays closed", 7, closed, layer="ui",
            tags=["LID-CLOSED"], shots=True, snapshot={"lid": "closed"}),
        f"{base}test_widgets_come_in_colours[ui-red]": evidence_entry(
            f"{base}test_widgets_come_in_colours[ui-red]", "Widgets come in colours", 11,
            [("Given", "a widget", "passed"), ("When", "it is painted red", "passed"),
             ("Then", "it is red", "failed")], layer="ui", shots=True, trace="playwright/red/trace.zip"),
    }
    for entry in tests.values():
        for step in entry["steps"]:  # type: ignore[attr-defined]
            if "screenshot" in step:
                (reports / step["screenshot"]).parent.mkdir(parents=True, exist_ok=True)
                (reports / step["screenshot"]).write_bytes(PNG)
    (reports / "playwright/red").mkdir(parents=True)
    (reports / "playwright/red/trace.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    (reports / "evidence.json").write_text(json.dumps({"run_seed": 7, "tests": tests}), encoding="utf-8")
    return reports
