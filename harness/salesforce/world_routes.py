"""``/__harness/world``: a whole Salesforce world built, or read back, in one control call.

Rule served: docs/design.md, speed - a scenario needs a handful of round trips, not one per org, user
and app. ``POST /world`` creates orgs, each with its users and apps, and answers what was created in
the same shape (with ``reset_seed`` it first resets the fake, as ``POST /reset`` does); ``GET /world?apps=<id>,<id>``
answers every org with its users and the named apps with
their grants (the end-of-scenario snapshot). Each is the same backend methods the single-object
control routes call, under the backend's lock once, so the answers are the same as theirs.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from harness.reference.control_gate import ControlBody, control_body, guard_routes
from harness.salesforce.views.common import backend


class WorldOrg(ControlBody):
    """One org of a world: the org's own fields (the backend's models check each and name what is
    wrong), with its users and apps."""

    model_config = ControlBody.model_config | {"extra": "allow"}
    users: list[dict[str, Any]] = Field(default_factory=list)
    apps: list[dict[str, Any]] = Field(default_factory=list)


class World(ControlBody):
    orgs: list[WorldOrg] = Field(default_factory=list)
    reset_seed: int | None = Field(None, description="first reset the fake, as POST /reset does")


def build(fake: Any, world: World) -> dict[str, Any]:
    """Creates each org of the world with its ``users`` and ``apps``; answers them all. The body was
    checked whole before this runs, so a malformed world builds nothing."""
    made = []
    for spec in world.orgs:
        org = fake.create_org(**(spec.model_extra or {}))
        org["users"] = [fake.create_user(org["id"], **user) for user in spec.users]
        org["apps"] = [fake.create_app(org["id"], **app) for app in spec.apps]
        made.append(org)
    return {"orgs": made}


def read(fake: Any, app_ids: list[str]) -> dict[str, Any]:
    """Every org with its users, and each named app with its grants."""
    orgs = fake.list_orgs()
    for org in orgs:
        org["users"] = fake.list_users(org["id"])
    apps = []
    for app_id in app_ids:
        app = fake.get_app(app_id)
        app["grants"] = fake.grants(app_id)
        apps.append(app)
    return {"orgs": orgs, "apps": apps}


async def world(request: Request) -> Response:
    fake = backend(request)
    if request.method == "GET":
        wanted = [a for a in request.query_params.get("apps", "").split(",") if a]
        with fake.lock:  # one consistent picture, even while the appliance talks to the fake
            return JSONResponse(read(fake, wanted))
    wanted_world = await control_body(request, World)
    with fake.lock:  # a world is built whole: no request of the scenario sees half of it
        if wanted_world.reset_seed is not None:  # the scenario's reset, folded into its first world
            fake.reset(wanted_world.reset_seed)
        return JSONResponse(build(fake, wanted_world))


def routes() -> list[Route]:
    """Behind the harness's token gate, like every control route (harness/reference/control_gate.py)."""
    return guard_routes([Route("/world", world, methods=["GET", "POST"])])
