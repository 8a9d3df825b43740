"""``/__harness/world``: a whole Salesforce world built, or read back, in one control call.

Rule served: docs/design.md, speed - a scenario needs a handful of round trips, not one per org, user
and app. ``POST /world`` creates orgs, each with its users and apps, and answers what was created in
the same shape (with ``reset_seed`` it first resets the fake, as ``POST /reset`` does); top-level
``apps``, each with its ``org_id``, go into orgs that exist or come earlier in the same world. An org,
user or app may carry the id (an app also its consumer key and secret) the client chose, so the test
side can gather a scenario's whole world before sending it: models/chosen.py checks every chosen value
first, so a refused one builds nothing. ``GET /world?apps=<id>,<id>`` answers every org with its users
and the named apps with their grants (the end-of-scenario snapshot). Both use the state methods the
single-object control routes call through the backend, under the backend's lock once, so the answers
are the same as theirs.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from harness.reference.control_gate import ControlBody, control_body, guard_routes
from harness.salesforce.models import chosen
from harness.salesforce.views.common import backend


class WorldOrg(ControlBody):
    """One org of a world: the org's own fields (the backend's models check each and name what is
    wrong), with its users and apps."""

    model_config = ControlBody.model_config | {"extra": "allow"}
    users: list[dict[str, Any]] = Field(default_factory=list)
    apps: list[dict[str, Any]] = Field(default_factory=list)


class WorldApp(ControlBody):
    """An app of an org that exists already (or comes earlier in the same world): its settings."""

    model_config = ControlBody.model_config | {"extra": "allow"}
    org_id: str


class World(ControlBody):
    orgs: list[WorldOrg] = Field(default_factory=list)
    apps: list[WorldApp] = Field(default_factory=list, description="apps of orgs that exist, each with org_id")
    reset_seed: int | None = Field(None, description="first reset the fake, as POST /reset does")


def build(fake: Any, world: World) -> dict[str, Any]:
    """Creates each org of the world with its ``users`` and ``apps``, then the top-level ``apps``; answers
    them all. The body's shape and every chosen id, key and secret are checked whole before anything is
    built, so a malformed world builds nothing."""
    orgs = [(spec.model_extra or {}, spec.users, spec.apps) for spec in world.orgs]
    apps = [(app.org_id, app.model_extra or {}) for app in world.apps]
    chosen.check_world(fake.state, orgs, apps)
    made = []
    for org_spec, users, org_apps in orgs:
        org = fake.state.create_org(*chosen.take(org_spec, "org"))
        org["users"] = [fake.state.create_user(org["id"], *chosen.take(user, "user")) for user in users]
        org["apps"] = [fake.state.create_app(org["id"], *chosen.take(app, "app")) for app in org_apps]
        made.append(org)
    return {"orgs": made,
            "apps": [fake.state.create_app(org_id, *chosen.take(spec, "app")) for org_id, spec in apps]}


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
