"""Harness control of the appliance: ``POST /__harness/reset`` and ``POST /__harness/clock``.

Rule served: harness/README.md "Appliance harness control" - per-scenario isolation (reset wipes the
database and the data directory, back to wizard step 1) and time travel for schedules and expiries.
Both exist only when the harness started this appliance, behind its token (harness/reference/control_gate.py).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from harness.appliance.faces import call, core
from harness.reference.control_gate import ClockAdvance, ControlBody, control_body, guard_routes


async def reset(request: Request) -> Response:
    await control_body(request, ControlBody)
    await call(core(request).reset)
    return JSONResponse({"ok": True})


async def clock(request: Request) -> Response:
    data = await control_body(request, ClockAdvance)
    now = await call(core(request).advance_clock, data.advance_seconds)
    return JSONResponse({"now": now})


def routes() -> list[Route]:
    return guard_routes([
        Route("/__harness/reset", reset, methods=["POST"]),
        Route("/__harness/clock", clock, methods=["POST"]),
    ])
