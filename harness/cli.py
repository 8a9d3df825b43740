"""The ``harness`` command: ``serve`` for people, ``signoff`` for releases, ``docs`` for writers."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from harness.reference.demo import serve_forever


def _signoff(args: argparse.Namespace, extra: list[str]) -> int:
    from harness.livingdoc.merge import MergeError, clear_run_files, merge
    from harness.livingdoc.results import ResultsError
    from harness.livingdoc.signoff import sign_off
    from harness.livingdoc.since import load_record

    reports = Path(args.reports)
    try:  # read before the run clears the reports folder, which may hold it
        since = load_record(args.since) if args.since else None
    except ResultsError as exc:
        print(f"signoff: {exc}", file=sys.stderr)
        return 2
    record = {"page": args.page, "signed_by": args.signed_by, "since": since,
              "min_strength": args.min_strength}
    extra = extra[1:] if extra[:1] == ["--"] else extra  # `harness signoff -- <pytest options>`
    if args.merge:
        if extra:
            print(f"signoff --merge runs no tests; unexpected arguments: {' '.join(extra)}", file=sys.stderr)
            return 2
        try:
            count = merge([Path(d) for d in args.merge], reports)
        except MergeError as exc:
            print(f"signoff: {exc}", file=sys.stderr)
            return 2
        print(f"merged {count} results from {len(args.merge)} shard(s) into {reports}", flush=True)
        return sign_off(reports, **record)
    reports.mkdir(parents=True, exist_ok=True)
    clear_run_files(reports)
    # Cucumber JSON and Messages are written from the evidence afterwards (with screenshots, and
    # complete under pytest-xdist); pytest-playwright keeps the trace of each failed browser run.
    command = [sys.executable, "-m", "pytest", "features", "-q", "--tb=short",
               f"--junitxml={reports / 'junit.xml'}", f"--evidence={reports / 'evidence.json'}",
               "--tracing=retain-on-failure", f"--output={reports / 'playwright'}",
               f"--alluredir={reports / 'allure-results'}", "--clean-alluredir", *extra]
    print("running:", " ".join(command), flush=True)
    started = time.monotonic()
    tests = subprocess.run(command, check=False).returncode
    if tests == 0 and not args.skip_counterexamples:
        # "Verified" means every kept way to break a statement was tried: the record carries the figures.
        from harness.livingdoc.strength.breakers import main as counterexamples

        print("running: harness counterexamples", flush=True)
        counterexamples(["--output", str(reports / "counterexamples.json")])
    signed = sign_off(reports, test_exit_code=tests, duration=time.monotonic() - started,
                      require_counterexamples=not args.skip_counterexamples, **record)
    return tests or signed


def _mutate(args: argparse.Namespace, extra: list[str]) -> int:
    from harness.livingdoc.strength.mutation import main as mutate

    return mutate(extra)


def _counterexamples(args: argparse.Namespace, extra: list[str]) -> int:
    from harness.livingdoc.strength.breakers import main as counterexamples

    return counterexamples(extra)


def _serve(args: argparse.Namespace, extra: list[str]) -> int:
    serve_forever(Path(args.workdir))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="harness", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the reference appliance and fake Salesforce for a person")
    serve.add_argument("--workdir", default=".harness/demo", help="where certificates and data are kept")
    serve.set_defaults(run=_serve)
    signoff = commands.add_parser("signoff", help="run every scenario and write the signed reports; "
                                  "extra arguments go to pytest")
    signoff.add_argument("--reports", default="reports", help="folder for the reports")
    signoff.add_argument("--skip-counterexamples", action="store_true",
                         help="do not try the kept counter-examples after the scenarios (a quicker run; the record "
                              "then says they were not tried)")
    signoff.add_argument("--merge", nargs="+", metavar="DIR", default=None,
                         help="run no tests: merge these shards' reports folders into --reports and sign off")
    from harness.livingdoc.signoff import add_record_arguments

    add_record_arguments(signoff)
    signoff.set_defaults(run=_signoff)
    from harness.livingdoc.cli import add_docs_commands

    add_docs_commands(commands)
    mutate = commands.add_parser("mutate", add_help=False,
                                 help="measure each statement's scenarios with mutmut (slow; --help for options)")
    mutate.set_defaults(run=_mutate)
    breakers = commands.add_parser("counterexamples", add_help=False,
                                   help="check that each statement's scenarios catch every kept counter-example")
    breakers.set_defaults(run=_counterexamples)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command not in ("signoff", "mutate", "counterexamples"):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if getattr(args, "run", None) is None:
        parser.error("choose a command")
    try:
        with_extra = args.command in ("serve", "signoff", "mutate", "counterexamples")
        return int(args.run(args, extra) or 0) if with_extra else int(args.run(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
