"""The contract checks' target: the fake behind the virtual network always, a real org when named.

The fake runs on a loopback HTTPS server reached only through the harness's CONNECT proxy (the
real hosts' names, the harness CA); a refresh token for it comes from walking the web server flow
as a browser would. The real org is used only when the ``HARNESS_CONTRACT_*`` variables name one
(README, "Checking the fake against a real org"); otherwise its run is skipped, so nothing leaves
loopback unless someone asks for it.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from harness.network import VirtualNetwork
from harness.salesforce import SalesforceBackend, create_app
from harness.servers import ServerThread

from ..support import CALLBACK, query_of, walk
from .target import ENVIRONMENT, Target, real_org_target

# The Salesforce names the harness routes to the fake (as the embedded reference does).
SALESFORCE_NAMES = ["login.salesforce.com", "test.salesforce.com", "*.my.salesforce.com",
                    "*.sandbox.my.salesforce.com"]
LOGIN_URL = "https://login.salesforce.com"


def _seed(backend: SalesforceBackend) -> tuple[dict, dict]:  # type: ignore[type-arg]
    org = backend.create_org(name="contract", records=30)
    user = backend.create_user(org["id"], username="admin@contract.example.com", password="C0ntract-pass",
                               first_name="Cora", last_name="Tract", profile="System Administrator")
    app = backend.create_app(org["id"], name="Contract Checks", callback_urls=[CALLBACK],
                             scopes=["full", "refresh_token", "openid"])
    return user, app


def _refresh_token(client: httpx.Client, user: dict, app: dict) -> str:  # type: ignore[type-arg]
    query = urlencode({"response_type": "code", "client_id": app["consumer_key"], "redirect_uri": CALLBACK})
    answer = walk(client, f"{LOGIN_URL}/services/oauth2/authorize?{query}", user["username"], user["password"])
    code = query_of(answer.headers["location"])["code"]
    tokens = client.post(f"{LOGIN_URL}/services/oauth2/token", data={
        "grant_type": "authorization_code", "code": code, "client_id": app["consumer_key"],
        "client_secret": app["consumer_secret"], "redirect_uri": CALLBACK})
    assert tokens.status_code == 200, tokens.text
    return str(tokens.json()["refresh_token"])


@pytest.fixture(scope="session")
def fake_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    workdir = Path(tmp_path_factory.mktemp("contract"))
    backend = SalesforceBackend(seed=11)
    with VirtualNetwork(workdir / "network") as network:
        cert, key = network.issue(SALESFORCE_NAMES, workdir / "certs", "salesforce")
        server = ServerThread(create_app(backend), cert, key, name="salesforce")
        network.add_server(SALESFORCE_NAMES, server.start())
        trust = ssl.create_default_context(cafile=str(network.ca_path))
        client = httpx.Client(proxy=network.proxy_url, verify=trust, timeout=15.0)
        try:
            user, app = _seed(backend)
            yield Target("fake", LOGIN_URL, app["consumer_key"], app["consumer_secret"],
                         _refresh_token(client, user, app), client)
            assert not network.proxy.refusals, f"the fake's checks tried to leave: {network.proxy.refusals}"
            assert network.proxy.connections and backend.requests(), "no check reached the fake"
        finally:
            client.close()
            server.stop()


@pytest.fixture(scope="session", params=["fake", "org"])
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    if request.param == "fake":
        yield request.getfixturevalue("fake_target")
        return
    try:
        org = real_org_target()
    except ValueError as exc:
        pytest.fail(str(exc))
    if org is None:
        pytest.skip(f"no real org named: set {', '.join(ENVIRONMENT.values())} to check one")
    with org.client:
        yield org
