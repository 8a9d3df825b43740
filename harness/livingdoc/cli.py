"""The ``harness docs ...`` commands for technical writers and QA.

Rule served: docs/design.md sections 6 and 7 - coverage (traceability from statements to passing
scenarios), drift (what changed on the page), the living document, the step catalogue, and the
sign-off record, each a subcommand. ``add_docs_commands`` is called by ``harness/cli.py``; every
subcommand sets ``run(args) -> exit code``.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from typing import Any

from harness.livingdoc import coverage, drift, report, signoff


def _steps(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("harness.livingdoc.steps_catalogue") is None:
        print("docs steps: the step catalogue is not available in this build", file=sys.stderr)
        return 2
    from harness.livingdoc import steps_catalogue

    return int(steps_catalogue.main(args) or 0)


def add_docs_commands(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``docs`` and its subcommands on the top-level ``harness`` subparsers."""
    docs = subparsers.add_parser(
        "docs",
        help="living documentation: coverage, drift, report, steps, signoff",
        description=__doc__.split("\n\n")[0],
    )
    commands = docs.add_subparsers(dest="docs_command", required=True, metavar="COMMAND")

    cov = commands.add_parser("coverage", help="every statement has a passing scenario; tags name real ids")
    coverage.add_arguments(cov)
    cov.set_defaults(run=coverage.run)

    dri = commands.add_parser("drift", help="compare a page (.txt/.html) with the source map")
    drift.add_arguments(dri)
    dri.set_defaults(run=drift.run)

    rep = commands.add_parser("report", help="write the HTML living document (screenshots, traces: files beside it)")
    report.add_arguments(rep)
    rep.set_defaults(run=report.run)

    sig = commands.add_parser("signoff", help="write the sign-off record from an existing run's reports")
    signoff.add_arguments(sig)
    sig.set_defaults(run=signoff.run)

    steps = commands.add_parser("steps", help="list the step sentences scenarios can use")
    steps.add_argument("--json", action="store_true", help="print the catalogue as JSON")
    steps.add_argument("--features", type=Path, default=Path("features"), help="default: %(default)s")
    steps.set_defaults(run=_steps)
    return docs


def main(argv: list[str] | None = None) -> int:
    """``python -m harness.livingdoc.cli docs ...`` without the rest of the harness CLI."""
    parser = argparse.ArgumentParser(prog="harness")
    add_docs_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
