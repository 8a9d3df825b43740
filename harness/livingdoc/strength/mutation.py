"""How strong each statement's scenarios are: a mutmut run per statement over the code that implements it.

Rule served: docs/design.md section 2 - every statement needs scenarios for each way of breaking it. A
scenario set that passes whatever the rule's code does proves nothing; so for each statement this seeds
small bugs (mutmut 3 mutants) into the functions of the appliance and the fake Salesforce that implement
that statement's rule, runs only that statement's scenarios (tagged with its id) against each mutant, and
counts the mutants they kill. The result is ``reports/mutation.json``::

    {"statements": {"SCOPES": {"killed": 12, "total": 15, "survivors": ["module:line description"]}}}

mutmut 3 runs in a ``mutants/`` copy of the sources; each statement gets a work folder of its own (under
``.harness/mutation``) with a ``setup.cfg`` naming the files to mutate and the scenarios to run, so the
checkout is never touched. It is slow (minutes per statement) and is not part of ``make test``.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from harness.livingdoc.strength.counterexamples import COPIED, scratch_copy
from harness.livingdoc.strength.survivors import load_kept, mutmut_missing, run_problems
from harness.livingdoc.strength.targets import TARGETS  # statement id -> the functions of its rule

_COPIED = COPIED  # what the scenarios need, the same sources the counter-examples run on
_KILLED, _SURVIVED = {1, 3}, {0}
_NAME = re.compile(r"^(?P<module>[\w.]+?)\.(?:x_(?P<function>\w+?)|xǁ(?P<cls>\w+)ǁ(?P<method>\w+?))__mutmut_\d+$")


@dataclass
class StatementStrength:
    killed: int = 0
    total: int = 0
    survivors: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {"killed": self.killed, "total": self.total, "survivors": self.survivors,
                "unchecked": self.unchecked, "unmatched_targets": self.unmatched, "seconds": round(self.seconds)}


def module_file(pattern: str) -> str:
    """``harness.appliance.core.rules.x_check_grant`` -> ``harness/appliance/core/rules.py``."""
    module = pattern.split(".xǁ")[0] if ".xǁ" in pattern else pattern.rsplit(".", 1)[0]
    return module.replace(".", "/") + ".py"


def _setup_cfg(statement: str, layer: str) -> str:
    files = sorted({module_file(t.pattern) for t in targets(statement)})
    selection = ["features", "-m", statement, "--layer", layer]
    lines = ["[mutmut]", "source_paths=harness", "only_mutate=", *(f"    {f}" for f in files),
             "also_copy=", *(f"    {p}" for p in _COPIED if p != "harness"),
             "pytest_add_cli_args_test_selection=", *(f"    {a}" for a in selection),
             "use_git_change_detection=false", ""]
    return "\n".join(lines)


def prepare(repo: Path, work: Path, statement: str, layer: str, ref: str | None,
            features_ref: str | None = None) -> None:
    """A work folder with the sources (the checkout as it is, or the commit ``ref``) and mutmut's config."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    (work / "setup.cfg").write_text(_setup_cfg(statement, layer))
    if ref:
        archive = subprocess.run(["git", "archive", "--format=tar", ref, *_COPIED], cwd=repo,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
    else:
        scratch_copy(repo, work)
    if features_ref:
        # The same code with another commit's scenarios: how much stronger the scenarios got.
        shutil.rmtree(work / "features")
        archive = subprocess.run(["git", "archive", "--format=tar", features_ref, "features"], cwd=repo,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)


def run_statement(repo: Path, work: Path, statement: str, layer: str, max_children: int,
                  ref: str | None = None, features_ref: str | None = None) -> StatementStrength:
    prepare(repo, work, statement, layer, ref, features_ref)
    started = time.monotonic()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    with (work / "mutmut.log").open("w") as out:
        # First pass: mutmut generates every mutant of the files and maps tests to functions; a name that
        # matches no mutant stops it there. Then only the mutants that serve the statement are tested.
        _mutmut(work, env, out, max_children, ["no.such.mutant"])
        chosen = [name for name, _ in _selected(work, statement, _exit_codes(work))]
        if chosen:
            _mutmut(work, env, out, max_children, chosen)
    result = collect(work, statement)
    result.seconds = time.monotonic() - started
    return result


def _mutmut(work: Path, env: dict[str, str], out: TextIO, max_children: int, names: list[str]) -> None:
    subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children), *names],
                   cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)


