"""The embedded reference: the virtual network, the fake Salesforce and the appliance, in-process.

The guide's names are used literally (the IP address 172.12.0.1, the DNS name acme.internal.com and
``login.salesforce.com``); the virtual network routes each of them to a loopback server and refuses
everything else, so nothing here ever opens a connection beyond 127.0.0.1.
"""

from __future__ import annotations

import json
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from harness.appliance import ApplianceSettings
from harness.appliance import create_app as create_appliance
from harness.appliance.settings import Version
from harness.network import VirtualNetwork, is_loopback
from harness.network.ca import spki_pin_of
from harness.pytest.secret_scan import Recorder
from harness.reference import control_gate
from harness.reference.browser import LAUNCH_ARGS
from harness.reference.files import write_owner_only
from harness.reference.servers import ServerThread
from harness.salesforce import SalesforceBackend
from harness.salesforce import create_app as create_salesforce
from harness.salesforce.models import persistence

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
# The 3.2 appliance answers at 443 and, behind a port forward, at 8443 (our choice: the guide names no
# port; a second one lets the callback scenarios reach the console at an address that differs only by port).
APPLIANCE_PORTS = (443, 8443)
APPLIANCE_URL = "https://172.12.0.1"
APPLIANCE_DNS_URL = "https://acme.internal.com"
LEGACY_APPLIANCE_URL = "https://legacy.acme.internal.com"


class ReferenceAccess:
    """How the harness reaches a running reference: through its proxy, trusting its CA."""

    proxy_url: str
    ca_path: Path
    control_token: str  # sent as X-Harness-Control on every control call (harness/reference/control_gate.py)

    @property
    def browser_args(self) -> list[str]:
        """Launch flags for Chromium: the design's flags plus trust in the harness CA."""
        return [*LAUNCH_ARGS, f"--ignore-certificate-errors-spki-list={spki_pin_of(self.ca_path)}"]

    def client(self, **kwargs: Any) -> httpx.Client:
        """An HTTP client that reaches the guide's names only through the virtual network."""
        trust = ssl.create_default_context(cafile=str(self.ca_path))
        return httpx.Client(proxy=self.proxy_url, verify=trust, timeout=15.0, **kwargs)

    def describe(self, path: Path) -> None:
        """Writes what another process needs to use this reference (``pytest --reference PATH``)."""
        fields = {"proxy_url": self.proxy_url, "ca_path": str(self.ca_path), "control_token": self.control_token}
        # The control token opens reset and seeding: readable by the owner only; written whole at once,
        # since another process waits for this file to appear and reads it at once.
        write_owner_only(path, json.dumps(fields, indent=2))

    def stop(self) -> None:
        """Nothing to stop by default: the reference belongs to another process."""


@dataclass
class RunningReference(ReferenceAccess):
    """A reference started elsewhere (``harness serve``), described by its ``reference.json``."""

    proxy_url: str
    ca_path: Path
    control_token: str

    @classmethod
    def load(cls, path: Path) -> RunningReference:
        try:
            raw = json.loads(Path(path).read_text())
            proxy_url, ca_path = str(raw["proxy_url"]), Path(raw["ca_path"])
            token = str(raw["control_token"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: not a reference description ({exc}); `harness serve` writes one") from exc
        host = urlsplit(proxy_url).hostname or ""
        if not is_loopback(host):
            raise ValueError(f"{path}: the proxy {proxy_url} is not on loopback; the harness talks to no other host")
        if not ca_path.is_file():
            raise ValueError(f"{path}: the CA certificate {ca_path} does not exist")
        return cls(proxy_url, ca_path, token)


@dataclass
class EmbeddedReference(ReferenceAccess):
    """Everything a scenario talks to, started in this process once and stopped once."""

    workdir: Path
    # Our choice: the test reference hashes passwords cheaply (scrypt 2**10); `harness serve` at full strength.
    password_hash_cost: int = 14
    # `harness serve` keeps the fake Salesforce's state in the work directory (models/persistence.py).
    keep_salesforce: bool = False
    salesforce_restored: bool = field(default=False, init=False)
    control_token: str = field(default_factory=control_gate.new_token, init=False)
    network: VirtualNetwork = field(init=False)
    # For the secret scan (harness/pytest/secret_scan.py): the fake's state and what each appliance answered.
    salesforce_backend: SalesforceBackend = field(default_factory=SalesforceBackend, init=False)
    recorders: list[Recorder] = field(default_factory=list, init=False)
    servers: dict[str, ServerThread] = field(default_factory=dict, init=False)

    def start(self) -> EmbeddedReference:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.network = VirtualNetwork(self.workdir / "network")
        self.network.start()
        apps = {"salesforce": create_salesforce(self.salesforce_backend),
                "appliance": create_appliance(self._appliance_settings("3.2")),
                "legacy": create_appliance(self._appliance_settings("3.1"))}
        for app in apps.values():
            control_gate.enable(app, self.control_token)
        if self.keep_salesforce:
            self.salesforce_restored = persistence.keep(
                apps["salesforce"], apps["salesforce"].state.backend, self.workdir / "salesforce.json")
        self._serve("salesforce", apps["salesforce"], SALESFORCE_NAMES)
        self.recorders = [Recorder(apps["appliance"], "appliance 3.2"), Recorder(apps["legacy"], "appliance 3.1")]
        self._serve("appliance", self.recorders[0], APPLIANCE_NAMES, APPLIANCE_PORTS)
        self._serve("legacy", self.recorders[1], LEGACY_APPLIANCE_NAMES)
        return self

    def _appliance_settings(self, version: Version) -> ApplianceSettings:
        return ApplianceSettings(
            version=version,
            data_dir=self.workdir / f"appliance-{version}",
            outbound_proxy=self.network.proxy_url,
            ca_bundle=self.network.ca_path,
            password_hash_cost=self.password_hash_cost,
        )

    def _serve(self, name: str, app: object, names: list[str], ports: tuple[int, ...] = (443,)) -> None:
        cert, key = self.network.issue(names, self.workdir / "certs", name)
        server = ServerThread(app, cert, key, name=name)
        self.network.add_server(names, server.start(), ports=ports)
        self.servers[name] = server

    @property
    def proxy_url(self) -> str:  # type: ignore[override]  # the network's, read-only here
        return self.network.proxy_url

    @property
    def ca_path(self) -> Path:  # type: ignore[override]  # the network's, read-only here
        return self.network.ca_path

    def stop(self) -> None:
        for server in self.servers.values():  # all at once: each takes a tick of its loop to notice
            server.request_stop()
        for server in self.servers.values():
            server.join()
        self.network.stop()
