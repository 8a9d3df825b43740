"""The embedded reference: the virtual network, the fake Salesforce and the appliance, in-process.

The guide's names are used literally (the IP address 172.12.0.1, the DNS name acme.internal.com and
``login.salesforce.com``); the virtual network routes each of them to a loopback server and refuses
everything else, so nothing here ever opens a connection beyond 127.0.0.1.
"""

from __future__ import annotations

import secrets
import ssl
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from harness.appliance import ApplianceSettings
from harness.appliance import create_app as create_appliance
from harness.browser import LAUNCH_ARGS
from harness.network import VirtualNetwork
from harness.salesforce import SalesforceBackend
from harness.salesforce import create_app as create_salesforce
from harness.servers import ServerThread

SALESFORCE_NAMES = [
    "login.salesforce.com",
    "test.salesforce.com",
    "*.my.salesforce.com",
    "*.sandbox.my.salesforce.com",
]
# The two names of the guide's example: the machine's IP address and the DNS name added later.
APPLIANCE_NAMES = ["172.12.0.1", "acme.internal.com"]
# Our choice: the pre-3.2 appliance gets a name of its own so both versions can run side by side.
LEGACY_APPLIANCE_NAMES = ["legacy.acme.internal.com"]
APPLIANCE_URL = "https://172.12.0.1"
APPLIANCE_DNS_URL = "https://acme.internal.com"
LEGACY_APPLIANCE_URL = "https://legacy.acme.internal.com"


@dataclass
class EmbeddedReference:
    """Everything a scenario talks to, started once and stopped once."""

    workdir: Path
    network: VirtualNetwork = field(init=False)
    salesforce_backend: SalesforceBackend = field(init=False)
    servers: dict[str, ServerThread] = field(default_factory=dict, init=False)

    def start(self) -> EmbeddedReference:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.network = VirtualNetwork(self.workdir / "network")
        self.network.start()
        self.salesforce_backend = SalesforceBackend()
        self._serve("salesforce", create_salesforce(self.salesforce_backend), SALESFORCE_NAMES)
        self._serve("appliance", create_appliance(self._appliance_settings("3.2")), APPLIANCE_NAMES)
        self._serve("legacy", create_appliance(self._appliance_settings("3.1")), LEGACY_APPLIANCE_NAMES)
        return self

    def _appliance_settings(self, version: str) -> ApplianceSettings:
        return ApplianceSettings(
            version=version,
            data_dir=self.workdir / f"appliance-{version}",
            outbound_proxy=self.network.proxy_url,
            ca_bundle=self.network.ca_path,
            secret_key=secrets.token_urlsafe(32),
        )

    def _serve(self, name: str, app: object, names: list[str]) -> None:
        cert, key = self.network.issue(names, self.workdir / "certs", name)
        server = ServerThread(app, cert, key, name=name)
        self.network.add_server(names, server.start())
        self.servers[name] = server

    @property
    def proxy_url(self) -> str:
        return self.network.proxy_url

    @property
    def ca_path(self) -> Path:
        return self.network.ca_path

    @property
    def browser_args(self) -> list[str]:
        """Launch flags for Chromium: the design's flags plus trust in the harness CA."""
        return [*LAUNCH_ARGS, *self.network.browser_trust_args]

    def client(self, **kwargs: object) -> httpx.Client:
        """An HTTP client that reaches the guide's names only through the virtual network."""
        trust = ssl.create_default_context(cafile=str(self.ca_path))
        return httpx.Client(proxy=self.proxy_url, verify=trust, timeout=15.0, **kwargs)

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()
        self.network.stop()
