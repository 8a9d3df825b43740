"""The page objects and the form reader against the fake's real pages.

The browser reaches the fake the way scenarios do: Chromium's proxy is the virtual network's
CONNECT proxy, which tunnels ``login.salesforce.com:443`` to the fake on a loopback HTTPS server.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from harness.drivers.page_objects.salesforce import (
    SalesforceConsentPage,
    SalesforceErrorPage,
    SalesforceLoginPage,
    parse_error_text,
    parse_form,
)
from harness.network import VirtualNetwork
from harness.reference import browser
from harness.reference.servers import ServerThread
from harness.salesforce import SalesforceBackend, create_app

from .support import CALLBACK, World, query_of

CALLBACK_HOST = CALLBACK.removeprefix("https://")
SALESFORCE_NAMES = ["login.salesforce.com", "test.salesforce.com", "*.my.salesforce.com"]


def test_parse_form_reads_fields_and_first_button() -> None:
    html = (
        '<form action="/x" method="POST"><input name="a" value="1"><input type="checkbox" name="c">'
        '<button name="decision" value="deny">Deny</button>'
        '<button name="decision" value="allow">Allow</button>'
        '</form><form action="/y"></form>'
    )
    assert parse_form(html) == ("/x", "post", {"a": "1", "decision": "deny"})
    assert parse_form("<p>no form</p>") is None


def test_parse_error_text() -> None:
    assert parse_error_text(
        "error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration"
    ) == ("redirect_uri_mismatch", "redirect_uri must match configuration")


@pytest.fixture(scope="module")
def shared_backend() -> SalesforceBackend:
    return SalesforceBackend(seed=5)


def _callback_app() -> Starlette:
    """The appliance is not part of this test: a page at its address stands in for its callback."""

    async def callback(request: Any) -> HTMLResponse:
        return HTMLResponse("<h1>Appliance callback</h1>")

    return Starlette(routes=[Route("/", callback)])


@pytest.fixture(scope="module")
def sf_context_factory(
    shared_backend: SalesforceBackend, tmp_path_factory: pytest.TempPathFactory, playwright: Any
) -> Iterator[Any]:
    """Chromium behind the virtual network's CONNECT proxy, the fake on a loopback HTTPS server.

    The callback is a real server on the network too, not a ``context.route``: Chromium's headless
    shell does not hand a redirect's target to the route handler (the request goes to the proxy and
    fails with ERR_TUNNEL_CONNECTION_FAILED), where the full browser does.

    It uses the session's Playwright (pytest-playwright): a second sync instance in the same thread
    fails once a browser scenario has started one, whatever the order tests run in."""
    executable = browser.find_chromium()
    if executable is None:
        pytest.skip("no Chromium on this machine")
    network = VirtualNetwork(tmp_path_factory.mktemp("net")).start()
    cert, key = network.issue(SALESFORCE_NAMES)
    server = ServerThread(create_app(shared_backend), cert, key, name="salesforce")
    network.add_server(SALESFORCE_NAMES, server.start())
    callback_cert, callback_key = network.issue([CALLBACK_HOST])
    callback = ServerThread(_callback_app(), callback_cert, callback_key, name="callback")
    network.add_server([CALLBACK_HOST], callback.start())
    launched = playwright.chromium.launch(
        executable_path=executable, args=browser.LAUNCH_ARGS, proxy={"server": network.proxy_url}
    )
    yield lambda: launched.new_context(ignore_https_errors=True)
    launched.close()
    callback.stop()
    server.stop()
    network.stop()


@pytest.fixture
def backend(shared_backend: SalesforceBackend) -> SalesforceBackend:
    shared_backend.reset(5)
    return shared_backend


@pytest.fixture
def sf_page(sf_context_factory: Any) -> Iterator[Any]:
    context = sf_context_factory()
    yield context.new_page()
    context.close()


def test_browser_logs_in_and_allows(sf_page, world: World) -> None:  # type: ignore[no-untyped-def]
    page = sf_page
    page.goto(world.authorize_url())
    SalesforceLoginPage(page).log_in(world.user["username"], "wrong")
    assert "Please check your username" in SalesforceLoginPage(page).read_error()
    SalesforceLoginPage(page).log_in(world.user["username"], world.user["password"])
    consent = SalesforceConsentPage(page)
    assert "Full access (full)" in consent.requested_access()
    consent.allow()
    page.wait_for_url(f"{CALLBACK}/?**")
    assert "code" in query_of(page.url)


def test_browser_denies(sf_page, world: World) -> None:  # type: ignore[no-untyped-def]
    page = sf_page
    page.goto(world.authorize_url())
    SalesforceLoginPage(page).log_in(world.user["username"], world.user["password"])
    SalesforceConsentPage(page).deny()
    page.wait_for_url(f"{CALLBACK}/?**")
    assert query_of(page.url)["error"] == "access_denied"


def test_browser_reads_the_error_page(sf_page, world: World) -> None:  # type: ignore[no-untyped-def]
    page = sf_page
    page.goto(world.authorize_url(redirect_uri="https://evil.example.com"))
    assert SalesforceErrorPage(page).read_error() == (
        "redirect_uri_mismatch",
        "redirect_uri must match configuration",
    )
