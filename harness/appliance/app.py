"""``create_app(settings)``: the reference appliance as one Starlette app (pages, JSON API, control).

Rule served: DESIGN.md "The reference appliance" - an app factory that takes its settings; nothing is
read from the environment. HTTPS comes from the server runner (harness/servers.py).
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from harness.appliance import api, control, web, web_config
from harness.appliance.core import Appliance
from harness.appliance.settings import ApplianceSettings

_HEADERS = [
    # The callback URL carries the authorization code in its query: never leak it in a Referer.
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'; form-action 'self' https:"),
    (b"cache-control", b"no-store"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + _HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(settings: ApplianceSettings) -> Starlette:
    appliance = Appliance(settings)
    static = StaticFiles(directory=str(Path(__file__).parent / "static"))
    app = Starlette(
        routes=[
            *control.routes(),
            *api.routes(),
            *web_config.routes(),
            *web.routes(),
            Mount("/static", app=static, name="static"),
        ],
        middleware=[Middleware(SecurityHeaders)],
    )
    app.state.appliance = appliance
    return app
