"""Settings of the reference appliance, given to ``create_app`` (nothing is read from the environment).

Rule served: docs/design.md "The reference appliance" - an app factory that takes its settings (version,
data directory, outbound proxy, CA bundle, Salesforce login hosts, encryption key). What the version
changes (LEGACY-3.2) is decided once, by ``core/versions.py``, when the appliance is built.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import httpx

from harness.appliance.core.versions import policy_for

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
    # The encryption key for secrets at rest. None: made once and kept in ``data_dir/secret.key``
    # (owner-only); a key that does not fit the stored data is a start-up error (core/keys.py).
    secret_key: str | None = None
    clock: Callable[[], float] = time.time
    # Tests inject an httpx transport (MockTransport or an ASGI app) instead of the proxy.
    http_transport: httpx.BaseTransport | None = None
    http_timeout_s: float = 15.0
    # Log-in policy (core/sessions.py): failures in a row that lock the account, and for how long.
    login_max_failures: int = 5
    login_lockout_s: float = 15 * 60.0
    # scrypt cost as log2(N): 14 (full strength) for a served appliance; the test reference uses less.
    password_hash_cost: int = 14

    def __post_init__(self) -> None:
        policy_for(self.version)  # an unknown version is refused here, with the versions we know
        object.__setattr__(self, "data_dir", Path(self.data_dir))

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'appliance.sqlite3'}"
