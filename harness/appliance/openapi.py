"""The OpenAPI document of the JSON face, served at ``/api/v1/openapi.json``, derived from the code.

Rule served: harness/README.md "Appliance JSON API" - the contract drivers are written against is
readable by tools, and it cannot drift from the handlers: every operation, its typed body (types,
enums, required fields, bounds) and who may call it come from ``api.OPERATIONS`` and the pydantic
models in ``request_models.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
}
WIZARD_STATE: dict[str, Any] = {"$ref": "#/components/schemas/WizardState"}
# Answers that carry the wizard's state, so a client need not ask ``GET /wizard`` after them.
APP_STEP: dict[str, Any] = {
    "type": "object",
    "required": ["title", "callback_url", "checklist", "wizard"],
    "properties": {"title": {"type": "string"}, "callback_url": {"type": "string"},
                   "checklist": {"type": "array", "items": {"type": "string"}},
                   "consumer_key": {"type": ["string", "null"]}, "wizard": WIZARD_STATE},
}
AUTHORIZATION_STARTED: dict[str, Any] = {
    "type": "object",
    "required": ["authorize_url", "wizard"],
    "properties": {"authorize_url": {"type": "string"}, "wizard": WIZARD_STATE},
}
_WIZARD_STATE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["step", "step_name", "slug", "reached", "finished"],
    "properties": {"step": {"type": "integer", "minimum": 1, "maximum": 8}, "step_name": {"type": "string"},
                   "slug": {"type": "string"}, "reached": {"type": "integer", "minimum": 1, "maximum": 8},
                   "finished": {"type": "boolean"}},
}
PATH_PARAMETERS: dict[str, dict[str, Any]] = {
    "org_id": {"type": "string", "minLength": 1, "maxLength": 64},
    "policy_id": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
}
_ERRORS = {
    "400": "Invalid input; the message names the field",
    "401": "Not logged in (every endpoint once the wizard is finished, except /session)",
    "404": "No such organization or policy",
    "409": "Wrong wizard step, wizard_finished, wizard_not_finished or not_connected",
    "415": "Writes must be sent as application/json",
    "429": "Too many failed log-ins: the account is locked for a while",
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _body(model: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
    return {"required": bool(schema.get("required")),
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}


def _operation(op: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    codes = ["400", "409"]
    if op.access != "open":
        codes.append("401")
    if "{" in op.path:
        codes.append("404")
    if op.method != "GET":
        codes.append("415")
    if op.path == "/session" and op.method == "POST":
        codes.append("429")
    entry: dict[str, Any] = {
        "operationId": op.handler.__name__,
        "summary": op.summary,
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": op.answer or {}}}},
                      **{code: _error(_ERRORS[code]) for code in sorted(codes)}},
    }
    names = [part.strip("{}") for part in op.path.split("/") if part.startswith("{")]
    if names:
        entry["parameters"] = [{"name": n, "in": "path", "required": True, "schema": PATH_PARAMETERS[n]}
                               for n in names]
    if op.body is not None:
        entry["requestBody"] = _body(op.body, schemas)
    if op.access != "open":
        entry["security"] = [{"session": []}, {}] if op.access == "wizard" else [{"session": []}]
    return entry


def openapi_document(version: str, operations: Iterable[Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = {"Error": ERROR, "WizardState": _WIZARD_STATE_SCHEMA}
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Reference backup appliance API", "version": version},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "appliance_session"}},
        },
    }
