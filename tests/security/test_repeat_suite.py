"""The repeat script names each test that did not pass in every run, and only those."""

from __future__ import annotations

import importlib.machinery
import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "repeat_suite"


def _script() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("repeat_suite", str(SCRIPT))
    spec = importlib.util.spec_from_loader("repeat_suite", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def _junit(folder: Path, name: str, cases: str) -> Path:
    path = folder / name
    path.write_text(f'<?xml version="1.0"?><testsuites><testsuite>{cases}</testsuite></testsuites>')
    return path


def test_outcomes_are_read_from_junit(tmp_path: Path) -> None:
    junit = _junit(tmp_path, "a.xml", '<testcase classname="t" name="ok"/>'
                                      '<testcase classname="t" name="bad"><failure message="x"/></testcase>'
                                      '<testcase classname="t" name="skip"><skipped/></testcase>'
                                      '<testcase classname="t" name="teardown"/>'
                                      '<testcase classname="t" name="teardown"><error message="x"/></testcase>')
    assert _script().outcomes(junit) == {"t::ok": "passed", "t::bad": "failed", "t::skip": "skipped",
                                         "t::teardown": "error"}


def test_only_tests_that_did_not_always_pass_are_named() -> None:
    runs = [{"a": "passed", "b": "passed", "c": "skipped", "d": "failed"},
            {"a": "passed", "b": "failed", "c": "skipped"},
            {"a": "passed", "b": "passed", "c": "skipped", "d": "failed"}]
    assert _script().unsteady(runs) == {"b": ["passed", "failed", "passed"], "d": ["failed", "missing", "failed"]}


def test_tests_absent_from_some_runs_are_named_apart() -> None:
    runs = [{"a": "passed"}, {"a": "passed", "new": "passed"}]
    assert _script().unsteady(runs) == {} and _script().coming_and_going(runs) == ["new"]


def test_the_script_is_executable_and_documented() -> None:
    assert SCRIPT.stat().st_mode & 0o111
    assert "-n" in (_script().__doc__ or "")
