"""Secrets never leak: what the appliance shows, logs and the reports hold is scanned for every secret.

Rule served: a consumer secret, access token, refresh token or password in play must never appear in an
appliance page, a JSON answer, a server log line or a report file. ``Recorder`` keeps what the
appliance answers (HTML and JSON bodies), ``LogTap`` keeps every log line of the servers, and
``find`` looks for each secret in its raw, URL-encoded, JSON-escaped and HTML-escaped spellings.
A hit names the place and the kind of secret, never the secret itself.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Shorter values (user names, ids) are not secrets and would match by accident.
MIN_SECRET_LENGTH = 8
_TEXT_TYPES = (b"text/html", b"application/json", b"text/plain")
_MAX_BODY = 2_000_000


@dataclass(frozen=True)
class Hit:
    place: str
    kind: str

    def __str__(self) -> str:
        return f"{self.kind} found in {self.place}"


@dataclass
class Secrets:
    """Every secret in play, by value, with the kind of secret it is."""

    kinds: dict[str, str] = field(default_factory=dict)

    def add(self, value: Any, kind: str) -> None:
        if isinstance(value, str) and len(value) >= MIN_SECRET_LENGTH:
            self.kinds.setdefault(value, kind)

    def update(self, other: Secrets) -> None:
        for value, kind in other.kinds.items():
            self.kinds.setdefault(value, kind)

    def __len__(self) -> int:
        return len(self.kinds)


class SeenSecrets:
    """Every secret seen during the run, for the scan of the report files at its end. Kept in an
    unlinked temporary file (mode 0600, gone when closed) instead of in memory, so a run of thousands
    of scenarios does not grow by its secrets; read back once, at the end."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - open for the whole run

    def update(self, secrets: Secrets) -> None:
        for value, kind in secrets.kinds.items():
            self._file.write(json.dumps([value, kind]) + "\n")

    def add(self, value: Any, kind: str) -> None:
        self.update(Secrets({value: kind}) if isinstance(value, str) else Secrets())

    def read(self) -> Secrets:
        """All of them, each once, with the kind it was first seen as."""
        self._file.flush()
        self._file.seek(0)
        found = Secrets()
        for line in self._file:
            value, kind = json.loads(line)
            found.add(value, kind)
        self._file.seek(0, 2)  # writes go on at the end
        return found


@functools.lru_cache(maxsize=256)
def spellings(secret: str) -> frozenset[str]:
    """The ways a secret can appear in an answer. Kept for the secrets of the last few scenarios: each
    scenario's scan asks for every secret once per answer; few enough that a long run stays flat."""
    return frozenset({secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1],
                      html.escape(secret)})


def find(text: str, place: str, secrets: Secrets) -> list[Hit]:
    return [Hit(place, kind) for value, kind in secrets.kinds.items()
            if any(form in text for form in spellings(value))]


def from_salesforce(state: Any) -> Secrets:
    """Secrets the fake Salesforce has handed out: app secrets, user passwords, access and refresh tokens."""
    found = Secrets()
    for app in state.apps.values():
        found.add(app.consumer_secret, "consumer secret")
    for user in state.users.values():
        found.add(user.password, "Salesforce password")
    for token in list(state.book.tokens):
        found.add(token, "access token")
    for grant in list(state.book.grants.values()):
        found.add(grant.refresh_token, "refresh token")
        for retired in list(grant.retired):
            found.add(retired, "refresh token")
    return found


class Recorder:
    """ASGI middleware keeping what an app answers (headers, and text bodies) until ``take`` empties it."""

    def __init__(self, app: ASGIApp, name: str) -> None:
        self.app, self.name = app, name
        self._lock = threading.Lock()
        self._seen: list[tuple[str, str]] = []
        self.total = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        parts: list[bytes] = []
        keep = False
        status = 0

        async def tee(message: Message) -> None:
            nonlocal keep, status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = message.get("headers", [])
                keep = dict(headers).get(b"content-type", b"").startswith(_TEXT_TYPES)
                parts.extend(b"%s: %s\n" % (name, value) for name, value in headers)  # a Location counts too
            elif message["type"] == "http.response.body":
                if keep and sum(map(len, parts)) < _MAX_BODY:
                    parts.append(message.get("body", b""))
                if not message.get("more_body"):  # kept before the client can read the end of it
                    self._keep(f"{self.name} {scope['method']} {scope['path']} ({status})", parts)
            await send(message)

        await self.app(scope, receive, tee)

    def _keep(self, place: str, parts: list[bytes]) -> None:
        with self._lock:
            self._seen.append((place, b"".join(parts).decode("utf-8", "replace")))
            self.total += 1

    def take(self) -> list[tuple[str, str]]:
        with self._lock:
            seen, self._seen = self._seen, []
        return seen


class LogTap(logging.Handler):
    """Keeps every formatted log line (with its traceback) until ``take`` empties it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self._lines: list[tuple[str, str]] = []
        self._guard = threading.Lock()
        self.total = 0

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
        except Exception:  # a broken log call must not break the scan of the others
            text = str(record.msg)
        with self._guard:
            self._lines.append((f"log line of {record.name} ({record.levelname})", text))
            self.total += 1

    def take(self) -> list[tuple[str, str]]:
        with self._guard:
            lines, self._lines = self._lines, []
        return lines


def report_files(folder: Path) -> Iterator[tuple[str, str]]:
    """Every text file under ``folder`` (reports, evidence, documents), as (place, text).

    A zip archive (a Playwright trace keeps what the browser typed and received, compressed) is
    read entry by entry, so a secret inside it is found too; an archive that cannot be read is
    reported as a place of its own rather than skipped in silence.
    """
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() != ".png"):
        try:
            if zipfile.is_zipfile(path):
                yield from _zip_entries(path)
            else:
                yield f"report file {path}", path.read_text("utf-8", "replace")
        except OSError:
            continue


def _zip_entries(path: Path) -> Iterator[tuple[str, str]]:
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not name.lower().endswith((".png", ".jpeg", ".jpg")):
                    yield f"report file {path} ({name})", archive.read(name).decode("utf-8", "replace")
    except (zipfile.BadZipFile, RuntimeError) as exc:
        yield f"report file {path} (unreadable archive: {exc})", ""
