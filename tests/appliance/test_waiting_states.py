"""While authorizations wait, a callback whose ``state`` is unknown, forged, foreign or replayed completes
nothing - even when it carries the genuine, still valid code.

Rule served: harness/appliance/core/authorization.py - the ``state`` is random, stored only as a hash,
single-use and bound to the browser that started it; only its own callback completes an attempt. The
hostile callbacks here carry the real code Salesforce issued for a waiting attempt, so code that handed
an unmatched state to a waiting attempt would exchange it and connect; each check therefore looks
at every effect such a slip would have: the attempt's status, the appliance's orgs, the attempts the
store holds, the token calls Salesforce received and its live grants. Afterwards the genuine callback
still completes, which shows the code was valid all along.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from starlette.testclient import TestClient

from tests.appliance.conftest import post, to_step5
from tests.appliance.world import Salesforce, follow


def _query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def _with_state(callback: str, state: str | None) -> str:
    """The same callback (same code) with another ``state``; None drops the parameter."""
    query = {k: v for k, v in _query(callback).items() if k != "state"}
    if state is not None:
        query["state"] = state
    parts = urlsplit(callback)
    return f"{parts.scheme}://{parts.netloc}{parts.path or '/'}?{urlencode(query)}"


def _forgeries(state: str) -> dict[str, str | None]:
    """States an attacker can make from a genuine one, or without one."""
    flipped = state[:-1] + ("A" if state[-1] != "A" else "B")
    return {
        "unknown": "Zm9yZ2VkLXN0YXRlLXRoYXQtbm9ib2R5LWlzc3VlZC0xMjM0NTY",
        "one character changed": flipped,
        "truncated": state[:-1],
        "extended": state + "x",
        "upper-cased": state.upper() if state.upper() != state else state.lower(),
        "its stored hash": hashlib.sha256(state.encode()).hexdigest(),
        "empty": "",
        "absent": None,
    }


class Waiting:
    """The browser at step 6 with ``count`` authorizations started; their callbacks, not yet followed."""

    def __init__(self, client: TestClient, salesforce: Salesforce, count: int) -> None:
        self.client, self.salesforce = client, salesforce
        to_step5(client)
        post(client, "/wizard/external-client-app", salesforce.credentials)
        urls = [post(client, "/wizard/salesforce", {"environment": "production"})["authorize_url"]
                for _ in range(count)]
        self.callbacks = [salesforce.sign_in(url) for url in urls]
        self.token_calls = len(salesforce.token_calls())

    def assert_nothing_completed(self, why: str) -> None:
        store = self.client.app.state.appliance.store  # type: ignore[attr-defined]
        assert self.client.get("/api/v1/wizard/salesforce").json()["status"] == "pending", why
        assert store.rows("orgs") == [], why
        assert [a["claimed"] for a in store.rows("attempts")] == [False] * len(self.callbacks), why
        assert len(self.salesforce.token_calls()) == self.token_calls, f"{why}: a code was exchanged"
        assert self.salesforce.live_grants() == [], why

    def hostile(self, url: str, browser: TestClient | None = None) -> Any:
        answer = follow(browser or self.client, url)
        assert answer.status_code == 400, (url, answer.status_code)
        return answer


@pytest.fixture
def stranger(client: TestClient) -> Iterator[TestClient]:
    """Another browser: no cookies in common with the administrator's."""
    with TestClient(client.app, base_url=str(client.base_url), follow_redirects=False) as other:
        yield other


@pytest.mark.parametrize("count", [1, 3])
def test_unknown_and_forged_states_carrying_the_real_code_complete_nothing(
    client: TestClient, salesforce: Salesforce, count: int
) -> None:
    waiting = Waiting(client, salesforce, count)
    for callback in waiting.callbacks:
        genuine = _query(callback)["state"]
        for kind, state in _forgeries(genuine).items():
            waiting.hostile(_with_state(callback, state))
            waiting.assert_nothing_completed(f"a {kind} state")
    follow(client, waiting.callbacks[-1])
    assert client.get("/api/v1/wizard/salesforce").json()["status"] == "connected", "the code was valid"


def test_a_state_from_another_waiting_attempt_completes_only_that_attempt(
    client: TestClient, salesforce: Salesforce
) -> None:
    waiting = Waiting(client, salesforce, 2)
    first, second = waiting.callbacks
    mixed = _with_state(second, _query(first)["state"])  # the second attempt's code, the first's state
    follow(client, mixed)
    attempts = client.app.state.appliance.store.rows("attempts")  # type: ignore[attr-defined]
    assert [a["claimed"] for a in attempts] == [True, False], "only the attempt the state names is claimed"
    assert attempts[0]["outcome"]["status"] == "connected" and attempts[1]["outcome"] is None


def test_a_foreign_browser_completes_nothing_while_several_wait(
    client: TestClient, salesforce: Salesforce, stranger: TestClient
) -> None:
    waiting = Waiting(client, salesforce, 3)
    for callback in waiting.callbacks:
        assert "another browser" in waiting.hostile(callback, stranger).text
        waiting.assert_nothing_completed("a foreign browser")
    follow(client, waiting.callbacks[-1])  # the newest attempt is the one the wizard shows
    assert client.get("/api/v1/wizard/salesforce").json()["status"] == "connected"


def test_a_replayed_callback_changes_nothing_after_the_attempt_completed(
    client: TestClient, salesforce: Salesforce
) -> None:
    waiting = Waiting(client, salesforce, 2)
    follow(client, waiting.callbacks[0])
    store = client.app.state.appliance.store  # type: ignore[attr-defined]
    kept = (store.rows("orgs"), store.rows("attempts"), len(salesforce.token_calls()), salesforce.live_grants())
    assert kept[1][0]["outcome"]["status"] == "connected"
    for _ in range(2):  # its own browser is sent back to the wizard page; nothing else happens
        assert follow(client, waiting.callbacks[0]).status_code in (303, 400)
    assert (store.rows("orgs"), store.rows("attempts"), len(salesforce.token_calls()),
            salesforce.live_grants()) == kept, "the replay exchanged, saved or recorded nothing"
