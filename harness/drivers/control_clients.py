"""Clients for the control APIs of the fake Salesforce and the reference appliance.

Given-steps seed state through these HTTP endpoints (never through internals), so the same
scenarios can run against servers in another process. See ``harness/README.md`` for the calls.
Every call is JSON and carries the reference's control token (harness/reference/control_gate.py): the servers
answer control calls only from the harness that started them.
"""

from __future__ import annotations

import random
import string
from typing import Any

import httpx

from harness.reference.control_gate import HEADER

SALESFORCE_CONTROL = "https://login.salesforce.com/__harness"


class ControlError(RuntimeError):
    """A control call was refused; ``code`` and the message carry the server's explanation.

    Both control APIs refuse in one shape, ``{"error": code, "message": sentence}``
    (harness/reference/control_gate.py)."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


def _control(client: httpx.Client, token: str, method: str, url: str, body: dict[str, Any] | None) -> httpx.Response:
    """A control call: the token header always, and a JSON body on every write."""
    payload = None if method == "GET" else (body if body is not None else {})
    return client.request(method, url, json=payload, headers={HEADER: token})


def _checked(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        code, message = _refusal(response)
        raise ControlError(f"{response.request.method} {response.request.url} -> {response.status_code} "
                           f"{code or ''}: {message}", code)
    return response.json() if response.content else None


def _refusal(response: httpx.Response) -> tuple[str | None, str]:
    """(code, sentence) of a refusal; a body in another shape (a proxy's page) is quoted as it came."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), str) and isinstance(body.get("message"), str):
        return body["error"], body["message"]
    return None, response.text[:500]


_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_CASE_SAFE = string.ascii_uppercase + "012345"


def salesforce_id(prefix: str, rng: random.Random) -> str:
    """An 18-character Salesforce id with this key prefix (``00D`` org, ``005`` user, ``0xI`` external
    client app, ``0H4`` connected app): 15 characters and Salesforce's published case-safe suffix."""
    id15 = prefix + "5g0" + "".join(rng.choice(_BASE62) for _ in range(9))
    suffix = "".join(_CASE_SAFE[sum(1 << i for i, c in enumerate(id15[start:start + 5]) if c.isupper())]
                     for start in (0, 5, 10))
    return id15 + suffix


def app_credentials(kind: str, rng: random.Random) -> dict[str, str]:
    """An app's id, consumer key and consumer secret, chosen here in the shapes the fake makes them."""
    return {"id": salesforce_id("0H4" if kind == "connected_app" else "0xI", rng),
            "consumer_key": "3MVG9" + "".join(rng.choice(_BASE62) for _ in range(80)),
            "consumer_secret": "".join(rng.choice("0123456789ABCDEF") for _ in range(64))}


class SalesforceControl:
    """Seeds and inspects the fake Salesforce, as its Setup pages would let an admin do.

    A scenario's Given steps gather their world here instead of sending each piece (``hold``, then
    ``add_org`` and ``add_app``): the pieces, with the scenario's deferred reset, go out in one
    ``POST /__harness/world`` at ``flush``, which the plugin calls once the Given set-up is over or
    before the first step that needs the server (harness/pytest/plugin.py); every other call of this
    client flushes first. Steps need ids and keys before that call, so they choose them
    (``salesforce_id``, ``app_credentials``, from the scenario's seed) and the fake takes them
    (harness/salesforce/models/chosen.py). Outside ``hold`` each piece is sent at once.
    """

    def __init__(self, client: httpx.Client, token: str, base: str = SALESFORCE_CONTROL) -> None:
        self._client = client
        self._token = token
        self._base = base
        self._pending_seed: int | None = None
        self._orgs: list[dict[str, Any]] = []  # new orgs, each with its users and apps
        self._apps: list[dict[str, Any]] = []  # apps of orgs already sent, each with its org_id
        self._holding = False

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        self.flush()
        return self._send(method, path, body)

    def _send(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return _checked(_control(self._client, self._token, method, f"{self._base}{path}", body))

    def defer_reset(self, seed: int) -> None:
        """The reset is sent with the first world built (one round trip fewer), or by ``flush``:
        before any other call of this client, and before any step that does not build a world."""
        self._pending_seed = seed

    def hold(self) -> None:
        """Until the next ``flush``, orgs and apps added wait to go out together."""
        self._holding = True

    def add_org(self, org: dict[str, Any]) -> None:
        """An org (with its chosen ``id``, ``users`` and ``apps``) for the world being gathered."""
        self._orgs.append(dict(org))
        self._unless_held()

    def add_app(self, org_id: str, app: dict[str, Any]) -> None:
        """An app (with its chosen ``id``, ``consumer_key`` and ``consumer_secret``) of an org gathered
        or already sent."""
        owner = next((org for org in self._orgs if org.get("id") == org_id), None)
        if owner is not None:
            owner["apps"] = [*owner.get("apps", []), app]
        else:
            self._apps.append({"org_id": org_id, **app})
        self._unless_held()

    def _unless_held(self) -> None:
        if not self._holding:
            self.flush()

    def flush(self) -> dict[str, Any] | None:
        """Sends what waits, in one call: the gathered world (with the reset folded in), else the reset
        alone; answers the world as built. Ends ``hold``."""
        self._holding = False
        if self._orgs or self._apps:
            body: dict[str, Any] = {"orgs": self._orgs, **({"apps": self._apps} if self._apps else {})}
            if self._pending_seed is not None:
                body["reset_seed"] = self._pending_seed
            # Taken before sending: a refused world is reported once, not again by every later call.
            self._orgs, self._apps, self._pending_seed = [], [], None
            return dict(self._send("POST", "/world", body))
        if self._pending_seed is not None:
            seed, self._pending_seed = self._pending_seed, None
            self.reset(seed)
        return None

    def reset(self, seed: int) -> None:
        self._pending_seed = None
        self._call("POST", "/reset", {"seed": seed})

    def create_org(self, name: str, sandbox: str | None = None) -> dict[str, Any]:
        return self._call("POST", "/orgs", {"name": name, "sandbox": sandbox})

    def create_user(self, org_id: str, **fields: Any) -> dict[str, Any]:
        return self._call("POST", f"/orgs/{org_id}/users", fields)

    def create_app(self, org_id: str, **settings: Any) -> dict[str, Any]:
        return self._call("POST", f"/orgs/{org_id}/apps", settings)

    def app(self, app_id: str) -> dict[str, Any]:
        return self._call("GET", f"/apps/{app_id}")

    def change_app(self, app_id: str, **settings: Any) -> dict[str, Any]:
        return self._call("PATCH", f"/apps/{app_id}", settings)

    def rotate_secret(self, app_id: str) -> dict[str, Any]:
        return self._call("POST", f"/apps/{app_id}/rotate-secret")

    def revoke_grants(self, app_id: str) -> int:
        return int(self._call("POST", f"/apps/{app_id}/revoke-grants")["revoked"])

    def grants(self, app_id: str) -> list[dict[str, Any]]:
        return self._call("GET", f"/apps/{app_id}/grants")

    def inject_fault(self, endpoint: str, kind: str, **details: Any) -> dict[str, Any]:
        return self._call("POST", "/faults", {"endpoint": endpoint, "kind": kind, **details})

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def requests(self) -> list[dict[str, Any]]:
        return self._call("GET", "/requests")

    def build_world(self, orgs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Orgs, each with its ``users`` and ``apps``, made now in one call with whatever waits (the
        reset, a gathered world); answers these orgs as made."""
        self._orgs.extend(dict(org) for org in orgs)
        built = self.flush() or {"orgs": []}
        return list(built["orgs"])[len(built["orgs"]) - len(orgs):]

    def world(self, app_ids: list[str]) -> dict[str, Any]:
        """Every org with its users, and the named apps with their grants, in one call."""
        return dict(self._call("GET", "/world?apps=" + ",".join(app_ids)))


class ApplianceControl:
    """Resets the reference appliance between scenarios."""

    def __init__(self, client: httpx.Client, base_url: str, token: str) -> None:
        self._client = client
        self._token = token
        self._base = base_url.rstrip("/") + "/__harness"
        self._reset_pending = False

    def reset(self) -> None:
        self._reset_pending = False
        _checked(_control(self._client, self._token, "POST", f"{self._base}/reset", {}))

    def hold(self) -> None:
        """Nothing of the appliance's waits but its reset (``defer_reset``): its world is one call."""

    def defer_reset(self) -> None:
        """The reset is sent with the wizard's world (one round trip fewer), or by ``flush``."""
        self._reset_pending = True

    def flush(self) -> None:
        if self._reset_pending:
            self.reset()

    def advance_clock(self, seconds: float) -> float:
        """Moves the appliance's clock; schedules and lockouts that fall due run or end."""
        self.flush()
        answer = _control(self._client, self._token, "POST", f"{self._base}/clock", {"advance_seconds": seconds})
        return float(_checked(answer)["now"])

    def reach_app_step(self, username: str, password: str) -> dict[str, Any]:
        """Wizard steps 1-4 done in one call (licence, this administrator, SQLite, trial licence)."""
        body = {"wizard_step": 5, "administrator": {"username": username, "password": password},
                "reset": self._reset_pending}
        self._reset_pending = False
        return dict(_checked(_control(self._client, self._token, "POST", f"{self._base}/world", body)))

    def world(self) -> dict[str, Any]:
        """The wizard, and once it is finished the orgs, policies with runs and last authorization."""
        self.flush()
        return dict(_checked(_control(self._client, self._token, "GET", f"{self._base}/world", None)))


def builds_world(step: Any) -> Any:
    """Marks a Given step that reaches the systems only through these control clients, which send a
    deferred reset first (or fold it into the world they build) and gather the Salesforce world it adds
    to: once the Given set-up is over, and before any other step, the plugin sends what waits
    (harness/pytest/plugin.py). A marked step that goes on to reach a system another way (the
    appliance's API, which reaches Salesforce in turn) first sends what that system's client holds
    (``flush``), so what it gathered rides in the same call."""
    step.builds_world = True
    return step
