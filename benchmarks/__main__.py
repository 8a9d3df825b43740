"""``python -m benchmarks``: every figure of the harness's speed, each beside its target.

Rule served: docs/design.md, speed. Sections can be chosen (``--only startup suite``); the whole
run takes a while (two runs of the acceptance suite and a 5,000-scenario memory run; pass
``--memory-scenarios 500`` for a shorter one).
"""

from __future__ import annotations

import argparse
import platform
import shlex
import time

from benchmarks.figures import Figure, closing_note, print_section

SECTIONS = ("startup", "suite", "browser", "livingdoc", "memory")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument("--repeat", type=int, default=5, help="runs of the browser example per side")
    parser.add_argument("--memory-scenarios", type=int, default=5000,
                        help="length of the long run (three API scenarios to one browser scenario)")
    parser.add_argument("--suite-args", default="", metavar="ARGS",
                        help='extra pytest arguments for the suite runs, e.g. "--layer api" for a quick look')
    args = parser.parse_args(argv)
    began = time.perf_counter()
    shown: list[Figure] = []
    print(f"benchmarks on {platform.node()}: {platform.machine()}, python {platform.python_version()}; "
          "timings on a shared machine are noisy, run it more than once", flush=True)
    if "startup" in args.only:
        from benchmarks.startup import startup

        shown += print_section("start-up", startup())
    if "suite" in args.only:
        from benchmarks.parallel import parallel

        title = "scenarios, and -n 2 against its CPU bound (whole acceptance suite)"
        shown += print_section(title, parallel(shlex.split(args.suite_args)))
    if "browser" in args.only:
        from benchmarks.suite import browser_overhead

        shown += print_section("browser layer vs a bare Playwright script", browser_overhead(args.repeat))
    if "livingdoc" in args.only:
        from benchmarks.livingdoc import living_document

        shown += print_section("living document at scale", living_document())
    if "memory" in args.only:
        from benchmarks.suite import memory

        shown += print_section("memory over a long run", memory(args.memory_scenarios))
    closing_note(shown)
    print(f"\nbenchmarks took {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
