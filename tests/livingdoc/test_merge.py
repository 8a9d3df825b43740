"""Shards' reports merge into one folder: evidence with its files, JUnit suites, Cucumber features."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness import cli
from harness.livingdoc import merge

from .conftest import PNG


def _shard(lids_run: Path, tmp_path: Path, name: str, keep: str) -> Path:
    shard = tmp_path / name
    shutil.copytree(lids_run, shard)
    evidence = json.loads((shard / "evidence.json").read_text())
    evidence["tests"] = {k: v for k, v in evidence["tests"].items() if keep in k}
    (shard / "evidence.json").write_text(json.dumps(evidence))
    count = len(evidence["tests"])
    (shard / "junit.xml").write_text(
        f'<testsuites><testsuite name="pytest" tests="{count}" failures="0" errors="0" skipped="0" time="1.5">'
        + "".join(f'<testcase name="{k.split("::")[1]}" time="0.5"/>' for k in evidence["tests"])
        + "</testsuite></testsuites>")
    return shard


def test_merge_joins_evidence_files_and_junit(tmp_path: Path, lids_run: Path) -> None:
    one, two = _shard(lids_run, tmp_path, "one", "closed"), _shard(lids_run, tmp_path, "two", "colours")
    (two / "screenshots/A clo/01.png").write_bytes(PNG + b"other")  # same path, different file
    into = tmp_path / "merged"
    assert merge.merge([one, two], into) == 3
    evidence = json.loads((into / "evidence.json").read_text())
    assert len(evidence["tests"]) == 3 and evidence["run_seed"] == 7
    for entry in evidence["tests"].values():
        for step in entry["steps"]:
            assert "screenshot" not in step or (into / step["screenshot"]).is_file()
    red = next(e for k, e in evidence["tests"].items() if "colours" in k)
    assert (into / red["trace"]).is_file()
    root = ET.parse(into / "junit.xml").getroot()
    assert root.get("tests") == "3" and len(root.findall("testsuite")) == 2


def test_overlapping_shards_are_refused(tmp_path: Path, lids_run: Path) -> None:
    one, two = _shard(lids_run, tmp_path, "one", "closed"), _shard(lids_run, tmp_path, "two", "closed")
    with pytest.raises(merge.MergeError, match="shards must not overlap"):
        merge.merge([one, two], tmp_path / "merged")
    with pytest.raises(merge.MergeError, match="not found"):
        merge.merge([tmp_path / "absent"], tmp_path / "merged")
    with pytest.raises(merge.MergeError, match="is one of the shards"):
        merge.merge([one], one)


def test_signoff_merge_writes_one_document_and_record(
    tmp_path: Path, lids_run: Path, widget_map: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    one, two = _shard(lids_run, tmp_path, "one", "closed"), _shard(lids_run, tmp_path, "two", "colours")
    monkeypatch.chdir(tmp_path)
    shutil.copy(widget_map, tmp_path / "map.toml")
    from harness.livingdoc import sourcemap

    monkeypatch.setattr(sourcemap, "default_path", lambda page=sourcemap.DEFAULT_PAGE: tmp_path / "map.toml")
    code = cli.main(["signoff", "--merge", str(one), str(two), "--reports", "merged", "--signed-by", "QA Lead"])
    assert code == 1  # the red outline example failed
    record = json.loads((tmp_path / "merged/signoff.json").read_text())
    assert record["signed_by"] == "QA Lead" and record["scenarios"]["ui"]["failed"] == 1
    assert {"living-document.html", "cucumber.json", "messages.ndjson", "junit.xml"} <= set(record["files_sha256"])
    assert "merged 3 results from 2 shard(s)" in capsys.readouterr().out
