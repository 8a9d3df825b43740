"""The gate in front of every ``/__harness`` control route, on the appliance and on the fake.

Rule served: control routes exist only in a reference the harness started, and answer only JSON
requests that carry that start's random token in the ``X-Harness-Control`` header. A browser cannot
add a custom header to a cross-site request without a CORS preflight nobody grants, and a form post
can carry neither the header nor a JSON content type, so neither can reach them.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

HEADER = "X-Harness-Control"
Endpoint = Callable[[Request], Awaitable[Response]]


def new_token() -> str:
    """One random token per start of a reference."""
    return secrets.token_urlsafe(32)


def enable(app: object, token: str) -> None:
    """Opens the control routes of ``app`` (a Starlette app) to requests carrying ``token``."""
    if len(token) < 16:
        raise ValueError("a control token needs at least 16 characters")
    app.state.control_token = token  # type: ignore[attr-defined]


def refusal(request: Request) -> Response | None:
    """None when the request may use the control routes, else the answer that refuses it."""
    token = getattr(request.app.state, "control_token", None)
    if not token:
        return _answer(404, "not_found", "This server was not started by the harness: it has no control routes.")
    kind = _media_type(request)
    if request.method != "GET" and kind != "application/json" and (kind or _has_body(request)):
        return _answer(415, "json_required", "Control calls are JSON: send Content-Type: application/json.")
    sent = request.headers.get(HEADER, "")
    if not hmac.compare_digest(sent.encode("utf-8", "replace"), token.encode()):
        return _answer(403, "control_token_required",
                       f"Control calls need the {HEADER} header with the token of this start (reference.json).")
    return None


def _has_body(request: Request) -> bool:
    return request.headers.get("content-length", "0") != "0" or "transfer-encoding" in request.headers


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _answer(status: int, code: str, message: str) -> Response:
    return JSONResponse({"error": code, "message": message}, status_code=status)


def guarded(endpoint: Endpoint) -> Endpoint:
    async def run(request: Request) -> Response:
        return refusal(request) or await endpoint(request)

    run.__name__ = getattr(endpoint, "__name__", "control")
    return run


def guard_routes(routes: list[Route]) -> list[Route]:
    """The same routes, each behind the gate."""
    return [Route(r.path, guarded(r.endpoint), methods=sorted(r.methods or ())) for r in routes]
