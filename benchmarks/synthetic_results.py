"""Generated runs of any size, to measure how the reports scale (a benchmark, not a test).

Rule served: "Reports ... stay usable at scale" (docs/design.md section 6). ``generate(folder, n)``
writes what a real run leaves behind, for ``n`` results: feature files tagged with the packaged
source map's statement ids (two results per scenario, ``[api]`` and ``[ui]``), ``evidence.json``
with steps, Faker values, screenshots of the browser layer's When/Then steps (a handful of real PNG
files shared by all results, so the disk use stays small) and a trace for each failed browser run,
and ``cucumber.json`` written from that evidence. Every 40th scenario fails in the browser layer.

    python -m benchmarks.synthetic_results --results 5000 --out /tmp/synthetic

builds the living document for it and prints the time taken and the file's size.
"""

from __future__ import annotations

import argparse
import json
import struct
import time
import zlib
from pathlib import Path
from typing import Any

from harness.livingdoc import cucumber_json, sourcemap
from harness.livingdoc.evidence_file import load_evidence_file

SCENARIOS_PER_FILE = 50
FAIL_EVERY = 40
_STEPS = (("Given", "given", "an org named {k} with an administrator"), ("And", "given", "the wizard is at step {k}"),
          ("When", "when", "the administrator submits app {k}"), ("Then", "then", "connection {k} is listed"),
          ("And", "then", "the connection {k} can be used"))


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small solid-colour PNG (stdlib only)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _feature(part: int, first: int, count: int, ids: list[str]) -> str:
    lines = [f"Feature: Synthetic part {part}", ""]
    for k in range(first, first + count):
        lines += [f"  @{ids[k % len(ids)]}", f"  Scenario: Synthetic scenario {k}"]
        lines += [f"    {kw} {text.format(k=k)}" for kw, _, text in _STEPS] + [""]
    return "\n".join(lines)


def _line(k: int) -> int:
    """Where scenario ``k``'s Scenario line is in its file (``_feature`` writes 8 lines a scenario)."""
    return 4 + 8 * (k % SCENARIOS_PER_FILE)


def _entry(k: int, layer: str, uri: str, ids: list[str], started: float) -> dict[str, Any]:
    failed = layer == "ui" and k % FAIL_EVERY == 0
    steps = []
    for n, (kw, kind, text) in enumerate(_STEPS):
        status = "failed" if failed and n == 3 else ("skipped" if failed and n > 3 else "passed")
        step: dict[str, Any] = {"keyword": kw, "type": kind, "name": text.format(k=k), "line": _line(k) + 1 + n,
                                "status": status, "duration": 0.05}
        if layer == "ui" and kind != "given" and status != "skipped":
            step["screenshot"] = f"screenshots/synthetic/{n:02d}-{kw.lower()}.png"
        if status == "failed":
            step["error"] = f"E   AssertionError: connection {k} is not listed"
        steps.append(step)
    line = _line(k)
    name = f"test_synthetic_scenario_{k}[{layer}]"
    entry: dict[str, Any] = {
        "nodeid": f"features/{uri}::{name}", "name": name,
        "layer": layer, "outcome": "failed" if failed else "passed", "duration": 0.3, "started": started,
        "faker_seed": 1000 + k, "values": {"org_name": f"Org {k}", "username": f"admin{k}@example.com"},
        "scenario": {"keyword": "Scenario", "name": f"Synthetic scenario {k}", "line": line, "description": "",
                     "tags": [ids[k % len(ids)]], "feature": {"uri": uri, "name": f"Synthetic part {k // 50}",
                                                               "keyword": "Feature", "line": 1, "description": "",
                                                               "language": "en", "tags": []}},
        "steps": steps, "snapshot": {"connections": [{"org": f"Org {k}", "status": "connected"}]},
    }
    if failed:
        entry["trace"] = "playwright/synthetic/trace.zip"
        entry["error"] = steps[3]["error"]
    return entry


def generate(folder: Path, results: int, source_map: Path | None = None) -> Path:
    """Write a run of ``results`` results under ``folder``; returns the reports folder inside it."""
    folder = Path(folder)
    ids = sourcemap.load(source_map).ids
    reports, features = folder / "reports", folder / "features" / "synthetic"
    (reports / "screenshots/synthetic").mkdir(parents=True, exist_ok=True)
    (reports / "playwright/synthetic").mkdir(parents=True, exist_ok=True)
    features.mkdir(parents=True, exist_ok=True)
    for n, (kw, _, _) in enumerate(_STEPS):
        (reports / f"screenshots/synthetic/{n:02d}-{kw.lower()}.png").write_bytes(png(64, 48, (40 * n, 90, 160)))
    (reports / "playwright/synthetic/trace.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip
    scenarios = (results + 1) // 2
    for part, first in enumerate(range(0, scenarios, SCENARIOS_PER_FILE)):
        count = min(SCENARIOS_PER_FILE, scenarios - first)
        (features / f"part_{part:03d}.feature").write_text(_feature(part, first, count, ids), encoding="utf-8")
    started, tests = time.time(), {}
    for index in range(results):
        k, layer = index // 2, ("api", "ui")[index % 2]
        entry = _entry(k, layer, f"synthetic/part_{k // SCENARIOS_PER_FILE:03d}.feature", ids, started + index)
        tests[entry["nodeid"]] = entry
    evidence = {"run_seed": 4242, "started": started, "written_at": started + results, "tests": tests}
    (reports / "evidence.json").write_text(json.dumps(evidence), encoding="utf-8")
    cucumber_json.write(reports / "cucumber.json", load_evidence_file(reports / "evidence.json"), embed=False)
    return reports


def main(argv: list[str] | None = None) -> int:
    from harness.livingdoc.report import write_report

    parser = argparse.ArgumentParser(prog="python -m benchmarks.synthetic_results",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=int, default=5000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    reports = generate(args.out, args.results)
    output = reports / "living-document.html"
    started = time.perf_counter()
    write_report(output, results_path=reports / "cucumber.json", features_dir=args.out / "features",
                 evidence_path=reports / "evidence.json")
    took = time.perf_counter() - started
    print(f"{args.results} results: living document built in {took:.2f} s, "
          f"{output.stat().st_size / 1e6:.1f} MB ({output})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
