"""What both faces share: the core from the request, the callback URL of the host used, sessions, CSRF.

Rules served: CALLBACK (the callback URL comes from the Host the administrator used) and DESIGN.md
"The reference appliance" (secure sessions). Session cookies are Secure, HttpOnly, SameSite=Lax.
CSRF rule: every HTML form carries ``csrf_token`` equal to the ``appliance_csrf`` cookie (double submit);
JSON API writes must be sent with ``Content-Type: application/json``, which a cross-site form cannot
send and a cross-site script cannot send without a CORS preflight that this appliance never grants.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from harness.appliance.core import Appliance
from harness.appliance.core.callback import callback_url

SESSION_COOKIE = "appliance_session"
CSRF_COOKIE = "appliance_csrf"
T = TypeVar("T")


def core(request: Request) -> Appliance:
    return request.app.state.appliance  # type: ignore[no-any-return]


def callback_for(request: Request) -> str:
    return callback_url(request.headers.get("host", ""))


async def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Core calls may wait on Salesforce; run them off the event loop."""
    return await run_in_threadpool(fn, *args, **kwargs)


def session_user(request: Request) -> str | None:
    return core(request).session_user(request.cookies.get(SESSION_COOKIE))


def set_session(response: Response, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, secure=True, httponly=True, samesite="lax", path="/")


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, secure=True, httponly=True, samesite="lax", path="/")


def csrf_token(request: Request) -> str:
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


def store_csrf(request: Request, response: Response) -> None:
    new = getattr(request.state, "new_csrf", None)
    if new:
        response.set_cookie(CSRF_COOKIE, new, secure=True, httponly=True, samesite="strict", path="/")


def csrf_ok(request: Request, submitted: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE) or ""
    return bool(cookie) and hmac.compare_digest(cookie, submitted or "")
