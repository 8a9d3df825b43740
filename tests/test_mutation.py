from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from harness.livingdoc.strength import mutation, survivors


def test_mutant_and_target_names_map_to_their_source_files() -> None:
    assert mutation.module_file("harness.appliance.core.rules.x_check_grant__mutmut_3") == \
        "harness/appliance/core/rules.py"
    assert mutation.module_file("harness.salesforce.models.apps.xǁAppǁmatches_callback__mutmut_1") == \
        "harness/salesforce/models/apps.py"
    assert mutation.module_file("harness.appliance.core.policies.*") == "harness/appliance/core/policies.py"


def test_every_target_names_a_statement_of_the_source_map() -> None:
    page = Path(mutation.__file__).parents[1] / "source_maps" / "create_external_client_app.toml"
    ids = {s["id"] for s in tomllib.loads(page.read_text())["statement"]}
    assert set(mutation.TARGETS) == ids


def test_a_line_filter_narrows_a_function_to_the_statements_lines() -> None:
    [target] = [t for t in mutation.targets("PKCE-OFF") if t.pattern.endswith("x_check_security")]
    assert target.glob.endswith("x_check_security__mutmut_*")
    assert target.lines is not None
    assert target.lines.search("if security.pkce_required:")
    assert not target.lines.search("if not security.secret_required_for_refresh:")


def test_the_work_folders_config_mutates_the_target_files_and_runs_the_statements_scenarios() -> None:
    config = mutation._setup_cfg("CALLBACK", "api")
    assert "    harness/appliance/core/callback.py" in config
    assert "    harness/salesforce/models/apps.py" in config
    assert "\n    -m\n    CALLBACK\n    --layer\n    api\n" in config


def test_a_survivor_is_described_by_module_line_and_change(tmp_path: Path) -> None:
    source = tmp_path / "harness" / "m.py"
    source.parent.mkdir()
    source.write_text("def f(a):\n    x = 1\n    return a == x\n")
    diff = "--- harness/m.py\n+++ harness/m.py\n@@ -1,3 +1,3 @@\n def f(a):\n     x = 1\n-    return a == x\n" \
           "+    return a != x\n"
    removed, added = mutation._changed_lines(diff)
    assert mutation.describe(tmp_path, "harness.m.x_f__mutmut_2", removed, added) == \
        "harness.m:3 return a == x -> return a != x"




def _function(pattern: str) -> ast.FunctionDef | None:
    """The function (``module.x_f``) or method (``module.xǁCǁm``) a target names, parsed from its file."""
    source = Path(mutation.module_file(pattern))
    if not source.is_file():
        return None
    tree = ast.parse(source.read_text())
    if ".xǁ" in pattern:
        cls, method = pattern.split(".xǁ", 1)[1].split("ǁ")
        return next((f for node in tree.body if isinstance(node, ast.ClassDef) and node.name == cls
                     for f in node.body if isinstance(f, ast.FunctionDef) and f.name == method), None)
    name = pattern.rsplit(".", 1)[1].removeprefix("x_")
    return next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)


def _dead(target: mutation.Target) -> str:
    """Why a target would match no mutant: its function is gone, or its line filter matches none of its lines."""
    if target.pattern.endswith("*"):
        return "" if Path(mutation.module_file(target.pattern)).is_file() else "no such module"
    function = _function(target.pattern)
    if function is None:
        return "no such function"
    if target.lines is None:
        return ""
    source = Path(mutation.module_file(target.pattern)).read_text().splitlines()
    body = source[function.lineno - 1:function.end_lineno]
    return "" if any(target.lines.search(line.strip()) for line in body) else "its line filter matches no line"


def test_every_mutation_target_names_code_that_exists() -> None:
    """Targets cannot rot: a renamed or moved function, or a line filter left behind when the lines moved,
    fails here, in `make test`, not in a silent 0/0 or a mutation run that stops on a dead target."""
    dead = [f"{sid}: {t.pattern} ({_dead(t)})" for sid in mutation.TARGETS for t in mutation.targets(sid) if _dead(t)]
    assert dead == []


def test_the_target_check_itself_spots_a_dead_name_and_a_dead_line_filter() -> None:
    assert not _dead(mutation.Target("harness.appliance.core.rules.x_check_grant"))
    assert _dead(mutation.Target("harness.appliance.core.rules.x_no_such_function")) == "no such function"
    assert _dead(mutation.Target("harness.appliance.core.connections.xǁConnectionsǁno_such_method"))
    assert _dead(mutation.Target("harness.appliance.core.appliance.xǁApplianceǁedit_connection",
                                 mutation.re.compile("per_org_apps"))) == "its line filter matches no line"


def test_a_run_that_measured_nothing_or_too_little_fails() -> None:
    empty = {"killed": 0, "total": 0, "survivors": [], "unmatched_targets": ["m.x_gone"]}
    assert survivors.run_problems("SCOPES", empty, 90, {}) == [
        "SCOPES: target m.x_gone matched no mutant", "SCOPES: no mutants were measured"]
    weak = {"killed": 8, "total": 11, "survivors": ["m:3 a -> b", "m:9 c -> d", "m:12 e -> f"],
            "unmatched_targets": []}
    assert survivors.run_problems("SCOPES", weak, 90, {"m: a -> b": "equivalent"}) == [
        "SCOPES: 8/10 killable mutants killed (11 in all), below 90%",
        "SCOPES: survivor without a kept reason: m:9 c -> d", "SCOPES: survivor without a kept reason: m:12 e -> f"]
    strong = {"killed": 9, "total": 10, "survivors": ["m:3 a -> b"], "unmatched_targets": []}
    assert survivors.run_problems("SCOPES", strong, 90, {"m: a -> b": "equivalent"}) == []


def test_a_kept_reason_for_a_mutant_that_no_longer_survives_fails() -> None:
    killed_now = {"killed": 10, "total": 10, "survivors": [], "unmatched_targets": []}
    [problem] = survivors.run_problems("SCOPES", killed_now, 90, {"m: a -> b": "equivalent: ..."})
    assert problem.startswith("SCOPES: kept reason for a mutant that no longer survives")
    assert problem.endswith(": m: a -> b")


def test_mutate_exits_non_zero_without_mutmut(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(mutation, "mutmut_missing", lambda: "mutmut is not installed")
    assert mutation.main(["--statements", "SCOPES", "--output", str(tmp_path / "m.json")]) == 2
    assert not (tmp_path / "m.json").exists()


def test_the_cli_runs_the_mutate_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`harness mutate` reaches the mutation module where it lives (and fails loudly without mutmut)."""
    from harness import cli

    monkeypatch.setattr(mutation, "mutmut_missing", lambda: "mutmut is not installed")
    assert cli.main(["mutate", "--statements", "SCOPES", "--output", str(tmp_path / "m.json")]) == 2
