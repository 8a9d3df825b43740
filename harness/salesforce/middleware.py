"""Records every Salesforce request and applies injected faults before the views see it.

Serves the harness's fault injection and request log. Fault kinds, per endpoint:
``latency`` waits ``seconds`` then answers normally; ``status`` answers ``status`` (default 500)
with an error body in the endpoint's format; ``maintenance`` answers 503 with Salesforce's
"Down for Maintenance" HTML page and ``Retry-After``; ``drop`` sends a status line and headers
announcing a body, then raises ``ConnectionDropped`` so uvicorn closes the connection mid-response
(clients see "peer closed connection" / a truncated response; in-process test clients see the
exception). Calls to ``/__harness`` are neither logged nor faulted. REST answers get Salesforce's
``Sforce-Limit-Info: api-usage=USED/MAX`` header (the view notes the org's count in the request
state).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import anyio
from starlette.responses import HTMLResponse, JSONResponse, Response

from harness.salesforce.models.faults import Fault

if TYPE_CHECKING:
    from harness.salesforce.backend import SalesforceBackend

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_PAGES = ("authorize", "login", "consent")
_REST = ("versions", "resources", "limits", "sobjects", "describe", "record", "query", "search")


class ConnectionDropped(Exception):
    """Raised mid-response to make the server drop the connection (an injected ``drop`` fault)."""


def fault_response(fault: Fault, endpoint: str) -> Response:
    if fault.kind == "maintenance":
        page = ("<!DOCTYPE html><html><head><title>Down for Maintenance</title></head><body>"
                "<h1>Down for Maintenance</h1><p>This Salesforce site is down for maintenance. "
                "Please check back soon.</p></body></html>")
        return HTMLResponse(page, status_code=503, headers={"Retry-After": "60"})
    status = fault.status or 500
    if endpoint in _PAGES:
        return HTMLResponse(f"<!DOCTYPE html><html><body><h1>Error</h1><p>An internal server error "
                            f"has occurred ({status}).</p></body></html>", status_code=status)
    if endpoint in _REST:
        return JSONResponse([{"message": "An unexpected error occurred.", "errorCode": "UNKNOWN_EXCEPTION"}],
                            status_code=status)
    return JSONResponse({"error": "server_error", "error_description": "internal server error"},
                        status_code=status)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _form_keys(scope: Scope, body: bytes) -> list[str]:
    headers = dict(scope.get("headers") or [])
    if b"application/x-www-form-urlencoded" not in headers.get(b"content-type", b""):
        return []
    return list(dict.fromkeys(key for key, _ in parse_qsl(body.decode("latin-1"), keep_blank_values=True)))


class HarnessMiddleware:
    """Request log, faults and the state lock, around every non-control request."""

    def __init__(self, app: ASGIApp, backend: SalesforceBackend,
                 endpoint_of: Callable[[Scope], str | None]) -> None:
        self.app = app
        self.backend = backend
        self.endpoint_of = endpoint_of  # read from the app's route table (app.py)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/__harness"):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        endpoint = self.endpoint_of(scope)
        headers = dict(scope.get("headers") or [])
        with self.backend.lock:
            state = self.backend.state
            entry = state.log.record(scope["method"], headers.get(b"host", b"").decode().split(":")[0],
                                     scope["path"], scope.get("query_string", b"").decode("latin-1"),
                                     _form_keys(scope, body), endpoint, state.clock.now())
            fault = state.faults.take(endpoint) if endpoint else None

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
                usage = scope.get("state", {}).get("api_usage")
                if usage is not None:
                    header = f"api-usage={usage[0]}/{usage[1]}".encode()
                    message["headers"] = [*message.get("headers", []), (b"sforce-limit-info", header)]
            await send(message)

        if fault is not None and fault.kind == "latency":
            await anyio.sleep(fault.seconds or 0)
        elif fault is not None and fault.kind == "drop":
            entry["status"] = "dropped"
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json"), (b"content-length", b"1024")]})
            raise ConnectionDropped(f"injected drop on {endpoint}")
        elif fault is not None:
            await fault_response(fault, endpoint or "")(scope, receive, logged_send)
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        with self.backend.lock:
            await self.app(scope, replay, logged_send)
