"""Real client libraries complete the flow against the fake, served by uvicorn on 127.0.0.1.

requests-oauthlib builds the authorization URL, exchanges the code (HTTP Basic client
credentials) and refreshes; simple-salesforce queries with paging. The browser part (login and
consent) is walked in-process. A requests adapter sends every ``*.salesforce.com`` URL to the
loopback server over plain HTTP with the original ``Host`` header, and refuses every other host,
so no connection leaves 127.0.0.1.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
import uvicorn
from requests.adapters import HTTPAdapter
from requests.auth import HTTPBasicAuth
from requests_oauthlib import OAuth2Session
from simple_salesforce import Salesforce

from harness.salesforce import SalesforceBackend, create_app

from .support import CALLBACK, TOKEN_URL, World


class LoopbackAdapter(HTTPAdapter):
    """Sends Salesforce URLs to the loopback server, keeping the Host; refuses everything else."""

    def __init__(self, port: int) -> None:
        super().__init__()
        self.port = port
        self.hosts: list[str] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        parts = urlsplit(request.url or "")
        host = parts.hostname or ""
        if not host.endswith(".salesforce.com"):
            raise requests.ConnectionError(f"refused: {host} is not routed in the test network")
        self.hosts.append(host)
        request.headers["Host"] = host
        request.url = urlunsplit(("http", f"127.0.0.1:{self.port}", parts.path, parts.query, ""))
        return super().send(request, **kwargs)


@pytest.fixture
def served(backend: SalesforceBackend) -> Iterator[int]:
    server = uvicorn.Server(
        uvicorn.Config(create_app(backend), host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    yield server.servers[0].sockets[0].getsockname()[1]
    server.should_exit = True
    thread.join(timeout=5)


def test_requests_oauthlib_and_simple_salesforce(world: World, served: int) -> None:
    org = world.backend.create_org(name="libs", records=250)
    user = world.backend.create_user(org["id"], username="admin@libs.example.com", password="L-ibs-pass1")
    app = world.backend.create_app(
        org["id"], name="Lib App", callback_urls=[CALLBACK], scopes=["full", "refresh_token", "openid"]
    )
    adapter = LoopbackAdapter(served)

    oauth = OAuth2Session(
        app["consumer_key"], redirect_uri=CALLBACK, scope=["full", "refresh_token", "openid"]
    )
    oauth.mount("https://", adapter)
    url, state = oauth.authorization_url("https://login.salesforce.com/services/oauth2/authorize")
    callback = world.walk(url, username=user["username"], password="L-ibs-pass1").headers["location"]
    token = oauth.fetch_token(
        TOKEN_URL, authorization_response=callback, client_secret=app["consumer_secret"]
    )
    assert token["instance_url"] == "https://libs.my.salesforce.com" and "id_token" in token

    refreshed = oauth.refresh_token(
        TOKEN_URL, auth=HTTPBasicAuth(app["consumer_key"], app["consumer_secret"])
    )
    assert refreshed["access_token"] != token["access_token"]

    session = requests.Session()
    session.mount("https://", adapter)
    sf = Salesforce(
        instance_url=refreshed["instance_url"], session_id=refreshed["access_token"], session=session
    )
    result = sf.query_all("SELECT Id, Name FROM Account", headers={"Sforce-Query-Options": "batchSize=200"})
    assert result["totalSize"] == 250 and len(result["records"]) == 250
    assert set(adapter.hosts) == {"login.salesforce.com", "libs.my.salesforce.com"}
    log = world.backend.requests()
    assert sum(e["path"].startswith("/services/data/v") for e in log) == 2  # two pages
    with pytest.raises(requests.ConnectionError):
        session.get("https://example.com/")


def test_drop_fault_closes_a_real_connection(backend: SalesforceBackend, served: int) -> None:
    backend.add_fault(endpoint="keys", kind="drop", count=1)
    session = requests.Session()
    session.mount("https://", LoopbackAdapter(served))
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        session.get("https://login.salesforce.com/id/keys").content  # noqa: B018
    assert session.get("https://login.salesforce.com/id/keys").status_code == 200
    assert [e["status"] for e in backend.requests()] == ["dropped", 200]
