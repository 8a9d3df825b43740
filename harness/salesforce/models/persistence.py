"""An optional JSON snapshot of one fake Salesforce, so a restarted demo is the same world.

Rule served: the demo (``harness serve``) keeps the orgs, users, apps, grants and tokens the appliance
holds across a restart, so its stored refresh tokens still work. A snapshot is written (atomically,
owner-only: it holds passwords and secrets) whenever a request changed something, *before* its answer
starts to leave: an answer the client has seen (an authorization code in a redirect, a token, a reset)
is on disk, so a SIGKILL at any moment loses nothing acknowledged. A control reset is a change like any
other: the reset world is what a restart resumes. The snapshot is loaded once at start. The reference a
test session starts stays in memory. Faults, the request log and query cursors are not kept (Our
choice: they belong to one run).
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import random
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from harness.reference.files import write_owner_only
from harness.salesforce.models.grants import GrantBook
from harness.salesforce.models.state import SalesforceState

FORMAT = 1
_MODELS = "harness.salesforce.models."
_BOOK = ("codes", "spent_codes", "grants", "tokens", "refresh_index", "approvals", "sessions")


def _dump(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = type(value)
        fields = {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)
                  if f.metadata.get("persist", True)}
        return {"__model__": f"{kind.__module__}:{kind.__qualname__}", **fields}
    if isinstance(value, set | frozenset):
        return {"__set__": [_dump(v) for v in sorted(value, key=repr)]}
    if isinstance(value, tuple):
        return {"__tuple__": [_dump(v) for v in value]}
    if isinstance(value, dict):
        return {str(k): _dump(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dump(v) for v in value]
    return value


def _load(value: Any) -> Any:
    if isinstance(value, list):
        return [_load(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__set__" in value:
        return {_load(v) for v in value["__set__"]}
    if "__tuple__" in value:
        return tuple(_load(v) for v in value["__tuple__"])
    if "__model__" in value:
        return _model(value)
    return {k: _load(v) for k, v in value.items()}


def _model(data: dict[str, Any]) -> Any:
    module, _, name = str(data["__model__"]).partition(":")
    if not module.startswith(_MODELS):  # only the fake's own models are ever built from a file
        raise ValueError(f"a snapshot may not name {module}")
    kind = getattr(importlib.import_module(module), name)
    fields = {f.name: f for f in dataclasses.fields(kind)}
    renamed = {f.metadata["was"]: f.name for f in fields.values() if "was" in f.metadata}
    values = {renamed.get(k, k): _load(v) for k, v in data.items() if renamed.get(k, k) in fields}
    made = kind(**{k: v for k, v in values.items() if fields[k].init})
    for key, value in values.items():
        if not fields[key].init:
            object.__setattr__(made, key, value)
    return made


def snapshot(state: SalesforceState) -> dict[str, Any]:
    """Everything a restarted fake needs to recognise what it issued before. Records not read yet are
    made now (``Org.records``), so the file holds them as data, not as a recipe."""
    for org in state.orgs.values():
        _ = org.records
    return {
        "format": FORMAT,
        "seed": state.seed,
        "clock_offset": getattr(state.clock, "_offset", 0.0),
        "ids": {"rng": _dump(state.ids._rng.getstate()), "next": dict(state.ids._next)},
        "orgs": _dump(state.orgs),
        "apps": _dump(state.apps),
        "audit": _dump(getattr(state, "audit", {})),
        "book": {name: _dump(getattr(state.book, name)) for name in _BOOK},
    }


def restore(state: SalesforceState, data: dict[str, Any]) -> None:
    """Fills a fresh state (built with the snapshot's seed) with what the snapshot holds."""
    if data.get("format") != FORMAT:
        raise ValueError(f"snapshot format {data.get('format')!r} is not {FORMAT}")
    state.clock._offset = float(data["clock_offset"])  # type: ignore[attr-defined]
    rng = random.Random()
    rng.setstate(_load(data["ids"]["rng"]))
    state.ids._rng, state.ids._next = rng, dict(data["ids"]["next"])
    state.orgs, state.apps = _load(data["orgs"]), _load(data["apps"])
    state.users = {user.id: user for org in state.orgs.values() for user in org.users.values()}
    if hasattr(state, "audit"):
        state.audit = _load(data["audit"])
    book: GrantBook = state.book
    for name in _BOOK:
        if name in data["book"]:  # a snapshot from before a book existed keeps the fresh, empty one
            setattr(book, name, _load(data["book"][name]))


class Snapshots:
    """Where one fake's snapshot lives; ``save`` writes only when the state changed."""

    def __init__(self, backend: Any, path: Path) -> None:
        self.backend, self.path = backend, Path(path)
        self._last = ""

    def load(self) -> bool:
        """Restores the backend from the file; False when there is none yet."""
        if not self.path.exists():
            return False
        data = json.loads(self.path.read_text())
        with self.backend.lock:
            self.backend.reset(int(data["seed"]))
            restore(self.backend.state, data)
            self._last = json.dumps(snapshot(self.backend.state), sort_keys=True)
        return True

    def save(self) -> None:
        with self.backend.lock:
            text = json.dumps(snapshot(self.backend.state), sort_keys=True)
        if text == self._last:
            return
        write_owner_only(self.path, text)
        self._last = text


class _SaveBeforeEachAnswer:
    """Persist-before-answer: the snapshot is written when the response starts, before it is sent."""

    def __init__(self, app: ASGIApp, snapshots: Snapshots) -> None:
        self.app, self.snapshots = app, snapshots

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def save_then_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.snapshots.save()  # the change is on disk before the client can see its answer
            await send(message)

        try:
            await self.app(scope, receive, save_then_send)
        finally:
            self.snapshots.save()  # a request that ended without an answer may still have changed state


def keep(app: Starlette, backend: Any, path: Path) -> bool:
    """Makes ``app`` (the fake over ``backend``) keep its state in ``path``; True when it was restored."""
    snapshots = Snapshots(backend, path)
    restored = snapshots.load()
    app.add_middleware(_SaveBeforeEachAnswer, snapshots=snapshots)
    snapshots.save()
    return restored
