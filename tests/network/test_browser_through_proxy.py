"""Chromium reaches the documented URLs through the proxy and its background traffic stays sealed.

Rule served: the browser uses the names on the page literally and every https navigation is a
CONNECT to the harness proxy (docs/design.md sections 3 and 4). Skipped when no Chromium is installed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from harness.network import VirtualNetwork, is_loopback

from .conftest import EchoServer

_CANDIDATES = [
    os.environ.get("HARNESS_CHROMIUM", ""),
    "/usr/lib/chromium/chromium",
    shutil.which("chromium") or "",
]
_CHROMIUM = next((c for c in _CANDIDATES if c and Path(c).is_file()), None)
_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.mark.skipif(_CHROMIUM is None, reason="no Chromium on this machine")
def test_chromium_loads_documented_urls_through_the_proxy(
    network: VirtualNetwork, appliance_server: EchoServer, playwright: Any
) -> None:
    # The session's Playwright (pytest-playwright): a second sync instance fails once scenarios started one.
    sync_api = pytest.importorskip("playwright.sync_api")
    browser = playwright.chromium.launch(
        executable_path=_CHROMIUM, args=[*_FLAGS, *network.browser_trust_args],
        proxy={"server": network.proxy_url},
    )
    try:
        # No ignore_https_errors: the page loads only because the browser trusts the harness CA.
        context = browser.new_context()
        page = context.new_page()
        for url, host in [
            ("https://172.12.0.1/", "172.12.0.1"),
            ("https://acme.internal.com/", "acme.internal.com"),
        ]:
            page.goto(url)
            assert page.url == url
            assert f'"host": "{host}"' in page.content()
        with pytest.raises(sync_api.Error):
            page.goto("https://example.org/")
    finally:
        browser.close()
    assert network.proxy.connections
    assert all(is_loopback(h) and p == appliance_server.port for h, p in network.proxy.connections)
    assert any(r.host == "example.org" for r in network.proxy.refusals)


@pytest.mark.skipif(_CHROMIUM is None, reason="no Chromium on this machine")
def test_without_the_harness_ca_pin_chromium_refuses_the_certificate(
    network: VirtualNetwork, appliance_server: EchoServer, playwright: Any
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    browser = playwright.chromium.launch(executable_path=_CHROMIUM, args=_FLAGS,
                                         proxy={"server": network.proxy_url})
    try:
        with pytest.raises(sync_api.Error, match="ERR_CERT_AUTHORITY_INVALID"):
            browser.new_page().goto("https://172.12.0.1/")
    finally:
        browser.close()
