"""After every scenario: a normalized snapshot of both systems, recorded as the scenario's evidence.

Rule served: docs/design.md "Two layers, one scenario" - the ``[api]`` and ``[ui]`` runs of one scenario
must end in the same state of both systems; the sign-off compares the two snapshots recorded here.
This is the one place the snapshot is taken (harness/drivers/snapshot.py says what it holds): one
control call per system, through the session's client.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.drivers.snapshot import snapshot
from harness.pytest import evidence


@pytest.fixture(autouse=True)
def scenario_snapshot(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.funcargs.get("layer") not in ("api", "ui"):
        yield  # not a scenario
        return
    # Asked for before the scenario, so they are set up (and torn down) around it like the steps' own.
    salesforce = request.getfixturevalue("salesforce")
    data = request.getfixturevalue("scenario_data")
    appliances = request.getfixturevalue("appliances")
    yield
    state = snapshot(salesforce, appliances, list(data.app_ids))
    evidence.record(request, "snapshot", state)