@dataclass(frozen=True)
class Target:
    """One function (or a glob of them), optionally narrowed to the lines that serve the statement."""

    pattern: str
    lines: re.Pattern[str] | None = None

    @property
    def glob(self) -> str:
        return self.pattern if self.pattern.endswith("*") else f"{self.pattern}__mutmut_*"


def targets(statement: str) -> list[Target]:
    """``"module.x_function"`` or ``"module.x_function | regex"`` (only mutants of lines matching it)."""
    found = []
    for entry in TARGETS[statement]:
        pattern, _, lines = (part.strip() for part in entry.partition(" | "))
        found.append(Target(pattern, re.compile(lines) if lines else None))
    return found


def _exit_codes(work: Path) -> dict[str, int | None]:
    codes: dict[str, int | None] = {}
    for meta in sorted((work / "mutants").rglob("*.py.meta")):
        codes.update(json.loads(meta.read_text())["exit_code_by_key"])
    return codes


Changed = tuple[list[str], list[str]]  # a mutant's removed and added source lines
_STRING = re.compile(r"""(["'])(?:\\.|(?!\1).)*\1""")


def text_only(removed: list[str], added: list[str]) -> bool:
    """A mutant that changes only what is inside string literals (a message's wording, a key's spelling).

    Not counted: the statements are about behaviour, and the words a scenario relies on (the Setup label
    a refusal names, an error code) are checked by its own Then steps; mutmut's "XX...XX" and case
    variants of every message would otherwise outnumber the mutants of the rules themselves.
    """
    return [_STRING.sub('""', line) for line in removed] == [_STRING.sub('""', line) for line in added]


def _selected(work: Path, statement: str, codes: dict[str, int | None]) -> list[tuple[str, Changed]]:
    """The statement's mutants (its functions, narrowed to its lines) with their removed and added lines."""
    names = sorted((n for n in codes if _target_of(n, statement)), key=_order)
    diffs = _diffs(work, names) if names else {}
    chosen = []
    for name in names:
        target = _target_of(name, statement)
        removed, added = _changed_lines(diffs.get(name, ""))
        if target is None or text_only(removed, added):
            continue
        if not target.lines or any(target.lines.search(line) for line in removed):
            chosen.append((name, (removed, added)))
    return chosen


def collect(work: Path, statement: str) -> StatementStrength:
    """Reads mutmut's ``.meta`` files: every mutant of the statement's functions and its exit code."""
    codes = _exit_codes(work)
    result = StatementStrength()
    seen: set[str] = set()
    for name, (removed, added) in _selected(work, statement, codes):
        target = _target_of(name, statement)
        seen.add(target.pattern if target else name)
        result.total += 1
        if codes[name] in _KILLED:
            result.killed += 1
        elif codes[name] in _SURVIVED:
            result.survivors.append(describe(work, name, removed, added))
        else:
            result.unchecked.append(f"{name} (exit code {codes[name]})")
    result.unmatched = [t.pattern for t in targets(statement) if t.pattern not in seen]
    return result


def _target_of(name: str, statement: str) -> Target | None:
    return next((t for t in targets(statement) if fnmatch.fnmatchcase(name, t.glob)), None)


def _order(name: str) -> tuple[str, int]:
    stem, _, number = name.rpartition("__mutmut_")
    return stem, int(number) if number.isdigit() else 0


_DIFF_SCRIPT = """
import json, sys
from mutmut.mutation.diff_apply import get_diff_for_mutant
names = json.load(sys.stdin)
print(json.dumps({n: get_diff_for_mutant(n, path=p) for n, p in names.items()}))
"""


def _diffs(work: Path, names: list[str]) -> dict[str, str]:
    """Each mutant's diff as ``mutmut show`` prints it, in one process for all of them."""
    request = json.dumps({name: module_file(name) for name in names})
    done = subprocess.run([sys.executable, "-c", _DIFF_SCRIPT], cwd=work, input=request, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"could not read the mutants' diffs: {done.stderr[-2000:]}")
    return dict(json.loads(done.stdout))


