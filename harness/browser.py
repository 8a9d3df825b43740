"""Finds a Chromium that Playwright can drive, in the order the design gives.

Playwright's own browser download is not available everywhere, so the harness uses, in order:
the executable named by ``HARNESS_CHROMIUM``, Playwright's bundled build if it is installed,
then the system ``chromium`` (Debian package). ``ensure_chromium`` installs the Debian package
when nothing else is found and the process runs as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ENV_VAR = "HARNESS_CHROMIUM"
SYSTEM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class NoBrowserError(RuntimeError):
    """No Chromium could be found or installed."""


def _bundled_chromium() -> str | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as pw:
            path = pw.chromium.executable_path
    except Exception:  # Playwright raises when its driver is missing; that only means "not bundled".
        return None
    return path if path and Path(path).exists() else None


def find_chromium() -> str | None:
    named = os.environ.get(ENV_VAR)
    if named:
        if not Path(named).exists():
            raise NoBrowserError(f"{ENV_VAR}={named} does not exist")
        return named
    bundled = _bundled_chromium()
    if bundled:
        return bundled
    for candidate in SYSTEM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def ensure_chromium() -> str:
    found = find_chromium()
    if found:
        return found
    if os.geteuid() != 0:
        raise NoBrowserError(
            "No Chromium found. Install the Debian package as root (apt-get update && apt-get install -y "
            f"chromium) or set {ENV_VAR} to a Chromium executable."
        )
    subprocess.run(["apt-get", "update"], check=True)
    subprocess.run(["apt-get", "install", "-y", "chromium"], check=True, env={**os.environ,
                   "DEBIAN_FRONTEND": "noninteractive"})
    found = find_chromium()
    if not found:
        raise NoBrowserError("apt-get installed chromium but no executable was found")
    return found


def main() -> None:
    print(ensure_chromium())


if __name__ == "__main__":
    main()
