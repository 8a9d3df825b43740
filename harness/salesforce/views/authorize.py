"""The authorize endpoint, the login page and the consent page (web server flow, browser side).

Serves the documented authorize behaviour (docs/salesforce-facts.md 3.2, 3.6): the order of checks, where each error
is shown, the login form (Username, Password, Log In), the Allow/Deny screen skipped for
pre-authorized apps and earlier approvals (docs/salesforce-facts.md 2.2 Policies), ``prompt``, ``immediate`` and
``login_hint``; success redirects ``redirect_uri?code=..&state=..``. Pages are plain forms: the
pending authorize request rides in ``startURL`` (login) and hidden fields (consent), so clients
without JavaScript can walk them.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from harness.salesforce.errors import AccessDenied, ImmediateUnsuccessful, SalesforceError
from harness.salesforce.models import flows
from harness.salesforce.models import scopes as catalog
from harness.salesforce.models.apps import App
from harness.salesforce.models.orgs import User
from harness.salesforce.views.common import (
    SESSION_COOKIE,
    TEMPLATES,
    error_page,
    resolve_host,
    session_user,
    sf,
)

AUTHORIZE_PATH = "/services/oauth2/authorize"
LOGIN_FAILED = ("Please check your username and password. If you still can't log in, contact your "
                "Salesforce administrator.")


def _shown(request: Request, exc: SalesforceError, params: flows.AuthorizeParams) -> Response:
    if exc.shown == "page":
        return error_page(request, exc)
    if exc.shown == "redirect" and params.redirect_uri:
        return RedirectResponse(exc.redirect_to(params.redirect_uri, params.state), status_code=302)
    # A direct answer: JSON so a browser shows it inline (one report saw an empty Content-Type).
    return JSONResponse(exc.as_json(), status_code=exc.status)


def _code_redirect(params: flows.AuthorizeParams, code: str) -> Response:
    query = {"code": code, **({"state": params.state} if params.state is not None else {})}
    joiner = "&" if "?" in (params.redirect_uri or "") else "?"
    return RedirectResponse(f"{params.redirect_uri}{joiner}{urlencode(query)}", status_code=302)


def _consent_page(request: Request, app: App, user: User, params: flows.AuthorizeParams) -> Response:
    labels = [catalog.label(name) for name in dict.fromkeys(
        catalog.group_of(n).canonical for n in flows.granted_scopes(app, params.scope))]
    context = {"app_name": app.name, "scope_labels": labels, "username": user.username,
               "fields": params.items()}
    return TEMPLATES.TemplateResponse(request, "consent.html", context)


async def authorize(request: Request) -> Response:
    host = resolve_host(request)
    state = sf(request)
    params = flows.AuthorizeParams.from_mapping(request.query_params)
    try:
        app = flows.check_client(state, params)
        flows.check_request(app, params)
        user = session_user(request, host)
        if user is None or "login" in params.prompts:
            if params.immediate == "true":
                raise ImmediateUnsuccessful()
            start = f"{AUTHORIZE_PATH}?{request.url.query}"
            return RedirectResponse(f"/?{urlencode({'ec': '302', 'startURL': start})}", status_code=302)
        flows.check_user(state, app, user)
        if flows.needs_consent(state, app, user, params):
            if params.immediate == "true":
                raise ImmediateUnsuccessful()
            return _consent_page(request, app, user, params)
        return _code_redirect(params, flows.issue_code(state, app, user, params))
    except SalesforceError as exc:
        return _shown(request, exc, params)


async def consent(request: Request) -> Response:
    host = resolve_host(request)
    state = sf(request)
    form = await request.form()
    params = flows.AuthorizeParams.from_mapping(form)
    try:
        app = flows.check_client(state, params)
        flows.check_request(app, params)
        user = session_user(request, host)
        if user is None:
            return RedirectResponse(f"{AUTHORIZE_PATH}?{urlencode(params.items())}", status_code=302)
        flows.check_user(state, app, user)
        if form.get("decision") != "allow":
            raise AccessDenied()
        flows.approve(state, app, user)
        return _code_redirect(params, flows.issue_code(state, app, user, params))
    except SalesforceError as exc:
        return _shown(request, exc, params)


def _login_page(request: Request, start_url: str, username: str = "", error: str = "") -> Response:
    if not username:
        username = dict(parse_qsl(urlsplit(start_url).query)).get("login_hint", "")
    context = {"start_url": start_url, "username": username, "error": error}
    return TEMPLATES.TemplateResponse(request, "login.html", context)


async def login_page(request: Request) -> Response:
    resolve_host(request)
    return _login_page(request, request.query_params.get("startURL", ""))


async def login(request: Request) -> Response:
    host = resolve_host(request)
    state = sf(request)
    form = await request.form()
    username, password = str(form.get("username", "")), str(form.get("pw", ""))
    start_url = str(form.get("startURL", ""))
    user = state.user_by_username(username)
    if user is None or user.password != password or not host.admits(user, state):
        return _login_page(request, start_url, username, LOGIN_FAILED)
    sid = state.ids.token(40)
    state.book.sessions[sid] = user.id
    response = RedirectResponse(_after_login(start_url), status_code=302)
    # Secure whenever served over HTTPS (always, in the harness); plain HTTP only for hand-testing.
    secure = request.url.scheme == "https"
    response.set_cookie(SESSION_COOKIE, sid, httponly=True, secure=secure, samesite="lax")
    return response


def _after_login(start_url: str) -> str:
    """Where to go after logging in; only paths on this host, and a satisfied ``prompt=login``."""
    if not start_url.startswith("/") or start_url.startswith("//"):
        return "/home/home.jsp"
    parts = urlsplit(start_url)
    pairs = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "prompt":
            value = " ".join(p for p in value.split() if p != "login")
            if not value:
                continue
        pairs.append((key, value))
    return f"{parts.path}?{urlencode(pairs)}" if pairs else parts.path


async def home(request: Request) -> Response:
    host = resolve_host(request)
    user = session_user(request, host)
    if user is None:
        return RedirectResponse("/", status_code=302)
    return TEMPLATES.TemplateResponse(request, "home.html", {"username": user.username})


async def logout(request: Request) -> Response:
    sf(request).book.sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
    response = RedirectResponse("/", status_code=302)
    response.delete_cookie(SESSION_COOKIE)
    return response
