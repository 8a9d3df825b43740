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


def test_signoff_runs_pytest_with_evidence_and_traces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harness import cli as harness_cli

    seen: dict[str, object] = {}

    def fake_run(command: list[str], check: bool) -> object:
        seen["command"] = command
        return type("Done", (), {"returncode": 1})()

    def fake_sign_off(reports: Path, **kwargs: object) -> int:
        seen.update(reports=reports, **kwargs)
        return 1

    monkeypatch.setattr(harness_cli.subprocess, "run", fake_run)
    monkeypatch.setattr(signoff, "sign_off", fake_sign_off)
    (tmp_path / "screenshots").mkdir()
    (tmp_path / "screenshots" / "old.png").write_bytes(b"x")
    (tmp_path / "cucumber.json").write_text("[]")
    code = harness_cli.main(["signoff", "--reports", str(tmp_path), "--signed-by", "QA", "--", "-p", "no:randomly"])
    assert code == 1
    command = seen["command"]
    assert isinstance(command, list) and command[-2:] == ["-p", "no:randomly"] and "--" not in command
    assert f"--evidence={tmp_path / 'evidence.json'}" in command and "--tracing=retain-on-failure" in command
    assert not any(arg.startswith("--cucumberjson") for arg in command)  # written from the evidence instead
    assert f"--alluredir={tmp_path / 'allure-results'}" in command and "--clean-alluredir" in command
    assert seen["signed_by"] == "QA" and seen["test_exit_code"] == 1 and seen["since"] is None
    assert not (tmp_path / "screenshots").exists()  # an earlier run's files do not linger
    assert not (tmp_path / "cucumber.json").exists()


def test_signoff_since_reads_the_old_record_before_the_run_clears_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harness import cli as harness_cli
    from harness.livingdoc import signoff

    seen: dict[str, object] = {}
    monkeypatch.setattr(harness_cli.subprocess, "run", lambda command, check: type("Done", (), {"returncode": 0})())
    monkeypatch.setattr(signoff, "sign_off", lambda reports, **kwargs: seen.update(kwargs) or 0)
    (tmp_path / "signoff.json").write_text('{"run_id": "old-run", "verdicts": {}}', encoding="utf-8")
    assert harness_cli.main(["signoff", "--reports", str(tmp_path), "--since", str(tmp_path / "signoff.json"),
                             "--skip-counterexamples"]) == 0
    assert seen["since"] == {"run_id": "old-run", "verdicts": {}}
    assert not (tmp_path / "signoff.json").exists()  # cleared by the run, read before it


def test_the_signoff_run_tries_the_counter_examples_and_requires_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harness import cli as harness_cli
    from harness.livingdoc import signoff
    from harness.livingdoc.strength import breakers

    seen: dict[str, object] = {}
    monkeypatch.setattr(harness_cli.subprocess, "run", lambda command, check: type("Done", (), {"returncode": 0})())
    monkeypatch.setattr(breakers, "main", lambda argv: seen.update(counterexamples=argv) or 0)
    monkeypatch.setattr(signoff, "sign_off", lambda reports, **kwargs: seen.update(kwargs) or 0)
    assert harness_cli.main(["signoff", "--reports", str(tmp_path)]) == 0
    assert seen["counterexamples"] == ["--output", str(tmp_path / "counterexamples.json")]
    assert seen["require_counterexamples"] is True


def test_signoff_merge_refuses_pytest_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from harness import cli as harness_cli

    assert harness_cli.main(["signoff", "--merge", str(tmp_path), "--", "-k", "x"]) == 2
    assert "runs no tests" in capsys.readouterr().err
