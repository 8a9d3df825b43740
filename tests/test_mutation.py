from __future__ import annotations

import tomllib
from pathlib import Path

from harness.livingdoc.strength import mutation


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


