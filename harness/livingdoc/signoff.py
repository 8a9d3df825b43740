"""The sign-off record of a run: what was verified, by which run of which commit, with checksums.

Rule served: "QA runs the sign-off command before a release and archives the signed report"
(DESIGN.md section 1) and "Reports from one run: ... a sign-off record" (section 6). After the
scenarios ran (``harness signoff``), this writes the living document, then ``reports/signoff.json``:
run id, date, git commit (read from ``.git`` without running git), pytest's exit code, statements
verified, per-statement status, coverage problems, scenarios per layer, and the sha256 of every
report file, so an archived copy can be checked. It prints a one-screen summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import uuid
from pathlib import Path

from harness.livingdoc.coverage import DEFAULT_FEATURES, CoverageReport
from harness.livingdoc.report import load_evidence, write_report
from harness.livingdoc.results import ResultsError, RunResult, layer_counts, load_results
from harness.livingdoc.sourcemap import SourceMapError

RECORD_NAME = "signoff.json"
DOCUMENT_NAME = "living-document.html"


def git_commit(start: Path | None = None) -> str | None:
    """HEAD's commit id, read from the ``.git`` folder above ``start`` (no git process is run)."""
    for folder in [(start or Path.cwd()).resolve(), *(start or Path.cwd()).resolve().parents]:
        git = folder / ".git"
        if not git.is_dir():
            continue
        try:
            head = (git / "HEAD").read_text().strip()
            if not head.startswith("ref: "):
                return head or None
            ref = head[5:]
            if (git / ref).is_file():
                return (git / ref).read_text().strip()
            packed = git / "packed-refs"
            for line in packed.read_text().splitlines() if packed.is_file() else []:
                if line.endswith(f" {ref}"):
                    return line.split(" ", 1)[0]
        except OSError:
            return None
        return None
    return None


def sha256_files(folder: Path, exclude: set[str]) -> dict[str, str]:
    digests = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel not in exclude:
            digests[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def build_record(
    coverage: CoverageReport,
    results: list[RunResult],
    run: dict[str, object],
    reports: Path,
    test_exit_code: int | None,
    duration: float | None,
) -> dict[str, object]:
    now = dt.datetime.now(dt.UTC)
    signed = coverage.ok and coverage.verified == len(coverage.statements) and not test_exit_code
    return {
        "run_id": f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}",
        "date": now.isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "run_seed": run.get("run_seed"),
        "page": coverage.source_map.page_id,
        "test_exit_code": test_exit_code,
        "duration_seconds": round(duration, 3) if duration is not None else None,
        "signed_off": signed,
        "statements_verified": coverage.verified,
        "statements_total": len(coverage.statements),
        "statements": {s.statement.id: s.status for s in coverage.statements},
        "coverage_problems": coverage.problems,
        "scenarios": layer_counts(results),
        "files_sha256": sha256_files(reports, {RECORD_NAME}),
    }


def summary(record: dict[str, object], reports: Path) -> str:
    commit = str(record["git_commit"])[:12] if record["git_commit"] else "no commit"
    lines = [f"Sign-off run {record['run_id']} ({commit}, run seed {record['run_seed']})"]
    scenarios = record["scenarios"]
    assert isinstance(scenarios, dict)
    for layer, counts in scenarios.items():
        extra = f", {counts['skipped']} skipped" if counts["skipped"] else ""
        lines.append(f"  {layer + ':':<5} {counts['passed']} passed, {counts['failed']} failed{extra}")
    statuses = record["statements"]
    assert isinstance(statuses, dict)
    lacking = [f"{sid} ({status})" for sid, status in statuses.items() if status != "verified"]
    lines.append(
        f"  statements verified: {record['statements_verified']} of {record['statements_total']}"
        + (f"; not verified: {', '.join(lacking)}" if lacking else "")
    )
    problems = record["coverage_problems"]
    assert isinstance(problems, list)
    lines.extend(f"  problem: {p}" for p in problems[:5])
    if len(problems) > 5:
        lines.append(f"  ... and {len(problems) - 5} more (harness docs coverage)")
    if record["test_exit_code"] is not None:
        lines.append(f"  pytest exit code: {record['test_exit_code']}")
    lines.append(f"  living document: {reports / DOCUMENT_NAME}")
    lines.append(f"  record: {reports / RECORD_NAME}")
    lines.append("SIGNED OFF" if record["signed_off"] else "NOT SIGNED OFF")
    return "\n".join(lines)


def sign_off(
    reports: Path,
    *,
    test_exit_code: int | None = None,
    duration: float | None = None,
    features_dir: Path = DEFAULT_FEATURES,
    source_map_path: Path | None = None,
) -> int:
    """Write the living document and the sign-off record from ``reports/``; 0 only when signed off."""
    reports = Path(reports)
    results_path = reports / "cucumber.json"
    if not results_path.is_file() and (reports / "junit.xml").is_file():
        results_path = reports / "junit.xml"
    try:
        coverage = write_report(
            reports / DOCUMENT_NAME,
            results_path=results_path,
            features_dir=features_dir,
            source_map_path=source_map_path,
            evidence_path=reports / "evidence.json",
            screenshots=reports / "screenshots",
        )
        results = load_results(results_path).results
        run, _ = load_evidence(reports / "evidence.json")
    except (SourceMapError, ResultsError) as exc:
        print(f"signoff: {exc}", file=sys.stderr)
        return 2
    record = build_record(coverage, results, run, reports, test_exit_code, duration)
    (reports / RECORD_NAME).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(summary(record, reports))
    return 0 if record["signed_off"] else 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reports", type=Path, default=Path("reports"), help="default: %(default)s")
    parser.add_argument("--features", type=Path, default=DEFAULT_FEATURES, help="default: %(default)s")
    parser.add_argument("--source-map", type=Path, default=None)


def run(args: argparse.Namespace) -> int:
    return sign_off(args.reports, features_dir=args.features, source_map_path=args.source_map)
