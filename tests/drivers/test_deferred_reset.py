"""A scenario's resets ride on its first world: one round trip fewer, and never skipped.

Rule served: docs/design.md, speed (a Given set-up is one control call per system) without giving up
per-scenario isolation: a deferred reset is sent before any other control call of the same client.
"""

from __future__ import annotations

import json

import httpx

from harness.drivers.control_clients import ApplianceControl, SalesforceControl

TOKEN = "t" * 20


def _recording() -> tuple[httpx.Client, list[tuple[str, str, dict[str, object] | None]]]:
    sent: list[tuple[str, str, dict[str, object] | None]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        sent.append((request.method, request.url.path, body))
        if request.url.path.endswith("/world") and request.method == "POST" and "orgs" in (body or {}):
            return httpx.Response(200, json={"orgs": [{"id": "00D", "users": [], "apps": []}]})
        return httpx.Response(200, json={"ok": True, "now": 1.0})

    return httpx.Client(transport=httpx.MockTransport(answer)), sent


def test_the_salesforce_reset_is_folded_into_the_first_world() -> None:
    client, sent = _recording()
    control = SalesforceControl(client, TOKEN)
    control.defer_reset(42)
    control.build_world([{"name": "acme"}])
    control.build_world([{"name": "globex"}])
    assert [(m, p) for m, p, _ in sent] == [("POST", "/__harness/world")] * 2
    assert sent[0][2] == {"orgs": [{"name": "acme"}], "reset_seed": 42} and "reset_seed" not in (sent[1][2] or {})


def test_a_deferred_salesforce_reset_goes_before_any_other_call_and_only_once() -> None:
    client, sent = _recording()
    control = SalesforceControl(client, TOKEN)
    control.defer_reset(7)
    control.grants("0H4")
    control.flush()
    assert [(m, p) for m, p, _ in sent] == [("POST", "/__harness/reset"), ("GET", "/__harness/apps/0H4/grants")]
    assert sent[0][2] == {"seed": 7}


def test_the_appliance_reset_rides_on_the_wizard_world_or_goes_first() -> None:
    client, sent = _recording()
    folded = ApplianceControl(client, "https://172.12.0.1", TOKEN)
    folded.defer_reset()
    folded.reach_app_step("admin", "Str0ng!Pass")
    folded.world()
    assert [p for _, p, _ in sent] == ["/__harness/world", "/__harness/world"] and sent[0][2]["reset"] is True  # type: ignore[index]
    sent.clear()
    first = ApplianceControl(client, "https://172.12.0.1", TOKEN)
    first.defer_reset()
    first.advance_clock(60)
    first.flush()
    assert [p for _, p, _ in sent] == ["/__harness/reset", "/__harness/clock"]
