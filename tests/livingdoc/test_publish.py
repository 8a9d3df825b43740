"""Cucumber JSON with embeddings and Cucumber Messages, both written from a run's evidence."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import jsonschema_rs
import pytest
from cucumber_messages import Envelope, message_converter

from harness.livingdoc import cucumber_json, cucumber_messages
from harness.livingdoc.evidence_file import load_evidence_file
from harness.livingdoc.results import load_results

from .conftest import PNG

SCHEMA = Path(__file__).parent / "schemas" / "cucumber-messages-34.2.0.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_cucumber_json_embeds_each_steps_screenshot(lids_run: Path) -> None:
    evidence = load_evidence_file(lids_run / "evidence.json")
    assert cucumber_json.write(lids_run / "cucumber.json", evidence) == 3
    (feature,) = json.loads((lids_run / "cucumber.json").read_text())
    assert feature["uri"] == "widget/lids.feature" and feature["tags"][0]["name"] == "@COLOUR"
    red = next(e for e in feature["elements"] if e["id"] == "test_widgets_come_in_colours[ui-red]")
    given, when, then = red["steps"]
    assert "embeddings" not in given
    assert [e["mime_type"] for e in when["embeddings"]] == ["image/png"]
    assert base64.b64decode(then["embeddings"][0]["data"]) == PNG
    assert then["result"]["status"] == "failed" and "it is red failed" in then["result"]["error_message"]
    results = {r.test_id: r for r in load_results(lids_run / "cucumber.json").results}
    assert results["test_widgets_come_in_colours[ui-red]"].status == "failed"
    assert results["test_a_closed_lid_stays_closed[api]"].layer == "api"


def test_messages_are_valid_and_complete(
    tmp_path: Path, lids_run: Path, validator: jsonschema_rs.Validator
) -> None:
    evidence = load_evidence_file(lids_run / "evidence.json")
    path = lids_run / "messages.ndjson"
    count = cucumber_messages.write(path, evidence, tmp_path / "features")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == count
    envelopes = [json.loads(line) for line in lines]
    for envelope in envelopes:
        errors = [str(e) for e in validator.iter_errors(envelope)]
        assert not errors, (next(iter(envelope)), errors)
        message_converter.from_dict(envelope, Envelope)
    kinds = [next(iter(e)) for e in envelopes]
    assert kinds[0] == "meta" and kinds[-1] == "testRunFinished"
    # the file once per layer that ran it, each with its three pickles; a test case per result
    assert kinds.count("gherkinDocument") == 2 and kinds.count("pickle") == 6 and kinds.count("testCase") == 3
    assert kinds.count("attachment") == 4 and kinds.count("externalAttachment") == 1
    pickles = {e["pickle"]["id"]: e["pickle"] for e in envelopes if "pickle" in e}
    cases = [e["testCase"] for e in envelopes if "testCase" in e]
    assert [s["text"] for s in pickles[cases[2]["pickleId"]]["steps"]] == ["a widget", "it is painted red", "it is red"]
    # each layer its own document and pickle, so no reader takes one layer for a retry of the other
    assert cases[0]["pickleId"] != cases[1]["pickleId"]
    assert [pickles[c["pickleId"]]["uri"].rsplit("#", 1)[1] for c in cases] == ["api", "ui", "ui"]
    assert [pickles[c["pickleId"]]["name"] for c in cases[:2]] == ["A closed lid stays closed [api]",
                                                                   "A closed lid stays closed [ui]"]
    finished = [e["testStepFinished"]["testStepResult"]["status"] for e in envelopes if "testStepFinished" in e]
    assert finished.count("FAILED") == 1 and finished.count("PASSED") == 8
    assert envelopes[-1]["testRunFinished"]["success"] is False
    attachment = next(e["attachment"] for e in envelopes if "attachment" in e)
    assert base64.b64decode(attachment["body"]) == PNG and attachment["contentEncoding"] == "BASE64"


def test_results_without_a_feature_file_are_left_out(tmp_path: Path, lids_run: Path) -> None:
    (tmp_path / "features/widget/lids.feature").unlink()
    evidence = load_evidence_file(lids_run / "evidence.json")
    kinds = [next(iter(e)) for e in cucumber_messages.envelopes(evidence, tmp_path / "features")]
    assert kinds == ["meta", "testRunStarted", "testRunFinished"]


def test_a_scenario_that_moved_in_its_file_is_still_found(tmp_path: Path, lids_run: Path) -> None:
    feature = tmp_path / "features/widget/lids.feature"
    feature.write_text("# a comment added after the run\n\n" + feature.read_text(encoding="utf-8"), "utf-8")
    evidence = load_evidence_file(lids_run / "evidence.json")
    kinds = [next(iter(e)) for e in cucumber_messages.envelopes(evidence, tmp_path / "features")]
    assert kinds.count("testCase") == 3
