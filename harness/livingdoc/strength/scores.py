"""Mutation strength per statement, read from ``reports/mutation.json`` when a mutation run wrote it.

Rule served: "A check that cannot fail is a defect" (docs/design.md section 6): a statement whose
scenarios pass is only as well verified as the share of planted faults (mutants) they catch. The
file's form::

    {"statements": {"SCOPES": {"killed": 12, "total": 15,
                               "survivors": ["harness/appliance/core/rules.py:41 scope check dropped"]}}}

Bad content is one clear error naming the file and the statement; a missing file means no strength
is shown (the mutation run is optional and slow).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from harness.livingdoc.results import ResultsError


@dataclass(frozen=True)
class Strength:
    killed: int
    total: int
    survivors: tuple[str, ...]

    @property
    def percent(self) -> int:
        return round(100 * self.killed / self.total) if self.total else 0


def load_strength(path: Path | None) -> dict[str, Strength]:
    """Statement id -> its mutation strength; empty when the file does not exist."""
    if path is None or not Path(path).is_file():
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{path}: mutation results are not valid JSON ({exc})") from None
    statements = data.get("statements") if isinstance(data, dict) else None
    if not isinstance(statements, dict):
        raise ResultsError(f"{path}: expected an object with a \"statements\" object")
    found = {}
    for sid, raw in statements.items():
        if not isinstance(raw, dict):
            raise ResultsError(f"{path}: statements.{sid} must be an object")
        killed, total, survivors = raw.get("killed"), raw.get("total"), raw.get("survivors", [])
        if type(killed) is not int or type(total) is not int or not 0 <= killed <= total:
            raise ResultsError(f"{path}: statements.{sid} needs integers 0 <= killed <= total, got {killed}/{total}")
        if not isinstance(survivors, list):
            raise ResultsError(f"{path}: statements.{sid}.survivors must be a list of strings")
        found[str(sid)] = Strength(killed, total, tuple(str(s) for s in survivors))
    return found
