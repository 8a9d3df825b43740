"""The sign-off record names the run, the commit, what was verified and each report file's sha256."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.livingdoc import signoff
from harness.livingdoc.results import RunResult

from .conftest import cucumber_element, write_cucumber

FEATURE = "@COLOUR @LEGACY-1.0\nFeature: W\n  @LID-CLOSED @LID-LOCKED\n  Scenario: All\n    Given x\n"


def _run(tmp_path: Path, write_feature: Callable[[str, str], Path], statuses: list[str]) -> Path:
    write_feature("w.feature", FEATURE)
    reports = tmp_path / "reports"
    reports.mkdir()
    elements = [
        cucumber_element(f"test_all[{layer}]", "All", 4, [], [status])
        for layer, status in zip(("api", "ui"), statuses, strict=True)
    ]
    write_cucumber(reports / "cucumber.json", "widget/w.feature", [], elements)
    (reports / "evidence.json").write_text(json.dumps({"run_seed": 99, "tests": {}}), "utf-8")
    return reports


def test_signed_off_run(
    tmp_path: Path,
    widget_map: Path,
    write_feature: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    reports = _run(tmp_path, write_feature, ["passed", "passed"])
    code = signoff.sign_off(
        reports,
        test_exit_code=0,
        duration=12.5,
        features_dir=tmp_path / "features",
        source_map_path=widget_map,
    )
    assert code == 0
    record = json.loads((reports / "signoff.json").read_text())
    assert record["signed_off"] is True and record["run_seed"] == 99
    assert record["statements_verified"] == record["statements_total"] == 4
    assert record["statements"] == dict.fromkeys(
        ["COLOUR", "LEGACY-1.0", "LID-CLOSED", "LID-LOCKED"], "verified"
    )
    assert record["scenarios"]["api"] == {"passed": 1, "failed": 0, "skipped": 0}
    assert set(record["files_sha256"]) == {"cucumber.json", "evidence.json", "living-document.html"}
    doc = (reports / "living-document.html").read_bytes()
    assert record["files_sha256"]["living-document.html"] == hashlib.sha256(doc).hexdigest()
    out = capsys.readouterr().out
    assert "statements verified: 4 of 4" in out and out.rstrip().endswith("SIGNED OFF")
    assert "api:  1 passed, 0 failed" in out


def test_failing_run_is_not_signed_off(
    tmp_path: Path,
    widget_map: Path,
    write_feature: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    reports = _run(tmp_path, write_feature, ["passed", "failed"])
    code = signoff.sign_off(
        reports, test_exit_code=1, features_dir=tmp_path / "features", source_map_path=widget_map
    )
    assert code == 1
    record = json.loads((reports / "signoff.json").read_text())
    assert record["signed_off"] is False and record["statements_verified"] == 0
    out = capsys.readouterr().out
    assert "not verified: COLOUR (failing)" in out and "NOT SIGNED OFF" in out


def test_missing_results(tmp_path: Path, widget_map: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert signoff.sign_off(tmp_path, source_map_path=widget_map) == 2
    assert "not found" in capsys.readouterr().err


def test_git_commit_is_read_without_git(tmp_path: Path) -> None:
    git = tmp_path / "repo" / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text("a" * 40 + "\n")
    nested = tmp_path / "repo" / "sub"
    nested.mkdir()
    assert signoff.git_commit(nested) == "a" * 40
    (git / "refs" / "heads" / "main").unlink()
    (git / "packed-refs").write_text("# pack-refs\n" + "b" * 40 + " refs/heads/main\n")
    assert signoff.git_commit(nested) == "b" * 40


def test_record_names_signer_page_fingerprint_and_writes_messages(
    tmp_path: Path, widget_map: Path, lids_run: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "widget.txt"
    signoff.sign_off(lids_run, features_dir=tmp_path / "features", source_map_path=widget_map,
                     page=page, signed_by="Ada Lovelace")
    record = json.loads((lids_run / "signoff.json").read_text())
    assert record["signed_by"] == "Ada Lovelace"
    from_page = record["page"]
    assert from_page["checked_against"] == str(page) and from_page["drifted"] is False
    assert from_page["sha256"] == hashlib.sha256(page.read_bytes()).hexdigest()
    signoff.sign_off(lids_run, features_dir=tmp_path / "features", source_map_path=widget_map)
    from_map = json.loads((lids_run / "signoff.json").read_text())["page"]
    assert from_map["checked_against"] == "source map" and from_map["fingerprint"] == from_page["fingerprint"]
    assert {"messages.ndjson", "cucumber.json", "living-document.html"} <= set(record["files_sha256"])
    assert "signed by Ada Lovelace" in capsys.readouterr().out


def test_a_drifted_page_is_not_signed_off(
    tmp_path: Path, widget_map: Path, write_feature: Callable[[str, str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    reports = _run(tmp_path, write_feature, ["passed", "passed"])
    page = tmp_path / "edited.txt"
    page.write_text((tmp_path / "widget.txt").read_text().replace("blue", "green"), "utf-8")
    code = signoff.sign_off(reports, test_exit_code=0, features_dir=tmp_path / "features",
                            source_map_path=widget_map, page=page)
    assert code == 1
    record = json.loads((reports / "signoff.json").read_text())
    assert record["page"]["drifted"] is True and record["statements_verified"] == 4
    assert "has drifted from the source map (statements changed: COLOUR" in record["other_problems"][0]
    assert "NOT SIGNED OFF" in capsys.readouterr().out


def test_layers_that_disagree_are_not_signed_off(
    tmp_path: Path, widget_map: Path, lids_run: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evidence = json.loads((lids_run / "evidence.json").read_text())
    for nodeid, entry in evidence["tests"].items():
        if nodeid.endswith("closed[ui]"):
            entry["snapshot"] = {"lid": "open"}
    (lids_run / "evidence.json").write_text(json.dumps(evidence), "utf-8")
    assert signoff.sign_off(lids_run, features_dir=tmp_path / "features", source_map_path=widget_map) == 1
    problems = json.loads((lids_run / "signoff.json").read_text())["other_problems"]
    (problem,) = [p for p in problems if "layers disagree" in p]
    assert "'A closed lid stays closed'" in problem and "lid: api='closed' ui='open'" in problem
    assert "problem: layers disagree" in capsys.readouterr().out


def test_a_scenario_missing_a_layer_is_not_signed_off(tmp_path: Path, widget_map: Path, lids_run: Path) -> None:
    assert signoff.sign_off(lids_run, features_dir=tmp_path / "features", source_map_path=widget_map) == 1
    problems = json.loads((lids_run / "signoff.json").read_text())["other_problems"]
    missing = [p for p in problems if "no [" in p]
    assert missing == ["widget/lids.feature:11 Widgets come in colours: no [api] run"]


def test_a_scenario_tagged_for_one_layer_needs_only_that_one() -> None:
    def run(layer: str, tags: tuple[str, ...]) -> RunResult:
        return RunResult(test_id=f"test_x[{layer}]", name="X", feature_uri="f.feature", line=3, tags=tags,
                         layer=layer, status="passed", duration=0.1)

    assert signoff.missing_layers([run("ui", ("ui_only",))]) == []
    assert signoff.missing_layers([run("api", ("api_only",))]) == []
    assert signoff.missing_layers([run("api", ())]) == ["f.feature:3 X: no [ui] run"]
    assert signoff.missing_layers([run("api", ()), run("ui", ())]) == []


def test_an_unreadable_page_is_one_clear_error(
    tmp_path: Path, widget_map: Path, lids_run: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = signoff.sign_off(lids_run, features_dir=tmp_path / "features", source_map_path=widget_map,
                            page=tmp_path / "absent.html")
    assert code == 2
    assert "cannot read page" in capsys.readouterr().err
    assert not (lids_run / "signoff.json").exists()  # no record claims a check that did not happen


def test_a_signoff_that_needs_the_counter_examples_refuses_without_them(
    tmp_path: Path,
    widget_map: Path,
    write_feature: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`harness signoff` tries every kept way to break a statement; a run without their results is not signed."""
    reports = _run(tmp_path, write_feature, ["passed", "passed"])
    options = {"test_exit_code": 0, "features_dir": tmp_path / "features", "source_map_path": widget_map,
               "require_counterexamples": True}
    assert signoff.sign_off(reports, **options) == 1  # type: ignore[arg-type]
    out = capsys.readouterr().out
    assert "counter-examples were not tried" in out and "ways to break the statements: not tried" in out
    items = [{"name": "lid-open", "breaks": "close() does nothing", "verdict": "caught"}]
    (reports / "counterexamples.json").write_text(json.dumps({"statements": {"LID-CLOSED": {"items": items}}}),
                                                  "utf-8")
    assert signoff.sign_off(reports, **options) == 0  # type: ignore[arg-type]
    assert "ways to break the statements: 1 tried, 1 caught" in capsys.readouterr().out
