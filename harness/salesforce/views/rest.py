"""The REST API's entry points: versions, the versioned resource list, limits, and unknown paths.

Serves the documented REST rules (docs/salesforce-facts.md 3.1, 3.3): calls go to the org's ``instance_url`` (its
My Domain host) with ``Authorization: Bearer``; an invalid or expired token is 401
``[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]``. The versioned
resource list names only what this fake serves (``sobjects``, ``query``, ``queryAll``,
``search``, ``limits``), so a client that walks it never meets a dead link. Any other path under
``/services/data`` answers Salesforce's JSON error array: 404 ``NOT_FOUND``, or 405
``METHOD_NOT_ALLOWED`` when the path exists for other methods; never plain text.

Slashes (docs/salesforce-facts.md 3.9): a leading run (``//services/data/...``, what the ``sf`` CLI
sends after an access-token login) is folded to one before routing (``harness/salesforce/slashes.py``);
a doubled slash inside the path (``/services/data/v60.0//sobjects``) is a path Salesforce does not
know (restforce pull request 366), so it stays a 404 ``NOT_FOUND``.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match

from harness.salesforce.errors import InvalidSessionId, MethodNotAllowed, NotFound
from harness.salesforce.models.orgs import Org
from harness.salesforce.views.common import host_name, live_access, sf

LATEST = 66
OLDEST = 31
RESOURCES = ("sobjects", "query", "queryAll", "search", "limits")
REST_SCOPES = frozenset(("api", "full"))
_SEASONS = ("Spring", "Winter", "Summer")
# Our choice: a Developer Edition's daily API allowance; other limits are fixed sample values.
DAILY_API_REQUESTS = 15000
_FIXED_LIMITS = {"DailyAsyncApexExecutions": 250000, "DailyBulkApiBatches": 15000,
                 "DailyBulkV2QueryFileStorageMB": 976562, "DailyBulkV2QueryJobs": 10000,
                 "DailyStreamingApiEvents": 10000, "FileStorageMB": 20, "HourlyODataCallout": 20000,
                 "MassEmail": 10, "SingleEmail": 15}
DATA_STORAGE_MB = 5
RECORD_KB = 2  # Salesforce counts most records as 2 KB of data storage


def _version_label(version: int) -> str:
    back = LATEST - version  # v66 is Spring '26; each older version is the release before
    return f"{_SEASONS[back % 3]} '{26 - (back + 1) // 3:02d}"


def rest_org(request: Request) -> Org:
    """The caller's org; the token must be live, carry the ``api`` or ``full`` scope, and the host must
    be that org's My Domain."""
    found = live_access(request)
    if found is None or host_name(request) != found[2].my_domain_host:
        raise InvalidSessionId()
    if not REST_SCOPES & set(found[0].scopes):
        # What Salesforce answers a live token whose scopes do not reach the REST API.
        raise InvalidSessionId("This session is not valid for use with the REST API")
    found[2].count_api_request(sf(request).clock.now())
    # Read by the middleware, which adds Salesforce's "Sforce-Limit-Info: api-usage=N/MAX" header.
    request.state.api_usage = (found[2].api_requests, DAILY_API_REQUESTS)
    return found[2]


def api_version(request: Request) -> str:
    """``NN.0`` from the path; an unknown version is a path Salesforce does not serve (404)."""
    version = request.path_params["version"]
    match = re.fullmatch(r"(\d+)\.0", version)
    if not match or not OLDEST <= int(match[1]) <= LATEST:
        raise NotFound()
    return version


async def versions(request: Request) -> Response:
    return JSONResponse([{"label": _version_label(v), "url": f"/services/data/v{v}.0", "version": f"{v}.0"}
                         for v in range(OLDEST, LATEST + 1)])


async def resources(request: Request) -> Response:
    version = api_version(request)
    rest_org(request)
    return JSONResponse({name: f"/services/data/v{version}/{name}" for name in RESOURCES})


def _limit(maximum: int, used: int) -> dict[str, int]:
    return {"Max": maximum, "Remaining": max(0, maximum - used)}


async def limits(request: Request) -> Response:
    api_version(request)
    org = rest_org(request)
    stored = sum(len(rows) for rows in org.records.values()) * RECORD_KB // 1024
    body: dict[str, Any] = {"DailyApiRequests": _limit(DAILY_API_REQUESTS, org.api_requests),
                            "DataStorageMB": _limit(DATA_STORAGE_MB, stored)}
    body.update({name: _limit(maximum, 0) for name, maximum in _FIXED_LIMITS.items()})
    return JSONResponse(dict(sorted(body.items())))


def _allowed_methods(request: Request) -> set[str]:
    allowed: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        methods = getattr(route, "methods", None)
        if match == Match.PARTIAL and methods:
            allowed |= set(methods)
    return allowed


async def unknown(request: Request) -> Response:
    """Every other path under ``/services/data``: 405 for a known path, else 404 (after the token)."""
    allowed = _allowed_methods(request)
    if allowed:
        order = ["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"]
        listed = ",".join(sorted(allowed, key=lambda m: order.index(m) if m in order else len(order)))
        raise MethodNotAllowed(f"HTTP Method '{request.method}' not allowed. Allowed are {listed}")
    rest = request.path_params.get("rest", "")
    match = re.match(r"v(\d+)\.0(?:/|$)", rest)
    if match and OLDEST <= int(match[1]) <= LATEST:
        rest_org(request)  # our choice: inside a version, the session is checked first
    raise NotFound()


def http_error_json(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 (no route, or a route for other methods) in Salesforce's shape
    under ``/services/data``; plain text elsewhere."""
    status = getattr(exc, "status_code", 404)
    if "/services/data" not in request.url.path:
        return Response("Method Not Allowed" if status == 405 else "Not Found", status_code=status,
                        media_type="text/plain")
    if status == 405:
        error = MethodNotAllowed(f"HTTP Method '{request.method}' not allowed. Allowed are GET,HEAD")
        return JSONResponse(error.as_json(), status_code=405)
    return JSONResponse(NotFound().as_json(), status_code=404)
