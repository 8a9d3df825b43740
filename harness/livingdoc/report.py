"""`harness docs report`: the self-contained HTML living document of one run.

Rule served: "Reports from one run: a self-contained HTML living document (per statement: status,
scenarios, each layer's result, steps, screenshots, Faker values, timings)" (DESIGN.md section 6)
and "The values a scenario used are evidence in the report" (section 5). The page has inline CSS, no
external asset, and screenshots as base64 ``data:`` URIs, so one file can be archived with sign-off.

Evidence file (``reports/evidence.json``, written by the pytest plugin's ``--evidence``)::

    {
      "run_seed": 1234,                     # replay with --faker-seed
      "written_at": 1764350000.0,           # epoch seconds (or "started": ISO text)
      "versions": {"appliance": "3.2"},     # optional, shown in the header
      "tests": {
        "features/...::test_scopes_are_required[api]": {   # pytest node id
          "outcome": "passed",
          "faker_seed": 987654,             # the scenario's own seed (from its id + the run seed)
          "values": {"org_name": "Acme", "username": "..."},   # what the scenario used
          "screenshots": ["reports/screenshots/x.png"],  # relative to cwd or to the evidence file
          "layer": "api",                   # "api" | "ui"
          "duration": 1.23                  # seconds
        }
      }
    }

The flat form ``{node id: entry, "__run__": {run facts}}`` is read too. A results element
(Cucumber id = pytest item name) is joined to the entry whose node id ends with ``::<item name>``.
PNGs in the screenshots folder named after the sanitised node id (``[^A-Za-z0-9_.-]+`` -> ``_``,
last 150 characters) are embedded as well. Values whose key names a secret (``secret``,
``password``, ``token``) are masked: the seed replays them.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import platform
import re
import sys
from importlib import metadata
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from harness.livingdoc import sourcemap
from harness.livingdoc.coverage import DEFAULT_FEATURES, DEFAULT_RESULTS, CoverageReport, check_coverage
from harness.livingdoc.results import ResultsError, RunResult, layer_counts, load_results
from harness.livingdoc.sourcemap import SourceMapError

DEFAULT_OUTPUT = Path("reports/living-document.html")
DEFAULT_EVIDENCE = Path("reports/evidence.json")
DEFAULT_SCREENSHOTS = Path("reports/screenshots")
RUN_KEY = "__run__"
_SECRET_KEY = re.compile(r"secret|password|passwd|token", re.IGNORECASE)
_MAX_IMAGE_BYTES = 8 * 1024 * 1024
_TEMPLATES = Path(__file__).parent / "templates"


def sanitise(test_id: str) -> str:
    """The file stem the pytest plugin gives a test's screenshot."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", test_id)[-150:]


def load_evidence(path: Path | None) -> tuple[dict[str, object], dict[str, dict[str, object]]]:
    """(run facts, per-test entries) from an evidence file; empty when there is none."""
    if path is None or not Path(path).is_file():
        return {}, {}
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
    return run, {str(k): v for k, v in tests.items() if isinstance(v, dict)}


def _evidence_for(result: RunResult, evidence: dict[str, dict[str, object]]) -> tuple[str, dict[str, object]]:
    suffix = f"::{result.test_id}"
    for nodeid, entry in evidence.items():
        if nodeid.endswith(suffix) or nodeid == result.test_id:
            return nodeid, entry
    return "", {}


def _data_uri(path: Path) -> dict[str, str] | None:
    try:
        if path.suffix.lower() != ".png" or path.stat().st_size > _MAX_IMAGE_BYTES:
            return None
        return {
            "name": path.name,
            "uri": "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode(),
        }
    except OSError:
        return None


def _screenshots(
    result: RunResult, nodeid: str, entry: dict[str, object], base: Path | None, folder: Path | None
) -> list[dict[str, str]]:
    paths: list[Path] = []
    listed = entry.get("screenshots")
    for raw in listed if isinstance(listed, list) else []:
        candidate = Path(str(raw))
        if not candidate.is_absolute() and not candidate.exists() and base is not None:
            candidate = base / candidate
        paths.append(candidate)
    if folder is not None and folder.is_dir():
        stems = {sanitise(nodeid or result.test_id)}
        paths.extend(p for p in sorted(folder.glob("*.png")) if p.stem in stems)
    shots = [_data_uri(p) for p in dict.fromkeys(p.resolve() for p in paths)]
    return [s for s in shots if s]


def _values(entry: dict[str, object]) -> list[tuple[str, str]]:
    values = entry.get("values")
    if not isinstance(values, dict):
        return []
    return [
        (str(k), "(masked; replay with the seed)" if _SECRET_KEY.search(str(k)) else str(v))
        for k, v in values.items()
    ]