def _changed_lines(diff: str) -> tuple[list[str], list[str]]:
    lines = diff.splitlines()
    removed = [line[1:].strip() for line in lines if line.startswith("-") and not line.startswith("---")]
    added = [line[1:].strip() for line in lines if line.startswith("+") and not line.startswith("+++")]
    return removed, added


def describe(work: Path, name: str, removed: list[str], added: list[str]) -> str:
    """``module:line what changed``."""
    match = _NAME.match(name)
    module = match.group("module") if match else name
    line = _line_of(work / (module.replace(".", "/") + ".py"), match, removed[0] if removed else "")
    change = f"{' / '.join(removed)} -> {' / '.join(added)}" if removed else name
    return f"{module}:{line} {change}"


def _line_of(path: Path, match: re.Match[str] | None, text: str) -> int:
    """The line the mutant changes, found inside its function in the copy that was mutated."""
    if match is None or not path.exists():
        return 0
    wanted = match.group("function") or match.group("method")
    source = path.read_text()
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == wanted:
            span = range(node.lineno, (node.end_lineno or node.lineno) + 1)
            return next((n for n in span if text and lines[n - 1].strip().startswith(text)), node.lineno)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="harness mutate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", default=",".join(TARGETS),
                        help="comma-separated statement ids (default: all)")
    parser.add_argument("--layer", default="api", choices=("api", "ui"),
                        help="the layer the scenarios run in (api: the same rules, minutes instead of hours)")
    parser.add_argument("--output", default="reports/mutation.json")
    parser.add_argument("--workdir", default=".harness/mutation")
    # One at a time: with two, mutants were reported killed that pass every scenario of their statement when
    # run alone (mutmut's forked test runs of one work folder disturb each other), which inflates the figures.
    parser.add_argument("--max-children", type=int, default=1,
                        help="mutants tested at once (default: %(default)s; more gave false kills)")
    parser.add_argument("--min-killed", type=int, default=90,
                        help="percent of a statement's mutants its scenarios must kill (default: %(default)s)")
    parser.add_argument("--collect-only", action="store_true",
                        help="re-read the results of an earlier run in --workdir instead of running mutmut")
    parser.add_argument("--ref", default=None,
                        help="measure a commit (e.g. HEAD) instead of the checkout's working tree")
    parser.add_argument("--features-ref", default=None,
                        help="take features/ from this commit (the same code measured with older scenarios)")
    args = parser.parse_args(argv)
    repo = Path.cwd()
    chosen = [s.strip() for s in args.statements.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in TARGETS]
    if unknown:
        parser.error(f"unknown statement id(s): {', '.join(unknown)}; known: {', '.join(TARGETS)}")
    missing = "" if args.collect_only else mutmut_missing()
    if missing:
        print(f"harness mutate: {missing}", file=sys.stderr)
        return 2
    output = Path(args.output)
    document = json.loads(output.read_text()) if output.exists() else {}
    kept, failures = load_kept(), []
    statements = document.setdefault("statements", {})
    for statement in chosen:
        print(f"{statement}: mutating {len(TARGETS[statement])} function groups ...", flush=True)
        work = Path(args.workdir) / statement
        if args.collect_only:
            strength = collect(work, statement)
        else:
            strength = run_statement(repo, work, statement, args.layer, args.max_children, args.ref,
                                     args.features_ref)
        statements[statement] = strength.as_dict()
        failures.extend(run_problems(statement, statements[statement], args.min_killed, kept.get(statement, {})))
        print(f"{statement}: {strength.killed}/{strength.total} killed, {len(strength.survivors)} survived, "
              f"{len(strength.unchecked)} unchecked ({strength.seconds:.0f} s)", flush=True)
        for survivor in strength.survivors:
            print(f"    survived: {survivor}")
        for pattern in strength.unmatched:
            print(f"    no mutants for {pattern}", flush=True)
        document["layer"] = args.layer
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    for line in failures:
        print(f"harness mutate: {line}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
