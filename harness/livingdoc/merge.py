"""Merge the reports of several shards of one run (CI sharding) into one reports folder.

Rule served: "Reports from one run" (docs/design.md section 6) when the run is split across machines
(pytest-split's ``--splits N --group i``): each shard leaves ``evidence.json``, ``junit.xml`` and
perhaps ``cucumber.json`` and its screenshots and traces; ``harness signoff --merge DIR...`` joins
them into one folder, and the sign-off then writes one living document and one record. Files named
by the evidence are copied in, keeping their relative paths (under ``shard-N/`` when two shards
hold different files at one path). A test found in two shards is an error: shards must not overlap.
"""

from __future__ import annotations

import filecmp
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from harness.livingdoc.evidence_file import load_evidence_file
from harness.livingdoc.results import ResultsError

_COUNTS = ("tests", "failures", "errors", "skipped")


RUN_FILES = ("evidence.json", "junit.xml", "cucumber.json", "messages.ndjson", "living-document.html", "signoff.json")


def clear_run_files(folder: Path) -> None:
    """Remove an earlier run's reports, so a run that stops early cannot pass for a finished one."""
    for name in RUN_FILES:
        (folder / name).unlink(missing_ok=True)
    for name in ("screenshots", "playwright"):
        shutil.rmtree(folder / name, ignore_errors=True)


class MergeError(ResultsError):
    """The shards cannot be merged; the message names the shard and the problem."""


def _copy(source: Path, into: Path, relative: str, shard: int) -> str:
    """Copy a shard's file into the merged folder; returns its path there (relative)."""
    if relative.startswith("unavailable") or Path(relative).is_absolute():
        return relative
    origin = source / relative
    if not origin.is_file():
        return relative
    target = into / relative
    if target.exists() and not filecmp.cmp(origin, target, shallow=False):
        relative = f"shard-{shard}/{relative}"
        target = into / relative
    if origin.resolve() != target.resolve():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, target)
    return relative


def _relocate(entry: dict[str, Any], source: Path, into: Path, shard: int) -> dict[str, Any]:
    entry = json.loads(json.dumps(entry))
    for step in entry.get("steps", []):
        if isinstance(step.get("screenshot"), str):
            step["screenshot"] = _copy(source, into, step["screenshot"], shard)
    entry["screenshots"] = [_copy(source, into, s, shard) for s in entry.get("screenshots", []) if isinstance(s, str)]
    if isinstance(entry.get("trace"), str):
        entry["trace"] = _copy(source, into, entry["trace"], shard)
    return entry


def merge_evidence(shards: list[Path], into: Path) -> dict[str, Any]:
    tests: dict[str, Any] = {}
    owner: dict[str, Path] = {}
    seeds, started, written = set(), [], []
    for n, shard in enumerate(shards):
        evidence = load_evidence_file(shard / "evidence.json")
        for nodeid, entry in evidence.tests.items():
            if nodeid in tests:
                raise MergeError(f"{nodeid} is in both {owner[nodeid]} and {shard}: shards must not overlap")
            tests[nodeid], owner[nodeid] = _relocate(entry, shard, into, n), shard
        if evidence.run.get("run_seed") is not None:
            seeds.add(json.dumps(evidence.run["run_seed"]))
        started += [evidence.run["started"]] if isinstance(evidence.run.get("started"), int | float) else []
        written += [evidence.run["written_at"]] if isinstance(evidence.run.get("written_at"), int | float) else []
    run_seed = json.loads(seeds.pop()) if len(seeds) == 1 else sorted(json.loads(s) for s in seeds) or None
    return {"run_seed": run_seed, "started": min(started, default=None), "written_at": max(written, default=None),
            "shards": [str(s) for s in shards], "tests": tests}


def merge_junit(paths: list[Path]) -> ET.Element:
    merged = ET.Element("testsuites", {"name": "merged shards"})
    totals = dict.fromkeys(_COUNTS, 0)
    time_total = 0.0
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as exc:
            raise MergeError(f"{path}: not valid JUnit XML ({exc})") from None
        for suite in [root] if root.tag == "testsuite" else root.findall("testsuite"):
            merged.append(suite)
            for key in _COUNTS:
                totals[key] += int(suite.get(key, 0) or 0)
            time_total += float(suite.get("time", 0) or 0)
    merged.attrib.update({k: str(v) for k, v in totals.items()}, time=f"{time_total:.3f}")
    return merged


def merge_cucumber(paths: list[Path]) -> list[dict[str, Any]]:
    features: dict[str, dict[str, Any]] = {}
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise MergeError(f"{path}: not valid Cucumber JSON ({exc})") from None
        for feature in data if isinstance(data, list) else []:
            uri = str(feature.get("uri", ""))
            if uri in features:
                features[uri]["elements"].extend(feature.get("elements", []))
            else:
                features[uri] = feature
    return list(features.values())


def merge(shards: list[Path], into: Path) -> int:
    """Write the merged ``evidence.json``, ``junit.xml`` and ``cucumber.json``; returns the test count."""
    shards = [Path(s) for s in shards]
    for shard in shards:
        if not shard.is_dir():
            raise MergeError(f"shard folder {shard} not found")
        if not any((shard / name).is_file() for name in ("evidence.json", "junit.xml", "cucumber.json")):
            raise MergeError(f"{shard} holds no evidence.json, junit.xml or cucumber.json")
    into = Path(into)
    if any(s.resolve() == into.resolve() for s in shards):
        raise MergeError(f"{into} is one of the shards; merge into another folder")
    into.mkdir(parents=True, exist_ok=True)
    clear_run_files(into)
    evidence = merge_evidence(shards, into)
    junits = [s / "junit.xml" for s in shards if (s / "junit.xml").is_file()]
    cucumbers = [s / "cucumber.json" for s in shards if (s / "cucumber.json").is_file()]
    (into / "evidence.json").write_text(json.dumps(evidence, indent=1), encoding="utf-8")
    if junits:
        ET.ElementTree(merge_junit(junits)).write(into / "junit.xml", encoding="utf-8", xml_declaration=True)
    if cucumbers:
        (into / "cucumber.json").write_text(json.dumps(merge_cucumber(cucumbers)), encoding="utf-8")
    return len(evidence["tests"])
