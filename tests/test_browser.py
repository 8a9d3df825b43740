from __future__ import annotations

from pathlib import Path

import pytest

from harness import browser


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
