"""Finds a Chromium that Playwright can drive, in the order the design gives.

Playwright's own browser download is not available everywhere, so the harness uses, in order:
the executable named by ``HARNESS_CHROMIUM``, Playwright's bundled build if it is installed,
then the system Chromium (Debian packages). ``ensure_chromium`` installs the Debian packages
when nothing else is found and the process runs as root.

Headless runs prefer Chromium's headless shell (Playwright's bundled ``chromium-headless-shell``,
or the Debian package of that name): the same engine without the full browser's window layers, and
what Playwright itself launches for headless runs. Measured on this project's browser layer (85
scenarios, one machine, two runs each): 148 and 147 core-seconds with the full Chromium, 66 and 70
with the shell; wall time 90 s -> 58 s. A headed run (``HARNESS_HEADED=1``) needs the full browser.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

ENV_VAR = "HARNESS_CHROMIUM"
SYSTEM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser")
SYSTEM_HEADLESS_CANDIDATES = ("/usr/lib/chromium/chromium-headless-shell", "/usr/bin/chromium-headless-shell")
DEBIAN_PACKAGES = ("chromium", "chromium-headless-shell")
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


# Playwright's registry: folder prefix, then per Linux layout (current and older) the executable.
_BUNDLED = {
    "chromium": ("chromium", (("chrome-linux64", "chrome"), ("chrome-linux", "chrome"),
                              ("chrome-linux-arm64", "chrome"))),
    "chromium-headless-shell": ("chromium_headless_shell", (
        ("chrome-headless-shell-linux64", "chrome-headless-shell"),
        ("chrome-headless-shell-linux-arm64", "chrome-headless-shell"),
        ("chrome-linux", "headless_shell"))),
}


def _bundled_chromium(name: str = "chromium") -> str | None:
    """Playwright's own build (``chromium`` or ``chromium-headless-shell``), found where its registry
    puts it, without starting a driver.

    Starting Playwright just to ask ``executable_path`` costs a Node process at every session start;
    the registry layout is plain files: ``<browsers dir>/<folder>-<revision>/<platform dir>/<executable>``.
    """
    try:
        import playwright
    except ImportError:
        return None
    manifest = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    try:
        browsers = json.loads(manifest.read_text())["browsers"]
        revision = next(b["revision"] for b in browsers if b["name"] == name)
    except (OSError, ValueError, KeyError, StopIteration):
        return None
    prefix, layouts = _BUNDLED[name]
    for folder, executable in layouts:
        candidate = _browsers_dir(manifest.parent) / f"{prefix}-{revision}" / folder / executable
        if candidate.exists():
            return str(candidate)
    return None


def _browsers_dir(package: Path) -> Path:
    """Where ``playwright install`` puts browsers: PLAYWRIGHT_BROWSERS_PATH (``0``: inside the
    package), else the user cache folder."""
    named = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if named == "0":
        return package / ".local-browsers"
    if named:
        return Path(named)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ms-playwright"



def find_chromium(headless: bool = True) -> str | None:
    """The Chromium to launch: the named one, else the headless shell for a headless run, else the
    full browser (bundled first, then the system's)."""
    named = os.environ.get(ENV_VAR)
    if named:
        if not Path(named).exists():
            raise NoBrowserError(f"{ENV_VAR}={named} does not exist")
        return named
    if headless:
        shell = _bundled_chromium("chromium-headless-shell") or _first_existing(SYSTEM_HEADLESS_CANDIDATES)
        if shell:
            return shell
    return _bundled_chromium() or _first_existing(SYSTEM_CANDIDATES) or shutil.which("chromium")


def _first_existing(candidates: tuple[str, ...]) -> str | None:
    return next((candidate for candidate in candidates if Path(candidate).exists()), None)


def ensure_chromium(headless: bool = True) -> str:
    found = find_chromium(headless)
    if found:
        return found
    packages = " ".join(DEBIAN_PACKAGES)
    if os.geteuid() != 0:
        raise NoBrowserError(
            f"No Chromium found. Install the Debian packages as root (apt-get update && apt-get install -y "
            f"{packages}) or set {ENV_VAR} to a Chromium executable."
        )
    subprocess.run(["apt-get", "update"], check=True)
    subprocess.run(["apt-get", "install", "-y", *DEBIAN_PACKAGES], check=True, env={**os.environ,
                   "DEBIAN_FRONTEND": "noninteractive"})
    found = find_chromium(headless)
    if not found:
        raise NoBrowserError(f"apt-get installed {packages} but no executable was found")
    return found


def main() -> None:
    print(ensure_chromium())


if __name__ == "__main__":
    main()
