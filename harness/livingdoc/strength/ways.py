"""The ways to break each statement that were tried (``counterexamples.json``), for the document and the record.

Rule served: docs/design.md section 2 - a reader of "verified" must see what it was tested against.
``harness counterexamples`` writes the file; here it is read back, checked and summed. A missing file
means nothing is shown (and the record says so); a malformed one is one clear error naming the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.livingdoc.results import ResultsError

FILE_NAME = "counterexamples.json"


@dataclass(frozen=True)
class Way:
    """One counter-example: its name, what it breaks, and whether the statement's scenarios caught it."""

    name: str
    breaks: str
    layer: str
    caught: bool
    by: str


@dataclass(frozen=True)
class Ways:
    items: tuple[Way, ...]

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def caught(self) -> int:
        return sum(way.caught for way in self.items)


def load_ways(path: Path | None) -> dict[str, Ways]:
    """Statement id -> its counter-examples; empty when the file does not exist."""
    if path is None or not Path(path).is_file():
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{path}: counter-example results are not valid JSON ({exc})") from None
    statements = data.get("statements") if isinstance(data, dict) else None
    if not isinstance(statements, dict):
        raise ResultsError(f'{path}: expected an object with a "statements" object')
    return {str(sid): Ways(tuple(_way(path, sid, item) for item in _items(path, sid, raw)))
            for sid, raw in statements.items()}


def _items(path: Path, sid: str, raw: Any) -> list[Any]:
    items = raw.get("items") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise ResultsError(f"{path}: statements.{sid}.items must be a list")
    return items


def _way(path: Path, sid: str, item: Any) -> Way:
    if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("name", "breaks", "verdict")):
        raise ResultsError(f"{path}: each of statements.{sid}.items needs the strings name, breaks and verdict")
    return Way(item["name"], item["breaks"], str(item.get("layer", "api")), item["verdict"] == "caught",
               str(item.get("by") or ""))


def record_figures(ways: dict[str, Ways]) -> dict[str, Any]:
    """What the sign-off record carries: per statement how many ways to break it were tried and caught,
    and the names of those not caught."""
    return {sid: {"ways_to_break_it": w.total, "caught": w.caught,
                  "not_caught": [way.name for way in w.items if not way.caught]} for sid, w in sorted(ways.items())}


def signoff_problems(reports: Path, min_strength: int | None) -> tuple[dict[str, Any], list[str]]:
    """The record's figures and what keeps a run from being signed: a kept counter-example its
    statement's scenarios did not catch, or (with ``--min-strength P``) a measured statement whose
    mutation strength is below P percent."""
    from harness.livingdoc.strength.scores import load_strength

    ways = load_ways(reports / FILE_NAME)
    found = [f"{sid}: counter-example {way.name} is not caught ({way.breaks})"
             for sid, w in sorted(ways.items()) for way in w.items if not way.caught]
    if min_strength is not None:
        strength = load_strength(reports / "mutation.json")
        if not strength:
            found.append(f"--min-strength {min_strength}: no mutation results in {reports / 'mutation.json'}")
        found.extend(f"{sid}: mutation strength {s.killed}/{s.total} ({s.percent}%) is below {min_strength}%"
                     for sid, s in sorted(strength.items()) if s.percent < min_strength)
    return record_figures(ways), found
