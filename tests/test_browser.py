from __future__ import annotations

from pathlib import Path

import pytest

from harness.reference import browser


def test_a_named_browser_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    exe = tmp_path / "chrome"
    exe.write_text("")
    monkeypatch.setenv(browser.ENV_VAR, str(exe))
    assert browser.find_chromium() == str(exe)


def test_a_named_browser_that_does_not_exist_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(browser.ENV_VAR, "/nowhere/chrome")
    with pytest.raises(browser.NoBrowserError, match="/nowhere/chrome does not exist"):
        browser.find_chromium()


def test_launch_flags_follow_the_design() -> None:
    for flag in ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"):
        assert flag in browser.LAUNCH_ARGS


def _nothing_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(browser.ENV_VAR, raising=False)
    monkeypatch.setattr(browser, "_bundled_chromium", lambda: None)
    monkeypatch.setattr(browser, "SYSTEM_CANDIDATES", ())
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)


def test_without_root_the_error_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    _nothing_installed(monkeypatch)
    monkeypatch.setattr(browser.os, "geteuid", lambda: 1000)
    with pytest.raises(browser.NoBrowserError, match="apt-get install -y chromium"):
        browser.ensure_chromium()


def test_as_root_the_debian_package_is_installed_after_one_update(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _nothing_installed(monkeypatch)
    monkeypatch.setattr(browser.os, "geteuid", lambda: 0)
    installed = tmp_path / "chromium"
    commands: list[list[str]] = []

    def run(command: list[str], **_: object) -> None:
        commands.append(command)
        if command[:2] == ["apt-get", "install"]:
            installed.write_text("")
            monkeypatch.setattr(browser, "SYSTEM_CANDIDATES", (str(installed),))

    monkeypatch.setattr(browser.subprocess, "run", run)
    assert browser.ensure_chromium() == str(installed)
    assert commands == [["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]]


def _bundled_layout(root: Path, folder: str = "chrome-linux64") -> Path:
    import json

    import playwright

    manifest = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    revision = next(b["revision"] for b in json.loads(manifest.read_text())["browsers"] if b["name"] == "chromium")
    exe = root / f"chromium-{revision}" / folder / "chrome"
    exe.parent.mkdir(parents=True)
    exe.write_text("")
    return exe


def test_playwrights_bundled_chromium_is_found_from_its_registry_without_a_driver(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import playwright.sync_api

    def no_driver() -> None:
        raise AssertionError("a Playwright driver was started to look for the browser")

    monkeypatch.setattr(playwright.sync_api, "sync_playwright", no_driver)
    monkeypatch.delenv(browser.ENV_VAR, raising=False)
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    assert browser._bundled_chromium() is None
    exe = _bundled_layout(tmp_path)
    assert browser.find_chromium() == str(exe)


def test_the_bundled_chromium_is_looked_for_in_the_user_cache_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PLAYWRIGHT_BROWSERS_PATH", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    exe = _bundled_layout(tmp_path / "ms-playwright", "chrome-linux")
    assert browser._bundled_chromium() == str(exe)
