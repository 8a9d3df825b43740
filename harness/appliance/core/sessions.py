"""The local administrator's log-in: sessions, throttling and lockout.

Rules served: docs/design.md "The reference appliance" (secure sessions) - a session token is shown
to the browser once and stored only as its SHA-256, so a copy of the database opens no session; a
run of failed log-ins locks the account for a while (``settings.login_max_failures`` within the
lockout window locks it for ``settings.login_lockout_s``), with a message that says for how long.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import threading
from collections.abc import Callable
from typing import Any

from harness.appliance.core.clock import ApplianceClock
from harness.appliance.core.crypto import check_password
from harness.appliance.core.errors import ApplianceError, BadCredentials, WrongStep
from harness.appliance.core.store import Store
from harness.appliance.settings import ApplianceSettings

SESSION_TTL_S = 12 * 3600
_FAILURES = "login_failures"


class AccountLocked(ApplianceError):
    status = 429
    code = "account_locked"


def digest(token: str) -> str:
    """What the store keeps of a session token (64 hex characters)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _account(username: str) -> str:
    return digest(username.casefold())[:32]


class Sessions:
    def __init__(self, settings: ApplianceSettings, store: Store, clock: ApplianceClock,
                 finished: Callable[[], bool]) -> None:
        self.settings, self.store, self.clock, self._finished = settings, store, clock, finished
        self._lock = threading.Lock()

    def log_in(self, username: str, password: str) -> str:
        if not self._finished():
            raise WrongStep("Finish the initial configuration first.", code="wizard_not_finished")
        account = _account(username)
        with self._lock:
            self._refuse_if_locked(account)
            admin = self.store.get_config("administrator")
            known = bool(admin) and secrets.compare_digest(
                str(admin["username"]).encode("utf-8", "surrogatepass"), username.encode("utf-8", "surrogatepass"))
            if not (known and check_password(password, admin["password_hash"])):
                raise BadCredentials(self._failed(account))
            self._forget_failures(account)
        token = secrets.token_urlsafe(32)
        self.store.add("sessions", {"token": digest(token), "username": username, "created_at": self.clock.now()})
        return token

    def user(self, token: str | None) -> str | None:
        if not token or len(token) > 128:
            return None
        row = self.store.get("sessions", digest(token))
        if row is None or self.clock.now() - row["created_at"] > SESSION_TTL_S:
            return None
        return str(row["username"])

    def log_out(self, token: str | None) -> None:
        if token and len(token) <= 128:
            self.store.remove("sessions", digest(token))

    # -- throttling ------------------------------------------------------------------------------
    def _failures(self) -> dict[str, Any]:
        return dict(self.store.get_config(_FAILURES) or {})

    def _refuse_if_locked(self, account: str) -> None:
        record = self._failures().get(account)
        left = (record or {}).get("locked_until", 0) - self.clock.now()
        if left > 0:
            raise AccountLocked(
                "Too many failed log-ins: this account is locked for "
                f"{_minutes(left)}. Try again later."
            )

    def _failed(self, account: str) -> str:
        failures, now = self._failures(), self.clock.now()
        record = failures.get(account) or {"count": 0, "first_at": now}
        if now - record["first_at"] > self.settings.login_lockout_s:
            record = {"count": 0, "first_at": now}
        record["count"] += 1
        message = "The user name or password is incorrect."
        if record["count"] >= self.settings.login_max_failures:
            record = {"count": 0, "first_at": now, "locked_until": now + self.settings.login_lockout_s}
            message += f" After {self.settings.login_max_failures} failures the account is locked for " \
                       f"{_minutes(self.settings.login_lockout_s)}."
        failures[account] = record
        self.store.set_config(_FAILURES, failures)
        return message

    def _forget_failures(self, account: str) -> None:
        failures = self._failures()
        if failures.pop(account, None) is not None:
            self.store.set_config(_FAILURES, failures)


def _minutes(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return f"{minutes} minute" + ("" if minutes == 1 else "s")
