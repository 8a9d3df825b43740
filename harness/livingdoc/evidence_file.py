"""Read a run's ``evidence.json`` once and index it, so every report looks entries up in O(1).

Rule served: "Reports from one run ... per statement: status, scenarios, each layer's result, steps,
screenshots, Faker values, timings" (docs/design.md section 6). The file is written by
``harness/pytest/evidence.py``::

    {"run_seed": 1234, "started": 1764350000.0, "written_at": 1764350100.0,
     "tests": {"features/x/scopes.feature::test_scopes_are_required[api]": {
        "outcome": "passed", "layer": "api", "duration": 1.2, "faker_seed": 98, "values": {...},
        "scenario": {"name": ..., "line": 5, "tags": [...], "feature": {"uri": "x/scopes.feature", ...}},
        "steps": [{"keyword": "When", "name": ..., "line": 7, "status": "passed", "duration": 0.1,
                   "screenshot": "screenshots/<test>/02-when.png", "error": "..."}],
        "screenshots": [...], "trace": "playwright/<test>/trace.zip", "snapshot": {...}}}}

Paths inside are relative to the evidence file's folder. The flat form ``{node id: entry,
"__run__": {run facts}}`` of earlier runs is read too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.livingdoc.results import ResultsError

RUN_KEY = "__run__"
Entry = dict[str, Any]


@dataclass
class Evidence:
    run: dict[str, Any] = field(default_factory=dict)
    tests: dict[str, Entry] = field(default_factory=dict)
    base: Path | None = None  # the folder relative paths start from
    _by_name: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for nodeid in self.tests:
            self._by_name.setdefault(nodeid.rsplit("::", 1)[-1], []).append(nodeid)

    def find(self, test_id: str, feature_uri: str = "") -> tuple[str, Entry]:
        """The entry of the pytest item named ``test_id`` (in the feature file ``feature_uri``)."""
        nodeids = self._by_name.get(test_id, [])
        if len(nodeids) > 1 and feature_uri:
            nodeids = [n for n in nodeids if n.split("::", 1)[0].endswith(feature_uri)] or nodeids
        return (nodeids[0], self.tests[nodeids[0]]) if nodeids else ("", {})

    def path(self, relative: str) -> Path:
        """A file named in the evidence, as a path from the current folder."""
        candidate = Path(relative)
        if candidate.is_absolute() or self.base is None:
            return candidate
        return self.base / candidate

    def layers(self) -> dict[str, str]:
        return {nodeid.rsplit("::", 1)[-1]: str(e.get("layer")) for nodeid, e in self.tests.items()}


def load_evidence_file(path: Path | None) -> Evidence:
    """The evidence of a run; empty when ``path`` is None or missing. Raises ResultsError if unreadable."""
    if path is None or not Path(path).is_file():
        return Evidence()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{path}: evidence is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ResultsError(f"{path}: evidence must be a JSON object")
    if isinstance(data.get("tests"), dict):
        run = {k: v for k, v in data.items() if k != "tests"}
        tests = data["tests"]
    else:
        run = data.get(RUN_KEY) if isinstance(data.get(RUN_KEY), dict) else {}
        tests = {k: v for k, v in data.items() if k != RUN_KEY}
    entries = {str(k): v for k, v in tests.items() if isinstance(v, dict)}
    return Evidence(run, entries, Path(path).parent)
