"""What makes a mutation run fail, and the kept list of surviving mutants with their reasons.

Rule served: docs/design.md section 6 - a check that cannot fail is a defect. A mutation run that
measured nothing (mutmut missing, a target that names no mutant, a statement with no mutant) must not
look like a result; and a surviving mutant is either killed by a new scenario or kept in
``counterexamples/mutation_survivors.toml`` with the reason it cannot be (equivalent, or unreachable
through the product, said why)::

    [SCOPES]
    "harness.salesforce.models.flows: names = ... -> ..." = "equivalent: ..."

Keys are the survivor's description without its line number, so edits above it do not orphan the reason.
"""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path
from typing import Any

DEFAULT_KEPT = Path("counterexamples/mutation_survivors.toml")
_LINE = re.compile(r"^(?P<module>[\w.]+):\d+ ")


def mutmut_missing() -> str:
    """Why mutmut cannot run here, or "" when it can."""
    if importlib.util.find_spec("mutmut") is None:
        return "mutmut is not installed; it is a dev dependency: pip install -e '.[dev]'"
    return ""


def survivor_key(description: str) -> str:
    """``module:41 a -> b`` -> ``module: a -> b``."""
    return _LINE.sub(lambda m: f"{m['module']}: ", description, count=1)


def load_kept(path: Path = DEFAULT_KEPT) -> dict[str, dict[str, str]]:
    """Statement id -> survivor key -> reason; empty when the file does not exist."""
    if not Path(path).is_file():
        return {}
    data: dict[str, Any] = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return {sid: {str(k): str(v) for k, v in entries.items()} for sid, entries in data.items()}


def run_problems(statement: str, result: dict[str, Any], minimum: int, kept: dict[str, str]) -> list[str]:
    """Why one statement's measurement fails: nothing measured, a dead target, too few killed, or a
    survivor without a kept reason. A kept survivor (equivalent, or unreachable through the product)
    cannot be killed by any scenario, so the share killed is taken over the mutants that can be. A kept reason
    whose mutant no longer survives is stale, and fails too: the kept file says only what is true now."""
    found = [f"{statement}: target {pattern} matched no mutant" for pattern in result["unmatched_targets"]]
    killed, total = result["killed"], result["total"]
    if total == 0:
        return [*found, f"{statement}: no mutants were measured"]
    unexplained = [s for s in result["survivors"] if survivor_key(s) not in kept]
    killable = total - (len(result["survivors"]) - len(unexplained))
    if 100 * killed < minimum * killable:
        found.append(f"{statement}: {killed}/{killable} killable mutants killed ({total} in all), below {minimum}%")
    found.extend(f"{statement}: survivor without a kept reason: {s}" for s in unexplained)
    surviving = {survivor_key(s) for s in result["survivors"]}
    found.extend(f"{statement}: kept reason for a mutant that no longer survives (killed now, or its line "
                 f"changed; remove it from {DEFAULT_KEPT}): {key}" for key in kept if key not in surviving)
    return found
