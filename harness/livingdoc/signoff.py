"""The sign-off record of a run: what was verified, by which run of which commit, with checksums.

Rule served: "QA runs the sign-off command before a release and archives the signed report"
(docs/design.md section 1) and "Reports from one run: ... a sign-off record" (section 6). After the
scenarios ran (``harness signoff``), this writes, from the run's evidence, ``cucumber.json`` (with
screenshot embeddings) and ``messages.ndjson`` (Cucumber Messages), then the living document, then
``reports/signoff.json``: run id, date, who signed (``--signed-by``), git commit (read from ``.git``
without running git), pytest's exit code, statements verified, per-statement status, coverage and
layer-parity problems, scenarios per layer, the fingerprint of the page it was checked against (the
page given with ``--page``, else the source map's own record of the page) and the sha256 of every
report file, so an archived copy can be checked. It prints a one-screen summary.

Not signed off when: a statement is not verified, a coverage problem exists, pytest failed, the
``[api]`` and ``[ui]`` runs of a scenario left different snapshots, a scenario did not run in a layer
it belongs to (both, unless tagged ``@api_only`` or ``@ui_only``: a run with ``--layer api`` is not a
sign-off), or the given page has drifted from the source map.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
import uuid
from pathlib import Path

from harness.livingdoc import cucumber_json, cucumber_messages, parity, sourcemap
from harness.livingdoc.coverage import DEFAULT_FEATURES, CoverageReport
from harness.livingdoc.drift import compare
from harness.livingdoc.evidence_file import Evidence, load_evidence_file
from harness.livingdoc.report import write_report
from harness.livingdoc.results import ResultsError, RunResult, layer_counts, load_results
from harness.livingdoc.since import (
    changes,
    counterexample_facts,
    load_record,
    page_fingerprints,
    statement_facts,
    summary_lines,
    verdicts,
)
from harness.livingdoc.sourcemap import SourceMapError
from harness.livingdoc.splitter import page_fingerprint, split_page
from harness.livingdoc.strength.ways import FILE_NAME as WAYS_FILE
from harness.livingdoc.strength.ways import load_ways, signoff_problems
from harness.livingdoc.traceability import FeatureParseError

RECORD_NAME = "signoff.json"
DOCUMENT_NAME = "living-document.html"
MESSAGES_NAME = "messages.ndjson"


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


def checked_page(source_map: sourcemap.SourceMap, page: Path | None) -> tuple[dict[str, object], list[str]]:
    """What the run was checked against: the page given (its fingerprint, drift) or the source map's record."""
    if page is None:
        prints = [digest for digest, _ in source_map.sequence()]
        return {"id": source_map.page_id, "checked_against": "source map", "fingerprint": page_fingerprint(prints)}, []
    try:
        sentences = split_page(page)
        raw = Path(page).read_bytes()
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsError(f"cannot read page {page}: {exc}") from None
    drift = compare(source_map, sentences)
    changed = [s.owner for s in drift.statements if s.status != "unchanged"]
    problems = [f"the page {page} has drifted from the source map (statements changed: "
                f"{', '.join(changed) or 'none'}; new sentences: {len(drift.new)}); see harness docs drift"]
    return ({"id": source_map.page_id, "checked_against": str(page), "sha256": hashlib.sha256(raw).hexdigest(),
             "fingerprint": page_fingerprint([s.fingerprint for s in sentences]), "drifted": drift.drifted},
            problems if drift.drifted else [])


_LAYER_PART = re.compile(r"(?<=[\[-])(?:api|ui)(?=[\]-])")


def missing_layers(results: list[RunResult]) -> list[str]:
    """Scenarios that have no run in a layer they belong to (skipped runs do not count)."""
    ran: dict[tuple[str, str], set[str]] = {}
    needs: dict[tuple[str, str], set[str]] = {}
    names: dict[tuple[str, str], str] = {}
    for result in results:
        key = (result.feature_uri, _LAYER_PART.sub("", result.test_id))
        tags = {tag.lstrip("@") for tag in result.tags}
        needs[key] = {"api"} if "api_only" in tags else {"ui"} if "ui_only" in tags else {"api", "ui"}
        names[key] = f"{result.feature_uri}:{result.line} {result.name}"
        if result.layer and result.status != "skipped":
            ran.setdefault(key, set()).add(result.layer)
    return [f"{names[key]}: no [{layer}] run" for key, layers in needs.items()
            for layer in sorted(layers - ran.get(key, set()))]


