"""Find which scenarios verify which documented statements.

Rule served: "Traceability: every scenario carries the ids it verifies as tags" (docs/design.md
section 6). Feature files are read with the official Gherkin parser (``gherkin-official``, the one
pytest-bdd uses), so what counts as a scenario, a Rule or an Examples block is exactly what runs.
Each scenario comes with every tag that applies to it: its own, its Feature's and Rule's, and
those on its Examples blocks. A file that does not parse is one clear error naming it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gherkin.errors import CompositeParserException, ParserError
from gherkin.parser import Parser

from harness.livingdoc.sourcemap import is_id_tag


@dataclass(frozen=True)
class ScenarioRef:
    """A scenario in a feature file and every tag that applies to it (without the @)."""

    feature_file: Path
    feature: str
    name: str
    line: int
    tags: tuple[str, ...]
    outline: bool = False

    @property
    def ids(self) -> list[str]:
        return [t for t in self.tags if is_id_tag(t)]

    @property
    def location(self) -> str:
        return f"{self.feature_file}:{self.line}"

    @property
    def python_name(self) -> str:
        """The test function name pytest-bdd's ``scenarios()`` gives this scenario (first of its name)."""
        from harness.pytest.bdd_internals import make_python_name

        return f"test_{make_python_name(self.name)}"


class FeatureParseError(ValueError):
    """A feature file is not valid Gherkin; the message names the file and the line."""


def _names(tags: list[dict[str, Any]]) -> list[str]:
    return [str(t["name"]).lstrip("@") for t in tags]


def _scenarios(children: list[dict[str, Any]], inherited: list[str]) -> Iterator[tuple[dict[str, Any], list[str]]]:
    for child in children:
        if "rule" in child:
            rule = child["rule"]
            yield from _scenarios(rule.get("children", []), [*inherited, *_names(rule.get("tags", []))])
        elif "scenario" in child:
            yield child["scenario"], inherited


def parse_feature(path: Path, text: str | None = None) -> list[ScenarioRef]:
    text = path.read_text(encoding="utf-8") if text is None else text
    try:
        document = Parser().parse(text)
    except (CompositeParserException, ParserError) as exc:
        raise FeatureParseError(f"{path}: not valid Gherkin: " + " ".join(str(exc).split())) from None
    feature = document.get("feature")
    if not feature:
        return []
    found = []
    for scenario, inherited in _scenarios(feature.get("children", []), _names(feature.get("tags", []))):
        examples = [tag for block in scenario.get("examples", []) for tag in _names(block.get("tags", []))]
        tags = list(dict.fromkeys([*inherited, *_names(scenario.get("tags", [])), *examples]))
        found.append(ScenarioRef(path, feature["name"], scenario["name"], scenario["location"]["line"], tuple(tags),
                                 bool(scenario.get("examples"))))
    return found


def scan_features(features_dir: Path) -> list[ScenarioRef]:
    """Every scenario under ``features_dir`` (recursively), in file then line order."""
    features_dir = Path(features_dir)
    scenarios: list[ScenarioRef] = []
    for path in sorted(features_dir.rglob("*.feature")):
        scenarios.extend(parse_feature(path))
    return scenarios


def scenarios_by_id(scenarios: list[ScenarioRef]) -> dict[str, list[ScenarioRef]]:
    index: dict[str, list[ScenarioRef]] = {}
    for scenario in scenarios:
        for sid in scenario.ids:
            index.setdefault(sid, []).append(scenario)
    return index


@dataclass(frozen=True)
class FeatureStep:
    """One step line of a feature file, its And/But resolved to the Given/When/Then before it."""

    keyword: str  # Given | When | Then
    text: str
    feature_file: Path
    line: int


_KEYWORD_OF = {"Context": "Given", "Action": "When", "Outcome": "Then"}


def _step_blocks(children: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for child in children:
        if "rule" in child:
            yield from _step_blocks(child["rule"].get("children", []))
        for kind in ("background", "scenario"):
            if kind in child:
                yield child[kind].get("steps", [])


def feature_steps(features_dir: Path) -> list[FeatureStep]:
    """Every step of every feature under ``features_dir`` (backgrounds, rules and outlines too), in order."""
    found: list[FeatureStep] = []
    for path in sorted(Path(features_dir).rglob("*.feature")):
        try:
            document = Parser().parse(path.read_text(encoding="utf-8"))
        except (CompositeParserException, ParserError) as exc:
            raise FeatureParseError(f"{path}: not valid Gherkin: " + " ".join(str(exc).split())) from None
        for steps in _step_blocks(document.get("feature", {}).get("children", [])):
            keyword = "Given"
            for step in steps:
                keyword = _KEYWORD_OF.get(step.get("keywordType", ""), keyword)
                found.append(FeatureStep(keyword, step["text"], path, step["location"]["line"]))
    return found
