"""Clients for the control APIs of the fake Salesforce and the reference appliance.

Given-steps seed state through these HTTP endpoints (never through internals), so the same
scenarios can run against servers in another process. See ``harness/README.md`` for the calls.
Every call is JSON and carries the reference's control token (harness/reference/control_gate.py): the servers
answer control calls only from the harness that started them.
"""

from __future__ import annotations

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


class SalesforceControl:
    """Seeds and inspects the fake Salesforce, as its Setup pages would let an admin do."""

    def __init__(self, client: httpx.Client, token: str, base: str = SALESFORCE_CONTROL) -> None:
        self._client = client
        self._token = token
        self._base = base
        self._pending_seed: int | None = None

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        self.flush()
        return _checked(_control(self._client, self._token, method, f"{self._base}{path}", body))

    def defer_reset(self, seed: int) -> None:
        """The reset is sent with the first world built (one round trip fewer), or by ``flush``:
        before any other call of this client, and before any step that does not build a world."""
        self._pending_seed = seed

    def flush(self) -> None:
        if self._pending_seed is not None:
            seed, self._pending_seed = self._pending_seed, None
            self.reset(seed)

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
        """Orgs, each with its ``users`` and ``apps``, made in one call; answers them as made."""
        body: dict[str, Any] = {"orgs": orgs}
        if self._pending_seed is not None:
            body["reset_seed"], self._pending_seed = self._pending_seed, None
        return list(self._call("POST", "/world", body)["orgs"])

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
    deferred reset first (or fold it into the world they build): before any other step, the plugin
    sends the deferred resets itself (harness/pytest/plugin.py)."""
    step.builds_world = True
    return step
