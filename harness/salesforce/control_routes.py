"""The ``/__harness`` control API: reset, seed orgs, users and apps, faults, request log, clock.

Serves the harness contract in ``harness/README.md`` (the table there is binding). Every call is
JSON, read through pydantic like the appliance's control calls; a refused call is 400 (bad input) or
404 (unknown id) with the shape both control APIs share (harness/reference/control_gate.py).
Each handler is a thin shell over a ``SalesforceBackend`` method, so in-process callers get the
same answers.
"""

from __future__ import annotations

from typing import Any

from pydantic import RootModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from harness.reference.control_gate import ClockAdvance, ControlBody, control_body, guard_routes
from harness.salesforce.views.common import backend


class Reset(ControlBody):
    seed: int | None = None


class Fields(RootModel[dict[str, Any]]):
    """A seeding call's fields; the backend's models check each one and name what is wrong."""


async def _body(request: Request) -> dict[str, Any]:
    return (await control_body(request, Fields)).root


async def reset(request: Request) -> Response:
    return JSONResponse(backend(request).reset((await control_body(request, Reset)).seed))


async def orgs(request: Request) -> Response:
    if request.method == "GET":
        return JSONResponse(backend(request).list_orgs())
    return JSONResponse(backend(request).create_org(**await _body(request)))


async def org(request: Request) -> Response:
    org_id = request.path_params["org_id"]
    if request.method == "GET":
        return JSONResponse(backend(request).get_org(org_id))
    return JSONResponse(backend(request).update_org(org_id, **await _body(request)))


async def users(request: Request) -> Response:
    org_id = request.path_params["org_id"]
    if request.method == "GET":
        return JSONResponse(backend(request).list_users(org_id))
    return JSONResponse(backend(request).create_user(org_id, **await _body(request)))


async def user(request: Request) -> Response:
    params = request.path_params
    return JSONResponse(backend(request).update_user(params["org_id"], params["user_id"],
                                                     **await _body(request)))


async def create_app(request: Request) -> Response:
    return JSONResponse(backend(request).create_app(request.path_params["org_id"], **await _body(request)))


async def app(request: Request) -> Response:
    app_id = request.path_params["app_id"]
    if request.method == "GET":
        return JSONResponse(backend(request).get_app(app_id))
    return JSONResponse(backend(request).update_app(app_id, **await _body(request)))


async def rotate_secret(request: Request) -> Response:
    return JSONResponse(backend(request).rotate_secret(request.path_params["app_id"]))


async def revoke_grants(request: Request) -> Response:
    return JSONResponse(backend(request).revoke_grants(request.path_params["app_id"]))


async def grants(request: Request) -> Response:
    return JSONResponse(backend(request).grants(request.path_params["app_id"]))


async def faults(request: Request) -> Response:
    if request.method == "GET":
        return JSONResponse(backend(request).faults())
    if request.method == "DELETE":
        return JSONResponse(backend(request).clear_faults())
    return JSONResponse(backend(request).add_fault(**await _body(request)))


async def requests(request: Request) -> Response:
    if request.method == "DELETE":
        return JSONResponse(backend(request).clear_requests())
    return JSONResponse(backend(request).requests())


async def clock(request: Request) -> Response:
    if request.method == "GET":
        return JSONResponse({"now": backend(request).state.clock.now()})
    seconds = (await control_body(request, ClockAdvance)).advance_seconds
    return JSONResponse(backend(request).advance_clock(seconds))


def routes() -> list[Route]:
    """Every control route sits behind the harness's token gate (harness/reference/control_gate.py)."""
    return guard_routes([
        Route("/reset", reset, methods=["POST"]),
        Route("/orgs", orgs, methods=["GET", "POST"]),
        Route("/orgs/{org_id}", org, methods=["GET", "PATCH"]),
        Route("/orgs/{org_id}/users", users, methods=["GET", "POST"]),
        Route("/orgs/{org_id}/users/{user_id}", user, methods=["PATCH"]),
        Route("/orgs/{org_id}/apps", create_app, methods=["POST"]),
        Route("/apps/{app_id}", app, methods=["GET", "PATCH"]),
        Route("/apps/{app_id}/rotate-secret", rotate_secret, methods=["POST"]),
        Route("/apps/{app_id}/revoke-grants", revoke_grants, methods=["POST"]),
        Route("/apps/{app_id}/grants", grants, methods=["GET"]),
        Route("/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/requests", requests, methods=["GET", "DELETE"]),
        Route("/clock", clock, methods=["GET", "POST"]),
    ])
