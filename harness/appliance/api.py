"""The JSON face: ``/api/v1/...`` as listed in harness/README.md; thin handlers over the core.

Rule served: docs/design.md "The reference appliance" - the same core as the HTML pages, so a scenario
run through the API driver reaches the state the browser driver reaches. Secrets go in, never out.
Each operation declares its typed request (``request_models.py``) and who may call it; the OpenAPI
document is derived from the same declarations. Once the wizard is finished, its endpoints need a login.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from harness.appliance import request_models as m
from harness.appliance.core.errors import ApplianceError, NotLoggedIn
from harness.appliance.faces import (
    browser_binding,
    call,
    callback_for,
    clear_session,
    core,
    login_gate,
    policy_id,
    session_token,
    set_session,
)
from harness.appliance.openapi import APP_STEP, AUTHORIZATION_STARTED, WIZARD_STATE, openapi_document

PREFIX = "/api/v1"
Access = Literal["open", "wizard", "login"]
Handler = Callable[[Request, Any], Awaitable[Any]]


@dataclass(frozen=True)
class Operation:
    """One method on one path: its summary, typed body and access rule (``openapi.py`` reads these)."""

    method: str
    path: str
    summary: str
    body: type[BaseModel] | None
    access: Access
    handler: Handler
    answer: dict[str, Any] | None = None  # the 200 answer's JSON schema, where the document states it


OPERATIONS: list[Operation] = []


def operation(method: str, path: str, summary: str, *, body: type[BaseModel] | None = None,
              access: Access = "wizard", answer: dict[str, Any] | None = None) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        OPERATIONS.append(Operation(method, path, summary, body, access, handler, answer))
        return handler

    return register


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


def error_answer(exc: ApplianceError) -> Response:
    """The JSON face's one error path: every ApplianceError a handler raises (app.py's handler)."""
    return _error(exc.status, exc.code, exc.message)


async def _allowed(request: Request, access: Access) -> None:
    gate = "open" if access == "open" else await login_gate(request)
    if gate == "login" or (gate == "wizard" and access == "login"):
        raise NotLoggedIn("Log in first: POST /api/v1/session.")


def _endpoint(op: Operation) -> Callable[[Request], Awaitable[Response]]:
    async def run(request: Request) -> Response:
        if op.method != "GET" and request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return _error(415, "json_required", "Send the request body as application/json.")
        await _allowed(request, op.access)
        data = m.parse(op.body, await request.body()) if op.body else None
        result = await op.handler(request, data)
        return result if isinstance(result, Response) else JSONResponse(result)

    run.__name__ = op.handler.__name__
    return run


# -- the wizard ------------------------------------------------------------------------------------
@operation("GET", "/wizard", "Current wizard step: step, step_name, slug, reached, finished", answer=WIZARD_STATE)
async def wizard_state(request: Request, _: None) -> Any:
    return await call(core(request).wizard_state)


@operation("POST", "/wizard/back", "Go back one step; nothing entered is lost", body=m.Empty)
async def wizard_back(request: Request, _: m.Empty) -> Any:
    return await call(core(request).wizard_back)


@operation("POST", "/wizard/license", "Step 1: accept the license agreement", body=m.LicenseAcceptance)
async def wizard_license(request: Request, data: m.LicenseAcceptance) -> Any:
    return await call(core(request).accept_license, data.accepted)


@operation("POST", "/wizard/administrator", "Step 2: create the local administrator", body=m.Administrator)
async def wizard_administrator(request: Request, data: m.Administrator) -> Any:
    return await call(core(request).create_administrator, data.username, data.password)


@operation("POST", "/wizard/database", "Step 3: sqlite or postgresql (url)", body=m.Database)
async def wizard_database(request: Request, data: m.Database) -> Any:
    return await call(core(request).connect_database, data.kind, data.url)


@operation("POST", "/wizard/license-file", "Step 4: trial license or license file text", body=m.LicenseFile)
async def wizard_license_file(request: Request, data: m.LicenseFile) -> Any:
    return await call(core(request).provide_license, data.trial, data.license)


@operation("GET", "/wizard/external-client-app", "Step 5: callback_url, checklist, consumer_key; the wizard's state",
           answer=APP_STEP)
async def wizard_app_view(request: Request, _: None) -> Any:
    """Carries the wizard's state, so a client reading step 5 knows where the wizard stands without asking."""
    view = await call(core(request).app_step, callback_for(request))
    return {**view, "wizard": await call(core(request).wizard_state)}


@operation("POST", "/wizard/external-client-app", "Step 5: app credentials; answers the wizard's state",
           body=m.AppCredentials, answer=WIZARD_STATE)
async def wizard_app(request: Request, data: m.AppCredentials) -> Any:
    return await call(core(request).set_wizard_app, data.consumer_key, data.consumer_secret)


@operation("GET", "/wizard/salesforce", "Step 6: outcome (connected|refused|error|pending)")
async def wizard_outcome(request: Request, _: None) -> Any:
    return (await call(core(request).wizard_connection)).as_dict()


@operation("POST", "/wizard/salesforce", "Step 6: start authorization; returns authorize_url and the wizard's state",
           body=m.Authorization, answer=AUTHORIZATION_STARTED)
async def wizard_salesforce(request: Request, data: m.Authorization) -> Any:
    url = await call(core(request).start_wizard_authorization, data.environment, data.my_domain,
                     callback_for(request), binding=browser_binding(request))
    return {"authorize_url": url, "wizard": await call(core(request).wizard_state)}


