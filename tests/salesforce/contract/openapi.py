"""Salesforce's published REST OpenAPI document (API 59.0), made strict, to check answers against.

Serves docs/salesforce-facts.md 3.10: the document (``salesforce.oas.json`` of the npm package
``@opensdks/sdk-salesforce``, generated from Salesforce's standard objects) names every field of
each standard object with its JSON type, and the shape of describe results, save results and
error bodies. As published it accepts anything extra, so it is tightened here:

- every object that lists its properties allows no other property: a field the schema does not
  know fails;
- every value may be null (Salesforce sends empty fields as null), otherwise it must have the
  schema's type; ``date-time`` and ``date`` values must be in Salesforce's own formats
  (``2026-01-31T09:30:00.000+0000``, ``2026-01-31``);
- a nested record under a relationship name (``Owner`` beside ``OwnerId``) is checked against its
  own object's schema.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

# JSON type of each describe field type: a describe that calls a number a string fails.
DESCRIBE_TYPES = {"boolean": "boolean", "int": "integer", "double": "number", "currency": "number",
                  "percent": "number", "address": "object", "location": "object"}
_FORMATS = {"date-time": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$", "date": r"^\d{4}-\d\d-\d\d$"}


class PublishedSchema:
    """The document, with strict validators for the answers the fake gives."""

    def __init__(self, path: Path) -> None:
        self.document = json.loads(path.read_text(encoding="utf-8"))
        self.version = self.document["info"]["version"]
        self.components = self.document["components"]["schemas"]

    def strict(self, schema: dict[str, Any]) -> dict[str, Any]:
        """``schema`` with references resolved, no unknown properties, nulls allowed, formats as patterns."""
        if "$ref" in schema:
            return self.strict(self.components[schema["$ref"].rsplit("/", 1)[1]])
        tight: dict[str, Any] = {key: value for key, value in schema.items() if key not in ("description", "format")}
        if "type" in schema:
            tight["type"] = [schema["type"], "null"]
        if schema.get("format") in _FORMATS:
            tight["pattern"] = _FORMATS[schema["format"]]
        if "properties" in schema:
            tight["properties"] = {name: self.strict(sub) for name, sub in schema["properties"].items()}
            tight.setdefault("additionalProperties", False)
        if isinstance(schema.get("additionalProperties"), dict):
            tight["additionalProperties"] = self.strict(schema["additionalProperties"])
        if "items" in schema:
            tight["items"] = self.strict(schema["items"])
        return tight

    @cache  # noqa: B019 - one document per run; the validators are costly to build
    def validator(self, component: str) -> Any:
        return jsonschema_rs.Draft7Validator(self.strict({"$ref": f"#/components/schemas/{component}"}))

    def response_validator(self, path: str, method: str, status: int) -> Any:
        """The validator of the documented answer of ``method path`` with ``status``."""
        answer = self.document["paths"][path][method]["responses"][str(status)]
        return jsonschema_rs.Draft7Validator(self.strict(answer["content"]["application/json"]["schema"]))

    def properties(self, sobject: str) -> dict[str, Any]:
        return dict(self.components[f"{sobject}SObject"]["properties"])


def problems(validator: Any, answer: Any, where: str) -> list[str]:
    return [f"{where}{'/' + '/'.join(map(str, e.instance_path)) if e.instance_path else ''}: {e.message}"
            for e in validator.iter_errors(answer)]


def record_problems(schema: PublishedSchema, sobject: str, record: dict[str, Any],
                    references: dict[str, str]) -> list[str]:
    """A record (read or query row) against its object's schema; nested parents against theirs."""
    flat, found = dict(record), []
    for key, value in record.items():
        parent = references.get(f"{key}Id")
        if isinstance(value, dict) and key != "attributes" and parent and f"{key}Id" in schema.properties(sobject):
            flat.pop(key)
            found += record_problems(schema, parent, value, references)
    return found + problems(schema.validator(f"{sobject}SObject"), flat, sobject)


def describe_problems(schema: PublishedSchema, sobject: str, described: dict[str, Any]) -> list[str]:
    """A describe against DescribeSObjectResult; each field must be one the object's schema names, of
    the same JSON type."""
    found = problems(schema.validator("DescribeSObjectResult"), described, f"{sobject} describe")
    known = schema.properties(sobject)
    for field in described.get("fields", []):
        name, kind = field["name"], DESCRIBE_TYPES.get(field["type"], "string")
        if name not in known:
            found.append(f"{sobject}.{name}: not a field of {sobject} in the published schema")
        elif known[name].get("type") != kind:
            found.append(f"{sobject}.{name}: described as {field['type']} ({kind}), published as "
                         f"{known[name].get('type')}")
    return found
