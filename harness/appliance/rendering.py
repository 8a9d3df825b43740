"""Rendering helpers for the HTML face: templates with autoescape, CSRF token, 303 redirects, and the
face's one error path: a handler declares with ``@shows_errors(view)`` the page a refusal of the core
(an ``ApplianceError``) is shown on; ``page_error`` (the app's exception handler) shows it there.

Rule served: docs/design.md "The reference appliance" (server-rendered pages, one h1, ``role="alert"`` for
errors and ``role="status"`` for outcomes) - every page goes through ``render`` so none forgets the
CSRF cookie, and Jinja's autoescape keeps hostile text (error descriptions, aliases) inert.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from functools import wraps
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from harness.appliance.core.errors import ApplianceError
from harness.appliance.faces import core, csrf_ok, csrf_token, store_csrf

Page = Callable[[Request], Awaitable[Response]]
ErrorView = Callable[[Request, ApplianceError], Response | Awaitable[Response]]

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    policy = core(request).policy
    context = {
        "csrf_token": csrf_token(request),
        "version": policy.version,
        "policy": policy,
        "app_noun": policy.app_noun,
        "error": None,
        "error_code": None,
        "notice": None,
        "nav": False,
        **context,
    }
    response = templates.TemplateResponse(request, name, context, status_code=status)
    store_csrf(request, response)
    return response


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


async def form_with_csrf(request: Request) -> dict[str, Any] | None:
    """The submitted form, or None when its CSRF token does not match the cookie."""
    form = await request.form()
    data = {k: v for k, v in form.multi_items()}
    return data if csrf_ok(request, str(data.get("csrf_token", ""))) else None


def csrf_refused(request: Request) -> Response:
    return render(
        request,
        "message.html",
        status=403,
        title="Request Refused",
        error="The form expired or did not come from this appliance. Open the page again and retry.",
        link=request.url.path,
        link_text="Open the page again",
    )


def shows_errors(view: ErrorView) -> Callable[[Page], Page]:
    """Declares the page an ApplianceError raised while ``handler`` runs is shown on."""

    def decorate(handler: Page) -> Page:
        @wraps(handler)
        async def run(request: Request) -> Response:
            request.state.error_view = view
            return await handler(request)

        return run

    return decorate


async def page_error(request: Request, exc: ApplianceError) -> Response:
    """The HTML face's one error path: the declared page with the message, else a message page."""
    view: ErrorView | None = getattr(request.state, "error_view", None)
    if view is None:
        return render(request, "message.html", status=exc.status, title="Request Refused", error=exc.message,
                      link="/", link_text="Back to the appliance")
    answer = view(request, exc)
    return await answer if inspect.isawaitable(answer) else answer
