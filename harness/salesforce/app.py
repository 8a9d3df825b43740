"""The fake Salesforce's app factory and its one route table.

Serves the design rule that one server answers for every Salesforce host and dispatches on
``Host`` (docs/salesforce-facts.md 3.1). Each route names the endpoint that faults target and the
request log records (``SalesforceRoute.endpoint``), so the middleware reads the same table the
router uses. The state and the control operations live in ``backend.py``.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Mount, Route

from harness.reference.control_gate import control_answer
from harness.reference.disconnects import QuietDisconnects
from harness.salesforce import control_routes, world_routes
from harness.salesforce.backend import SalesforceBackend
from harness.salesforce.errors import ControlError, ControlNotFound, RestError
from harness.salesforce.middleware import HarnessMiddleware
from harness.salesforce.slashes import LeadingSlashes
from harness.salesforce.views import authorize, identity, metadata, query, replication, rest, sobjects, token
from harness.salesforce.views.common import UnknownHost, unknown_host_response


class SalesforceRoute(Route):
    """A route that also names its endpoint for faults and the request log (None: neither names it)."""

    def __init__(self, path: str, view: Callable[..., Any], methods: list[str] | None = None, *,
                 endpoint: str | None = None) -> None:
        super().__init__(path, view, methods=methods)
        self.fault_endpoint = endpoint


def _rest_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RestError)
    return JSONResponse(exc.as_json(), status_code=exc.status)


def _control_error(request: Request, exc: Exception) -> Response:
    """A control call the backend refused, in the shape both control APIs share."""
    assert isinstance(exc, ControlError)
    code = "not_found" if exc.status == 404 else "invalid_input"
    return control_answer(exc.status, code, exc.message)


async def _control_not_found(request: Request) -> Response:
    return control_answer(404, "not_found", f"no control call {request.method} {request.url.path}")


def _both(path: str, view: Callable[..., Any], methods: list[str] | None = None,
          endpoint: str | None = None) -> list[Route]:
    """The path with and without a trailing slash: clients use both (simple-salesforce adds one)."""
    return [SalesforceRoute(path, view, methods, endpoint=endpoint),
            SalesforceRoute(f"{path}/", view, methods, endpoint=endpoint)]


def _rest_routes() -> list[Route]:
    data = "/services/data/v{version}"
    return [
        *_both("/services/data", rest.versions, endpoint="versions"),
        *_both(data, rest.resources, endpoint="resources"),
        *_both(f"{data}/limits", rest.limits, endpoint="limits"),
        *_both(f"{data}/sobjects", sobjects.sobjects, endpoint="sobjects"),
        *_both(f"{data}/sobjects/{{name}}", sobjects.sobject, ["GET", "POST"], endpoint="sobjects"),
        *_both(f"{data}/sobjects/{{name}}/describe", sobjects.describe, endpoint="describe"),
        # Replication reads are record reads as far as faults go.
        *_both(f"{data}/sobjects/{{name}}/updated", replication.changes, endpoint="record"),
        *_both(f"{data}/sobjects/{{name}}/deleted", replication.changes, endpoint="record"),
        *_both(f"{data}/sobjects/{{name}}/{{record_id}}", sobjects.record, ["GET", "PATCH", "DELETE"],
               endpoint="record"),
        *_both(f"{data}/query", query.query, endpoint="query"),
        *_both(f"{data}/queryAll", query.query_all, endpoint="query"),
        *_both(f"{data}/search", query.search, endpoint="search"),
        SalesforceRoute(f"{data}/query/{{locator}}", query.query_more, endpoint="query"),
        SalesforceRoute(f"{data}/queryAll/{{locator}}", query.query_more, endpoint="query"),
        Route("/services/data/{rest:path}", rest.unknown, methods=["GET", "POST", "PATCH", "PUT", "DELETE"]),
    ]


def _oauth_routes() -> list[Route]:
    return [
        SalesforceRoute("/", authorize.login_page, ["GET"], endpoint="login"),
        SalesforceRoute("/", authorize.login, ["POST"], endpoint="login"),
        Route("/home/home.jsp", authorize.home),
        Route("/secur/logout.jsp", authorize.logout),
        SalesforceRoute("/services/oauth2/authorize", authorize.authorize, endpoint="authorize"),
        SalesforceRoute("/setup/secur/RemoteAccessAuthorizationPage.apexp", authorize.consent, ["POST"],
                        endpoint="consent"),
        SalesforceRoute("/services/oauth2/token", token.token, ["GET", "POST"], endpoint="token"),
        SalesforceRoute("/services/oauth2/revoke", token.revoke, ["GET", "POST"], endpoint="revoke"),
        SalesforceRoute("/services/oauth2/introspect", token.introspect, ["POST"], endpoint="introspect"),
        SalesforceRoute("/services/oauth2/userinfo", identity.userinfo, ["GET", "POST"], endpoint="userinfo"),
        SalesforceRoute("/.well-known/openid-configuration", identity.openid_configuration,
                        endpoint="openid_configuration"),
        SalesforceRoute("/id/keys", identity.keys, endpoint="keys"),
        SalesforceRoute("/id/{org_id}/{user_id}", identity.identity, ["GET", "POST"], endpoint="identity"),
    ]


def routes() -> list[Route | Mount]:
    """The one route table: control calls, the OAuth pages and endpoints, REST and the Metadata API."""
    return [
        Mount("/__harness", routes=[*control_routes.routes(), *world_routes.routes(),
                                    Route("/{rest:path}", _control_not_found, methods=["GET", "POST", "PATCH",
                                                                                       "DELETE", "PUT"])]),
        *_oauth_routes(),
        *_rest_routes(),
        # The Metadata API endpoint, also with the org id the identity URL's "metadata" link carries.
        *_both("/services/Soap/m/{version}", metadata.soap, ["POST"], endpoint="metadata"),
        SalesforceRoute("/services/Soap/m/{version}/{org_id}", metadata.soap, ["POST"], endpoint="metadata"),
        Route("/services/Soap/{rest:path}", metadata.other_soap, methods=["GET", "POST"]),
    ]


def endpoint_namer(table: list[Route | Mount]) -> Callable[[MutableMapping[str, Any]], str | None]:
    """The fault/log endpoint of a request: that of the first route its path matches (any method)."""
    named = [route for route in table if isinstance(route, Route)]

    def endpoint_of(scope: MutableMapping[str, Any]) -> str | None:
        probe = {"type": "http", "method": scope["method"], "path": scope["path"],
                 "root_path": scope.get("root_path", "")}
        for route in named:
            if route.matches(probe)[0] is not Match.NONE:
                return getattr(route, "fault_endpoint", None)
        return None

    return endpoint_of


def create_app(backend: SalesforceBackend | None = None) -> Starlette:
    """The fake Salesforce as an ASGI app; pass a backend to share or inspect its state."""
    backend = backend or SalesforceBackend()
    table = routes()
    app = Starlette(
        routes=table,
        middleware=[Middleware(QuietDisconnects), Middleware(LeadingSlashes),
                    Middleware(HarnessMiddleware, backend=backend, endpoint_of=endpoint_namer(table))],
        exception_handlers={RestError: _rest_error, ControlError: _control_error,
                            UnknownHost: unknown_host_response, ControlNotFound: _control_error,
                            404: rest.http_error_json, 405: rest.http_error_json},
    )
    app.state.backend = backend
    return app
