"""Injected faults per endpoint and the request log.

Serves the harness's need to show how the appliance copes with Salesforce being slow, failing,
in maintenance or dropping the connection, and to prove what the appliance sent (never secrets).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from harness.salesforce.errors import ControlBadRequest

ENDPOINTS = ("authorize", "login", "consent", "token", "revoke", "introspect", "userinfo", "identity", "keys",
             "openid_configuration", "versions", "resources", "limits", "sobjects", "describe", "record",
             "query", "search", "metadata", "*")
KINDS = ("status", "maintenance", "latency", "drop")
# Values of these keys are secrets or bearer material: the log keeps the key, masks the value.
SECRET_KEYS = frozenset(("code", "token", "client_secret", "code_verifier", "refresh_token", "pw",
                         "password", "access_token", "assertion", "client_assertion", "sid"))


@dataclass
class Fault:
    id: int
    endpoint: str
    kind: str
    status: int | None = None
    seconds: float | None = None
    count: int | None = None  # None: until cleared

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class FaultBook:
    """Faults waiting to fire; each fires ``count`` times, or until cleared when ``count`` is None."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._next_id = 1

    def add(self, spec: dict[str, Any]) -> Fault:
        endpoint, kind = spec.get("endpoint"), spec.get("kind")
        if endpoint not in ENDPOINTS:
            raise ControlBadRequest(f"endpoint: {endpoint!r} is not one of {', '.join(ENDPOINTS)}")
        if kind not in KINDS:
            raise ControlBadRequest(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
        fault = Fault(id=self._next_id, endpoint=str(endpoint), kind=str(kind),
                      status=_status(spec, kind), seconds=_seconds(spec, kind), count=_count(spec))
        self._next_id += 1
        self._faults.append(fault)
        return fault

    def take(self, endpoint: str) -> Fault | None:
        for fault in self._faults:
            if fault.endpoint in (endpoint, "*"):
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        self._faults.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        self._faults.clear()

    def list(self) -> list[dict[str, Any]]:
        return [fault.to_dict() for fault in self._faults]


def _status(spec: dict[str, Any], kind: Any) -> int | None:
    if kind == "maintenance":
        return 503
    if kind != "status":
        return None
    status = spec.get("status", 500)
    if not isinstance(status, int) or not 400 <= status <= 599:
        raise ControlBadRequest(f"status: {status!r} must be an HTTP error status (400-599)")
    return status


def _seconds(spec: dict[str, Any], kind: Any) -> float | None:
    if kind != "latency":
        return None
    seconds = spec.get("seconds")
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not 0 <= seconds <= 120:
        raise ControlBadRequest(f"seconds: {seconds!r} must be a number of seconds between 0 and 120")
    return float(seconds)


def _count(spec: dict[str, Any]) -> int | None:
    count = spec.get("count")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
        raise ControlBadRequest(f"count: {count!r} must be a positive integer, or absent for 'until cleared'")
    return count


def mask_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(key, "***" if key in SECRET_KEYS else value) for key, value in pairs])


class RequestLog:
    """What reached the fake: method, host, path, masked query, form keys (never values), status."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def record(self, method: str, host: str, path: str, query: str, form_keys: list[str],
               endpoint: str | None, time: float) -> dict[str, Any]:
        entry = {"method": method, "host": host, "path": path, "query": mask_query(query),
                 "form_keys": form_keys, "status": None, "endpoint": endpoint, "time": time}
        self.entries.append(entry)
        return entry
