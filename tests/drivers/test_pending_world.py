"""A scenario's Given set-up sends one control call per system: Salesforce's whole world in one.

Rule served: docs/design.md, speed (a Given set-up is one control call per system it touches). The
Salesforce Given steps gather their orgs, users and apps on the test side while the plugin holds the
client, with ids, keys and secrets chosen from the scenario's seed, and the plugin sends them once
the Given set-up is over (harness/pytest/plugin.py).
"""

from __future__ import annotations

import json
import random
import re
from typing import Any

import httpx

from harness.drivers.control_clients import ApplianceControl, SalesforceControl, app_credentials, salesforce_id
from harness.pytest.scenario_data import ScenarioData
from harness.salesforce.models.ids import case_safe
from steps.salesforce_steps import new_app, new_org

TOKEN = "t" * 20
Sent = list[tuple[str, str, Any]]


def _recording() -> tuple[httpx.Client, Sent]:
    sent: Sent = []

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        sent.append((request.method, request.url.path, body))
        return httpx.Response(200, json={"orgs": [], "wizard": {"step": 5}})

    return httpx.Client(transport=httpx.MockTransport(answer)), sent


def test_a_typical_given_set_up_sends_one_control_call_per_system() -> None:
    """Given an org, an app in it and the wizard at the app step, as the plugin drives them: two calls."""
    client, sent = _recording()
    salesforce, appliance = SalesforceControl(client, TOKEN), ApplianceControl(client, "https://172.12.0.1", TOKEN)
    data = ScenarioData(1234)
    salesforce.defer_reset(data.seed)
    appliance.defer_reset()
    for control in (salesforce, appliance):  # the org step
        control.hold()
    org = new_org(salesforce, data)
    for control in (salesforce, appliance):  # the app step: it needs the org's id, which is known already
        control.hold()
    app = new_app(salesforce, data, org)
    appliance.reach_app_step("admin", "Str0ng!Pass")  # the wizard step
    assert [p for _, p, _ in sent] == ["/__harness/world"], "only the appliance's world went out during the Givens"
    for control in (salesforce, appliance):  # the Given set-up is over
        control.flush()
    assert [(m, p) for m, p, _ in sent] == [("POST", "/__harness/world")] * 2
    world = sent[1][2]
    assert world["reset_seed"] == data.seed and "apps" not in world
    [sent_org] = world["orgs"]
    assert (sent_org["id"], sent_org["users"][0]["id"]) == (org.org_id, org.user.user_id)
    [sent_app] = sent_org["apps"]
    assert (sent_app["id"], sent_app["consumer_key"], sent_app["consumer_secret"]) == (
        app.app_id, app.consumer_key, app.consumer_secret)
    assert data.app_ids == [app.app_id]


def test_the_chosen_ids_follow_the_scenario_seed() -> None:
    def chosen(seed: int) -> tuple[str, str, str, str]:
        client, _ = _recording()
        control, data = SalesforceControl(client, TOKEN), ScenarioData(seed)
        control.hold()
        org = new_org(control, data)
        app = new_app(control, data, org)
        return org.org_id, org.user.user_id, app.app_id, app.consumer_key

    assert chosen(7) == chosen(7) != chosen(8)


def test_chosen_values_have_the_shapes_the_fake_makes() -> None:
    rng = random.Random(3)
    for prefix in ("00D", "005", "0xI", "0H4"):
        made = salesforce_id(prefix, rng)
        assert made.startswith(prefix) and len(made) == 18 and case_safe(made[:15]) == made
    credentials = app_credentials("connected_app", rng)
    assert credentials["id"].startswith("0H4") and app_credentials("external_client_app", rng)["id"].startswith("0xI")
    assert re.fullmatch(r"3MVG9[0-9A-Za-z]{80}", credentials["consumer_key"])
    assert re.fullmatch(r"[0-9A-F]{64}", credentials["consumer_secret"])


def test_outside_a_hold_each_piece_goes_out_at_once() -> None:
    """A When step that makes an app (no hold) sends it at once, beside the orgs already sent."""
    client, sent = _recording()
    control, data = SalesforceControl(client, TOKEN), ScenarioData(5)
    org = new_org(control, data)
    app = new_app(control, data, org)
    assert [p for _, p, _ in sent] == ["/__harness/world"] * 2
    body = sent[1][2]
    assert body["orgs"] == [] and [(a["org_id"], a["id"]) for a in body["apps"]] == [(org.org_id, app.app_id)]


def test_any_other_call_sends_the_gathered_world_first_and_only_once() -> None:
    client, sent = _recording()
    control, data = SalesforceControl(client, TOKEN), ScenarioData(9)
    control.defer_reset(9)
    control.hold()
    org = new_org(control, data)
    control.grants("0xI")
    control.flush()
    assert [p for _, p, _ in sent] == ["/__harness/world", "/__harness/apps/0xI/grants"]
    body = sent[0][2]
    assert (sorted(body), body["reset_seed"]) == (["orgs", "reset_seed"], 9)
    assert [o["id"] for o in body["orgs"]] == [org.org_id]
