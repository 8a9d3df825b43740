"""Layer parity compares the [api] and [ui] snapshots of each scenario and names every difference."""

from __future__ import annotations

import pytest

from harness.livingdoc import parity


@pytest.mark.parametrize(
    ("nodeid", "layer", "key"),
    [
        ("f::test_x[api]", "api", "f::test_x"),
        ("f::test_x[ui-2]", "ui", "f::test_x[2]"),
        ("f::test_x[red-api]", "api", "f::test_x[red]"),
        ("f::test_x", None, "f::test_x"),
    ],
)
def test_scenario_key_drops_the_layer(nodeid: str, layer: str | None, key: str) -> None:
    assert parity.scenario_key(nodeid, layer) == key


def test_differences_name_their_paths() -> None:
    api = {"orgs": [{"name": "Acme", "status": "connected"}], "apps": 1}
    ui = {"orgs": [{"name": "Acme", "status": "failed"}], "extra": True, "apps": 1}
    assert parity.differences(api, ui) == [
        "extra: missing in api",
        "orgs[0].status: api='connected' ui='failed'",
    ]
    assert parity.differences([1, 2], [1]) == ["(whole snapshot): api=[1, 2] ui=[1]"]
    assert parity.differences(api, api) == []


def _entry(layer: str, snapshot: object, name: str = "Connect", outcome: str = "passed") -> dict[str, object]:
    return {"layer": layer, "snapshot": snapshot, "scenario": {"name": name}, "outcome": outcome}


def test_compare_groups_layers_and_reports_problems() -> None:
    tests = {
        "f::test_a[api]": _entry("api", {"x": 1}),
        "f::test_a[ui]": _entry("ui", {"x": 2}),
        "f::test_b[api]": _entry("api", {"x": 1}, "Same"),
        "f::test_b[ui]": _entry("ui", {"x": 1}, "Same"),
        "f::test_c[api]": _entry("api", {"x": 1}, "Alone"),
        "f::test_d[ui]": {"layer": "ui"},
        "f::test_e[api]": _entry("api", {"x": 1}, "Failed in ui"),
        "f::test_e[ui]": _entry("ui", {"x": 3}, "Failed in ui", outcome="failed"),
    }
    found = {p.scenario: p for p in parity.compare(tests)}
    assert {k: p.status for k, p in found.items()} == {"f::test_a": "different", "f::test_b": "same",
                                                       "f::test_c": "one layer", "f::test_e": "different"}
    (problem,) = parity.problems(list(found.values()))  # test_e's ui run failed: that failure speaks
    assert "'Connect'" in problem and "x: api=1 ui=2" in problem
