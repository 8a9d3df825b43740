"""Counter-examples: hand-written wrong implementations of each statement's rule, each caught by its scenarios.

Rule served: docs/design.md section 2 - every statement needs scenarios for each way of breaking it. A
statement is "verified" only against the ways of getting it wrong that someone tried; this keeps those
ways in the repository (``counterexamples/<STATEMENT>/<name>.patch``) and checks that the statement's
own scenarios fail against every one of them.

A kept patch is a unified diff (``git diff`` output) after a short header::

    Breaks: an exact callback URL match that became a prefix match
    Layer: api

``Layer`` is ``api`` unless the bug lives only in the pages (then ``ui``). Each patch is applied to a
scratch copy of the sources, and only that statement's scenarios run there (``-m <STATEMENT> --layer
<layer> -x``). Before any patch, the same scenarios run on the unpatched copy: they must pass, or every
patch would look caught. The result is ``counterexamples.json``; the command exits non-zero when a
counter-example is not caught, cannot be applied, makes the scenarios error out instead of fail, or when
a statement of the source map has no counter-example.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

COPIED = ("harness", "steps", "features", "conftest.py", "pyproject.toml")
HEADER = re.compile(r"^(?P<key>Breaks|Layer):\s*(?P<value>.+?)\s*$")
LAYERS = ("api", "ui")
PYTEST_FAILED = 1  # pytest's exit code for "tests ran and some failed"; others are errors, not catches


class CounterExampleError(ValueError):
    """A kept patch that cannot be read: no ``Breaks:`` line, an unknown layer, no diff."""


@dataclass(frozen=True)
class CounterExample:
    statement: str
    name: str
    breaks: str
    layer: str
    path: Path

    @property
    def key(self) -> str:
        return f"{self.statement}/{self.name}"


@dataclass(frozen=True)
class TrialResult:
    """What the statement's scenarios did against one counter-example (or the unpatched baseline)."""

    verdict: str  # "caught", "missed", "error" (could not apply, or pytest did not fail cleanly)
    by: str = ""  # the first scenario that failed
    detail: str = ""
    seconds: float = 0.0


def parse(path: Path, statement: str) -> CounterExample:
    """Reads one kept patch's header; the diff itself is read by ``git apply``."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith(("diff --git", "--- ")):
            break
        match = HEADER.match(line)
        if match:
            header[match["key"].lower()] = match["value"]
    if "breaks" not in header:
        raise CounterExampleError(f"{path}: no 'Breaks:' line saying what the patch breaks")
    layer = header.get("layer", "api")
    if layer not in LAYERS:
        raise CounterExampleError(f"{path}: Layer must be one of {', '.join(LAYERS)}, not {layer!r}")
    if "\n+++ " not in text:
        raise CounterExampleError(f"{path}: no diff after the header")
    return CounterExample(statement, path.stem, header["breaks"], layer, path)


def load(folder: Path) -> list[CounterExample]:
    """Every kept counter-example, by statement folder then file name."""
    found: list[CounterExample] = []
    for directory in sorted(p for p in Path(folder).iterdir() if p.is_dir()):
        found.extend(parse(patch, directory.name) for patch in sorted(directory.glob("*.patch")))
    return found


def scratch_copy(repo: Path, into: Path) -> Path:
    """The sources the scenarios need, copied so a patch never touches the checkout."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    into.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = repo / name
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=ignore)
        else:
            shutil.copy2(source, into / name)
    return into


def apply(patch: Path, copy: Path) -> str:
    """Applies the patch to the copy; returns git's complaint, or "" when it applied."""
    done = subprocess.run(["git", "apply", "--whitespace=nowarn", str(patch.resolve())], cwd=copy,
                          capture_output=True, text=True, check=False)
    return "" if done.returncode == 0 else (done.stderr.strip() or f"git apply exited {done.returncode}")


def run_scenarios(copy: Path, statement: str, layer: str, extra: tuple[str, ...] = ()) -> TrialResult:
    """The statement's scenarios in the copy, stopping at the first failure (one is enough to catch)."""
    junit = copy / "counterexample-junit.xml"
    command = [sys.executable, "-m", "pytest", "features", "-m", statement, "--layer", layer, "-x", "-q",
               "-p", "no:randomly", "-p", "no:cacheprovider", f"--junitxml={junit}", *extra]
    # The copy comes first on the path, ahead of the installed checkout, so the patched code is what runs.
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    failed, ran = _first_failure(junit)
    if done.returncode == 0 and ran:
        return TrialResult("missed", seconds=seconds)
    if done.returncode == PYTEST_FAILED and failed:
        return TrialResult("caught", by=failed, seconds=seconds)
    tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
    return TrialResult("error", detail=f"pytest exited {done.returncode} after {ran} test(s): " + " | ".join(tail),
                   seconds=seconds)


def _first_failure(junit: Path) -> tuple[str, int]:
    """The first failed test's name and how many tests ran, from pytest's JUnit XML."""
    if not junit.is_file():
        return "", 0
    cases = ElementTree.parse(junit).getroot().iter("testcase")
    ran, first = 0, ""
    for case in cases:
        if case.find("skipped") is not None:
            continue
        ran += 1
        if not first and (case.find("failure") is not None or case.find("error") is not None):
            first = case.get("name", "")
    return first, ran


def fresh_copy(repo: Path, slot: Path) -> Path:
    """The sources copied into ``slot/src``, replacing what an earlier counter-example left there.

    Slots are reused (one per parallel job) so the project's bytecode cache, kept by source path, stays
    bounded; a patched file always has a newer time stamp than its pristine copy, so no stale bytecode
    from an earlier patch is ever used.
    """
    copy = slot / "src"
    if copy.exists():
        shutil.rmtree(copy)
    return scratch_copy(repo, copy)


def try_one(repo: Path, example: CounterExample, slot: Path, extra: tuple[str, ...] = ()) -> TrialResult:
    """Applies one counter-example to a fresh copy and runs its statement's scenarios."""
    copy = fresh_copy(repo, slot)
    complaint = apply(example.path, copy)
    if complaint:
        return TrialResult("error", detail=f"does not apply: {complaint}")
    return run_scenarios(copy, example.statement, example.layer, extra)


def baseline(repo: Path, statement: str, layer: str, slot: Path, extra: tuple[str, ...] = ()) -> TrialResult:
    """The unpatched copy: its scenarios must pass, or a counter-example's failure would mean nothing."""
    return run_scenarios(fresh_copy(repo, slot), statement, layer, extra)
