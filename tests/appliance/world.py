"""The real fake Salesforce behind the virtual network, seeded through its control API, for appliance tests.

The appliance under test runs in-process (Starlette's TestClient) and reaches Salesforce only through the
CONNECT proxy, exactly as in the embedded reference; a small "browser" walks Salesforce's login and
consent forms and hands the callback back to the appliance.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx
from starlette.testclient import TestClient

from harness.drivers.control_clients import SalesforceControl
from harness.drivers.page_objects.salesforce import parse_form
from harness.drivers.setup_labels import guide_app
from harness.network import VirtualNetwork
from harness.reference import control_gate
from harness.reference.embedded import SALESFORCE_NAMES
from harness.reference.servers import ServerThread
from harness.salesforce import SalesforceBackend
from harness.salesforce import create_app as create_salesforce

CALLBACKS = ["https://172.12.0.1", "https://acme.internal.com", "https://acme.internal.com:8443"]
_MAX_HOPS = 12
CONTROL_TOKEN = control_gate.new_token()


class StuckAtSalesforce(AssertionError):
    """Salesforce answered with a page of its own instead of sending the browser back."""


class Network:
    """One fake Salesforce server on the virtual network, shared by every test of a session."""

    def __init__(self, directory: Path) -> None:
        self.network = VirtualNetwork(directory).start()
        cert, key = self.network.issue(SALESFORCE_NAMES, directory / "certs", "salesforce")
        app = create_salesforce(SalesforceBackend())
        control_gate.enable(app, CONTROL_TOKEN)
        self.server = ServerThread(app, cert, key, name="salesforce")
        self.network.add_server(SALESFORCE_NAMES, self.server.start())

    def client(self) -> httpx.Client:
        trust = ssl.create_default_context(cafile=str(self.network.ca_path))
        return httpx.Client(proxy=self.network.proxy_url, verify=trust, timeout=15.0)

    def stop(self) -> None:
        self.server.stop()
        self.network.stop()


@dataclass
class Salesforce:
    """One seeded world: an org, a System Administrator and an app set up as the guide asks."""

    http: httpx.Client
    token: str = ""
    control: SalesforceControl = field(init=False)
    org_id: str = ""
    username: str = ""
    password: str = "Sal3sforce!Pw"
    app: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.control = SalesforceControl(self.http, self.token or CONTROL_TOKEN)
        self.control.reset(7)
        self.org_id, self.username = self.new_org("acme")
        self.app = self.new_app()

    def new_org(self, name: str) -> tuple[str, str]:
        org = self.control.create_org(name)
        user = self.control.create_user(
            org["id"], username=f"admin@{name}.example.com", password=self.password,
            first_name="Ada", last_name="Admin", email=f"admin@{name}.example.com", active=True,
            profile="System Administrator",
        )
        return org["id"], user["username"]

    def new_app(self, org_id: str | None = None, name: str = "Backup", **overrides: Any) -> dict[str, Any]:
        settings = guide_app(name, "admin@acme.example.com", CALLBACKS, **overrides)
        return self.control.create_app(org_id or self.org_id, **settings)

    def change_app(self, **settings: Any) -> None:
        self.control.change_app(self.app["id"], **settings)

    @property
    def credentials(self) -> dict[str, str]:
        return {"consumer_key": self.app["consumer_key"], "consumer_secret": self.app["consumer_secret"]}

    def live_grants(self, app: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return [g for g in self.control.grants((app or self.app)["id"]) if g["refresh_token_active"]]

    def token_calls(self) -> list[dict[str, Any]]:
        return [r for r in self.control.requests() if r["path"] == "/services/oauth2/token"]

    def sign_in(self, url: str, *, approve: bool = True, username: str | None = None) -> str:
        """Walks login and consent at Salesforce; returns the appliance URL Salesforce sends back to."""
        return sign_in(self.http, url, username or self.username, self.password, approve=approve)


def sign_in(http: httpx.Client, url: str, username: str, password: str, *, approve: bool = True) -> str:
    """A browser at Salesforce: login form, then Allow (or Deny); the address it is sent back to."""
    method, data = "GET", None
    http.cookies.clear()
    for _ in range(_MAX_HOPS):
        response = http.request(method, url, data=data)
        if response.is_redirect:
            url, method, data = urljoin(url, response.headers["location"]), "GET", None
            if not (urlsplit(url).hostname or "").endswith("salesforce.com"):
                return url
            continue
        form = parse_form(response.text)
        if form is None:
            raise StuckAtSalesforce(f"{response.status_code} {response.text[:300]}")
        fields = form[2]
        if "pw" in fields:
            data = {**fields, "username": username, "pw": password}
        else:
            data = {**fields, "decision": "allow" if approve else "deny"}
        url, method = urljoin(url, form[0]), form[1].upper()
    raise AssertionError(f"no way back to the appliance after {_MAX_HOPS} hops")


def callback_with_error(url: str, code: str, description: str) -> str:
    """What Salesforce sends to the callback when it refuses (docs/salesforce-facts.md 3.6).

    For codes hard to provoke otherwise.
    """
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    params = {"error": code, "error_description": description, "state": query["state"]}
    return f"{query['redirect_uri']}/?{urlencode(params)}"


def follow(client: TestClient, url: str) -> httpx.Response:
    """The browser arriving back at the appliance (the TestClient stands in for the appliance host)."""
    parts = urlsplit(url)
    return client.get(f"{parts.path or '/'}?{parts.query}", headers={"Host": parts.netloc})
