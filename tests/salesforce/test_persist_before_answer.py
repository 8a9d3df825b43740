"""A kept fake persists a change before it answers: what was on disk when an answer left is enough.

Rule served: persist-before-answer (harness/salesforce/models/persistence.py). A SIGKILL can land at any
instant after an answer has started to leave; the world a restart resumes is whatever was on disk at
that instant. Each test records the snapshot file exactly when each answer starts (the moment the first
byte could reach the client), restores a new fake from that copy, and checks the answer still holds
there: the code the consent redirect carried can be exchanged, the refresh token refreshes, a reset is
a reset and what was made after it exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from harness.reference import control_gate
from harness.salesforce import SalesforceBackend, create_app
from harness.salesforce.models import persistence
from harness.salesforce.models.persistence import Snapshots

from .conftest import CONTROL_TOKEN
from .support import TOKEN_URL, World, query_of


class DiskAtEachAnswer:
    """Wraps the kept fake; copies its snapshot file at every ``http.response.start`` it lets through."""

    def __init__(self, app: ASGIApp, path: Path) -> None:
        self.app, self.path = app, path
        self.seen: list[tuple[str, dict[str, str], str]] = []  # (path, response headers, file then)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def copy_then_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = {k.decode().lower(): v.decode() for k, v in message.get("headers", [])}
                on_disk = self.path.read_text() if self.path.exists() else ""
                self.seen.append((scope.get("path", ""), headers, on_disk))
            await send(message)

        await self.app(scope, receive, copy_then_send)

    def disk_when(self, path: str) -> str:
        """The snapshot file as it was when the last answer to ``path`` started."""
        return next(text for seen_path, _, text in reversed(self.seen) if seen_path == path)


@pytest.fixture
def kept(tmp_path: Path) -> Iterator[tuple[World, DiskAtEachAnswer]]:
    backend = SalesforceBackend(seed=7)
    app = create_app(backend)
    control_gate.enable(app, CONTROL_TOKEN)
    persistence.keep(app, backend, tmp_path / "salesforce.json")
    spy = DiskAtEachAnswer(app, tmp_path / "salesforce.json")
    with TestClient(spy, base_url="https://login.salesforce.com", follow_redirects=False,
                    headers={control_gate.HEADER: CONTROL_TOKEN}) as client:
        org = _control(client, "POST", "/orgs", {"name": "acme", "records": 2})
        user = _control(client, "POST", f"/orgs/{org['id']}/users",
                        {"username": "admin@acme.example.com", "password": "S3cret!pass"})
        app_spec = {"name": "Backup Appliance", "callback_urls": ["https://172.12.0.1"],
                    "scopes": ["full", "refresh_token", "openid"]}
        created = _control(client, "POST", f"/orgs/{org['id']}/apps", app_spec)
        yield World(backend, client, org, user, created), spy


def _control(client: TestClient, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    response = client.request(method, f"/__harness{path}", json=body if method != "GET" else None)
    assert response.status_code == 200, response.text
    return response.json()


def _restarted(text: str, tmp_path: Path) -> tuple[SalesforceBackend, TestClient]:
    """A new fake resumed from ``text``: what a restart after a SIGKILL at that instant would find."""
    assert text, "nothing was on disk when the answer left"
    path = tmp_path / "resumed.json"
    path.write_text(text)
    backend = SalesforceBackend(seed=99)
    assert Snapshots(backend, path).load()
    app = create_app(backend)
    control_gate.enable(app, CONTROL_TOKEN)
    client = TestClient(app, base_url="https://login.salesforce.com", follow_redirects=False,
                        headers={control_gate.HEADER: CONTROL_TOKEN})
    return backend, client


def test_the_code_a_consent_redirect_carries_is_on_disk_before_the_redirect_leaves(
    kept: tuple[World, DiskAtEachAnswer], tmp_path: Path
) -> None:
    world, spy = kept
    redirect = world.walk(world.authorize_url())
    code = query_of(redirect.headers["location"])["code"]
    consent = "/setup/secur/RemoteAccessAuthorizationPage.apexp"
    backend, client = _restarted(spy.disk_when(consent), tmp_path)
    with client:
        resumed = World(backend, client, world.org, world.user, world.app)
        answer = resumed.exchange(code)
    assert answer.status_code == 200, answer.text
    assert answer.json()["refresh_token"]


def test_the_refresh_token_of_a_token_answer_is_on_disk_before_the_answer_leaves(
    kept: tuple[World, DiskAtEachAnswer], tmp_path: Path
) -> None:
    world, spy = kept
    refresh = world.tokens()["refresh_token"]
    backend, client = _restarted(spy.disk_when("/services/oauth2/token"), tmp_path)
    with client:
        answer = client.post(TOKEN_URL, data={"grant_type": "refresh_token", "refresh_token": refresh,
                                              "client_id": world.app["consumer_key"],
                                              "client_secret": world.app["consumer_secret"]})
    assert answer.status_code == 200, answer.text


def test_a_reset_and_what_follows_it_are_on_disk_before_each_answer_leaves(
    kept: tuple[World, DiskAtEachAnswer], tmp_path: Path
) -> None:
    world, spy = kept
    _control(world.client, "POST", "/reset", {"seed": 5})
    backend, _ = _restarted(spy.disk_when("/__harness/reset"), tmp_path)
    assert (backend.state.seed, backend.list_orgs()) == (5, [])
    made = _control(world.client, "POST", "/orgs", {"name": "globex"})
    backend, _ = _restarted(spy.disk_when("/__harness/orgs"), tmp_path)
    assert [org["id"] for org in backend.list_orgs()] == [made["id"]]
