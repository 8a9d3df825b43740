"""The sealed virtual network: a harness CA, a route table and a CONNECT proxy on 127.0.0.1.

Rule served: scenarios use the page's names literally (the IP address 172.12.0.1 and the DNS name
acme.internal.com) and Salesforce's (``login.salesforce.com``, ``*.my.salesforce.com``),
yet no byte leaves the machine (docs/design.md section 3). ``VirtualNetwork`` bundles the three parts.
"""

from __future__ import annotations

from pathlib import Path

from harness.network.ca import HarnessCA
from harness.network.proxy import ConnectProxy, Refusal, SealBreach, Tunnel
from harness.network.routes import RouteTable, is_loopback

__all__ = [
    "ConnectProxy",
    "HarnessCA",
    "Refusal",
    "RouteTable",
    "SealBreach",
    "Tunnel",
    "VirtualNetwork",
    "is_loopback",
]


class VirtualNetwork:
    """CA + routes + proxy. ``start()`` once per session; ``add_server`` as servers come up."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.ca = HarnessCA.create(self.directory / "ca")
        self.routes = RouteTable()
        self.proxy = ConnectProxy(self.routes)

    def start(self) -> VirtualNetwork:
        self.proxy.start()
        return self

    def stop(self) -> None:
        self.proxy.stop()

    def __enter__(self) -> VirtualNetwork:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def proxy_url(self) -> str:
        return self.proxy.url

    @property
    def ca_path(self) -> Path:
        return self.ca.cert_path

    @property
    def browser_trust_args(self) -> list[str]:
        """Chromium flags that trust the harness CA (and nothing else beyond the system store)."""
        return [f"--ignore-certificate-errors-spki-list={self.ca.spki_pin}"]

    def issue(
        self, names: list[str], directory: Path | None = None, stem: str | None = None
    ) -> tuple[Path, Path]:
        """Issue a server certificate for ``names`` (defaults: ``<dir>/certs/<first name>``)."""
        stem = stem or names[0].replace("*", "wildcard").replace(":", "_")
        return self.ca.issue(names, directory or self.directory / "certs", stem)

    def add_server(self, names: list[str], port: int, host: str = "127.0.0.1",
                   ports: tuple[int, ...] = (443,)) -> None:
        """Route ``name:443`` (or each of ``ports``) for each name to the loopback server at ``host:port``."""
        for name in names:
            for public in ports:
                self.routes.add(f"{name}:{public}", (host, port))
