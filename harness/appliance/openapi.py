"""The OpenAPI description of the JSON face, served at ``/api/v1/openapi.json``.

Rule served: harness/README.md "Appliance JSON API" - kept by hand next to the routes so the
contract other engineers write drivers against is readable by tools as well as by people.
"""

from __future__ import annotations

from typing import Any

# (method, path, summary, request body properties, needs a session)
OPERATIONS: tuple[tuple[str, str, str, tuple[str, ...], bool], ...] = (
    ("get", "/wizard", "Current wizard step: step, step_name, slug, reached, finished", (), False),
    ("post", "/wizard/back", "Go back one step; nothing entered is lost", (), False),
    ("post", "/wizard/license", "Step 1: accept the license agreement", ("accepted",), False),
    (
        "post",
        "/wizard/administrator",
        "Step 2: create the local administrator",
        ("username", "password"),
        False,
    ),
    ("post", "/wizard/database", "Step 3: sqlite or postgresql (url)", ("kind", "url"), False),
    (
        "post",
        "/wizard/license-file",
        "Step 4: trial license or license file text",
        ("trial", "license"),
        False,
    ),
    ("get", "/wizard/external-client-app", "Step 5: callback_url, checklist, consumer_key", (), False),
    (
        "post",
        "/wizard/external-client-app",
        "Step 5: app credentials",
        ("consumer_key", "consumer_secret"),
        False,
    ),
    (
        "post",
        "/wizard/salesforce",
        "Step 6: start authorization; returns authorize_url",
        ("environment", "my_domain"),
        False,
    ),
    ("get", "/wizard/salesforce", "Step 6: outcome (connected|refused|error|pending)", (), False),
    ("post", "/wizard/salesforce/next", "Step 6: continue once connected", (), False),
    ("post", "/wizard/schedule", "Step 7: Hourly, Daily or Weekly", ("schedule",), False),
    ("get", "/wizard/summary", "Step 8: summary", (), False),
    ("post", "/wizard/finish", "Step 8: finish; creates the default backup policy", (), False),
    (
        "post",
        "/session",
        "Log in as the local administrator (sets a session cookie)",
        ("username", "password"),
        False,
    ),
    ("delete", "/session", "Log out", (), False),
    ("get", "/orgs", "Salesforce organizations", (), True),
    (
        "post",
        "/orgs/add",
        "Add Organization: returns authorize_url",
        ("environment", "my_domain", "consumer_key", "consumer_secret"),
        True,
    ),
    ("get", "/orgs/authorization", "Outcome of the last Add Organization or re-authorization", (), True),
    (
        "post",
        "/orgs/{org_id}/connection",
        "Edit Connection: new consumer key and secret",
        ("consumer_key", "consumer_secret"),
        True,
    ),
    ("post", "/orgs/{org_id}/reauthorize", "Re-authorize connection: returns authorize_url", (), True),
    ("get", "/policies", "Backup policies", (), True),
    ("post", "/policies/{policy_id}/run", "Run now", (), True),
    ("get", "/policies/{policy_id}/runs", "Run history", (), True),
    ("get", "/security/connected-app", "Before 3.2: the shared connected app (consumer key only)", (), True),
    (
        "put",
        "/security/connected-app",
        "Before 3.2: change the shared connected app",
        ("consumer_key", "consumer_secret"),
        True,
    ),
)


def _operation(summary: str, props: tuple[str, ...], session: bool, path: str) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": {}}}},
            "400": {"description": "Invalid input: {error, message}"},
            "409": {"description": "Wrong wizard step: {error, message}"},
        },
    }
    params = [
        {"name": name.strip("{}"), "in": "path", "required": True, "schema": {"type": "string"}}
        for name in path.split("/")
        if name.startswith("{")
    ]
    if params:
        op["parameters"] = params
    if props:
        schema = {"type": "object", "properties": {p: {} for p in props}}
        op["requestBody"] = {"content": {"application/json": {"schema": schema}}}
    if session:
        op["security"] = [{"session": []}]
        op["responses"]["401"] = {"description": "Not logged in"}
    return op


def openapi_document(version: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for method, path, summary, props, session in OPERATIONS:
        paths.setdefault(path, {})[method] = _operation(summary, props, session, path)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Reference backup appliance API", "version": version},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "appliance_session"},
            }
        },
    }
