"""The source map loads, names the eight statements, holds no page text, and explains its errors."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from harness.livingdoc import sourcemap
from harness.livingdoc.sourcemap import SourceMapError
from harness.livingdoc.splitter import split_page

from .conftest import GUIDE_PAGE

EXPECTED_IDS = {
    "PURPOSE",
    "SCOPES",
    "OAUTH-ON",
    "PKCE-OFF",
    "CALLBACK",
    "EXAMPLE-DNS",
    "EDIT-REAUTH",
    "LEGACY-3.2",
}


def test_packaged_map_has_the_eight_statements() -> None:
    loaded = sourcemap.load()
    assert set(loaded.ids) == EXPECTED_IDS
    kinds = {s.id: s.kind for s in loaded.statements}
    assert kinds["PURPOSE"] == "purpose"
    assert kinds["EXAMPLE-DNS"] == "example"
    assert kinds["LEGACY-3.2"] == kinds["EDIT-REAUTH"] == "note"
    assert {kinds[i] for i in ("SCOPES", "OAUTH-ON", "PKCE-OFF", "CALLBACK")} == {"consideration"}
    assert len(loaded.sequence()) == loaded.sentence_count  # every sentence is accounted for


def test_packaged_map_stores_fingerprints_not_sentences() -> None:
    """Besides our own summaries and labels, the map holds only 16-hex-digit fingerprints and numbers."""
    data = tomllib.loads(sourcemap.default_path().read_text(encoding="utf-8"))
    for table in (*data["statement"], *data["untestable"]):
        assert set(table) <= {"id", "kind", "summary", "role", "sentences", "fingerprints"}
        assert all(re.fullmatch(r"[0-9a-f]{16}", digest) for digest in table["fingerprints"])
        assert len(table.get("summary", "")) <= 160


def test_a_generated_map_holds_no_sentence_of_its_page(guide_map: Path) -> None:
    stored = guide_map.read_text(encoding="utf-8").lower()
    for sentence in split_page(GUIDE_PAGE):
        words = sentence.normalised.split()
        if len(words) >= 4:
            assert " ".join(words[:4]) not in stored, f"sentence {sentence.index} is pasted into the map"


@pytest.mark.parametrize("tag", ["@SCOPES", "LEGACY-3.2", "FOO-BAR", "A1.B2"])
def test_id_tags(tag: str) -> None:
    assert sourcemap.is_id_tag(tag)


@pytest.mark.parametrize("tag", ["@api_only", "ui_only", "outline", "Scopes", "FOO--BAR", "-X"])
def test_not_id_tags(tag: str) -> None:
    assert not sourcemap.is_id_tag(tag)


GOOD = """[page]
id = "p"
title = "P"
sentence_count = 3

[[statement]]
id = "ONE"
kind = "note"
summary = "One."
sentences = [0, 1]
fingerprints = ["0123456789abcdef", "0123456789abcdee"]

[[untestable]]
role = "heading"
sentences = [2, 2]
fingerprints = ["0123456789abcded"]
"""


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('id = "ONE"', 'id = "one"', "statement[0] (one).id"),
        ('kind = "note"', 'kind = "remark"', "statement[0] (ONE).kind"),
        ('summary = "One."', 'summary = ""', "statement[0] (ONE).summary"),
        ('summary = "One."', 'summary = """One.\nTwo."""', "statement[0] (ONE).summary"),
        ('"0123456789abcdee"', '"0123456789ABCDEE"', "statement[0] (ONE).fingerprints[1]"),
        ("sentences = [0, 1]", "sentences = [0, 2]", "statement[0] (ONE).fingerprints"),
        ("sentences = [0, 1]", "sentences = [1, 0]", "statement[0] (ONE).sentences"),
        ("sentences = [2, 2]", "sentences = [1, 1]", "untestable[0].sentences"),
        ("sentences = [2, 2]", "sentences = [3, 3]", "untestable[0].sentences"),
        ('role = "heading"', "", "untestable[0].role"),
        ("sentence_count = 3", "", "page.sentence_count"),
        ('title = "P"', "", "page.title"),
        ("[page]", "[pages]", "page"),
        ("[[statement]]", "[[statements]]", "statement"),
    ],
)
def test_validation_errors_name_file_and_field(tmp_path: Path, old: str, new: str, field: str) -> None:
    path = tmp_path / "broken.toml"
    assert old in GOOD
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SourceMapError) as caught:
        sourcemap.load(path)
    assert str(caught.value).startswith(f"{path}: {field}")


def test_good_map_loads(tmp_path: Path) -> None:
    path = tmp_path / "good.toml"
    path.write_text(GOOD, encoding="utf-8")
    loaded = sourcemap.load(path)
    assert loaded.sequence() == [
        ("0123456789abcdef", "ONE"),
        ("0123456789abcdee", "ONE"),
        ("0123456789abcded", None),
    ]


def test_duplicate_ids_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "dup.toml"
    path.write_text(GOOD + GOOD[GOOD.index("[[statement]]") : GOOD.index("[[untestable]]")], encoding="utf-8")
    with pytest.raises(SourceMapError, match=r"statement\[1\] \(ONE\)\.id: duplicate id"):
        sourcemap.load(path)
    path.write_text("[page\n", encoding="utf-8")
    with pytest.raises(SourceMapError, match="not valid TOML"):
        sourcemap.load(path)
    with pytest.raises(SourceMapError, match="not found"):
        sourcemap.load(tmp_path / "absent.toml")
