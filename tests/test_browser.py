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
    monkeypatch.setattr(browser, "_bundled_chromium", lambda name="chromium": None)
    monkeypatch.setattr(browser, "SYSTEM_CANDIDATES", ())
    monkeypatch.setattr(browser, "SYSTEM_HEADLESS_CANDIDATES", ())
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)


def test_without_root_the_error_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    _nothing_installed(monkeypatch)
    monkeypatch.setattr(browser.os, "geteuid", lambda: 1000)
    with pytest.raises(browser.NoBrowserError, match="apt-get install -y chromium chromium-headless-shell"):
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
    assert commands == [["apt-get", "update"], ["apt-get", "install", "-y", "chromium", "chromium-headless-shell"]]


def _bundled_layout(root: Path, folder: str = "chrome-linux64", name: str = "chromium",
                    prefix: str = "chromium", executable: str = "chrome") -> Path:
    import json

    import playwright

    manifest = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    revision = next(b["revision"] for b in json.loads(manifest.read_text())["browsers"] if b["name"] == name)
    exe = root / f"{prefix}-{revision}" / folder / executable
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
    monkeypatch.setattr(browser, "SYSTEM_HEADLESS_CANDIDATES", ())
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


def test_a_headless_run_prefers_the_headless_shell_and_a_headed_run_the_full_browser(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _nothing_installed(monkeypatch)
    full, shell = tmp_path / "chromium", tmp_path / "chromium-headless-shell"
    monkeypatch.setattr(browser, "SYSTEM_CANDIDATES", (str(full),))
    monkeypatch.setattr(browser, "SYSTEM_HEADLESS_CANDIDATES", (str(shell),))
    full.write_text("")
    assert browser.find_chromium(headless=True) == str(full)  # no shell: the full browser runs headless too
    shell.write_text("")
    assert browser.find_chromium(headless=True) == str(shell)
    assert browser.find_chromium(headless=False) == str(full)


def test_playwrights_bundled_headless_shell_is_found_from_its_registry(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(browser.ENV_VAR, raising=False)
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    monkeypatch.setattr(browser, "SYSTEM_HEADLESS_CANDIDATES", ())
    full = _bundled_layout(tmp_path)
    assert browser.find_chromium(headless=True) == str(full)
    shell = _bundled_layout(tmp_path, "chrome-headless-shell-linux64", "chromium-headless-shell",
                            "chromium_headless_shell", "chrome-headless-shell")
    assert browser.find_chromium(headless=True) == str(shell)
    assert browser.find_chromium(headless=False) == str(full)
