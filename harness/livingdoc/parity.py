"""Layer parity: a scenario must leave both systems in the same state through the API and the UI.

Rule served: "Every scenario runs twice, through the JSON API and through the pages" (docs/design.md
section 3): the two runs are the same claim, so what they leave behind must match. Scenarios record
a normalised snapshot of the systems under the evidence key ``"snapshot"``; here the ``[api]`` and
``[ui]`` snapshots of one scenario (and one outline example) are compared, and every difference is
named by its path (``connections[0].status: api='connected' ui='failed'``). A difference between
two passing runs fails the sign-off; when a layer failed, its state is shown but the failure itself
is what fails the sign-off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from harness.livingdoc.evidence_file import Entry

LAYERS = ("api", "ui")
_PARAMS = re.compile(r"\[([^\[\]]*)\]$")
_MAX_DIFFERENCES = 20


@dataclass
class Parity:
    scenario: str  # the node id without its layer
    name: str  # the scenario's name
    snapshots: dict[str, Any] = field(default_factory=dict)  # layer -> snapshot
    outcomes: dict[str, str] = field(default_factory=dict)  # layer -> passed | failed | skipped
    differences: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if len(self.snapshots) < len(LAYERS):
            return "one layer"
        return "different" if self.differences else "same"


def scenario_key(nodeid: str, layer: str | None) -> str:
    """The node id with the layer taken out of its parameters: ``x::t[api-2]`` -> ``x::t[2]``."""
    match = _PARAMS.search(nodeid)
    if not match or not layer:
        return nodeid
    parts = [p for p in match.group(1).split("-") if p != layer]
    return nodeid[: match.start()] + (f"[{'-'.join(parts)}]" if parts else "")


def differences(api: Any, ui: Any, path: str = "") -> list[str]:
    """Every place where two JSON values differ, as ``path: api=... ui=...`` lines."""
    if isinstance(api, dict) and isinstance(ui, dict):
        found: list[str] = []
        for key in sorted(set(api) | set(ui), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in api or key not in ui:
                found.append(f"{where}: {'missing in api' if key not in api else 'missing in ui'}")
            else:
                found += differences(api[key], ui[key], where)
        return found
    if isinstance(api, list) and isinstance(ui, list) and len(api) == len(ui):
        return [d for n, (a, u) in enumerate(zip(api, ui, strict=True)) for d in differences(a, u, f"{path}[{n}]")]
    return [] if api == ui else [f"{path or '(whole snapshot)'}: api={api!r} ui={ui!r}"]


def compare(tests: dict[str, Entry]) -> list[Parity]:
    """One Parity per scenario that recorded a snapshot in at least one layer, in run order."""
    found: dict[str, Parity] = {}
    for nodeid, entry in tests.items():
        layer = entry.get("layer")
        if "snapshot" not in entry or layer not in LAYERS:
            continue
        key = scenario_key(nodeid, str(layer))
        name = str(entry.get("scenario", {}).get("name", "")) or key
        parity = found.setdefault(key, Parity(key, name))
        parity.snapshots[str(layer)] = entry["snapshot"]
        parity.outcomes[str(layer)] = str(entry.get("outcome", "passed"))
    for parity in found.values():
        if parity.status != "one layer":
            parity.differences = differences(parity.snapshots["api"], parity.snapshots["ui"])[:_MAX_DIFFERENCES]
    return list(found.values())


def problems(results: list[Parity]) -> list[str]:
    """One line per scenario whose layers disagree, naming the scenario and the first differences."""
    return [f"layers disagree in scenario {p.name!r} ({p.scenario}): {'; '.join(p.differences[:3])}"
            + (f" (+{len(p.differences) - 3} more)" if len(p.differences) > 3 else "")
            for p in results if p.status == "different" and set(p.outcomes.values()) == {"passed"}]