def _run_view(
    result: RunResult, evidence: dict[str, dict[str, object]], base: Path | None, folder: Path | None
) -> dict[str, object]:
    nodeid, entry = _evidence_for(result, evidence)
    duration = entry.get("duration")
    return {
        "test_id": result.test_id,
        "status": result.status,
        "duration": float(duration) if isinstance(duration, int | float) else result.duration,
        "steps": result.steps,
        "faker_seed": entry.get("faker_seed"),
        "faker_values": _values(entry),
        "screenshots": _screenshots(result, nodeid, entry, base, folder),
    }


def _totals(report: CoverageReport, results: list[RunResult]) -> dict[str, object]:
    return {
        "verified": report.verified,
        "statements": len(report.statements),
        "layers": layer_counts(results),
    }


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


def _when(run: dict[str, object]) -> str:
    stamp = run.get("written_at", run.get("started"))
    if isinstance(stamp, int | float):
        return dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return str(stamp) if stamp else "not recorded"


def render(
    report: CoverageReport,
    results: list[RunResult],
    evidence: dict[str, dict[str, object]],
    run: dict[str, object] | None = None,
    evidence_base: Path | None = None,
    screenshots: Path | None = None,
    now: dt.datetime | None = None,
) -> str:
    """The living document as one HTML string (Jinja2, autoescaped)."""
    now = now or dt.datetime.now(dt.UTC)
    run = run or {}
    versions = {**_versions(), **(run.get("versions") if isinstance(run.get("versions"), dict) else {})}
    facts = [
        ("run seed", run.get("run_seed", "not recorded")),
        ("run written", _when(run)),
        ("results", report.results_path or "none"),
        ("versions", ", ".join(f"{k} {v}" for k, v in versions.items())),
    ]
    statements = []
    for entry in report.statements:
        scenarios = []
        for sc in entry.scenarios:
            runs = [_run_view(r, evidence, evidence_base, screenshots) for r in sc.results]
            scenarios.append(
                {
                    "name": sc.ref.name,
                    "location": sc.ref.location,
                    "layers": sc.layers,
                    "runs": runs,
                    "open": sc.failed,
                }
            )
        status = {"untested": "no scenario"}.get(entry.status, entry.status)
        statements.append(
            {
                "id": entry.statement.id,
                "kind": entry.statement.kind,
                "summary": entry.statement.summary,
                "status": status,
                "status_class": entry.status.replace(" ", "-"),
                "scenarios": scenarios,
            }
        )
    env = Environment(
        loader=FileSystemLoader(_TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["error_headline"] = error_headline
    return env.get_template("living_document.html").render(
        page={"title": report.source_map.title, "source_map": report.source_map.path.name},
        run={"generated": now.strftime("%Y-%m-%d %H:%M:%S UTC"), "facts": facts},
        totals=_totals(report, results),
        statements=statements,
    )


def write_report(
    output: Path = DEFAULT_OUTPUT,
    *,
    results_path: Path = DEFAULT_RESULTS,
    features_dir: Path = DEFAULT_FEATURES,
    source_map_path: Path | None = None,
    evidence_path: Path | None = DEFAULT_EVIDENCE,
    screenshots: Path | None = DEFAULT_SCREENSHOTS,
) -> CoverageReport:
    """Write the living document; returns the coverage it shows. Raises SourceMapError/ResultsError."""
    source_map = sourcemap.load(source_map_path)
    results = load_results(results_path)
    run, evidence = load_evidence(evidence_path)
    results.fill_layers(evidence)
    report = check_coverage(source_map, features_dir, results)
    base = Path(evidence_path).parent if evidence_path else None
    html = render(report, results.results, evidence, run, base, screenshots)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    return report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS, help="default: %(default)s")
    parser.add_argument("--evidence", type=Path, default=DEFAULT_EVIDENCE, help="default: %(default)s")
    parser.add_argument("--screenshots", type=Path, default=DEFAULT_SCREENSHOTS, help="default: %(default)s")
    parser.add_argument("--features", type=Path, default=DEFAULT_FEATURES, help="default: %(default)s")
    parser.add_argument("--source-map", type=Path, default=None)
    parser.add_argument("--output", "-o", type=Path, default=DEFAULT_OUTPUT, help="default: %(default)s")


def run(args: argparse.Namespace) -> int:
    try:
        report = write_report(
            args.output,
            results_path=args.results,
            features_dir=args.features,
            source_map_path=args.source_map,
            evidence_path=args.evidence,
            screenshots=args.screenshots,
        )
    except (SourceMapError, ResultsError) as exc:
        print(f"docs report: {exc}", file=sys.stderr)
        return 2
    print(
        f"living document: {args.output} ({report.verified} of {len(report.statements)} statements verified)"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="harness docs report", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))
