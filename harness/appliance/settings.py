"""Settings of the reference appliance, given to ``create_app`` (nothing is read from the environment).

Rule served: DESIGN.md "The reference appliance" - an app factory that takes its settings (version,
data directory, outbound proxy, CA bundle, Salesforce login hosts). The version decides between the
3.2+ behaviour (one external client app per org) and the pre-3.2 behaviour (one connected app for
every org), the LEGACY-3.2 statement of the documented page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import httpx

Version = Literal["3.2", "3.1"]

DEFAULT_LOGIN_HOSTS: dict[str, str] = {
    "production": "login.salesforce.com",
    "sandbox": "test.salesforce.com",
}


@dataclass(frozen=True)
class ApplianceSettings:
    """Everything the appliance needs to run; one instance per appliance server."""

    data_dir: Path
    version: Version = "3.2"
    database_url: str | None = None
    outbound_proxy: str | None = None
    ca_bundle: Path | None = None
    login_hosts: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LOGIN_HOSTS))
    secret_key: str = "reference-appliance-development-key"
    clock: Callable[[], float] = time.time
    # Tests inject an httpx transport (MockTransport or an ASGI app) instead of the proxy.
    http_transport: httpx.BaseTransport | None = None
    http_timeout_s: float = 15.0

    def __post_init__(self) -> None:
        if self.version not in ("3.2", "3.1"):
            raise ValueError(f"unknown appliance version {self.version!r}; use '3.2' or '3.1'")
        object.__setattr__(self, "data_dir", Path(self.data_dir))

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'appliance.sqlite3'}"

    @property
    def per_org_apps(self) -> bool:
        """3.2 and later: every org has its own external client app."""
        return self.version != "3.1"

    @property
    def app_noun(self) -> str:
        return "external client app" if self.per_org_apps else "connected app"
