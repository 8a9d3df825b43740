"""SOQL and SOSL over REST: ``query``/``queryAll`` with paging, ``columns=true``, and ``search``.

Serves the REST API guide's "Query" and "QueryAll" resources: ``queryAll`` also returns deleted
records (``IsDeleted`` true); results come in batches of 2000 (Salesforce's default), smaller when
the request sends ``Sforce-Query-Options: batchSize=N`` (200-2000), with ``nextRecordsUrl`` until
``done``. ``columns=true`` answers the query's column metadata instead of its rows, in the shape
Salesforce's own tools read (``columnMetadata``, ``entityName``, ``groupBy``, ``idSelected``,
``keyPrefix``; public client code such as Jetstream's ``QueryColumnsSfdc``). Our choice for
``COUNT()``: no columns.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from harness.salesforce.errors import InvalidQueryLocator, MalformedQuery
from harness.salesforce.models import org_data, soql, sosl
from harness.salesforce.models.orgs import Org
from harness.salesforce.models.records import ObjectSpec
from harness.salesforce.views.common import sf
from harness.salesforce.views.rest import api_version, rest_org
from harness.salesforce.views.sobjects import shaped

DEFAULT_BATCH = 2000
_APEX_TYPES = {"id": "Id", "reference": "Id", "boolean": "Boolean", "datetime": "Datetime", "date": "Date",
               "currency": "Decimal", "double": "Double"}


def _batch_size(request: Request) -> int:
    match = re.search(r"batchSize=(\d+)", request.headers.get("sforce-query-options", ""))
    return min(max(int(match[1]), 200), DEFAULT_BATCH) if match else DEFAULT_BATCH


def _column(spec: ObjectSpec, name: str) -> dict[str, Any]:
    field = spec.field(name)
    kind = field.type if field else "string"
    writable = spec.deletable and name not in ("Id", "IsDeleted", "CreatedDate", "LastModifiedDate",
                                                 "SystemModstamp")
    return {"aggregate": False, "apexType": _APEX_TYPES.get(kind, "String"), "booleanType": kind == "boolean",
            "columnName": name, "custom": False, "displayName": name, "foreignKeyName": None,
            "insertable": writable, "joinColumns": [], "numberType": kind in ("currency", "double"),
            "textType": _APEX_TYPES.get(kind, "String") == "String", "updatable": writable}


def _columns(parsed: soql.Query) -> dict[str, Any]:
    """Column metadata; a parent's fields are ``joinColumns`` of one column named after the
    relationship (our choice for that column's other properties: those of its lookup field)."""
    columns: list[dict[str, Any]] = []
    joins: dict[str, dict[str, Any]] = {}
    for path in parsed.fields:
        relation, _, name = path.partition(".")
        if not name:
            columns.append(_column(parsed.spec, path))
            continue
        if relation not in joins:
            joins[relation] = {**_column(parsed.spec, f"{relation}Id"), "columnName": relation,
                               "displayName": relation, "joinColumns": []}
            columns.append(joins[relation])
        joins[relation]["joinColumns"].append(_column(soql.parent_object(parsed.spec, relation), name))
    return {"columnMetadata": columns, "entityName": parsed.spec.name, "groupBy": False,
            "idSelected": "Id" in parsed.fields, "keyPrefix": parsed.spec.prefix}


def _projected(org: Org, parsed: soql.Query, version: str, row: dict[str, Any]) -> dict[str, Any]:
    """A result row: the selected fields in order; a parent's fields nested under the relationship
    name with their own ``attributes``, or null when the lookup is empty."""
    record = shaped(parsed.spec, version, row, [])
    parents: dict[str, dict[str, Any] | None] = {}
    for path in parsed.fields:
        relation, _, name = path.partition(".")
        if not name:
            record[path] = row.get(path)
            continue
        if relation not in parents:
            parent_spec = soql.parent_object(parsed.spec, relation)
            rows = org_data.rows(org, parent_spec, include_deleted=True)
            parents[relation] = next((p for p in rows if p["Id"] == row.get(f"{relation}Id")), None)
            found = parents[relation]
            record[relation] = None if found is None else shaped(parent_spec, version, found, [])
        if record[relation] is not None:
            record[relation][name] = parents[relation].get(name)  # type: ignore[union-attr]
    return record


async def _run(request: Request, resource: str) -> Response:
    version = api_version(request)
    org = rest_org(request)
    text = request.query_params.get("q")
    if text is None:
        raise MalformedQuery("A query string has to be specified")  # our choice of wording
    parsed = soql.parse(text)
    if request.query_params.get("columns", "").lower() == "true":
        return JSONResponse(_columns(parsed))
    rows = soql.run(parsed, org_data.rows(org, parsed.spec, include_deleted=resource == "queryAll"))
    if parsed.is_count:
        return JSONResponse({"totalSize": len(rows), "done": True, "records": []})
    records = [_projected(org, parsed, version, row) for row in rows]
    state = sf(request)
    locator = state.ids.new("01g")[:15]
    state.cursors[locator] = records
    return _page(version, resource, locator, records, 0, _batch_size(request))


async def query(request: Request) -> Response:
    return await _run(request, "query")


async def query_all(request: Request) -> Response:
    return await _run(request, "queryAll")


async def search(request: Request) -> Response:
    """``search?q=FIND {...}``: ``{"searchRecords": [...]}`` (``harness/salesforce/models/sosl.py``)."""
    version = api_version(request)
    org = rest_org(request)
    parsed = sosl.parse(request.query_params.get("q", ""))
    found: list[dict[str, Any]] = []
    for spec, names in parsed.targets:
        hits = [row for row in org_data.rows(org, spec) if parsed.matches(spec, row)]
        found += [shaped(spec, version, row, names) for row in hits]
    return JSONResponse({"searchRecords": found[: parsed.limit]})


async def query_more(request: Request) -> Response:
    version = api_version(request)
    rest_org(request)
    resource = "queryAll" if "/queryAll/" in request.url.path else "query"
    locator, _, offset = request.path_params["locator"].partition("-")
    rows = sf(request).cursors.get(locator)
    if rows is None or not offset.isdigit() or int(offset) > len(rows):
        raise InvalidQueryLocator()
    return _page(version, resource, locator, rows, int(offset), _batch_size(request))


def _page(version: str, resource: str, locator: str, rows: list[dict[str, Any]], offset: int,
          size: int) -> Response:
    end = offset + size
    body: dict[str, Any] = {"totalSize": len(rows), "done": end >= len(rows), "records": rows[offset:end]}
    if end < len(rows):
        body["nextRecordsUrl"] = f"/services/data/v{version}/{resource}/{locator}-{end}"
    return JSONResponse(body)
