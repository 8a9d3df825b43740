"""What changed since an earlier sign-off, so a reviewer re-reads only what moved.

Rule served: "QA runs the sign-off command before a release and archives the signed report"
(docs/design.md section 1). ``harness signoff --since OLD/signoff.json`` compares the new record
with the archived one and lists: scenarios whose verdict changed in a layer, scenarios added or
removed, statements whose page sentences changed (their fingerprints, so no words are stored),
statements that gained or lost scenarios, statements whose counter-examples changed (one added,
removed, or no longer caught), and statements whose status changed. The list goes into
the record (``since``), the summary and the living document.

A record written before these facts were kept (no ``verdicts``) can still be compared: what it
lacks is reported as unknown rather than as unchanged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from harness.livingdoc.coverage import CoverageReport
from harness.livingdoc.drift import compare
from harness.livingdoc.results import ResultsError, RunResult
from harness.livingdoc.sourcemap import SourceMap
from harness.livingdoc.splitter import Sentence
from harness.livingdoc.strength.ways import Ways

_LAYER_PART = re.compile(r"(?<=[\[-])(?:api|ui)(?=[\]-])|\[(?:api|ui)\]$")


def load_record(path: Path) -> dict[str, Any]:
    """An archived sign-off record; a file that is not one is an error that names it."""
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultsError(f"cannot read the earlier sign-off {path}: {exc}") from None
    if not isinstance(record, dict) or "run_id" not in record:
        raise ResultsError(f"{path} is not a sign-off record (no run_id)")
    return record


def scenario_key(result: RunResult) -> str:
    """A scenario (and outline example) across runs and layers: feature file and test id without the layer."""
    return f"{result.feature_uri}::{_LAYER_PART.sub('', result.test_id).replace('[]', '')}"


def verdicts(results: list[RunResult]) -> dict[str, dict[str, str]]:
    """Scenario key -> layer -> status, as this run left them."""
    found: dict[str, dict[str, str]] = {}
    for result in results:
        found.setdefault(scenario_key(result), {})[result.layer or "-"] = result.status
    return found


def page_fingerprints(source_map: SourceMap, sentences: list[Sentence] | None) -> dict[str, list[str]]:
    """Statement id -> the fingerprints of its page sentences (the page given, else the source map's)."""
    if sentences is None:
        return {s.id: list(s.fingerprints) for s in source_map.statements}
    drift = compare(source_map, sentences)
    return {entry.owner: list(entry.new_fingerprints) for entry in drift.statements}


def statement_facts(coverage: CoverageReport) -> dict[str, list[str]]:
    """Statement id -> the names of the scenarios that carry it."""
    return {e.statement.id: sorted({sc.ref.name for sc in e.scenarios}) for e in coverage.statements}


def counterexample_facts(ways: dict[str, Ways]) -> dict[str, list[str]]:
    """Statement id -> its counter-examples, each with whether its scenarios caught it."""
    return {sid: sorted(f"{way.name}: {'caught' if way.caught else 'not caught'}" for way in w.items)
            for sid, w in ways.items()}


def changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Everything that differs between two records, each entry a line a reviewer can act on."""
    old_v, new_v = old.get("verdicts"), new.get("verdicts") or {}
    found: dict[str, Any] = {"since_run": old.get("run_id"), "since_date": old.get("date"),
                             "since_commit": old.get("git_commit")}
    if not isinstance(old_v, dict):
        found["unknown"] = ["the earlier record keeps no per-scenario verdicts; it was written by an older harness"]
        old_v = {}
    found["verdicts_changed"] = [f"{key}: {_layers(old_v[key])} -> {_layers(new_v[key])}"
                                 for key in sorted(set(old_v) & set(new_v)) if old_v[key] != new_v[key]]
    found["scenarios_added"] = sorted(set(new_v) - set(old_v)) if old_v else []
    found["scenarios_removed"] = sorted(set(old_v) - set(new_v))
    found["page_sentences_changed"] = _differing(old.get("page_sentences"), new.get("page_sentences"))
    found["statement_scenarios_changed"] = _differing(old.get("statement_scenarios"), new.get("statement_scenarios"))
    if "statement_counterexamples" in old:
        found["counterexamples_changed"] = _differing(old.get("statement_counterexamples"),
                                                      new.get("statement_counterexamples"))
    else:
        found.setdefault("unknown", []).append("the earlier record keeps no counter-example results")
        found["counterexamples_changed"] = []
    old_s, new_s = old.get("statements") or {}, new.get("statements") or {}
    found["statements_changed"] = [f"{sid}: {old_s.get(sid, 'absent')} -> {new_s.get(sid, 'absent')}"
                                   for sid in sorted(set(old_s) | set(new_s)) if old_s.get(sid) != new_s.get(sid)]
    return found


def _layers(statuses: dict[str, str]) -> str:
    return ", ".join(f"{layer} {status}" for layer, status in sorted(statuses.items()))


def _differing(old: object, new: object) -> list[str]:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    return sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))


def moved(found: dict[str, Any]) -> int:
    """How many entries the reviewer has to re-read."""
    keys = ("verdicts_changed", "scenarios_added", "scenarios_removed", "page_sentences_changed",
            "statement_scenarios_changed", "counterexamples_changed", "statements_changed")
    return sum(len(found.get(k, [])) for k in keys)


def summary_lines(found: dict[str, Any]) -> list[str]:
    """The summary's lines: a count per kind and the first entries of each."""
    lines = [f"  since {found.get('since_run')}: {moved(found)} change(s) to re-read"]
    labels = {"verdicts_changed": "verdict", "scenarios_added": "added", "scenarios_removed": "removed",
              "page_sentences_changed": "page sentences", "statement_scenarios_changed": "scenarios of",
              "counterexamples_changed": "counter-examples of",
              "statements_changed": "statement", "unknown": "unknown"}
    for key, label in labels.items():
        for entry in found.get(key, [])[:5]:
            lines.append(f"    {label}: {entry}")
    return lines
