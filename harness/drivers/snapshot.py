"""A normalized picture of both systems after a scenario, to compare the ``[api]`` and ``[ui]`` runs.

Rule served: docs/design.md "Two layers, one scenario" - both layers of one scenario use the same data
and must end in the same normalized state of both systems. The snapshot holds the wizard's step and
last outcome, the appliance's orgs (status, app, scopes), policies and runs, and Salesforce's orgs,
users, the scenario's apps (settings) and their grants. Normalized means: ids, consumer keys and
secrets become stable placeholders in order of appearance (``<org-1>``, ``<key-1>``), and tokens,
timestamps and run numbers, which differ from run to run, are left out.

It reads both systems only through their public and control APIs, like the steps do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import httpx

from harness.drivers.api import ApiAdministrator, ApplianceApiError
from harness.drivers.control_clients import ControlError, SalesforceControl

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
    """Orgs with their users, and each app the scenario made with its settings and grants."""
    # The control client has no listing methods of its own; its generic call reads the documented routes.
    orgs = sorted(control._call("GET", "/orgs"), key=lambda o: o["name"])
    for org in orgs:
        marks.add(org["id"], "org")
        org["users"] = sorted(control._call("GET", f"/orgs/{org['id']}/users"), key=lambda u: u["username"])
        for user in org["users"]:
            marks.add(user["id"], "user")
    apps = []
    for app_id in app_ids:
        app = control.app(app_id)
        marks.add(app["id"], "app")
        marks.add(app["consumer_key"], "key")
        grants = control.grants(app_id)
        app["grants"] = sorted(grants, key=lambda g: (str(g.get("user_id")), str(g.get("scopes"))))
        apps.append(app)
    return {"orgs": orgs, "apps": apps}


def appliance_state(http: httpx.Client, base_url: str, login: tuple[str, str] | None) -> dict[str, Any]:
    """The wizard (step, last outcome), and once it is finished the orgs, policies and runs."""
    api = ApiAdministrator(http)
    api.base = base_url
    state: dict[str, Any] = {"wizard": _read(api, "/wizard")}
    if state["wizard"].get("unavailable") == 401 and login is not None:
        try:  # after the wizard, everything needs the administrator's session
            api.log_in(*login)
        except ApplianceApiError as exc:
            return state | {"login": f"refused: {exc.status}"}
        state["wizard"] = _read(api, "/wizard")
    if not state["wizard"].get("finished") and "unavailable" not in state["wizard"]:
        return state | {"connection": _read(api, "/wizard/salesforce")}
    state["orgs"] = sorted(_read(api, "/orgs") or [], key=lambda o: o.get("org_id", ""))
    policies = sorted(_read(api, "/policies") or [], key=lambda p: p.get("org_id", ""))
    for policy in policies:
        runs = _read(api, f"/policies/{policy['id']}/runs") or []
        policy["runs"] = [{k: r.get(k) for k in ("trigger", "status", "reason", "objects")} for r in runs]
    state["policies"] = policies
    state["last_authorization"] = _read(api, "/orgs/authorization")
    return state


def _read(api: ApiAdministrator, path: str) -> Any:
    try:
        return api.call("GET", path)
    except ApplianceApiError as exc:
        return {"unavailable": exc.status}


def snapshot(salesforce: SalesforceControl, http: httpx.Client, appliances: dict[str, str],
             login: tuple[str, str] | None, app_ids: list[str]) -> dict[str, Any]:
    """Both systems, normalized. ``http`` is a fresh client (no administrator's session in it);
    ``appliances`` maps a version ("3.2", "3.1") to its base URL."""
    marks = Placeholders()
    try:
        raw_salesforce = salesforce_state(salesforce, app_ids, marks)
    except ControlError as exc:
        raw_salesforce = {"unavailable": str(exc)}
    raw = {}
    for version, url in appliances.items():
        http.cookies.clear()
        raw[version] = appliance_state(http, url, login)
    return {"salesforce": marks.tree(raw_salesforce), "appliances": marks.tree(raw)}
