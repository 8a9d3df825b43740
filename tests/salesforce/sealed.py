"""The fake Salesforce behind the harness's virtual network, for tests that use real client software.

The fake runs on a loopback HTTPS server; clients reach it by the real hosts' names through the
harness's CONNECT proxy, trusting the harness CA, exactly as the appliance does. The proxy refuses
every other destination, so nothing leaves loopback.
"""

from __future__ import annotations

import itertools
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from harness.network import VirtualNetwork
from harness.reference.servers import ServerThread
from harness.salesforce import SalesforceBackend, create_app

from .support import CALLBACK, query_of, walk

# The Salesforce names the harness routes to the fake (as the embedded reference does).
SALESFORCE_NAMES = ["login.salesforce.com", "test.salesforce.com", "*.my.salesforce.com",
                    "*.sandbox.my.salesforce.com"]
LOGIN_URL = "https://login.salesforce.com"
PASSWORD = "Sealed-pass-1"


@dataclass
class SealedSalesforce:
    backend: SalesforceBackend
    network: VirtualNetwork
    server: ServerThread
    http: httpx.Client
    _names: itertools.count = field(default_factory=itertools.count)  # type: ignore[type-arg]

    @classmethod
    def start(cls, workdir: Path, seed: int = 11) -> SealedSalesforce:
        backend = SalesforceBackend(seed=seed)
        network = VirtualNetwork(workdir / "network").start()
        cert, key = network.issue(SALESFORCE_NAMES, workdir / "certs", "salesforce")
        server = ServerThread(create_app(backend), cert, key, name="salesforce")
        network.add_server(SALESFORCE_NAMES, server.start())
        trust = ssl.create_default_context(cafile=str(network.ca_path))
        return cls(backend, network, server, httpx.Client(proxy=network.proxy_url, verify=trust, timeout=15.0))

    def stop(self) -> None:
        self.http.close()
        self.network.stop()  # closes the tunnels first, so the server has no open connection to wait for
        self.server.stop()

    def org(self, prefix: str, records: int = 5, **app: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        """A new org (unique name) with a System Administrator and an external client app."""
        org = self.backend.create_org(name=f"{prefix}{next(self._names)}", records=records)
        user = self.backend.create_user(org["id"], username=f"admin@{org['name']}.example.com", password=PASSWORD,
                                        first_name="Sam", last_name="Sealed", profile="System Administrator")
        settings = {"name": "Client Checks", "callback_urls": [CALLBACK],
                    "scopes": ["full", "refresh_token", "openid"], **app}
        return org, user, self.backend.create_app(org["id"], **settings)

    def tokens(self, user: dict[str, Any], app: dict[str, Any]) -> dict[str, Any]:
        """The token response of a full web server flow walked as a browser would."""
        self.http.cookies.clear()  # a new browser: no session of an earlier user
        query = urlencode({"response_type": "code", "client_id": app["consumer_key"], "redirect_uri": CALLBACK})
        answer = walk(self.http, f"{LOGIN_URL}/services/oauth2/authorize?{query}", user["username"], PASSWORD)
        code = query_of(answer.headers["location"])["code"]
        tokens = self.http.post(f"{LOGIN_URL}/services/oauth2/token", data={
            "grant_type": "authorization_code", "code": code, "client_id": app["consumer_key"],
            "client_secret": app["consumer_secret"], "redirect_uri": CALLBACK})
        assert tokens.status_code == 200, tokens.text
        return tokens.json()  # type: ignore[no-any-return]