@operation("POST", "/wizard/salesforce/next", "Step 6: continue once connected", body=m.Empty)
async def wizard_salesforce_next(request: Request, _: m.Empty) -> Any:
    return await call(core(request).next_from_salesforce)


@operation("POST", "/wizard/schedule", "Step 7: Hourly, Daily or Weekly", body=m.BackupSchedule)
async def wizard_schedule(request: Request, data: m.BackupSchedule) -> Any:
    return await call(core(request).choose_schedule, data.schedule)


@operation("GET", "/wizard/summary", "Step 8: summary")
async def wizard_summary(request: Request, _: None) -> Any:
    return await call(core(request).wizard_summary)


@operation("POST", "/wizard/finish", "Step 8: finish; creates the default backup policy", body=m.Empty)
async def wizard_finish(request: Request, _: m.Empty) -> Any:
    return await call(core(request).finish_wizard)


# -- the administrator's session -------------------------------------------------------------------
@operation("POST", "/session", "Log in as the local administrator (sets a session cookie)", body=m.Login,
           access="open")
async def log_in(request: Request, data: m.Login) -> Any:
    token = await call(core(request).log_in, data.username, data.password)
    response = JSONResponse({"username": data.username})
    set_session(response, token)
    return response


@operation("DELETE", "/session", "Log out", access="open")
async def log_out(request: Request, _: None) -> Any:
    await call(core(request).log_out, session_token(request))
    response = JSONResponse({"ok": True})
    clear_session(response)
    return response


# -- after the wizard ------------------------------------------------------------------------------
@operation("GET", "/orgs", "Salesforce organizations", access="login")
async def orgs(request: Request, _: None) -> Any:
    return await call(core(request).orgs)


@operation("POST", "/orgs/add", "Add Organization: returns authorize_url", body=m.AddOrganization, access="login")
async def orgs_add(request: Request, data: m.AddOrganization) -> Any:
    url = await call(core(request).start_add_org, callback_for(request), data.environment, data.my_domain,
                     data.consumer_key, data.consumer_secret, binding=browser_binding(request))
    return {"authorize_url": url, "callback_url": callback_for(request)}


@operation("GET", "/orgs/authorization", "Outcome of the last Add Organization or re-authorization",
           access="login")
async def orgs_authorization(request: Request, _: None) -> Any:
    return (await call(core(request).org_authorization)).as_dict()


@operation("POST", "/orgs/{org_id}/connection", "Edit Connection: new consumer key and secret",
           body=m.AppCredentials, access="login")
async def org_connection(request: Request, data: m.AppCredentials) -> Any:
    return await call(core(request).edit_connection, request.path_params["org_id"], data.consumer_key,
                      data.consumer_secret)


@operation("POST", "/orgs/{org_id}/reauthorize", "Re-authorize connection: returns authorize_url", body=m.Empty,
           access="login")
async def org_reauthorize(request: Request, _: m.Empty) -> Any:
    url = await call(core(request).start_reauthorize, request.path_params["org_id"], callback_for(request),
                     binding=browser_binding(request))
    return {"authorize_url": url}


@operation("GET", "/policies", "Backup policies", access="login")
async def policies(request: Request, _: None) -> Any:
    return [public_policy(p) for p in await call(core(request).all_policies)]


@operation("POST", "/policies/{policy_id}/run", "Run now", body=m.Empty, access="login")
async def policy_run(request: Request, _: m.Empty) -> Any:
    return public_run(await call(core(request).run_now, policy_id(request)))


@operation("GET", "/policies/{policy_id}/runs", "Run history", access="login")
async def policy_runs(request: Request, _: None) -> Any:
    return [public_run(r) for r in await call(core(request).runs, policy_id(request))]


@operation("GET", "/security/connected-app", "Before 3.2: the shared connected app (consumer key only)",
           access="login")
async def connected_app_view(request: Request, _: None) -> Any:
    return await call(core(request).connected_app)


@operation("PUT", "/security/connected-app", "Before 3.2: change the shared connected app", body=m.AppCredentials,
           access="login")
async def connected_app(request: Request, data: m.AppCredentials) -> Any:
    return await call(core(request).set_connected_app, data.consumer_key, data.consumer_secret)


def public_policy(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "name", "org_id", "schedule", "files_and_attachments", "retention", "next_run_at")
    return {k: row[k] for k in keys}


def public_run(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "policy_id", "org_id", "trigger", "started_at", "finished_at", "status", "reason", "objects")
    return {k: row[k] for k in keys}


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document(core(request).policy.version, OPERATIONS))


# Outcomes are also answered where the authorization started (harness/README.md).
_ALIASES = [("GET", "/orgs/add", orgs_authorization, "login"),
            ("GET", "/orgs/{org_id}/reauthorize", orgs_authorization, "login")]


def routes() -> list[Route]:
    found = list(OPERATIONS) + [Operation(meth, path, "", None, acc, h) for meth, path, h, acc in _ALIASES]  # type: ignore[arg-type]
    table = [Route(f"{PREFIX}/openapi.json", openapi, methods=["GET"])]
    for op in found:
        path = op.path.replace("{policy_id}", "{policy_id:int}")
        table.append(Route(f"{PREFIX}{path}", _endpoint(op), methods=[op.method]))
    return table
