"""`harness docs ...` is wired: coverage, drift, report, signoff and the steps hook."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from harness.livingdoc import cli, coverage, drift, report, signoff


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="harness")
    cli.add_docs_commands(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


@pytest.mark.parametrize(
    ("argv", "target"),
    [
        (("docs", "coverage", "--json"), coverage.run),
        (("docs", "drift", "page.html"), drift.run),
        (("docs", "report", "-o", "x.html"), report.run),
        (("docs", "signoff", "--reports", "r"), signoff.run),
    ],
)
def test_subcommands_are_registered(argv: tuple[str, ...], target: object) -> None:
    assert _parse(*argv).run is target


def test_steps_hook_is_registered() -> None:
    args = _parse("docs", "steps", "--json")
    assert args.json is True and args.features == Path("features")
    assert callable(args.run)


def test_docs_needs_a_subcommand() -> None:
    with pytest.raises(SystemExit):
        _parse("docs")


def test_main_runs_drift(tmp_path: Path, widget_map: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["docs", "drift", str(tmp_path / "widget.txt"), "--source-map", str(widget_map)]) == 0
    assert "no drift" in capsys.readouterr().out
