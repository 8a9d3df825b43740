"""The JSON face: ``/api/v1/...`` as listed in harness/README.md; thin handlers over the core.

Rule served: DESIGN.md "The reference appliance" - the same core as the HTML pages, so a scenario
run through the API driver reaches the state the browser driver reaches. Secrets go in, never out.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from harness.appliance.core.errors import ApplianceError, NotLoggedIn
from harness.appliance.faces import call, callback_for, clear_session, core, session_user, set_session
from harness.appliance.openapi import openapi_document

Handler = Callable[[Request], Awaitable[Any]]


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


def endpoint(*, login: bool = False) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """JSON in, JSON out; core errors become ``{"error", "message"}`` with their status."""

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @wraps(handler)
        async def run(request: Request) -> Response:
            if request.method in ("POST", "PUT", "PATCH", "DELETE"):
                kind = request.headers.get("content-type", "").split(";")[0].strip()
                if kind != "application/json":
                    return _error(415, "json_required", "Send the request body as application/json.")
            try:
                if login and await call(session_user, request) is None:
                    raise NotLoggedIn("Log in first: POST /api/v1/session.")
                result = await handler(request)
            except ApplianceError as exc:
                return _error(exc.status, exc.code, exc.message)
            return result if isinstance(result, Response) else JSONResponse(result)

        return run

    return wrap


async def body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    try:
        data = await request.json()
    except ValueError as exc:
        raise ApplianceError("The body is not valid JSON.", code="bad_json") from exc
    if not isinstance(data, dict):
        raise ApplianceError("The body must be a JSON object.", code="bad_json")
    return data


@endpoint()
async def wizard_state(request: Request) -> Any:
    return await call(core(request).wizard.state)


@endpoint()
async def wizard_back(request: Request) -> Any:
    wizard = core(request).wizard
    return await call(wizard.go_to, wizard.draft()["step"] - 1)


@endpoint()
async def wizard_license(request: Request) -> Any:
    return await call(core(request).wizard.accept_license, (await body(request)).get("accepted"))


@endpoint()
async def wizard_administrator(request: Request) -> Any:
    data = await body(request)
    return await call(
        core(request).wizard.create_administrator,
        str(data.get("username", "")),
        str(data.get("password", "")),
    )


@endpoint()
async def wizard_database(request: Request) -> Any:
    data = await body(request)
    return await call(core(request).wizard.connect_database, str(data.get("kind", "")), data.get("url"))


@endpoint()
async def wizard_license_file(request: Request) -> Any:
    data = await body(request)
    return await call(core(request).wizard.provide_license, bool(data.get("trial")), data.get("license"))


@endpoint()
async def wizard_app(request: Request) -> Any:
    appliance = core(request)
    if request.method == "GET":
        return await call(appliance.app_step, callback_for(request))
    data = await body(request)
    return await call(
        appliance.set_wizard_app, str(data.get("consumer_key", "")), str(data.get("consumer_secret", ""))
    )


@endpoint()
async def wizard_salesforce(request: Request) -> Any:
    appliance = core(request)
    if request.method == "GET":
        return (await call(appliance.wizard_connection)).as_dict()
    data = await body(request)
    url = await call(
        appliance.start_wizard_authorization,
        str(data.get("environment", "production")),
        data.get("my_domain"),
        callback_for(request),
    )
    return {"authorize_url": url}


@endpoint()
async def wizard_salesforce_next(request: Request) -> Any:
    return await call(core(request).wizard.next_from_salesforce)


@endpoint()
async def wizard_schedule(request: Request) -> Any:
    return await call(core(request).wizard.choose_schedule, str((await body(request)).get("schedule", "")))


@endpoint()
async def wizard_summary(request: Request) -> Any:
    return await call(core(request).wizard.summary)


@endpoint()
async def wizard_finish(request: Request) -> Any:
    return await call(core(request).finish_wizard)


@endpoint()
async def session(request: Request) -> Any:
    appliance = core(request)
    if request.method == "DELETE":
        response = JSONResponse({"ok": True})
        await call(appliance.log_out, request.cookies.get("appliance_session"))
        clear_session(response)
        return response
    data = await body(request)
    username = str(data.get("username", ""))
    token = await call(appliance.log_in, username, str(data.get("password", "")))
    response = JSONResponse({"username": username})
    set_session(response, token)
    return response


@endpoint(login=True)
async def orgs(request: Request) -> Any:
    return await call(core(request).orgs)


@endpoint(login=True)
async def orgs_add(request: Request) -> Any:
    data = await body(request)
    url = await call(
        core(request).start_add_org,
        callback_for(request),
        str(data.get("environment", "production")),
        data.get("my_domain"),
        data.get("consumer_key"),
        data.get("consumer_secret"),
    )
    return {"authorize_url": url, "callback_url": callback_for(request)}


@endpoint(login=True)
async def orgs_authorization(request: Request) -> Any:
    return (await call(core(request).org_authorization)).as_dict()


@endpoint(login=True)
async def org_connection(request: Request) -> Any:
    data = await body(request)
    return await call(
        core(request).edit_connection,
        request.path_params["org_id"],
        str(data.get("consumer_key", "")),
        str(data.get("consumer_secret", "")),
    )


@endpoint(login=True)
async def org_reauthorize(request: Request) -> Any:
    url = await call(core(request).start_reauthorize, request.path_params["org_id"], callback_for(request))
    return {"authorize_url": url}


@endpoint(login=True)
async def policies(request: Request) -> Any:
    return [public_policy(p) for p in await call(core(request).policies.all)]


@endpoint(login=True)
async def policy_run(request: Request) -> Any:
    return public_run(await call(core(request).policies.run_now, int(request.path_params["policy_id"])))


@endpoint(login=True)
async def policy_runs(request: Request) -> Any:
    return [
        public_run(r) for r in await call(core(request).policies.runs, int(request.path_params["policy_id"]))
    ]


@endpoint(login=True)
async def connected_app(request: Request) -> Any:
    appliance = core(request)
    if request.method == "GET":
        return await call(appliance.connected_app)
    data = await body(request)
    return await call(
        appliance.set_connected_app, str(data.get("consumer_key", "")), str(data.get("consumer_secret", ""))
    )


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document(core(request).policy.version))


def public_policy(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "name", "org_id", "schedule", "files_and_attachments", "retention", "next_run_at")
    return {k: row[k] for k in keys}


def public_run(row: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "id",
        "policy_id",
        "org_id",
        "trigger",
        "started_at",
        "finished_at",
        "status",
        "reason",
        "objects",
    )
    return {k: row[k] for k in keys}


def routes() -> list[Route]:
    p = "/api/v1"
    return [
        Route(f"{p}/openapi.json", openapi),
        Route(f"{p}/wizard", wizard_state),
        Route(f"{p}/wizard/back", wizard_back, methods=["POST"]),
        Route(f"{p}/wizard/license", wizard_license, methods=["POST"]),
        Route(f"{p}/wizard/administrator", wizard_administrator, methods=["POST"]),
        Route(f"{p}/wizard/database", wizard_database, methods=["POST"]),
        Route(f"{p}/wizard/license-file", wizard_license_file, methods=["POST"]),
        Route(f"{p}/wizard/external-client-app", wizard_app, methods=["GET", "POST"]),
        Route(f"{p}/wizard/salesforce", wizard_salesforce, methods=["GET", "POST"]),
        Route(f"{p}/wizard/salesforce/next", wizard_salesforce_next, methods=["POST"]),
        Route(f"{p}/wizard/schedule", wizard_schedule, methods=["POST"]),
        Route(f"{p}/wizard/summary", wizard_summary),
        Route(f"{p}/wizard/finish", wizard_finish, methods=["POST"]),
        Route(f"{p}/session", session, methods=["POST", "DELETE"]),
        Route(f"{p}/orgs", orgs),
        Route(f"{p}/orgs/add", orgs_add, methods=["POST"]),
        Route(f"{p}/orgs/add", orgs_authorization, methods=["GET"]),
        Route(f"{p}/orgs/authorization", orgs_authorization),
        Route(f"{p}/orgs/{{org_id}}/connection", org_connection, methods=["POST"]),
        Route(f"{p}/orgs/{{org_id}}/reauthorize", org_reauthorize, methods=["POST"]),
        Route(f"{p}/orgs/{{org_id}}/reauthorize", orgs_authorization, methods=["GET"]),
        Route(f"{p}/policies", policies),
        Route(f"{p}/policies/{{policy_id:int}}/run", policy_run, methods=["POST"]),
        Route(f"{p}/policies/{{policy_id:int}}/runs", policy_runs),
        Route(f"{p}/security/connected-app", connected_app, methods=["GET", "PUT"]),
    ]
