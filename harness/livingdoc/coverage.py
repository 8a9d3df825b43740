"""`harness docs coverage`: every documented statement is verified by a passing scenario.

Rule served: "Traceability: every scenario carries the ids it verifies as tags. A check fails when a
statement has no scenario, a scenario names an unknown id, or a statement has no passing scenario"
(docs/design.md section 6). Tags that look like ids (capitals, digits, ``-``/``.``: ``@FOO-BAR``) must name
a statement of the source map; other tags (``@api_only``, ``@ui_only``, ``@outline``) are ignored.

Statement status: ``verified`` (a scenario passed, none failed), ``failing`` (a scenario failed),
``not run`` (no results for its scenarios), ``untested`` (no scenario carries its id).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from harness.livingdoc import sourcemap
from harness.livingdoc.results import LAYERS, ResultsError, ResultSet, RunResult, load_results
from harness.livingdoc.sourcemap import SourceMap, SourceMapError, Statement
from harness.livingdoc.traceability import FeatureParseError, ScenarioRef, scan_features, scenarios_by_id

DEFAULT_RESULTS = Path("reports/cucumber.json")
DEFAULT_FEATURES = Path("features")
DEFAULT_EVIDENCE = Path("reports/evidence.json")
UNLAYERED = "unlayered"


@dataclass
class ScenarioCoverage:
    ref: ScenarioRef
    results: list[RunResult]
    layers: dict[str, str]  # layer -> passed | failed | skipped | not run

    @property
    def passed(self) -> bool:
        return any(r.status == "passed" for r in self.results) and not self.failed

    @property
    def failed(self) -> bool:
        return any(r.status == "failed" for r in self.results)


@dataclass
class StatementCoverage:
    statement: Statement
    scenarios: list[ScenarioCoverage]

    @property
    def status(self) -> str:
        if not self.scenarios:
            return "untested"
        if any(s.failed for s in self.scenarios):
            return "failing"
        if any(s.passed for s in self.scenarios):
            return "verified"
        return "not run"


@dataclass
class CoverageReport:
    source_map: SourceMap
    statements: list[StatementCoverage]
    problems: list[str] = field(default_factory=list)
    results_path: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def verified(self) -> int:
        return sum(1 for s in self.statements if s.status == "verified")

    def to_dict(self) -> dict[str, object]:
        return {
            "page": self.source_map.page_id,
            "results": str(self.results_path) if self.results_path else None,
            "ok": self.ok,
            "verified": self.verified,
            "statements_total": len(self.statements),
            "problems": self.problems,
            "statements": [
                {
                    "id": s.statement.id,
                    "kind": s.statement.kind,
                    "summary": s.statement.summary,
                    "status": s.status,
                    "scenarios": [
                        {"name": c.ref.name, "location": c.ref.location, "layers": c.layers}
                        for c in s.scenarios
                    ],
                }
                for s in self.statements
            ],
        }


def check_coverage(
    source_map: SourceMap, features_dir: Path, results: ResultSet | None = None
) -> CoverageReport:
    """Join statements, tagged scenarios and (optionally) results; list every traceability problem."""
    scenarios = scan_features(features_dir)
    index = scenarios_by_id(scenarios)
    known = set(source_map.ids)
    problems: list[str] = []
    if not scenarios:
        problems.append(f"no scenarios found under {features_dir}")
    for ref in scenarios:
        for unknown in (i for i in ref.ids if i not in known):
            problems.append(
                f"{ref.location}: scenario {ref.name!r} is tagged @{unknown}, which is not a statement id "
                f"of {source_map.path.name} (known: {', '.join(source_map.ids)})"
            )
    statements = []
    for statement in source_map.statements:
        covered = []
        for ref in index.get(statement.id, []):
            found = results.for_scenario(ref) if results else []
            layers = {layer: ResultSet.layer_status(found, layer) for layer in LAYERS}
            if any(r.layer is None for r in found):  # ids without [api]/[ui]: shown, not hidden
                layers[UNLAYERED] = ResultSet.layer_status(found, None)
            covered.append(ScenarioCoverage(ref, found, layers))
        entry = StatementCoverage(statement, covered)
        statements.append(entry)
        if not covered:
            problems.append(f"statement {statement.id} has no scenario (tag one with @{statement.id})")
        elif results is not None and not any(c.passed for c in covered):
            problems.append(
                f"statement {statement.id} has no passing scenario in {results.path} "
                f"({len(covered)} tagged, status {entry.status})"
            )
    return CoverageReport(source_map, statements, problems, results.path if results else None)


def format_text(report: CoverageReport) -> str:
    lines = [f"Coverage of {report.source_map.title} ({report.source_map.path.name})"]
    if report.results_path:
        lines.append(f"results: {report.results_path}")
    for entry in report.statements:
        lines.append(f"  {entry.statement.id:<12} {entry.status:<9} {entry.statement.summary}")
        for scenario in entry.scenarios:
            layers = "  ".join(f"{k}={v}" for k, v in scenario.layers.items()) if report.results_path else ""
            lines.append(f"      - {scenario.ref.name} ({scenario.ref.location}) {layers}".rstrip())
    lines.append(f"{report.verified} of {len(report.statements)} statements verified")
    if report.problems:
        lines.append(f"{len(report.problems)} problem(s):")
        lines.extend(f"  * {p}" for p in report.problems)
    else:
        lines.append("coverage OK" if report.results_path else "coverage OK (tags only; results not checked)")
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--results",
        type=Path,
        default=DEFAULT_RESULTS,
        help="Cucumber JSON or JUnit XML of a run (default: %(default)s)",
    )
    parser.add_argument(
        "--no-results",
        action="store_true",
        help="check tags only (statement without scenario, unknown id), not results",
    )
    parser.add_argument(
        "--evidence",
        type=Path,
        default=DEFAULT_EVIDENCE,
        help="the run's evidence, for layers missing from test ids (default: %(default)s)",
    )
    parser.add_argument("--features", type=Path, default=DEFAULT_FEATURES, help="default: %(default)s")
    parser.add_argument(
        "--source-map", type=Path, default=None, help="default: the page's map in the package"
    )


def run(args: argparse.Namespace) -> int:
    """0: covered; 1: a traceability problem; 2: unreadable input (missing results, bad map)."""
    try:
        source_map = sourcemap.load(args.source_map)
        results = None if args.no_results else load_results(args.results)
        if results is not None and args.evidence.is_file():
            from harness.livingdoc.evidence_file import load_evidence_file

            results.fill_layers(load_evidence_file(args.evidence).tests)
        if not Path(args.features).is_dir():
            raise ResultsError(f"features folder {args.features} not found")
        report = check_coverage(source_map, args.features, results)
    except (SourceMapError, ResultsError, FeatureParseError) as exc:
        print(f"docs coverage: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report.to_dict(), indent=2) if args.json else format_text(report))
    return 0 if report.ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="harness docs coverage", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))
