"""The fake Salesforce's app factory, routes and backend (its state plus the control operations).

Serves the design rule that one server answers for every Salesforce host and dispatches on
``Host`` (docs/salesforce-facts.md 3.1), and the harness rule that a reset rebuilds the state from scratch. The
backend's methods are the control API in-process: ``harness/salesforce/control_routes.py`` is a thin
HTTP shell over them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from harness.salesforce import control_routes, world_routes
from harness.salesforce.errors import ControlError, ControlNotFound, RestError
from harness.salesforce.middleware import HarnessMiddleware
from harness.salesforce.models import Clock, SalesforceState
from harness.salesforce.views import authorize, identity, metadata, query, replication, rest, sobjects, token
from harness.salesforce.views.common import UnknownHost, unknown_host_response

T = TypeVar("T")


def _locked(method: Callable[..., T]) -> Callable[..., T]:
    @wraps(method)
    def wrapper(self: SalesforceBackend, *args: Any, **kwargs: Any) -> T:
        with self.lock:
            return method(self, *args, **kwargs)
    return wrapper


class SalesforceBackend:
    """One fake Salesforce: its state, and the control operations on it (also over HTTP)."""

    def __init__(self, seed: int = 0, clock: Clock | None = None) -> None:
        self.lock = threading.RLock()
        self._clock = clock
        self.state = SalesforceState(seed, clock or Clock())

    @_locked
    def reset(self, seed: int | None = None) -> dict[str, Any]:
        """Throws everything away and starts again from ``seed`` (default: the current seed)."""
        self.state = SalesforceState(self.state.seed if seed is None else seed, self._clock or Clock())
        return {"ok": True}

    # -- orgs and users -----------------------------------------------------------------------
    @_locked
    def create_org(self, **spec: Any) -> dict[str, Any]:
        return self.state.create_org(spec)

    @_locked
    def list_orgs(self) -> list[dict[str, Any]]:
        return [org.to_dict() for org in self.state.orgs.values()]

    @_locked
    def get_org(self, org_id: str) -> dict[str, Any]:
        return self.state.org(org_id).to_dict()

    @_locked
    def update_org(self, org_id: str, **spec: Any) -> dict[str, Any]:
        return self.state.update_org(org_id, spec)

    @_locked
    def create_user(self, org_id: str, **spec: Any) -> dict[str, Any]:
        return self.state.create_user(org_id, spec)

    @_locked
    def list_users(self, org_id: str) -> list[dict[str, Any]]:
        return [user.to_dict() for user in self.state.org(org_id).users.values()]

    @_locked
    def update_user(self, org_id: str, user_id: str, **spec: Any) -> dict[str, Any]:
        return self.state.update_user(org_id, user_id, spec)

    # -- apps ---------------------------------------------------------------------------------
    @_locked
    def create_app(self, org_id: str, **settings: Any) -> dict[str, Any]:
        return self.state.create_app(org_id, settings)

    @_locked
    def get_app(self, app_id: str) -> dict[str, Any]:
        return self.state.app(app_id).to_dict()

    @_locked
    def update_app(self, app_id: str, **settings: Any) -> dict[str, Any]:
        return self.state.update_app(app_id, settings)

    @_locked
    def rotate_secret(self, app_id: str) -> dict[str, Any]:
        return self.state.rotate_secret(app_id)

    @_locked
    def revoke_grants(self, app_id: str) -> dict[str, Any]:
        return self.state.revoke_grants(app_id)

    @_locked
    def grants(self, app_id: str) -> list[dict[str, Any]]:
        return self.state.grants(app_id)

    # -- faults, request log, clock -----------------------------------------------------------
    @_locked
    def add_fault(self, **spec: Any) -> dict[str, Any]:
        return self.state.faults.add(spec).to_dict()

    @_locked
    def faults(self) -> list[dict[str, Any]]:
        return self.state.faults.list()

    @_locked
    def clear_faults(self) -> dict[str, Any]:
        self.state.faults.clear()
        return {"ok": True}

    @_locked
    def requests(self) -> list[dict[str, Any]]:
        return [dict(entry) for entry in self.state.log.entries]

    @_locked
    def clear_requests(self) -> dict[str, Any]:
        self.state.log.entries.clear()
        return {"ok": True}

    @_locked
    def advance_clock(self, seconds: float) -> dict[str, Any]:
        return {"now": self.state.clock.advance(seconds)}


def _rest_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RestError)
    return JSONResponse(exc.as_json(), status_code=exc.status)


def _control_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ControlError)
    return JSONResponse({"error": exc.message}, status_code=exc.status)


async def _control_not_found(request: Request) -> Response:
    return JSONResponse({"error": f"no control call {request.method} {request.url.path}"}, status_code=404)


def _both(path: str, endpoint: Callable[..., Any], methods: list[str] | None = None) -> list[Route]:
    """The path with and without a trailing slash: clients use both (simple-salesforce adds one)."""
    return [Route(path, endpoint, methods=methods), Route(f"{path}/", endpoint, methods=methods)]


def _rest_routes() -> list[Route]:
    data = "/services/data/v{version}"
    return [
        *_both("/services/data", rest.versions),
        *_both(data, rest.resources),
        *_both(f"{data}/limits", rest.limits),
        *_both(f"{data}/sobjects", sobjects.sobjects),
        *_both(f"{data}/sobjects/{{name}}", sobjects.sobject, ["GET", "POST"]),
        *_both(f"{data}/sobjects/{{name}}/describe", sobjects.describe),
        *_both(f"{data}/sobjects/{{name}}/updated", replication.changes),
        *_both(f"{data}/sobjects/{{name}}/deleted", replication.changes),
        *_both(f"{data}/sobjects/{{name}}/{{record_id}}", sobjects.record, ["GET", "PATCH", "DELETE"]),
        *_both(f"{data}/query", query.query),
        *_both(f"{data}/queryAll", query.query_all),
        *_both(f"{data}/search", query.search),
        Route(f"{data}/query/{{locator}}", query.query_more),
        Route(f"{data}/queryAll/{{locator}}", query.query_more),
        Route("/services/data/{rest:path}", rest.unknown, methods=["GET", "POST", "PATCH", "PUT", "DELETE"]),
    ]


def _routes() -> list[Route | Mount]:
    return [
        Mount("/__harness", routes=[*control_routes.routes(), *world_routes.routes(),
                                    Route("/{rest:path}", _control_not_found, methods=["GET", "POST", "PATCH",
                                                                                       "DELETE", "PUT"])]),
        Route("/", authorize.login_page, methods=["GET"]),
        Route("/", authorize.login, methods=["POST"]),
        Route("/home/home.jsp", authorize.home),
        Route("/secur/logout.jsp", authorize.logout),
        Route("/services/oauth2/authorize", authorize.authorize),
        Route("/setup/secur/RemoteAccessAuthorizationPage.apexp", authorize.consent, methods=["POST"]),
        Route("/services/oauth2/token", token.token, methods=["GET", "POST"]),
        Route("/services/oauth2/revoke", token.revoke, methods=["GET", "POST"]),
        Route("/services/oauth2/introspect", token.introspect, methods=["POST"]),
        Route("/services/oauth2/userinfo", identity.userinfo, methods=["GET", "POST"]),
        Route("/.well-known/openid-configuration", identity.openid_configuration),
        Route("/id/keys", identity.keys),
        Route("/id/{org_id}/{user_id}", identity.identity, methods=["GET", "POST"]),
        *_rest_routes(),
        # The Metadata API endpoint, also with the org id the identity URL's "metadata" link carries.
        *_both("/services/Soap/m/{version}", metadata.soap, ["POST"]),
        Route("/services/Soap/m/{version}/{org_id}", metadata.soap, methods=["POST"]),
        Route("/services/Soap/{rest:path}", metadata.other_soap, methods=["GET", "POST"]),
    ]


def create_app(backend: SalesforceBackend | None = None) -> Starlette:
    """The fake Salesforce as an ASGI app; pass a backend to share or inspect its state."""
    backend = backend or SalesforceBackend()
    app = Starlette(
        routes=_routes(),
        middleware=[Middleware(HarnessMiddleware, backend=backend)],
        exception_handlers={RestError: _rest_error, ControlError: _control_error,
                            UnknownHost: unknown_host_response, ControlNotFound: _control_error,
                            404: rest.http_error_json, 405: rest.http_error_json},
    )
    app.state.backend = backend
    return app
