"""Where the tests find the JavaScript Salesforce clients, and how they run the ``sf`` CLI sealed.

``make setup`` installs them (``tests/salesforce/clients/install.sh``) into the virtual
environment, from a pinned lock file. A missing install is a failure that names the command to run,
never a skip: a check that silently does not run is no check.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

CLIENTS = Path(os.environ.get("HARNESS_SALESFORCE_CLIENTS", Path(sys.prefix) / "salesforce-clients"))
SF = CLIENTS / "node_modules" / ".bin" / "sf"
OPENAPI = CLIENTS / "node_modules" / "@opensdks" / "sdk-salesforce" / "salesforce.oas.json"
MISSING = f"not installed in {CLIENTS}: run `make setup` (tests/salesforce/clients/install.sh)"


def _path() -> str:
    """``PATH`` with the Node.js 20 the install script added when the system's is older, first."""
    own = sorted((CLIENTS / "node" / "node_modules").glob("node-linux-*/bin"))
    return os.pathsep.join([*map(str, own), os.environ.get("PATH", "/usr/bin:/bin")])


def installed(path: Path) -> Path:
    assert path.exists(), f"{path.name} {MISSING}"
    return path


class SfCli:
    """The ``sf`` CLI with its own home, reaching Salesforce only through the harness's proxy."""

    def __init__(self, home: Path, proxy_url: str, ca_path: Path) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self.env = {
            "PATH": _path(), "HOME": str(home),
            "HTTPS_PROXY": proxy_url, "HTTP_PROXY": proxy_url, "NODE_EXTRA_CA_CERTS": str(ca_path),
            # No telemetry, update or release-note calls; the file keychain (no desktop keyring);
            # no DNS look-up of the My Domain host, which only the proxy can resolve.
            "SF_DISABLE_TELEMETRY": "true", "SF_AUTOUPDATE_DISABLE": "true", "SF_SKIP_NEW_VERSION_CHECK": "true",
            "SF_HIDE_RELEASE_NOTES": "true", "SF_USE_GENERIC_UNIX_KEYCHAIN": "true", "SF_DISABLE_DNS_CHECK": "true",
        }

    def run(self, *args: str, token: str | None = None) -> subprocess.CompletedProcess[str]:
        env = {**self.env, **({"SF_ACCESS_TOKEN": token} if token else {})}
        return subprocess.run([str(installed(SF)), *args], env=env, capture_output=True, text=True, timeout=180,
                              check=False)

    def json(self, *args: str) -> Any:
        """The ``result`` of a command run with ``--json``; fails with the CLI's own message otherwise."""
        done = self.run(*args, "--json")
        assert done.returncode == 0, f"sf {' '.join(args)} failed ({done.returncode}): {done.stdout[-2000:]}"
        return json.loads(done.stdout)["result"]
