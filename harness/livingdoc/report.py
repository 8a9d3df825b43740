"""`harness docs report`: the HTML living document of one run.

Rule served: "Reports from one run: a self-contained HTML living document (per statement: status,
scenarios, each layer's result, steps, screenshots, Faker values, timings)" (docs/design.md section 6)
and "The values a scenario used are evidence in the report" (section 5). The page is one HTML file
with inline CSS and a little inline script (filter by status and tag, search step text, enlarge a
screenshot); screenshots and Playwright traces stay files beside it, referenced by relative links
and shown as lazily loaded thumbnails, so the page stays small and quick to open with thousands of
results. Archive the whole reports folder with the sign-off record (it lists every file's sha256).

Inputs: the results (Cucumber JSON or JUnit XML), the evidence (``harness/livingdoc/evidence_file.py``
describes it), optionally the page as published (``--page``: each statement then shows the page's
own sentences, read at build time and never stored) and ``mutation.json`` (each statement's
mutation strength). Values whose key names a secret (``secret``, ``password``, ``token``) are
masked: the seed replays them. Evidence is indexed once, so building is linear in the results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import sys
import urllib.parse
from importlib import metadata
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader

from harness.livingdoc import parity, sourcemap
from harness.livingdoc.coverage import DEFAULT_FEATURES, DEFAULT_RESULTS, CoverageReport, check_coverage
from harness.livingdoc.drift import compare
from harness.livingdoc.evidence_file import Evidence, load_evidence_file
from harness.livingdoc.results import ResultsError, RunResult, layer_counts, load_results
from harness.livingdoc.sourcemap import SourceMap, SourceMapError
from harness.livingdoc.splitter import split_page
from harness.livingdoc.strength.scores import Strength, load_strength
from harness.livingdoc.strength.ways import Ways, load_ways
from harness.livingdoc.traceability import FeatureParseError

DEFAULT_OUTPUT = Path("reports/living-document.html")
DEFAULT_EVIDENCE = Path("reports/evidence.json")
DEFAULT_MUTATION = Path("reports/mutation.json")
DEFAULT_COUNTEREXAMPLES = Path("reports/counterexamples.json")
_SECRET_KEY = re.compile(r"secret|password|passwd|token", re.IGNORECASE)
_TEMPLATES = Path(__file__).parent / "templates"


def load_evidence(path: Path | None) -> tuple[dict[str, object], dict[str, dict[str, object]]]:
    """(run facts, per-test entries) from an evidence file; empty when there is none."""
    evidence = load_evidence_file(path)
    return evidence.run, evidence.tests


class _Links:
    """Hrefs from the living document's folder to files the evidence names."""

    def __init__(self, evidence: Evidence, output: Path) -> None:
        self.evidence = evidence
        self.folder = output.resolve().parent
        self.base = evidence.base.resolve() if evidence.base is not None else Path.cwd()
        self._known: dict[str, str | None] = {}  # many results share files; resolve each name once

    def href(self, relative: object) -> str | None:
        if not isinstance(relative, str) or not relative or relative.startswith("unavailable"):
            return None
        if relative not in self._known:
            target = Path(os.path.normpath(self.base / relative))
            self._known[relative] = urllib.parse.quote(Path(os.path.relpath(target, self.folder)).as_posix())
        return self._known[relative]


def _values(entry: dict[str, Any]) -> list[tuple[str, str]]:
    values = entry.get("values")
    if not isinstance(values, dict):
        return []
    return [(str(k), "(masked; replay with the seed)" if _SECRET_KEY.search(str(k)) else str(v))
            for k, v in values.items()]


