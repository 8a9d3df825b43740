"""Finds a Chromium that Playwright can drive, in the order the design gives.

Playwright's own browser download is not available everywhere, so the harness uses, in order:
the executable named by ``HARNESS_CHROMIUM``, Playwright's bundled build if it is installed,
then the system ``chromium`` (Debian package). ``ensure_chromium`` installs the Debian package
when nothing else is found and the process runs as root.
"""

from __future__ import annotations

import json
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
    """Playwright's own Chromium, found where its registry puts it, without starting a driver.

    Starting Playwright just to ask ``executable_path`` costs a Node process at every session start;
    the registry layout is plain files: ``<browsers dir>/chromium-<revision>/chrome-<platform>/chrome``.
    """
    try:
        import playwright
    except ImportError:
        return None
    manifest = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    try:
        browsers = json.loads(manifest.read_text())["browsers"]
        revision = next(b["revision"] for b in browsers if b["name"] == "chromium")
    except (OSError, ValueError, KeyError, StopIteration):
        return None
    for folder in _BUNDLED_FOLDERS:
        candidate = _browsers_dir(manifest.parent) / f"chromium-{revision}" / folder / "chrome"
        if candidate.exists():
            return str(candidate)
    return None


# Linux builds of Chrome for Testing (current and older layouts); the harness runs on Linux.
_BUNDLED_FOLDERS = ("chrome-linux64", "chrome-linux", "chrome-linux-arm64")


def _browsers_dir(package: Path) -> Path:
    """Where ``playwright install`` puts browsers: PLAYWRIGHT_BROWSERS_PATH (``0``: inside the
    package), else the user cache folder."""
    named = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if named == "0":
        return package / ".local-browsers"
    if named:
        return Path(named)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ms-playwright"


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
