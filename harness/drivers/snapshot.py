"""A normalized picture of both systems after a scenario, to compare the ``[api]`` and ``[ui]`` runs.

Rule served: docs/design.md "Two layers, one scenario" - both layers of one scenario use the same data
and must end in the same normalized state of both systems. The snapshot holds the wizard's step and
last outcome, the appliance's orgs (status, app, scopes), policies and runs, and Salesforce's orgs,
users, the scenario's apps (settings) and their grants. Normalized means: ids, consumer keys and
secrets become stable placeholders in order of appearance (``<org-1>``, ``<key-1>``), and tokens,
timestamps and run numbers, which differ from run to run, are left out.

It reads both systems through their control APIs, one call per system (``/__harness/world``), so
the snapshot costs three round trips whatever the scenario made; the answers are the public API's
own shapes, read by the same core methods.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from harness.drivers.control_clients import ApplianceControl, ControlError, SalesforceControl

# Keys whose values differ between two runs of the same scenario (times, tokens, counters).
_VOLATILE = re.compile(r"^(id|consumer_secret|password|access_token|refresh_token|id_token|code|state|csrf_token|"
                       r"signature|now)$|_at$|_time$|_hash$")


@dataclass
class Placeholders:
    """Replaces run-specific values (ids, keys) with ``<kind-n>``, numbered in order of appearance."""

    names: dict[str, str] = field(default_factory=dict)

    def add(self, value: str | None, kind: str) -> None:
        if value and value not in self.names:
            count = sum(1 for name in self.names.values() if name.startswith(f"<{kind}-"))
            self.names[value] = f"<{kind}-{count + 1}>"

    def text(self, value: str) -> str:
        for raw in sorted(self.names, key=len, reverse=True):
            value = value.replace(raw, self.names[raw])
        return value

    def tree(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self.tree(v) for k, v in sorted(value.items()) if not _VOLATILE.search(k)}
        if isinstance(value, list):
            return [self.tree(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value


def salesforce_state(control: SalesforceControl, app_ids: list[str], marks: Placeholders) -> dict[str, Any]:
    """Orgs with their users, and each app the scenario made with its settings and grants (one call)."""
    world = control.world(app_ids)
    orgs = sorted(world["orgs"], key=lambda o: o["name"])
    for org in orgs:
        marks.add(org["id"], "org")
        org["users"] = sorted(org["users"], key=lambda u: u["username"])
        for user in org["users"]:
            marks.add(user["id"], "user")
    for app in world["apps"]:
        marks.add(app["id"], "app")
        marks.add(app["consumer_key"], "key")
        app["grants"] = sorted(app["grants"], key=lambda g: (str(g.get("user_id")), str(g.get("scopes"))))
    return {"orgs": orgs, "apps": world["apps"]}


def appliance_state(control: ApplianceControl) -> dict[str, Any]:
    """The wizard (step, last outcome), and once it is finished the orgs, policies and runs (one call)."""
    state = control.world()
    if "orgs" in state:
        state["orgs"] = sorted(state["orgs"], key=lambda o: o.get("org_id", ""))
    if "policies" in state:
        state["policies"] = sorted(state["policies"], key=lambda p: p.get("org_id", ""))
        for policy in state["policies"]:
            policy["runs"] = [{k: r.get(k) for k in ("trigger", "status", "reason", "objects")}
                              for r in policy["runs"]]
    return state


def snapshot(salesforce: SalesforceControl, appliances: dict[str, ApplianceControl],
             app_ids: list[str]) -> dict[str, Any]:
    """Both systems, normalized: one control call per system. ``appliances`` maps a version
    ("3.2", "3.1") to its control client."""
    marks = Placeholders()
    try:
        raw_salesforce = salesforce_state(salesforce, app_ids, marks)
    except ControlError as exc:
        raw_salesforce = {"unavailable": str(exc)}
    raw = {}
    for version, control in appliances.items():
        try:
            raw[version] = appliance_state(control)
        except ControlError as exc:
            raw[version] = {"unavailable": str(exc)}
    return {"salesforce": marks.tree(raw_salesforce), "appliances": marks.tree(raw)}
