"""The living document built from generated runs of 5,000 and 50,000 results: build time and size.

Rule served: reports stay usable at scale (docs/design.md section 6): 5,000 results in at most 2 s
and 20 MB. The runs come from ``benchmarks.synthetic_results``, the reports' own generator.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.figures import Figure

BUILD_S = {5000: 2.0}
SIZE_MB = {5000: 20.0}


def build(results: int) -> tuple[float, float]:
    from benchmarks.synthetic_results import generate
    from harness.livingdoc.report import write_report

    folder = Path(tempfile.mkdtemp(prefix=f"bench-doc-{results}-"))
    reports = generate(folder, results)
    output = reports / "living-document.html"
    began = time.perf_counter()
    write_report(output, results_path=reports / "cucumber.json", features_dir=folder / "features",
                 evidence_path=reports / "evidence.json")
    return time.perf_counter() - began, output.stat().st_size / 1e6


def living_document(sizes: tuple[int, ...] = (5000, 50000)) -> list[Figure]:
    figures = []
    for results in sizes:
        try:
            took, size = build(results)
        except (ImportError, TypeError) as exc:  # the generator or the builder changed shape
            return [Figure("living document", None, "", note=f"not measured: {exc}")]
        figures += [Figure(f"living document, {results:,} results: build", took, "s", BUILD_S.get(results)),
                    Figure(f"living document, {results:,} results: size", size, "MB", SIZE_MB.get(results))]
    return figures