def _steps(result: RunResult, entry: dict[str, Any], links: _Links) -> list[dict[str, Any]]:
    recorded = entry.get("steps") if isinstance(entry.get("steps"), list) else []
    if result.steps:
        steps = [{"keyword": s.keyword, "name": s.name, "status": s.status, "duration": s.duration,
                  "error": s.error, "rows": [list(r) for r in s.rows], "doc_string": s.doc_string}
                 for s in result.steps]
    else:  # JUnit results have no steps; the evidence has them
        steps = [{"keyword": s.get("keyword", ""), "name": s.get("name", ""), "status": s.get("status", ""),
                  "duration": float(s.get("duration", 0) or 0), "error": s.get("error", "")} for s in recorded]
    for view, raw in zip(steps, recorded, strict=False):
        view["shot"] = links.href(raw.get("screenshot"))
        # the step's table or doc string: from the results, else from the evidence (JUnit has none)
        view["rows"] = view.get("rows") or raw.get("rows") or []
        view["doc_string"] = view.get("doc_string") or raw.get("doc_string")
    return steps


def _run_view(result: RunResult, evidence: Evidence, links: _Links) -> dict[str, Any]:
    _, entry = evidence.find(result.test_id, result.feature_uri)
    duration = entry.get("duration")
    return {
        "test_id": result.test_id,
        "status": result.status,
        "duration": float(duration) if isinstance(duration, int | float) else result.duration,
        "steps": _steps(result, entry, links),
        "faker_seed": entry.get("faker_seed"),
        "faker_values": _values(entry),
        "trace": links.href(entry.get("trace")),
    }


