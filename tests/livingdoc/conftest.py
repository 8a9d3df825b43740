"""Fixtures for the living-documentation tests: a small page in our own words, its source map,
feature files and Cucumber JSON written to tmp_path, and the product page when it is available.

Rule served: DESIGN.md section 6 (source map, traceability, drift, reports). The product page is
never copied into the repository; tests that need it read it from ``HARNESS_SEED_PAGE`` or the shared
seeds folder and are skipped when it is absent.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.livingdoc.splitter import split_text

SEED_CANDIDATES = [
    os.environ.get("HARNESS_SEED_PAGE", ""),
    str(Path(__file__).resolve().parents[3] / "shared/seeds/000_d10bd9b8926232ea.txt"),
]

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


@pytest.fixture
def seed_page() -> Path:
    for candidate in SEED_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    pytest.skip("the product page is not available (set HARNESS_SEED_PAGE)")


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
