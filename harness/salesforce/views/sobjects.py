"""The sObject resources: the object list, basic information, describe, and records (CRUD).

Serves the REST API guide's "sObject Basic Information", "sObject Describe" and "sObject Rows":
``GET sobjects/{type}/{id}`` answers every field with ``attributes`` first, or only the fields
named in ``fields=`` (comma-separated; an unknown one is 400 ``INVALID_FIELD``); an unknown type
or id is 404 ``NOT_FOUND``; a deleted record is 404 ``ENTITY_IS_DELETED``. ``POST
sobjects/{type}`` creates (201 ``{"id", "success", "errors"}``), ``PATCH`` updates (204),
``DELETE`` moves to the Recycle Bin (204). Our choice: ``recentItems`` is always empty (the fake
keeps no "recently viewed" list).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from harness.salesforce.errors import InvalidField, JsonParserError, NotFound
from harness.salesforce.models import org_data
from harness.salesforce.models.records import OBJECTS, REFERENCES, FieldSpec, ObjectSpec, find_object
from harness.salesforce.views.common import live_access, sf
from harness.salesforce.views.rest import api_version, rest_org

_LENGTHS = {"string": 255, "email": 80, "phone": 40, "picklist": 255, "id": 18, "reference": 18, "url": 255,
            "textarea": 32000}
_SOAP_TYPES = {"id": "tns:ID", "reference": "tns:ID", "boolean": "xsd:boolean", "datetime": "xsd:dateTime",
               "date": "xsd:date", "currency": "xsd:double", "double": "xsd:double", "percent": "xsd:double",
               "int": "xsd:int"}
_NOT_NILLABLE = ("Id", "IsDeleted", "Name", "LastName", "StageName", "CloseDate", "OwnerId", "CreatedDate",
                 "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp", "Username")


def object_summary(spec: ObjectSpec, version: str) -> dict[str, Any]:
    base = f"/services/data/v{version}/sobjects/{spec.name}"
    writable = spec.deletable
    return {"name": spec.name, "label": spec.label, "labelPlural": spec.plural, "keyPrefix": spec.prefix,
            "queryable": True, "retrieveable": True, "replicateable": True, "custom": False,
            "createable": writable, "updateable": writable, "deletable": writable,
            "urls": {"sobject": base, "describe": f"{base}/describe", "rowTemplate": f"{base}/{{ID}}"}}


def _spec(request: Request) -> ObjectSpec:
    spec = find_object(request.path_params["name"])
    if spec is None:
        raise NotFound()
    return spec


async def sobjects(request: Request) -> Response:
    version = api_version(request)
    rest_org(request)
    return JSONResponse({"encoding": "UTF-8", "maxBatchSize": 200,
                         "sobjects": [object_summary(spec, version) for spec in OBJECTS.values()]})


def _field_description(spec: ObjectSpec, field: FieldSpec) -> dict[str, Any]:
    name, kind = field.name, field.type
    reference = [REFERENCES[name]] if name in REFERENCES else []
    writable = spec.deletable and not field.readonly
    return {"name": name, "label": field.label, "type": kind, "nillable": name not in _NOT_NILLABLE,
            "length": _LENGTHS.get(kind, 0), "soapType": _SOAP_TYPES.get(kind, "xsd:string"),
            "createable": writable, "updateable": writable, "custom": False, "referenceTo": reference,
            "relationshipName": name[:-2] if reference else None}


async def describe(request: Request) -> Response:
    version = api_version(request)
    rest_org(request)
    spec = _spec(request)
    fields = [_field_description(spec, f) for f in spec.fields]
    return JSONResponse({**object_summary(spec, version), "fields": fields})


def shaped(spec: ObjectSpec, version: str, row: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """A record as REST shows it: ``attributes`` (type and url) first, then the chosen fields."""
    url = f"/services/data/v{version}/sobjects/{spec.name}/{row['Id']}"
    return {"attributes": {"type": spec.name, "url": url}, **{name: row.get(name) for name in names}}


def _chosen_fields(spec: ObjectSpec, text: str | None) -> list[str]:
    if text is None:
        return [field.name for field in spec.fields]
    names = []
    for raw in (part.strip() for part in text.split(",")):
        field = spec.field(raw) if raw else None
        if field is None:
            raise InvalidField(f"No such column '{raw}' on sobject of type {spec.name}")
        names.append(field.name)
    return list(dict.fromkeys(names))


async def _values(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"null")
    except ValueError as exc:
        raise JsonParserError(f"Unexpected character in the request body: {exc}") from None
    if not isinstance(body, dict):
        raise JsonParserError("The request body must be a JSON object of field names and values")
    return {key: value for key, value in body.items() if key != "attributes"}


def _caller(request: Request) -> str | None:
    """The user the token acts for: a record they create or change names them (``CreatedById`` ...)."""
    found = live_access(request)
    return found[1].id if found is not None else None


async def sobject(request: Request) -> Response:
    """``GET`` the object's basic information; ``POST`` a new record."""
    version = api_version(request)
    org = rest_org(request)
    spec = _spec(request)
    if request.method == "POST":
        state = sf(request)
        new_id = org_data.create(org, spec, await _values(request), state.ids.new(spec.prefix), state.clock.now(),
                                 _caller(request))
        return JSONResponse({"id": new_id, "success": True, "errors": []}, status_code=201)
    return JSONResponse({"objectDescribe": object_summary(spec, version), "recentItems": []})


async def record(request: Request) -> Response:
    """``GET``/``HEAD`` a record (all fields or ``fields=``), ``PATCH`` it, ``DELETE`` it (204)."""
    version = api_version(request)
    org = rest_org(request)
    spec = _spec(request)
    record_id = request.path_params["record_id"]
    now = sf(request).clock.now()
    if request.method == "DELETE":
        org_data.delete(org, spec, record_id, now)
        return Response(status_code=204)
    if request.method == "PATCH":
        org_data.update(org, spec, record_id, await _values(request), now, _caller(request))
        return Response(status_code=204)
    row = org_data.record(org, spec, record_id)
    names = _chosen_fields(spec, request.query_params.get("fields"))
    return JSONResponse(shaped(spec, version, row, names))
