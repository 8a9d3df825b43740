"""A small REST API: versions, resources, sobjects, describe and SOQL query with paging.

Serves the documented REST rules (facts 3.1, 3.3): calls go to the org's ``instance_url`` (its
My Domain host) with ``Authorization: Bearer``; an invalid or expired token is 401
``[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]``. Paging: query
results come in batches of 2000 (Salesforce's default), smaller when the request sends
``Sforce-Query-Options: batchSize=N`` (200-2000), with ``nextRecordsUrl`` until ``done``.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from harness.salesforce.errors import InvalidQueryLocator, InvalidSessionId, NotFound
from harness.salesforce.models import records as soql
from harness.salesforce.models.orgs import Org
from harness.salesforce.views.common import host_name, live_access, sf

LATEST = 66
OLDEST = 31
DEFAULT_BATCH = 2000
_SEASONS = ("Spring", "Winter", "Summer")


def _version_label(version: int) -> str:
    back = LATEST - version  # v66 is Spring '26; each older version is the release before
    return f"{_SEASONS[back % 3]} '{26 - (back + 1) // 3:02d}"


def _org(request: Request) -> Org:
    """The caller's org; the token must be live and the host must be that org's My Domain."""
    found = live_access(request)
    if found is None or host_name(request) != found[2].my_domain_host:
        raise InvalidSessionId()
    return found[2]


def _version(request: Request) -> str:
    version = request.path_params["version"]
    match = re.fullmatch(r"(\d+)\.0", version)
    if not match or not OLDEST <= int(match[1]) <= LATEST:
        raise NotFound()
    return version


async def versions(request: Request) -> Response:
    return JSONResponse([{"label": _version_label(v), "url": f"/services/data/v{v}.0", "version": f"{v}.0"}
                         for v in range(OLDEST, LATEST + 1)])


async def resources(request: Request) -> Response:
    version = _version(request)
    _org(request)
    base = f"/services/data/v{version}"
    return JSONResponse({name: f"{base}/{name}" for name in ("sobjects", "query", "queryAll", "search",
                                                              "limits", "recent")})


def _object_summary(spec: soql.ObjectSpec, version: str) -> dict[str, Any]:
    base = f"/services/data/v{version}/sobjects/{spec.name}"
    return {"name": spec.name, "label": spec.label, "labelPlural": spec.plural, "keyPrefix": spec.prefix,
            "queryable": True, "retrieveable": True, "replicateable": True, "custom": False,
            "createable": True, "updateable": True, "deletable": True,
            "urls": {"sobject": base, "describe": f"{base}/describe", "rowTemplate": f"{base}/{{ID}}"}}


async def sobjects(request: Request) -> Response:
    version = _version(request)
    _org(request)
    return JSONResponse({"encoding": "UTF-8", "maxBatchSize": 200,
                         "sobjects": [_object_summary(spec, version) for spec in soql.OBJECTS.values()]})


async def describe(request: Request) -> Response:
    version = _version(request)
    _org(request)
    name = request.path_params["name"].lower()
    spec = next((s for s in soql.OBJECTS.values() if s.name.lower() == name), None)
    if spec is None:
        raise NotFound()
    fields = [{"name": f.name, "label": f.label, "type": f.type, "nillable": f.name != "Id",
               "length": 255 if f.type in ("string", "email", "phone") else 0,
               "referenceTo": ["Account"] if f.type == "reference" else []} for f in spec.fields]
    return JSONResponse({**_object_summary(spec, version), "fields": fields})


def _rows(org: Org, spec: soql.ObjectSpec) -> list[dict[str, Any]]:
    if spec.name != "User":
        return org.records.get(spec.name, [])
    return [{"Id": u.id, "Username": u.username, "FirstName": u.first_name, "LastName": u.last_name,
             "Email": u.email, "IsActive": u.active} for u in org.users.values()]


def _batch_size(request: Request) -> int:
    match = re.search(r"batchSize=(\d+)", request.headers.get("sforce-query-options", ""))
    return min(max(int(match[1]), 200), DEFAULT_BATCH) if match else DEFAULT_BATCH


async def query(request: Request) -> Response:
    version = _version(request)
    org = _org(request)
    parsed = soql.parse(request.query_params.get("q", ""))
    rows = soql.run(parsed, _rows(org, parsed.spec))
    if parsed.is_count:
        return JSONResponse({"totalSize": len(rows), "done": True, "records": []})
    base = f"/services/data/v{version}/sobjects/{parsed.spec.name}"
    rows = [{"attributes": {"type": parsed.spec.name, "url": f"{base}/{row.get('Id', '')}"}, **row}
            for row in rows]
    state = sf(request)
    locator = state.ids.new("01g")[:15]
    state.cursors[locator] = rows
    return _page(version, locator, rows, 0, _batch_size(request))


async def query_more(request: Request) -> Response:
    version = _version(request)
    _org(request)
    locator, _, offset = request.path_params["locator"].partition("-")
    rows = sf(request).cursors.get(locator)
    if rows is None or not offset.isdigit() or int(offset) > len(rows):
        raise InvalidQueryLocator()
    return _page(version, locator, rows, int(offset), _batch_size(request))


def _page(version: str, locator: str, rows: list[dict[str, Any]], offset: int, size: int) -> Response:
    end = offset + size
    body: dict[str, Any] = {"totalSize": len(rows), "done": end >= len(rows), "records": rows[offset:end]}
    if end < len(rows):
        body["nextRecordsUrl"] = f"/services/data/v{version}/query/{locator}-{end}"
    return JSONResponse(body)
