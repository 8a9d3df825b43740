"""``/__harness/world``: the appliance brought to a wizard step, or read back whole, in one control call.

Rule served: docs/design.md, speed - a Given set-up costs one round trip per system, and so does the
end-of-scenario snapshot. ``POST /__harness/world`` runs wizard steps 1-4 (licence accepted, the
local administrator, the embedded database, a trial licence) through the same core methods the JSON
API calls, so the appliance ends exactly where four API calls would leave it; ``GET /__harness/world``
answers what the snapshot reads through the API (wizard, step 6 outcome, orgs, policies with their
runs, the last authorization) in the API's own shapes. Both sit behind the control token; the
scenarios' When steps still act through the public API.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from harness.appliance.api import public_policy, public_run
from harness.appliance.core import Appliance
from harness.appliance.faces import call, core
from harness.reference.control_gate import control_body, guard_routes


class WorldAdministrator(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    username: str
    password: str


class World(BaseModel):
    """Where the wizard should stand: step 5 (the app step) is the only one Given steps ask for."""

    model_config = ConfigDict(extra="forbid", strict=True)
    wizard_step: int = Field(5, ge=5, le=5, description="the wizard step to reach through steps 1-4")
    administrator: WorldAdministrator
    reset: bool = Field(False, description="first reset the appliance, as POST /__harness/reset does")


def reach(appliance: Appliance, world: World) -> dict[str, Any]:
    """Steps 1-4, each through the core method its API endpoint calls; answers the wizard's state."""
    if world.reset:
        appliance.reset()
    appliance.accept_license(True)
    appliance.create_administrator(world.administrator.username, world.administrator.password)
    appliance.connect_database("sqlite")
    appliance.provide_license(True)
    return appliance.wizard_state()


def picture(appliance: Appliance) -> dict[str, Any]:
    """What GET /wizard, /wizard/salesforce, /orgs, /policies, /policies/{id}/runs and
    /orgs/authorization answer, in one object (the wizard's own answers while it is not finished)."""
    state: dict[str, Any] = {"wizard": appliance.wizard_state()}
    if not state["wizard"]["finished"]:
        return state | {"connection": appliance.wizard_connection().as_dict()}
    policies = [public_policy(p) for p in appliance.all_policies()]
    for policy in policies:
        policy["runs"] = [public_run(r) for r in appliance.runs(int(policy["id"]))]
    return state | {"orgs": appliance.orgs(), "policies": policies,
                    "last_authorization": appliance.org_authorization().as_dict()}


async def world(request: Request) -> Response:
    if request.method == "GET":
        return JSONResponse(await call(picture, core(request)))
    # A refused body is the gate's 400 and a refusal of the core the app's ApplianceError handler: the
    # control error shape either way.
    wanted = await control_body(request, World)
    return JSONResponse(await call(reach, core(request), wanted))


def routes() -> list[Route]:
    """Behind the harness's token gate, like the other control routes (harness/reference/control_gate.py)."""
    return guard_routes([Route("/__harness/world", world, methods=["GET", "POST"])])
