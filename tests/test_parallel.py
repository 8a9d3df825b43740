"""Past one machine: pytest-xdist workers and pytest-split shards give the same run as one process.

Rule served: one run seed replays the whole run, whichever worker or machine ran a scenario, and
``harness signoff --merge`` makes one sign-off from the shards' reports with the same verdicts as a
single run (docs/design.md, speed). Each run here is a fresh pytest process over a few API
scenarios: once with ``-n 2``, then as two pytest-split shards replaying that run's seed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SELECTION = ["features/create_external_client_app/pkce.feature",
             "features/create_external_client_app/example_dns_name.feature", "--layer", "api"]


def _pytest(folder: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pytest", *SELECTION, "-p", "no:randomly", *extra,
               f"--evidence={folder / 'evidence.json'}", f"--junitxml={folder / 'junit.xml'}"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, env=outer_env())
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    return done


def outer_env() -> dict[str, str]:
    """This process's environment without the xdist worker's own variables (when run under -n)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST") and k != "PYTEST_CURRENT_TEST"}


def _harness(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "harness.cli", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, env=outer_env())


def _tests(folder: Path) -> dict[str, dict[str, Any]]:
    return json.loads((folder / "evidence.json").read_text())["tests"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("parallel")
    parallel = _pytest(base / "parallel", "-n", "2", "-v")
    seed = int(re.search(r"faker run seed (\d+)", parallel.stdout).group(1))  # type: ignore[union-attr]
    for group in (1, 2):
        _pytest(base / f"shard{group}", "-q", "--splits", "2", "--group", str(group), f"--faker-seed={seed}")
    return {"base": base, "seed": seed, "workers": set(re.findall(r"\[(gw\d)\]", parallel.stdout))}


def test_xdist_workers_share_the_controllers_run_seed(runs: dict[str, Any]) -> None:
    assert runs["workers"] == {"gw0", "gw1"}, "the run was not spread over two workers"
    document = json.loads((runs["base"] / "parallel" / "evidence.json").read_text())
    assert document["run_seed"] == runs["seed"]
    assert {entry["run_seed"] for entry in document["tests"].values()} == {runs["seed"]}


def test_shards_replaying_the_seed_split_the_run_without_overlap_and_use_the_same_values(
    runs: dict[str, Any],
) -> None:
    parallel = _tests(runs["base"] / "parallel")
    shards = [_tests(runs["base"] / f"shard{group}") for group in (1, 2)]
    assert all(shards) and not set(shards[0]) & set(shards[1])
    merged = {**shards[0], **shards[1]}
    assert set(merged) == set(parallel)
    for nodeid, entry in parallel.items():
        assert merged[nodeid]["values"] == entry["values"], f"{nodeid} drew other Faker values"
        assert merged[nodeid]["outcome"] == entry["outcome"]


def test_signoff_merge_of_two_shards_gives_the_verdicts_of_one_run(runs: dict[str, Any]) -> None:
    base = runs["base"]
    single = _harness("docs", "signoff", "--reports", str(base / "parallel"))
    merged = _harness("signoff", "--merge", str(base / "shard1"), str(base / "shard2"),
                      "--reports", str(base / "merged"))
    assert single.returncode == merged.returncode, single.stdout + merged.stdout + merged.stderr
    one = json.loads((base / "parallel" / "signoff.json").read_text())
    joined = json.loads((base / "merged" / "signoff.json").read_text())
    assert joined["statements"] == one["statements"]
    assert (joined["signed_off"], joined["run_seed"]) == (one["signed_off"], runs["seed"])
    assert joined["scenarios"] == one["scenarios"]
    cucumber = json.loads((base / "merged" / "cucumber.json").read_text())
    assert sum(len(feature["elements"]) for feature in cucumber) == len(_tests(base / "parallel"))
