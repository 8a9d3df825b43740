"""What both faces share: the core from the request, the callback URL of the host used, sessions, CSRF,
the browser binding of OAuth attempts, the same-origin rule, the login gate, the policy-id check and
the step-5 panel (Callback URL, checklist, consumer key) the wizard and the configuration pages show.

Rules served: CALLBACK (the callback URL comes from the Host the administrator used) and docs/design.md
"The reference appliance" (secure sessions). Session cookies are Secure, HttpOnly, SameSite=Lax.
CSRF rule: every HTML form carries ``csrf_token`` equal to the ``appliance_csrf`` cookie (double submit);
JSON API writes must be sent with ``Content-Type: application/json``, which a cross-site form cannot
send and a cross-site script cannot send without a CORS preflight that this appliance never grants;
and a state-changing request whose ``Origin`` is another site is refused outright.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from harness.appliance.core import Appliance
from harness.appliance.core.callback import callback_url
from harness.appliance.core.errors import ApplianceError, NotFound
from harness.appliance.core.rules import checklist

SESSION_COOKIE = "appliance_session"
CSRF_COOKIE = "appliance_csrf"
# One random value per browser; an OAuth attempt is bound to its hash and completes only in that browser.
BROWSER_COOKIE = "appliance_browser"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
T = TypeVar("T")


def core(request: Request) -> Appliance:
    return request.app.state.appliance  # type: ignore[no-any-return]


def callback_for(request: Request) -> str:
    return callback_url(request.headers.get("host", ""))


async def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Core calls may wait on Salesforce; run them off the event loop."""
    return await run_in_threadpool(fn, *args, **kwargs)


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE)


def session_user(request: Request) -> str | None:
    return core(request).session_user(session_token(request))


def set_session(response: Response, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, secure=True, httponly=True, samesite="lax", path="/")


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, secure=True, httponly=True, samesite="lax", path="/")


def browser_binding(request: Request) -> str:
    """The opaque binding the core stores with an OAuth attempt: a hash, never the cookie itself."""
    value = request.scope.get("state", {}).get("browser") or request.cookies.get(BROWSER_COOKIE, "")
    return hashlib.sha256(b"appliance-browser/" + value.encode("utf-8", "replace")).hexdigest()


def browser_cookie(cookie_header: str) -> tuple[str, bool]:
    """The browser's value from a Cookie header, or a new one (and True when it is new)."""
    for part in cookie_header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == BROWSER_COOKIE and 20 <= len(value) <= 100:
            return value, False
    return secrets.token_urlsafe(32), True


def foreign_origin(request: Request) -> bool:
    """True for a write whose Origin header names another site than the one the request reached."""
    origin = request.headers.get("origin")
    if request.method not in WRITES or origin is None:
        return False
    try:
        return origin.rstrip("/").lower() != callback_for(request)
    except ApplianceError:
        return True


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
    return bool(cookie) and hmac.compare_digest(cookie.encode("utf-8", "replace"),
                                                (submitted or "").encode("utf-8", "replace"))


Gate = Literal["wizard", "login", "open"]


async def login_gate(request: Request) -> Gate:
    """Who may go on: "wizard" while the wizard is open, "login" once finished without a session,
    "open" for the logged-in administrator. Every face decides from this one answer."""
    if not await call(core(request).wizard_finished):
        return "wizard"
    return "open" if await call(session_user, request) is not None else "login"


def policy_id(request: Request) -> int:
    """The ``{policy_id}`` of the path; NotFound outside the ids a policy can have."""
    value = int(request.path_params["policy_id"])
    if not 1 <= value < 2**31:
        raise NotFound(f"There is no backup policy {value}.")
    return value


def app_panel(request: Request, consumer_key: str | None) -> dict[str, Any]:
    """Step 5's panel as every page that takes app credentials shows it (never the secret)."""
    return {"callback_url": callback_for(request), "checklist_items": checklist(), "consumer_key": consumer_key}
