"""``harness docs steps``: the step catalogue, so a new scenario can be written without reading Python.

It opens with the defaults the steps assume where a sentence does not say (``steps.defaults``). For
each step sentence it prints the keyword, the pattern with its parameters, what it needs from earlier
steps and what it provides to later ones, its description (the step's docstring) and an example taken
from the feature files.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from harness.pytest.bdd_internals import step_function_context_registry

_STEP_LINE = re.compile(r"^\s*(Given|When|Then|And|But)\s+(.*\S)\s*$")


@dataclass(frozen=True)
class StepEntry:
    """One step definition as a writer of scenarios sees it."""

    keyword: str
    pattern: str
    parameters: list[str]
    provides: str | None
    summary: str
    example: str | None
    needs: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)  # parameter -> the values it takes


def _feature_lines(features: Path) -> list[tuple[str, str, str]]:
    """(keyword, text, location) for every step line, with And/But resolved to the keyword before."""
    found = []
    for path in sorted(features.rglob("*.feature")):
        keyword = "Given"
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            match = _STEP_LINE.match(line)
            if match:
                keyword = keyword if match.group(1) in ("And", "But") else match.group(1)
                found.append((keyword, match.group(2), f"{path.relative_to(features.parent)}:{number}"))
    return found


def _parameters(context: Any) -> list[str]:
    hints = getattr(context.step_func, "__annotations__", {})
    return [f"{name}: {getattr(hints.get(name), '__name__', hints.get(name, 'str'))}" for name in _names(context)]


def _names(context: Any) -> list[str]:
    return [a or b for a, b in re.findall(r"\{(\w+)(?::[^}]*)?\}|\(\?P<(\w+)>", context.parser.name)]


def catalogue(modules: list[str], features: Path, values: dict[str, str] | None = None) -> list[StepEntry]:
    """Every registered step, with the values each parameter takes where ``values`` names them."""
    values = values or {}
    for module in modules:
        importlib.import_module(module)
    lines = _feature_lines(features)
    entries = []
    contexts = list(step_function_context_registry.values())
    provided = {c.target_fixture for c in contexts if c.target_fixture}
    for context in contexts:
        keyword = (context.type or "step").capitalize()
        example = next(
            (
                f"{kw} {text}    ({where})"
                for kw, text, where in lines
                if kw.lower() == (context.type or kw.lower()) and context.parser.is_matching(text)
            ),
            None,
        )
        doc = inspect.getdoc(context.step_func) or ""  # a str: joining it would space out its letters
        needs = [name for name in inspect.signature(context.step_func).parameters if name in provided]
        entries.append(
            StepEntry(
                keyword,
                context.parser.name,
                _parameters(context),
                context.target_fixture,
                " ".join(doc.split()),
                example,
                needs,
                {name: values[name] for name in _names(context) if name in values},
            )
        )
    order = {"Given": 0, "When": 1, "Then": 2}
    return sorted(entries, key=lambda e: (order.get(e.keyword, 3), e.pattern))


def render(entries: list[StepEntry], defaults: list[str] | None = None) -> str:
    out = []
    if defaults:
        out.append("Defaults (what the steps assume where a sentence does not say):")
        out.extend(f"  - {line}" for line in defaults)
        out.append("")
    for entry in entries:
        out.append(f"{entry.keyword} {entry.pattern}")
        if entry.parameters:
            out.append(f"    parameters: {', '.join(entry.parameters)}")
        for name, accepted in entry.values.items():
            out.append(f"      {name}: {accepted}")
        if entry.needs:
            out.append(f"    needs:      {', '.join(entry.needs)} (from an earlier step)")
        if entry.provides:
            out.append(f"    provides:   {entry.provides}")
        if entry.summary:
            out.append(f"    about:      {entry.summary}")
        out.append(f"    example:    {entry.example or '(not used in any feature yet)'}")
    return "\n".join(out)


def main(args: argparse.Namespace | None = None) -> int:
    features = Path(getattr(args, "features", None) or "features").resolve()
    if not features.is_dir():
        print(f"no features folder at {features}; run from the project root or pass --features", file=sys.stderr)
        return 2
    # The step modules live beside features/, in the project, not in the installed package.
    sys.path.insert(0, str(features.parent))
    from steps import STEP_MODULES
    from steps.defaults import defaults
    from steps.parameter_values import parameter_values

    entries = catalogue(STEP_MODULES, features, parameter_values())
    if getattr(args, "json", False):
        print(json.dumps({"defaults": defaults(), "steps": [asdict(e) for e in entries]}, indent=2))
    else:
        print(render(entries, defaults()))
    return 0
