"""``create_app(settings)``: the reference appliance as one Starlette app (pages, JSON API, control).

Rule served: docs/design.md "The reference appliance" - an app factory that takes its settings; nothing
is read from the environment. HTTPS comes from the server runner (harness/reference/servers.py). Every answer
carries HSTS and a CSP whose ``form-action`` names only this appliance and Salesforce's hosts (a form
that starts an authorization is redirected to Salesforce); every browser gets the cookie its OAuth
attempts are bound to; a write from a foreign ``Origin`` is refused before any handler runs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from harness.appliance import api, control_routes, web_configuration, web_wizard, world_routes
from harness.appliance.core import Appliance
from harness.appliance.core.callback import callback_url
from harness.appliance.core.errors import ApplianceError, InvalidInput
from harness.appliance.faces import BROWSER_COOKIE, browser_cookie, foreign_origin
from harness.appliance.rendering import page_error
from harness.appliance.settings import ApplianceSettings
from harness.reference.control_gate import control_answer
from harness.reference.disconnects import QuietDisconnects

# Our choice: My Domain and sandbox hosts are all under these two wildcards (docs/salesforce-facts.md).
SALESFORCE_FORM_TARGETS = ("https://*.my.salesforce.com", "https://*.sandbox.my.salesforce.com")


def security_headers(settings: ApplianceSettings) -> list[tuple[bytes, bytes]]:
    targets = " ".join(["'self'", *(f"https://{h}" for h in settings.login_hosts.values()),
                        *SALESFORCE_FORM_TARGETS])
    csp = f"default-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action {targets}"
    return [
        # The callback URL carries the authorization code in its query: never leak it in a Referer to
        # another site. Not "no-referrer": with it browsers send "Origin: null" on the appliance's own
        # form posts, which the foreign-Origin rule would then refuse.
        (b"referrer-policy", b"same-origin"),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"content-security-policy", csp.encode()),
        (b"strict-transport-security", b"max-age=31536000"),
        (b"cache-control", b"no-store"),
    ]


class Guard:
    """Headers on every answer, the browser cookie, and the refusal of writes from a foreign Origin."""

    def __init__(self, app: ASGIApp, headers: list[tuple[bytes, bytes]]) -> None:
        self.app, self.headers = app, headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        browser, new = browser_cookie(request.headers.get("cookie", ""))
        scope.setdefault("state", {})["browser"] = browser
        extra = list(self.headers)
        if new:
            cookie = f"{BROWSER_COOKIE}={browser}; Path=/; Secure; HttpOnly; SameSite=Lax"
            extra.append((b"set-cookie", cookie.encode()))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        refusal = _refusal(request)
        await (refusal or self.app)(scope, receive, with_headers)


def _refusal(request: Request) -> ASGIApp | None:
    """A malformed Host (400) or a write from a foreign Origin (403), answered before any handler."""
    try:
        callback_url(request.headers.get("host", ""))
    except InvalidInput:
        return _refuse(request, 400, "bad_host", "The Host header is not a host name this appliance answers to.")
    if foreign_origin(request) and not request.scope["path"].startswith("/__harness/"):
        return _refuse(request, 403, "foreign_origin",
                       "This request came from another site; the appliance accepts changes only from its own pages.")
    return None


def _refuse(request: Request, status: int, code: str, text: str) -> ASGIApp:
    if request.scope["path"].startswith("/api/"):
        return JSONResponse({"error": code, "message": text}, status_code=status)
    return HTMLResponse(f'<!doctype html><title>Request Refused</title><h1>Request Refused</h1>'
                        f'<p role="alert">{text}</p>', status_code=status)


def create_app(settings: ApplianceSettings) -> Starlette:
    appliance = Appliance(settings)
    static = StaticFiles(directory=str(Path(__file__).parent / "static"))
    app = Starlette(
        routes=[
            *control_routes.routes(),
            *world_routes.routes(),
            *api.routes(),
            *web_configuration.routes(),
            *web_wizard.routes(),
            Mount("/static", app=static, name="static"),
        ],
        middleware=[Middleware(QuietDisconnects), Middleware(Guard, headers=security_headers(settings))],
        exception_handlers={ApplianceError: _refused},
        lifespan=_closing(appliance),
    )
    app.state.appliance = appliance
    return app


async def _refused(request: Request, exc: Exception) -> Response:
    """Each face's one error path for a refusal of the core: JSON, the control shape, or the page."""
    assert isinstance(exc, ApplianceError)
    path = request.url.path
    if path.startswith(api.PREFIX + "/"):
        return api.error_answer(exc)
    if path.startswith("/__harness/"):
        return control_answer(exc.status, exc.code, exc.message)
    return await page_error(request, exc)


def _closing(appliance: Appliance) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """On shutdown the kept-alive Salesforce connections and the database pool are released."""

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            appliance.close()

    return lifespan
