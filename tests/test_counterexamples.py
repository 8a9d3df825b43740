"""The counter-example runner and the kept counter-examples (docs/design.md section 2)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from harness.livingdoc import sourcemap
from harness.livingdoc.results import ResultsError
from harness.livingdoc.strength import breakers
from harness.livingdoc.strength.counterexamples import (
    CounterExample,
    CounterExampleError,
    TrialResult,
    load,
    parse,
)
from harness.livingdoc.strength.ways import load_ways, record_figures, signoff_problems

REPO = Path(__file__).resolve().parents[1]
KEPT = REPO / "counterexamples"
DIFF = "--- a/harness/x.py\n+++ b/harness/x.py\n@@ -1 +1 @@\n-a = 1\n+a = 2\n"
MINIMUM = 6


def _patch(tmp_path: Path, header: str, diff: str = DIFF) -> Path:
    path = tmp_path / "CALLBACK" / "prefix.patch"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "\n" + diff)
    return path


def test_a_patch_header_names_what_it_breaks_and_its_layer(tmp_path: Path) -> None:
    example = parse(_patch(tmp_path, "Breaks: a prefix match\nLayer: ui\n"), "CALLBACK")
    assert (example.key, example.breaks, example.layer) == ("CALLBACK/prefix", "a prefix match", "ui")
    assert parse(_patch(tmp_path, "Breaks: a prefix match\n"), "CALLBACK").layer == "api"


@pytest.mark.parametrize(("header", "diff", "complaint"), [
    ("Layer: api\n", DIFF, "Breaks"),
    ("Breaks: x\nLayer: both\n", DIFF, "Layer"),
    ("Breaks: x\n", "", "no diff"),
])
def test_a_patch_without_its_line_or_its_diff_is_refused(tmp_path: Path, header: str, diff: str,
                                                         complaint: str) -> None:
    with pytest.raises(CounterExampleError, match=complaint):
        parse(_patch(tmp_path, header, diff), "CALLBACK")


def _examples(*names: str) -> list[CounterExample]:
    return [CounterExample("CALLBACK", name, f"breaks {name}", "api", Path(f"{name}.patch")) for name in names]


def test_every_counter_example_not_caught_is_a_problem() -> None:
    examples = _examples("caught-one", "missed-one", "broken-one")
    outcomes = {"CALLBACK/caught-one": TrialResult("caught", by="test_x[api]"),
                "CALLBACK/missed-one": TrialResult("missed"),
                "CALLBACK/broken-one": TrialResult("error", detail="does not apply")}
    document = breakers.summarize(examples, outcomes)
    assert (document["statements"]["CALLBACK"]["total"], document["statements"]["CALLBACK"]["caught"]) == (3, 1)
    found = breakers.problems(document, ["CALLBACK"], 1, {"CALLBACK [api]": TrialResult("missed")})
    assert found == ["CALLBACK/missed-one: missed", "CALLBACK/broken-one: error - does not apply"]


def test_too_few_counter_examples_a_failing_baseline_and_an_unknown_statement_are_problems() -> None:
    document = breakers.summarize(_examples("a"), {"CALLBACK/a": TrialResult("caught", by="t")})
    document["statements"]["NOPE"] = {"total": 0, "caught": 0, "items": []}
    found = breakers.problems(document, ["CALLBACK", "SCOPES"], 1, {"CALLBACK [api]": TrialResult("caught", by="t")})
    assert any(line.startswith("CALLBACK [api]: the unpatched scenarios did not pass") for line in found)
    assert "SCOPES: 0 counter-example(s), fewer than 1" in found
    assert "NOPE: counter-examples kept for a statement the source map does not have" in found


def test_no_counter_example_is_tried_when_a_baseline_fails() -> None:
    tried: list[str] = []

    def runner(example: CounterExample) -> TrialResult:
        tried.append(example.name)
        return TrialResult("caught", by="t")

    baselines, outcomes = breakers.run_all(_examples("a", "b"), runner, lambda s, layer: TrialResult("caught"), 1)
    assert tried == [] and {o.verdict for o in outcomes.values()} == {"error"}
    assert list(baselines) == ["CALLBACK [api]"]


def test_every_statement_keeps_enough_counter_examples_and_each_applies_to_the_code() -> None:
    """The kept patches cannot rot: each still applies to the checkout as it is now."""
    examples = load(KEPT)
    ids = [s.id for s in sourcemap.load().statements]
    counts = {sid: sum(e.statement == sid for e in examples) for sid in ids}
    assert all(count >= MINIMUM for count in counts.values()), counts
    assert {e.statement for e in examples} <= set(ids)
    for example in examples:
        done = subprocess.run(["git", "apply", "--check", str(example.path)], cwd=REPO, capture_output=True,
                              text=True, check=False)
        assert done.returncode == 0, f"{example.key} no longer applies: {done.stderr}"


def _write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document))
    return path


def test_the_document_and_the_record_read_back_the_figures(tmp_path: Path) -> None:
    items = [{"name": "prefix", "breaks": "a prefix match", "verdict": "caught", "by": "t[api]"},
             {"name": "case", "breaks": "case ignored", "verdict": "missed", "layer": "api"}]
    path = _write(tmp_path / "counterexamples.json", {"statements": {"CALLBACK": {"items": items}}})
    ways = load_ways(path)
    assert (ways["CALLBACK"].total, ways["CALLBACK"].caught) == (2, 1)
    assert record_figures(ways) == {"CALLBACK": {"ways_to_break_it": 2, "caught": 1, "not_caught": ["case"]}}
    figures, found = signoff_problems(tmp_path, None)
    assert found == ["CALLBACK: counter-example case is not caught (case ignored)"]
    assert figures["CALLBACK"]["caught"] == 1
    assert load_ways(tmp_path / "absent.json") == {}


def test_malformed_counter_example_results_are_one_clear_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.json", {"statements": {"CALLBACK": {"items": [{"name": 1}]}}})
    with pytest.raises(ResultsError, match="statements.CALLBACK.items"):
        load_ways(path)


def test_signoff_refuses_a_statement_below_the_minimum_strength(tmp_path: Path) -> None:
    _write(tmp_path / "mutation.json", {"statements": {"SCOPES": {"killed": 8, "total": 10, "survivors": []},
                                                       "PKCE-OFF": {"killed": 9, "total": 10, "survivors": []}}})
    _, found = signoff_problems(tmp_path, 90)
    assert found == ["SCOPES: mutation strength 8/10 (80%) is below 90%"]
    _, none_measured = signoff_problems(tmp_path / "nowhere", 90)
    assert none_measured and "no mutation results" in none_measured[0]
