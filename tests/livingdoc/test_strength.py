"""Mutation strength is read per statement; bad files get one clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.livingdoc.results import ResultsError
from harness.livingdoc.strength.scores import load_strength


def test_reads_killed_total_and_survivors(tmp_path: Path) -> None:
    path = tmp_path / "mutation.json"
    path.write_text(json.dumps({"statements": {"SCOPES": {"killed": 12, "total": 15, "survivors": ["a:1 x"]}}}))
    strength = load_strength(path)["SCOPES"]
    assert (strength.killed, strength.total, strength.percent, strength.survivors) == (12, 15, 80, ("a:1 x",))
    assert load_strength(tmp_path / "absent.json") == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON"),
        ('{"statements": []}', '"statements" object'),
        ('{"statements": {"SCOPES": {"killed": 5, "total": 3}}}', "statements.SCOPES needs integers"),
        ('{"statements": {"SCOPES": {"killed": 1, "total": 3, "survivors": "x"}}}', "survivors must be a list"),
    ],
)
def test_bad_files_are_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "mutation.json"
    path.write_text(content)
    with pytest.raises(ResultsError, match=message):
        load_strength(path)
