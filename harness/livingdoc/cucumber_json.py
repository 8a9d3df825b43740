"""Cucumber JSON of a run, written from its evidence, with each step's screenshot as an embedding.

Rule served: "Reports from one run: ... Cucumber JSON" (docs/design.md section 6), in the form
Cucumber JSON readers expect: features, their scenario elements and steps with ``result`` and
``embeddings`` (``{"mime_type": "image/png", "data": <base64>}``), and a step's data table
(``rows``) or doc string (``doc_string``) as Cucumber's own JSON formatter writes them. pytest-bdd's own writer has no
embeddings and, in its current version, loses results under pytest-xdist (its per-report data stays
in the worker); the evidence travels with each report, so this writer sees every result.

Element ids are the pytest item names (``test_scopes_are_required[api]``), as pytest-bdd writes
them, so every reader of ``cucumber.json`` in this project joins results to evidence the same way.
After a failing step the remaining steps are ``skipped`` (Cucumber's meaning, not pytest-bdd's).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from harness.livingdoc.evidence_file import Entry, Evidence

MAX_EMBEDDED_BYTES = 4 * 1024 * 1024


def _tags(names: list[str], line: int) -> list[dict[str, Any]]:
    return [{"name": f"@{n.lstrip('@')}", "line": line} for n in names]


def _embedding(evidence: Evidence, relative: str) -> dict[str, str] | None:
    path = evidence.path(relative)
    try:
        if path.stat().st_size > MAX_EMBEDDED_BYTES:
            return None
        data = base64.b64encode(path.read_bytes()).decode("ascii")
    except OSError:  # "unavailable: ..." or a file removed since: the result still counts
        return None
    return {"mime_type": "image/png", "data": data, "name": path.name}


def _step(evidence: Evidence, step: dict[str, Any], embed: bool) -> dict[str, Any]:
    result: dict[str, Any] = {"status": step.get("status", "skipped"),
                              "duration": int(float(step.get("duration", 0) or 0) * 1e9)}
    if step.get("error"):
        result["error_message"] = step["error"]
    out: dict[str, Any] = {"keyword": f"{step.get('keyword', '')} ", "name": step.get("name", ""),
                           "line": step.get("line"), "match": {"location": ""}, "result": result}
    out.update(_argument(step))
    shot = step.get("screenshot")
    if embed and shot:
        embedding = _embedding(evidence, shot)
        if embedding is not None:
            out["embeddings"] = [embedding]
    return out


def _argument(step: dict[str, Any]) -> dict[str, Any]:
    """A step's data table or doc string in Cucumber JSON's shape (``rows[].cells``, ``doc_string``)."""
    argument: dict[str, Any] = {}
    if isinstance(step.get("rows"), list):
        argument["rows"] = [{"cells": [str(c) for c in row]} for row in step["rows"]]
    if isinstance(step.get("doc_string"), str):
        argument["doc_string"] = {"value": step["doc_string"], "line": step.get("line")}
    return argument


def _element(evidence: Evidence, entry: Entry, embed: bool) -> dict[str, Any]:
    scenario = entry["scenario"]
    steps = [_step(evidence, s, embed) for s in entry.get("steps", [])]
    if entry.get("outcome") == "failed" and not any(s["result"]["status"] in ("failed", "undefined") for s in steps):
        # failed outside a step (a fixture, a teardown): say so on the last step that ran
        target = next((s for s in reversed(steps) if s["result"]["status"] == "passed"), None)
        if target is not None:
            target["result"].update(status="failed", error_message=str(entry.get("error", "")))
    return {"keyword": scenario.get("keyword", "Scenario"), "id": entry.get("name", ""),
            "name": scenario.get("name", ""), "line": scenario.get("line"),
            "description": scenario.get("description", ""), "type": "scenario",
            "tags": _tags(scenario.get("tags", []), max(int(scenario.get("line") or 1) - 1, 1)),
            "steps": steps}


def build(evidence: Evidence, embed: bool = True) -> list[dict[str, Any]]:
    """Cucumber JSON features, in the order tests ran; tests that never reached a scenario are left out."""
    features: dict[str, dict[str, Any]] = {}
    for entry in evidence.tests.values():
        scenario = entry.get("scenario")
        if not isinstance(scenario, dict):
            continue
        feature = scenario.get("feature", {})
        uri = str(feature.get("uri", ""))
        if uri not in features:
            features[uri] = {"keyword": feature.get("keyword", "Feature"), "uri": uri,
                             "name": feature.get("name") or uri, "id": uri.lower().replace(" ", "-"),
                             "line": feature.get("line"), "description": feature.get("description", ""),
                             "language": feature.get("language", "en"),
                             "tags": _tags(feature.get("tags", []), max(int(feature.get("line") or 1) - 1, 1)),
                             "elements": []}
        features[uri]["elements"].append(_element(evidence, entry, embed))
    return list(features.values())


def write(path: Path, evidence: Evidence, embed: bool = True) -> int:
    """Write the file; returns how many scenario results it holds."""
    features = build(evidence, embed)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(features), encoding="utf-8")
    return sum(len(f["elements"]) for f in features)
