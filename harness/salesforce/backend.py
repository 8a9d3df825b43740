"""The fake Salesforce's backend: its state, and the control operations on it (also over HTTP).

Serves the harness rule that a reset rebuilds the state from scratch, and keeps the backend out of
the app factory so the views and the middleware can name it without importing the app (no circle).
The methods are the control API in-process: ``harness/salesforce/control_routes.py`` is a thin HTTP
shell over them. Every method holds the state lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from harness.salesforce.models import Clock, SalesforceState

T = TypeVar("T")


def _locked(method: Callable[..., T]) -> Callable[..., T]:
    @wraps(method)
    def wrapper(self: SalesforceBackend, *args: Any, **kwargs: Any) -> T:
        with self.lock:
            return method(self, *args, **kwargs)
    return wrapper


class SalesforceBackend:
    """One fake Salesforce: its state, and the control operations on it (also over HTTP)."""

    def __init__(self, seed: int = 0, clock: Clock | None = None) -> None:
        self.lock = threading.RLock()
        self._clock = clock
        self.state = SalesforceState(seed, clock or Clock())

    @_locked
    def reset(self, seed: int | None = None) -> dict[str, Any]:
        """Throws everything away and starts again from ``seed`` (default: the current seed)."""
        self.state = SalesforceState(self.state.seed if seed is None else seed, self._clock or Clock(),
                                     after=self.state)
        return {"ok": True}

    # -- orgs and users -----------------------------------------------------------------------
    @_locked
    def create_org(self, **spec: Any) -> dict[str, Any]:
        return self.state.create_org(spec)

    @_locked
    def list_orgs(self) -> list[dict[str, Any]]:
        return [org.to_dict() for org in self.state.orgs.values()]

    @_locked
    def get_org(self, org_id: str) -> dict[str, Any]:
        return self.state.org(org_id).to_dict()

    @_locked
    def update_org(self, org_id: str, **spec: Any) -> dict[str, Any]:
        return self.state.update_org(org_id, spec)

    @_locked
    def create_user(self, org_id: str, **spec: Any) -> dict[str, Any]:
        return self.state.create_user(org_id, spec)

    @_locked
    def list_users(self, org_id: str) -> list[dict[str, Any]]:
        return [user.to_dict() for user in self.state.org(org_id).users.values()]

    @_locked
    def update_user(self, org_id: str, user_id: str, **spec: Any) -> dict[str, Any]:
        return self.state.update_user(org_id, user_id, spec)

    # -- apps ---------------------------------------------------------------------------------
    @_locked
    def create_app(self, org_id: str, **settings: Any) -> dict[str, Any]:
        return self.state.create_app(org_id, settings)

    @_locked
    def get_app(self, app_id: str) -> dict[str, Any]:
        return self.state.app(app_id).to_dict()

    @_locked
    def update_app(self, app_id: str, **settings: Any) -> dict[str, Any]:
        return self.state.update_app(app_id, settings)

    @_locked
    def rotate_secret(self, app_id: str) -> dict[str, Any]:
        return self.state.rotate_secret(app_id)

    @_locked
    def revoke_grants(self, app_id: str) -> dict[str, Any]:
        return self.state.revoke_grants(app_id)

    @_locked
    def grants(self, app_id: str) -> list[dict[str, Any]]:
        return self.state.grants(app_id)

    # -- faults, request log, clock -----------------------------------------------------------
    @_locked
    def add_fault(self, **spec: Any) -> dict[str, Any]:
        return self.state.faults.add(spec).to_dict()

    @_locked
    def faults(self) -> list[dict[str, Any]]:
        return self.state.faults.list()

    @_locked
    def clear_faults(self) -> dict[str, Any]:
        self.state.faults.clear()
        return {"ok": True}

    @_locked
    def requests(self) -> list[dict[str, Any]]:
        return [dict(entry) for entry in self.state.log.entries]

    @_locked
    def clear_requests(self) -> dict[str, Any]:
        self.state.log.entries.clear()
        return {"ok": True}

    @_locked
    def advance_clock(self, seconds: float) -> dict[str, Any]:
        return {"now": self.state.clock.advance(seconds)}
