"""Measured: a scenario sends the round trips its sentences need, and no more.

Rule served: docs/design.md, speed, and the round-trip figures of ``make bench`` (benchmarks/suite.py).
Run with the benchmarks' probe (benchmarks/probe.py), which counts per phase the requests the test side
sends (a redirect followed counts) apart from the ones the appliance sends on its own. Counts, unlike
times, do not depend on the machine, so they are pinned exactly: a request removed as redundant that
comes back fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FEATURES = "features/create_external_client_app"


def _probe(tmp_path: Path, *args: str) -> list[dict[str, Any]]:
    out = tmp_path / "probe.jsonl"
    done = subprocess.run([sys.executable, "-m", "pytest", *args, "--layer", "api", "-q", "-p", "no:randomly",
                           "-p", "benchmarks.probe", f"--bench-out={out}", "--faker-seed", "1234",
                           "-p", "no:cacheprovider"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return [r for r in (json.loads(line) for line in out.read_text().splitlines()) if r.get("layer") == "api"]


def test_probe_counts_two_round_trips_in_a_typical_given_set_up(tmp_path: Path) -> None:
    """The scenarios of pkce.feature are typical: an org, an app in it, the wizard at the app step. Each
    sends exactly two requests during its Given steps (the Salesforce world with its reset, the
    appliance's world with its reset) and no separate reset of either."""
    scenarios = _probe(tmp_path, f"{FEATURES}/pkce.feature")
    assert len(scenarios) == 3, scenarios
    # The session's first scenario also resets the pre-3.2 appliance once (plugin.py, _legacy_pristine).
    for n, record in enumerate(scenarios):
        phases = {key: record.get(key, 0) for key in ("requests_reset", "requests_given")}
        assert phases == {"requests_reset": int(n == 0), "requests_given": 2}, (record["nodeid"], phases)


# Test-side When/Then requests, by scenario (the first parametrization of each), and what they are.
# Opening "https://172.12.0.1/" is two (/ -> /wizard/external-client-app, as a browser follows it);
# entering the credentials one POST (its answer is the wizard's state: no GET /wizard
# before or after); authorizing one POST (its answer carries the wizard's state), Salesforce's five
# (authorize, login page, log in, authorize, Allow), the callback (its follow-up page is not fetched)
# and the outcome as JSON; reading step 5 one GET (its answer carries the wizard's state).
PINNED = {
    "scopes.feature::test_with_the_three_scopes_the_connection_is_made":
        {"requests_given": 2, "requests_steps": 2 + 1 + 1 + 5 + 1 + 1, "requests_teardown": 3,
         "appliance_requests_steps": 5},  # its own: the token twice, two Metadata SOAP calls, the identity
    "callback_url.feature::test_the_wizard_offers_the_address_it_was_reached_at_as_the_callback_url":
        {"requests_given": 2, "requests_steps": 2 + 1, "requests_teardown": 3, "appliance_requests_steps": 0},
    # ... then Next at step 6, the schedule and Finish (three POSTs, no GET /wizard), the policy list twice
    # (the policy's schedule, the org it backs up) and a backup run of the default policy (its list, Run now).
    "purpose.feature::test_finishing_the_wizard_protects_exactly_the_authorized_org":
        {"requests_given": 2, "requests_steps": 11 + 3 + 5, "requests_teardown": 3, "appliance_requests_steps": 5},
}


def test_when_and_then_steps_send_no_request_their_sentences_do_not_need(tmp_path: Path) -> None:
    files = sorted({f"{FEATURES}/{name.split('::')[0]}" for name in PINNED})
    names = " or ".join(name.split("::")[1] for name in PINNED)
    seen: dict[str, dict[str, float]] = {}
    for record in _probe(tmp_path, *files, "-k", names):
        path, test = record["nodeid"].split("::", 1)
        name = f"{Path(path).name}::{test.split('[')[0]}"
        seen.setdefault(name, {key: record.get(key, 0) for key in PINNED[name]})
    assert seen == PINNED