def build_record(
    coverage: CoverageReport,
    results: list[RunResult],
    run: dict[str, object],
    reports: Path,
    test_exit_code: int | None,
    duration: float | None,
    *,
    signed_by: str | None = None,
    page: dict[str, object] | None = None,
    other_problems: list[str] | None = None,
) -> dict[str, object]:
    now = dt.datetime.now(dt.UTC)
    others = other_problems or []
    signed = coverage.ok and coverage.verified == len(coverage.statements) and not test_exit_code and not others
    return {
        "run_id": f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}",
        "date": now.isoformat(timespec="seconds"),
        "signed_by": signed_by,
        "git_commit": git_commit(),
        "run_seed": run.get("run_seed"),
        "page": page or {"id": coverage.source_map.page_id},
        "test_exit_code": test_exit_code,
        "duration_seconds": round(duration, 3) if duration is not None else None,
        "signed_off": signed,
        "statements_verified": coverage.verified,
        "statements_total": len(coverage.statements),
        "statements": {s.statement.id: s.status for s in coverage.statements},
        "coverage_problems": coverage.problems,
        "other_problems": others,
        "scenarios": layer_counts(results),
        "files_sha256": sha256_files(reports, {RECORD_NAME}),
    }


def summary(record: dict[str, object], reports: Path) -> str:
    commit = str(record["git_commit"])[:12] if record["git_commit"] else "no commit"
    signer = f", signed by {record['signed_by']}" if record.get("signed_by") else ""
    lines = [f"Sign-off run {record['run_id']} ({commit}, run seed {record['run_seed']}{signer})"]
    page = record.get("page")
    if isinstance(page, dict) and page.get("fingerprint"):
        lines.append(f"  page: {page.get('checked_against')} (fingerprint {str(page['fingerprint'])[:16]})")
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
    problems = [*record["coverage_problems"], *record.get("other_problems", [])]  # type: ignore[misc]
    lines.extend(f"  problem: {p}" for p in problems[:5])
    if len(problems) > 5:
        lines.append(f"  ... and {len(problems) - 5} more (in {RECORD_NAME})")
    ways = record.get("ways_to_break")
    if isinstance(ways, dict) and ways:
        tried = sum(int(w["ways_to_break_it"]) for w in ways.values())
        caught = sum(int(w["caught"]) for w in ways.values())
        lines.append(f"  ways to break the statements: {tried} tried, {caught} caught")
    else:
        lines.append("  ways to break the statements: not tried (no counterexamples.json)")
    if record["test_exit_code"] is not None:
        lines.append(f"  pytest exit code: {record['test_exit_code']}")
    if isinstance(record.get("since"), dict):
        lines.extend(summary_lines(record["since"]))  # type: ignore[arg-type]
    lines.append(f"  living document: {reports / DOCUMENT_NAME}")
    lines.append(f"  record: {reports / RECORD_NAME}")
    lines.append("SIGNED OFF" if record["signed_off"] else "NOT SIGNED OFF")
    return "\n".join(lines)


def publish(reports: Path, evidence: Evidence, features_dir: Path) -> Path:
    """Write Cucumber JSON and Cucumber Messages from the evidence; returns the results file to read."""
    if any(isinstance(e.get("scenario"), dict) for e in evidence.tests.values()):
        cucumber_json.write(reports / "cucumber.json", evidence)
        cucumber_messages.write(reports / MESSAGES_NAME, evidence, features_dir)
    results_path = reports / "cucumber.json"
    if not results_path.is_file() and (reports / "junit.xml").is_file():
        results_path = reports / "junit.xml"
    return results_path


