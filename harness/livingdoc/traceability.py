"""Find which scenarios verify which documented statements.

Rule served: "Traceability: every scenario carries the ids it verifies as tags" (DESIGN.md
section 6). This module reads ``features/**/*.feature`` with a small line parser (tags, Feature,
Rule, Scenario / Scenario Outline, Examples) and returns each scenario with the tags it carries,
its own plus those inherited from its Feature and Rule and those on its Examples blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from harness.livingdoc.sourcemap import is_id_tag

_SCENARIO = re.compile(r"^\s*(Scenario Outline|Scenario Template|Scenario|Example)\s*:\s*(.*)$")
_FEATURE = re.compile(r"^\s*Feature\s*:\s*(.*)$")
_RULE = re.compile(r"^\s*Rule\s*:\s*(.*)$")
_EXAMPLES = re.compile(r"^\s*(Examples|Scenarios)\s*:")
_TAG = re.compile(r"(?<!\S)@([^\s@#]+)")


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
        from pytest_bdd.scenario import make_python_name

        return f"test_{make_python_name(self.name)}"


@dataclass
class _Open:
    feature_file: Path
    feature: str
    name: str
    line: int
    tags: list[str]
    outline: bool
    example_tags: list[str] = field(default_factory=list)

    def close(self) -> ScenarioRef:
        tags = list(dict.fromkeys([*self.tags, *self.example_tags]))
        return ScenarioRef(self.feature_file, self.feature, self.name, self.line, tuple(tags), self.outline)


def parse_feature(path: Path, text: str | None = None) -> list[ScenarioRef]:
    text = path.read_text(encoding="utf-8") if text is None else text
    pending: list[str] = []
    feature_tags: list[str] = []
    rule_tags: list[str] = []
    feature = ""
    current: _Open | None = None
    found: list[ScenarioRef] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            pending.extend(_TAG.findall(line.split(" #", 1)[0]))
            continue
        if match := _FEATURE.match(line):
            feature, feature_tags, pending = match.group(1).strip(), pending, []
        elif _RULE.match(line):
            if current:
                found.append(current.close())
                current = None
            rule_tags, pending = pending, []
        elif match := _SCENARIO.match(line):
            if current:
                found.append(current.close())
            inherited = [*feature_tags, *rule_tags, *pending]
            outline = match.group(1) in ("Scenario Outline", "Scenario Template")
            current = _Open(path, feature, match.group(2).strip(), number, inherited, outline)
            pending = []
        elif _EXAMPLES.match(line):
            if current:
                current.example_tags.extend(pending)
            pending = []
        else:
            pending = []
    if current:
        found.append(current.close())
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
