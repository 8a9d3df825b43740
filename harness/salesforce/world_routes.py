"""``/__harness/world``: a whole Salesforce world built, or read back, in one control call.

Rule served: docs/design.md, speed - a scenario needs a handful of round trips, not one per org, user
and app. ``POST /world`` creates orgs, each with its users and apps, and answers what was created in
the same shape (with ``reset_seed`` it first resets the fake, as ``POST /reset`` does); ``GET /world?apps=<id>,<id>``
answers every org with its users and the named apps with
their grants (the end-of-scenario snapshot). Each is the same backend methods the single-object
control routes call, under the backend's lock once, so the answers are the same as theirs.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from harness.reference.control_gate import guard_routes
from harness.salesforce.errors import ControlBadRequest
from harness.salesforce.views.common import backend


async def _body(request: Request) -> dict[str, Any]:
    """The JSON object sent (an empty body is an empty world); anything else is a 400."""
    raw = await request.body()
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError:
        raise ControlBadRequest("the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ControlBadRequest("the request body must be a JSON object")
    return body


def _list(spec: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = spec.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ControlBadRequest(f"{key}: must be a list of JSON objects")
    return value


def build(fake: Any, spec: dict[str, Any]) -> dict[str, Any]:
    """Creates each org of ``spec["orgs"]`` with its ``users`` and ``apps``; answers them all.
    The shape of the whole spec is checked first, so a malformed world builds nothing."""
    planned = [({k: v for k, v in org.items() if k not in ("users", "apps")}, _list(org, "users"), _list(org, "apps"))
               for org in _list(spec, "orgs")]
    made = []
    for fields, users, apps in planned:
        org = fake.create_org(**fields)
        org["users"] = [fake.create_user(org["id"], **user) for user in users]
        org["apps"] = [fake.create_app(org["id"], **app) for app in apps]
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
    spec = await _body(request)
    seed = spec.pop("reset_seed", None)
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise ControlBadRequest(f"reset_seed: {seed!r} must be an integer")
    with fake.lock:  # a world is built whole: no request of the scenario sees half of it
        if seed is not None:  # the scenario's reset, folded into its first world
            fake.reset(seed)
        return JSONResponse(build(fake, spec))


def routes() -> list[Route]:
    """Behind the harness's token gate, like every control route (harness/reference/control_gate.py)."""
    return guard_routes([Route("/world", world, methods=["GET", "POST"])])