def sign_off(
    reports: Path,
    *,
    test_exit_code: int | None = None,
    duration: float | None = None,
    features_dir: Path = DEFAULT_FEATURES,
    source_map_path: Path | None = None,
    page: Path | None = None,
    signed_by: str | None = None,
    since: dict[str, object] | None = None,
    min_strength: int | None = None,
    require_counterexamples: bool = False,
) -> int:
    """Write the reports and the sign-off record from ``reports/``; 0 only when signed off.

    ``since`` is an earlier record (``since.load_record``): what changed since it is listed in the
    record, the summary and the living document.
    """
    reports = Path(reports)
    try:
        evidence = load_evidence_file(reports / "evidence.json")
        results_path = publish(reports, evidence, features_dir)
        document = {"results_path": results_path, "features_dir": features_dir,
                    "source_map_path": source_map_path, "evidence_path": reports / "evidence.json", "page": page,
                    "mutation_path": reports / "mutation.json",
                    "counterexamples_path": reports / "counterexamples.json"}
        coverage = write_report(reports / DOCUMENT_NAME, **document)  # type: ignore[arg-type]
        results = load_results(results_path).results
        source_map = sourcemap.load(source_map_path)
        checked, page_problems = checked_page(source_map, page)
        ways, strength_problems = signoff_problems(reports, min_strength)
        if require_counterexamples and not ways:
            strength_problems.append(f"the kept counter-examples were not tried (no {reports / WAYS_FILE}): "
                                     "run `harness counterexamples`")
        facts = _comparable_facts(coverage, results, source_map, page)
        facts["statement_counterexamples"] = counterexample_facts(load_ways(reports / WAYS_FILE))
        moved = changes(since, facts) if since is not None else None
        if moved is not None:  # the document shows what moved: written again, before the checksums
            write_report(reports / DOCUMENT_NAME, **document, since=moved)  # type: ignore[arg-type]
    except (SourceMapError, ResultsError, FeatureParseError) as exc:
        print(f"signoff: {exc}", file=sys.stderr)
        return 2
    others = [*parity.problems(parity.compare(evidence.tests)), *missing_layers(results), *page_problems,
              *strength_problems]
    record = build_record(coverage, results, evidence.run, reports, test_exit_code, duration,
                          signed_by=signed_by, page=checked, other_problems=others)
    record.update(facts, **({"since": moved} if moved is not None else {}))
    record["ways_to_break"] = ways
    (reports / RECORD_NAME).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(summary(record, reports))
    return 0 if record["signed_off"] else 1


def _comparable_facts(coverage: CoverageReport, results: list[RunResult], source_map: sourcemap.SourceMap,
                      page: Path | None) -> dict[str, object]:
    """What a later sign-off compares against (``--since``): verdicts, page fingerprints, scenarios, statuses."""
    sentences = split_page(page) if page is not None else None
    return {"verdicts": verdicts(results), "page_sentences": page_fingerprints(source_map, sentences),
            "statement_scenarios": statement_facts(coverage),
            "statements": {s.statement.id: s.status for s in coverage.statements}}


def add_record_arguments(parser: argparse.ArgumentParser) -> None:
    """Options the sign-off record takes (shared with ``harness signoff``)."""
    parser.add_argument("--signed-by", default=None, metavar="NAME", help="who signs off (recorded)")
    parser.add_argument("--page", type=Path, default=None,
                        help="the documented page (.txt or published .html) to check against and show")
    parser.add_argument("--since", type=Path, default=None, metavar="OLD_SIGNOFF.json",
                        help="an earlier sign-off record: list what changed since it (verdicts, scenarios, page)")
    parser.add_argument("--min-strength", type=int, default=None, metavar="P",
                        help="refuse to sign when a statement measured by `harness mutate` kills under P%% of mutants")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reports", type=Path, default=Path("reports"), help="default: %(default)s")
    parser.add_argument("--features", type=Path, default=DEFAULT_FEATURES, help="default: %(default)s")
    parser.add_argument("--source-map", type=Path, default=None)
    add_record_arguments(parser)


def run(args: argparse.Namespace) -> int:
    try:
        since = load_record(args.since) if getattr(args, "since", None) else None
    except ResultsError as exc:
        print(f"signoff: {exc}", file=sys.stderr)
        return 2
    return sign_off(args.reports, features_dir=args.features, source_map_path=args.source_map, page=args.page,
                    signed_by=args.signed_by, since=since, min_strength=getattr(args, "min_strength", None))
