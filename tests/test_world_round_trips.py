"""Measured: a scenario's Given set-up costs one control call per system it touches.

Rule served: docs/design.md, speed, and the "round trips: Given set-up" target of ``make bench``
(benchmarks/suite.py). The scenarios of pkce.feature are typical: an org, an app in it, the wizard at
the app step. Run with the benchmarks' probe (benchmarks/probe.py), each must send exactly two
requests during its Given steps (the Salesforce world with its reset, the appliance's world with its
reset) and no separate reset of either. Counts, unlike times, do not depend on the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FEATURE = "features/create_external_client_app/pkce.feature"


def test_probe_counts_two_round_trips_in_a_typical_given_set_up(tmp_path: Path) -> None:
    out = tmp_path / "probe.jsonl"
    done = subprocess.run([sys.executable, "-m", "pytest", FEATURE, "--layer", "api", "-q", "-p", "no:randomly",
                           "-p", "benchmarks.probe", f"--bench-out={out}", "--faker-seed", "1234",
                           "-p", "no:cacheprovider"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    records = [json.loads(line) for line in out.read_text().splitlines()]
    scenarios = [r for r in records if r.get("layer") == "api"]
    assert len(scenarios) == 3, records
    # The session's first scenario also resets the pre-3.2 appliance once (plugin.py, _legacy_pristine).
    for n, record in enumerate(scenarios):
        phases = {key: record.get(key, 0) for key in ("requests_reset", "requests_given")}
        assert phases == {"requests_reset": int(n == 0), "requests_given": 2}, (record["nodeid"], phases)
