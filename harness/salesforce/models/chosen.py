"""Ids, consumer keys and secrets a control client chose itself, checked before anything is built.

Rule served: docs/design.md, speed - a scenario's Given steps gather its whole Salesforce world on the
test side and send it in one control call (``POST /__harness/world``), so a step that needs an org's id
or an app's key before that call cannot wait for the fake to make them: the test side chooses them
(from the scenario's seed) and the fake takes them here. Each must have the shape the fake itself makes
(docs/salesforce-facts.md 3.1: 18-character ids with their case-safe suffix and key prefix; keys
``3MVG9...``; secrets 64 hexadecimal digits) and must not be in use, in the state or elsewhere in the
same world; a refusal names the field and the problem. Only the control API takes chosen values: the
wire API is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from harness.salesforce.errors import ControlBadRequest
from harness.salesforce.models.ids import case_safe

_ID = re.compile(r"[0-9A-Za-z]{15}[A-Z0-5]{3}")
_KEY = re.compile(r"3MVG9[0-9A-Za-z._]{40,250}")
_SECRET = re.compile(r"[0-9A-F]{64}")
ORG_PREFIX, USER_PREFIX = "00D", "005"
APP_PREFIXES = {"external_client_app": "0xI", "connected_app": "0H4"}
# What a world's entries may choose, per kind of entry.
CHOSEN = {"org": ("id",), "user": ("id",), "app": ("id", "consumer_key", "consumer_secret")}


def take(spec: dict[str, Any], what: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the entry without its chosen values, the chosen values) of one world entry."""
    chosen = {name: spec[name] for name in CHOSEN[what] if spec.get(name) is not None}
    return {k: v for k, v in spec.items() if k not in CHOSEN[what]}, chosen


def check_id(value: Any, prefix: str, field: str) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value) or case_safe(value[:15]) != value:
        raise ControlBadRequest(f"{field}: {value!r} is not an 18-character Salesforce id (15 characters and "
                                "their 3-character case-safe suffix)")
    if not value.startswith(prefix):
        raise ControlBadRequest(f"{field}: {value!r} must start with the key prefix {prefix}")
    return value


def check_key(value: Any, field: str = "consumer_key") -> str:
    if not isinstance(value, str) or not _KEY.fullmatch(value):
        raise ControlBadRequest(f"{field}: {value!r} is not a consumer key (3MVG9 and 40 to 250 letters, digits, "
                                "dots or underscores)")
    return value


def check_secret(value: Any, field: str = "consumer_secret") -> str:
    if not isinstance(value, str) or not _SECRET.fullmatch(value):
        raise ControlBadRequest(f"{field}: the chosen consumer secret is not 64 hexadecimal digits (0-9, A-F)")
    return value


class Ledger:
    """Every value of one kind already in use; ``claim`` refuses a second use, naming where it was."""

    def __init__(self, field: str, used: Iterable[str]) -> None:
        self._field = field
        self._used = set(used)

    def claim(self, value: str, where: str) -> None:
        if value in self._used:
            raise ControlBadRequest(f"{where}.{self._field}: {value!r} is already used")
        self._used.add(value)


def check_world(state: Any, orgs: list[tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]],
                apps: list[tuple[str, dict[str, Any]]]) -> None:
    """Checks every chosen value of a world (``orgs`` as (org, users, apps) specs, ``apps`` as (org id, app)
    for orgs that exist or come earlier in the same world) against its shape and against the values in use, before
    anything is built, so a refused world builds nothing."""
    org_ids = Ledger("id", state.orgs)
    user_ids = Ledger("id", state.users)
    app_ids = Ledger("id", state.apps)
    keys = Ledger("consumer_key", (app.consumer_key for app in state.apps.values()))
    for n, (org, users, org_apps) in enumerate(orgs):
        if org.get("id") is not None:
            org_ids.claim(check_id(org["id"], ORG_PREFIX, f"orgs[{n}].id"), f"orgs[{n}]")
        for u, user in enumerate(users):
            if user.get("id") is not None:
                user_ids.claim(check_id(user["id"], USER_PREFIX, f"orgs[{n}].users[{u}].id"), f"orgs[{n}].users[{u}]")
        for a, app in enumerate(org_apps):
            _check_app(app, f"orgs[{n}].apps[{a}]", app_ids, keys)
    known = set(state.orgs) | {org["id"] for org, _, _ in orgs if org.get("id") is not None}
    for a, (org_id, app) in enumerate(apps):
        if org_id not in known:
            raise ControlBadRequest(f"apps[{a}].org_id: no org with id {org_id!r}, in the fake or in this world")
        _check_app(app, f"apps[{a}]", app_ids, keys)


def _check_app(app: dict[str, Any], where: str, ids: Ledger, keys: Ledger) -> None:
    kind = app.get("kind", "external_client_app")
    if app.get("id") is not None:
        prefix = APP_PREFIXES.get(kind) if isinstance(kind, str) else None
        if prefix is None:
            raise ControlBadRequest(f"{where}.kind: {kind!r} is not one of {', '.join(APP_PREFIXES)}")
        ids.claim(check_id(app["id"], prefix, f"{where}.id"), where)
    if app.get("consumer_key") is not None:
        keys.claim(check_key(app["consumer_key"], f"{where}.consumer_key"), where)
    if app.get("consumer_secret") is not None:
        check_secret(app["consumer_secret"], f"{where}.consumer_secret")
