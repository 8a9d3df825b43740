"""``harness counterexamples``: try every kept counter-example against its statement's scenarios.

Rule served: docs/design.md section 2 (every way of breaking a statement has a scenario that catches it)
and section 6 (a check that cannot fail is a defect). The run fails when any counter-example is not
caught, cannot be applied or makes pytest error out, when a statement's unpatched scenarios do not pass,
and when a statement of the source map has fewer counter-examples than ``--min-per-statement``.

``counterexamples.json`` (read by the living document and the sign-off record)::

    {"statements": {"CALLBACK": {"total": 9, "caught": 9,
                                 "items": [{"name": "prefix-match", "breaks": "...", "layer": "api",
                                            "verdict": "caught", "by": "test_...[api]", "seconds": 5.1}]}}}
"""

from __future__ import annotations

import argparse
import json
import queue
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from harness.livingdoc import sourcemap
from harness.livingdoc.strength.counterexamples import (
    CounterExample,
    CounterExampleError,
    TrialResult,
    baseline,
    load,
    try_one,
)

DEFAULT_FOLDER = Path("counterexamples")
DEFAULT_OUTPUT = Path("reports/counterexamples.json")

Runner = Callable[[CounterExample], TrialResult]
BaselineRunner = Callable[[str, str], TrialResult]


def summarize(examples: list[CounterExample], outcomes: dict[str, TrialResult]) -> dict[str, Any]:
    """The JSON document: per statement its counter-examples, each with what its scenarios did."""
    statements: dict[str, Any] = {}
    for example in examples:
        outcome = outcomes[example.key]
        entry = statements.setdefault(example.statement, {"total": 0, "caught": 0, "items": []})
        entry["total"] += 1
        entry["caught"] += outcome.verdict == "caught"
        entry["items"].append({"name": example.name, "breaks": example.breaks, "layer": example.layer,
                               "verdict": outcome.verdict, "by": outcome.by, "detail": outcome.detail,
                               "seconds": round(outcome.seconds, 1)})
    return {"statements": statements}


def problems(document: dict[str, Any], statement_ids: list[str], minimum: int,
             baselines: dict[str, TrialResult]) -> list[str]:
    """Everything that keeps the run from passing, one line each (empty: every counter-example caught)."""
    found = [f"{key}: the unpatched scenarios did not pass ({o.verdict}: {o.detail})"
             for key, o in baselines.items() if o.verdict != "missed"]
    statements = document["statements"]
    for sid in statement_ids:
        total = statements.get(sid, {}).get("total", 0)
        if total < minimum:
            found.append(f"{sid}: {total} counter-example(s), fewer than {minimum}")
    for sid, entry in statements.items():
        if sid not in statement_ids:
            found.append(f"{sid}: counter-examples kept for a statement the source map does not have")
        found.extend(f"{sid}/{item['name']}: {item['verdict']}{' - ' + item['detail'] if item['detail'] else ''}"
                     for item in entry["items"] if item["verdict"] != "caught")
    return found


def run_all(examples: list[CounterExample], runner: Runner, base: BaselineRunner,
            jobs: int) -> tuple[dict[str, TrialResult], dict[str, TrialResult]]:
    """Baselines first (one per statement and layer in use), then every counter-example, ``jobs`` at a time."""
    pairs = sorted({(e.statement, e.layer) for e in examples})
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        baselines = dict(zip((f"{s} [{layer}]" for s, layer in pairs),
                             pool.map(lambda pair: base(*pair), pairs), strict=True))
        if any(o.verdict != "missed" for o in baselines.values()):
            return baselines, {e.key: TrialResult("error", detail="not tried: a baseline failed") for e in examples}
        outcomes = dict(zip((e.key for e in examples), pool.map(runner, examples), strict=True))
    return baselines, outcomes


def in_slot(slots: queue.Queue[Path], work: Callable[[Path], TrialResult]) -> TrialResult:
    """Runs ``work`` in a free scratch folder (one per parallel job), then frees it."""
    slot = slots.get()
    try:
        return work(slot)
    finally:
        slots.put(slot)


def _print_report(document: dict[str, Any]) -> None:
    for sid, entry in document["statements"].items():
        print(f"{sid}: ways to break it: {entry['total']}, caught: {entry['caught']}")
        for item in entry["items"]:
            mark = "caught" if item["verdict"] == "caught" else item["verdict"].upper()
            print(f"    {mark:7} {item['name']}: {item['breaks']}" + (f" (by {item['by']})" if item["by"] else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="harness counterexamples", description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER, help="default: %(default)s")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="default: %(default)s")
    parser.add_argument("--statements", default="", help="comma-separated statement ids (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="counter-examples tried at once")
    parser.add_argument("--min-per-statement", type=int, default=6)
    args = parser.parse_args(argv)
    repo = Path.cwd()
    try:
        examples = load(args.folder)
    except (CounterExampleError, OSError) as exc:
        print(f"counterexamples: {exc}", flush=True)
        return 2
    ids = [s.id for s in sourcemap.load().statements]
    chosen = [s.strip() for s in args.statements.split(",") if s.strip()]
    if chosen:
        examples, ids = [e for e in examples if e.statement in chosen], [i for i in ids if i in chosen]
    # Outside the checkout: a copy below it would be found by the checkout's own pytest configuration.
    with tempfile.TemporaryDirectory(prefix="harness-counterexamples-") as scratch:
        slots: queue.Queue[Path] = queue.Queue()
        for number in range(max(1, args.jobs)):
            slots.put(Path(scratch) / f"slot-{number}")
        baselines, outcomes = run_all(examples, lambda e: in_slot(slots, lambda s: try_one(repo, e, s)),
                                      lambda st, layer: in_slot(slots, lambda s: baseline(repo, st, layer, s)),
                                      args.jobs)
    document = summarize(examples, outcomes)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _print_report(document)
    found = problems(document, ids, args.min_per_statement, baselines)
    for line in found:
        print(f"counterexamples: {line}", flush=True)
    total = sum(e["total"] for e in document["statements"].values())
    caught = sum(e["caught"] for e in document["statements"].values())
    print(f"counterexamples: {caught} of {total} caught; written to {args.output}", flush=True)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