def _scenario_status(layers: dict[str, str]) -> str:
    statuses = set(layers.values())
    for status in ("failed", "passed", "skipped"):
        if status in statuses:
            return status
    return "not run"


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in ("pytest", "pytest-bdd", "playwright", "faker", "harness"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def error_headline(error: str) -> str:
    """The line of a pytest failure a reader needs first: the first ``E`` line, else the last line."""
    lines = [ln.strip() for ln in error.splitlines() if ln.strip()]
    flagged = [ln[1:].strip() for ln in lines if ln.startswith("E ")]
    return (flagged or lines or [""])[0 if flagged else -1][:200]


def _when(run: dict[str, Any]) -> str:
    stamp = run.get("written_at", run.get("started"))
    if isinstance(stamp, int | float):
        return dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return str(stamp) if stamp else "not recorded"


def page_sentences(page: Path, source_map: SourceMap) -> dict[str, dict[str, Any]]:
    """Statement id -> the page's own sentences for it now, and whether they changed since the map."""
    sentences = split_page(page)
    drifted = compare(source_map, sentences)
    return {entry.owner: {"status": entry.status,
                          "sentences": [sentences[i].text for i in entry.new_indexes if i < len(sentences)]}
            for entry in drifted.statements}


def _parity_badges(checked: list[parity.Parity]) -> list[tuple[str, int]]:
    """One badge per parity status with how many examples have it (an outline has one check per row)."""
    counts: dict[str, int] = {}
    for check in checked:
        counts[check.status] = counts.get(check.status, 0) + 1
    return sorted(counts.items())


def _statement_view(entry: Any, evidence: Evidence, links: _Links, checks: dict[str, parity.Parity],
                    extra: dict[str, Any]) -> dict[str, Any]:
    scenarios = []
    for sc in entry.scenarios:
        runs = [_run_view(r, evidence, links) for r in sc.results]
        keys = {parity.scenario_key(evidence.find(r.test_id, r.feature_uri)[0], r.layer) for r in sc.results}
        checked = [checks[k] for k in sorted(keys) if k in checks]
        scenarios.append({"parity_badges": _parity_badges(checked), "name": sc.ref.name,
                          "location": sc.ref.location, "layers": sc.layers, "runs": runs,
                          "open": sc.failed, "tags": " ".join(sc.ref.tags), "status": _scenario_status(sc.layers),
                          "parity": checked})
    sid = entry.statement.id
    strength: Strength | None = extra["strength"].get(sid)
    return {"id": sid, "kind": entry.statement.kind, "summary": entry.statement.summary,
            "status": {"untested": "no scenario"}.get(entry.status, entry.status),
            "status_class": entry.status.replace(" ", "-"), "scenarios": scenarios,
            "page": extra["page"].get(sid), "strength": strength, "ways": extra["ways"].get(sid)}


def render(report: CoverageReport, results: list[RunResult], evidence: Evidence, output: Path,
           page: dict[str, dict[str, Any]] | None = None, strength: dict[str, Strength] | None = None,
           now: dt.datetime | None = None, since: dict[str, Any] | None = None,
           ways: dict[str, Ways] | None = None) -> str:
    """The living document as one HTML string (Jinja2, autoescaped)."""
    now = now or dt.datetime.now(dt.UTC)
    run = evidence.run
    links = _Links(evidence, output)
    checks = {p.scenario: p for p in parity.compare(evidence.tests)}
    versions = {**_versions(), **(run.get("versions") if isinstance(run.get("versions"), dict) else {})}
    facts = [("run seed", run.get("run_seed", "not recorded")), ("run written", _when(run)),
             ("results", report.results_path or "none"),
             ("versions", ", ".join(f"{k} {v}" for k, v in versions.items()))]
    extra = {"page": page or {}, "strength": strength or {}, "ways": ways or {}}
    statements = [_statement_view(e, evidence, links, checks, extra) for e in report.statements]
    tags = sorted({t for st in statements for sc in st["scenarios"] for t in sc["tags"].split()})
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["error_headline"] = error_headline
    return env.get_template("living_document.html").render(
        page={"title": report.source_map.title, "source_map": report.source_map.path.name, "given": bool(page)},
        run={"generated": now.strftime("%Y-%m-%d %H:%M:%S UTC"), "facts": facts},
        totals={"verified": report.verified, "statements": len(report.statements), "layers": layer_counts(results),
                "parity": parity.problems(list(checks.values()))},
        statements=statements, tags=tags, since=since)


def write_report(
    output: Path = DEFAULT_OUTPUT,
    *,
    results_path: Path = DEFAULT_RESULTS,
    features_dir: Path = DEFAULT_FEATURES,
    source_map_path: Path | None = None,
    evidence_path: Path | None = DEFAULT_EVIDENCE,
    page: Path | None = None,
    mutation_path: Path | None = DEFAULT_MUTATION,
    since: dict[str, Any] | None = None,
    counterexamples_path: Path | None = DEFAULT_COUNTEREXAMPLES,
) -> CoverageReport:
    """Write the living document; returns the coverage it shows. Raises SourceMapError/ResultsError."""
    source_map = sourcemap.load(source_map_path)
    results = load_results(results_path)
    evidence = load_evidence_file(evidence_path)
    results.fill_layers(evidence.tests)
    report = check_coverage(source_map, features_dir, results)
    try:
        sentences = page_sentences(page, source_map) if page is not None else None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsError(f"cannot read page {page}: {exc}") from None
    output = Path(output)
    html = render(report, results.results, evidence, output, sentences, load_strength(mutation_path),
                  since=since, ways=load_ways(counterexamples_path))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    return report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS, help="default: %(default)s")
    parser.add_argument("--evidence", type=Path, default=DEFAULT_EVIDENCE, help="default: %(default)s")
    parser.add_argument("--mutation", type=Path, default=DEFAULT_MUTATION, help="default: %(default)s (if present)")
    parser.add_argument("--counterexamples", type=Path, default=DEFAULT_COUNTEREXAMPLES,
                        help="default: %(default)s (if present)")
    parser.add_argument("--page", type=Path, default=None,
                        help="the documented page (.txt or published .html): show its sentences per statement")
    parser.add_argument("--features", type=Path, default=DEFAULT_FEATURES, help="default: %(default)s")
    parser.add_argument("--source-map", type=Path, default=None)
    parser.add_argument("--output", "-o", type=Path, default=DEFAULT_OUTPUT, help="default: %(default)s")


def run(args: argparse.Namespace) -> int:
    try:
        report = write_report(args.output, results_path=args.results, features_dir=args.features,
                              source_map_path=args.source_map, evidence_path=args.evidence, page=args.page,
                              mutation_path=args.mutation, counterexamples_path=args.counterexamples)
    except (SourceMapError, ResultsError, FeatureParseError) as exc:
        print(f"docs report: {exc}", file=sys.stderr)
        return 2
    print(f"living document: {args.output} ({report.verified} of {len(report.statements)} statements verified)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="harness docs report", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))
