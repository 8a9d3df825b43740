"""What every view needs: which host was asked, the login session, Bearer tokens, templates.

Serves the documented host rules (docs/salesforce-facts.md 3.1): one server answers for ``login.salesforce.com``
(production orgs), ``test.salesforce.com`` (sandboxes) and every org's My Domain host; REST and
identity calls carry ``Authorization: Bearer <access_token>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.templating import Jinja2Templates

from harness.salesforce.errors import SalesforceError
from harness.salesforce.models.grants import AccessToken
from harness.salesforce.models.orgs import LOGIN_HOST, TEST_HOST, Org, User

if TYPE_CHECKING:
    from harness.salesforce.backend import SalesforceBackend
    from harness.salesforce.models import SalesforceState

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
SESSION_COOKIE = "sid"


class UnknownHost(Exception):
    """A request for a host this fake does not serve (no such My Domain)."""


@dataclass(frozen=True)
class Host:
    name: str
    kind: Literal["login", "test", "mydomain"]
    org: Org | None = None

    def admits(self, user: User, state: SalesforceState) -> bool:
        """Whether ``user`` may log in here: production at login, sandboxes at test, own My Domain."""
        org = state.orgs[user.org_id]
        if self.kind == "login":
            return not org.is_sandbox
        if self.kind == "test":
            return org.is_sandbox
        return self.org is not None and self.org.id == org.id


def backend(request: Request) -> SalesforceBackend:
    return request.app.state.backend  # type: ignore[no-any-return]


def sf(request: Request) -> SalesforceState:
    return backend(request).state


def host_name(request: Request) -> str:
    return (request.headers.get("host") or "").split(":")[0].lower()


def resolve_host(request: Request) -> Host:
    name = host_name(request)
    if name == LOGIN_HOST:
        return Host(name, "login")
    if name == TEST_HOST:
        return Host(name, "test")
    org = sf(request).org_for_host(name)
    if org is None:
        raise UnknownHost(name)
    return Host(name, "mydomain", org)


def session_user(request: Request, host: Host) -> User | None:
    state = sf(request)
    user_id = state.book.sessions.get(request.cookies.get(SESSION_COOKIE, ""))
    user = state.users.get(user_id or "")
    return user if user is not None and host.admits(user, state) else None


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() in ("bearer", "oauth") and value.strip():
        return value.strip()
    return None


def live_access(request: Request) -> tuple[AccessToken, User, Org] | None:
    """The caller's live access token with its active user and org, or None."""
    state = sf(request)
    token = state.book.live_access(bearer_token(request) or "", state.clock.now())
    if token is None:
        return None
    user, org = state.users[token.user_id], state.orgs[token.org_id]
    if not user.active or not org.active:
        return None
    return token, user, org


def error_page(request: Request, exc: SalesforceError) -> Response:
    """Salesforce's OAuth error page: HTML, status 400, the raw ``error=..`` string, no redirect."""
    return TEMPLATES.TemplateResponse(request, "error.html", {"text": exc.as_page_text()},
                                      status_code=exc.status)


def unknown_host_response(request: Request, exc: Exception) -> Response:
    return HTMLResponse(f"<h1>Site not found</h1><p>No Salesforce site at {exc}.</p>", status_code=404)
