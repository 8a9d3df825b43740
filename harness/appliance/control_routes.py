"""Harness control of the appliance: ``POST /__harness/reset`` and ``POST /__harness/clock``.

Rule served: harness/README.md "Appliance harness control" - per-scenario isolation (reset wipes the
database and the data directory, back to wizard step 1) and time travel for schedules and expiries.
Both exist only when the harness started this appliance, behind its token (harness/reference/control_gate.py).
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from harness.appliance.core.errors import ApplianceError
from harness.appliance.faces import call, core
from harness.appliance.request_models import parse_json
from harness.reference.control_gate import guard_routes


class ClockAdvance(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    advance_seconds: float = Field(0, ge=0, le=10 * 365 * 86400, description="seconds to move the clock forward")


async def reset(request: Request) -> Response:
    await call(core(request).reset)
    return JSONResponse({"ok": True})


async def clock(request: Request) -> Response:
    try:
        data = await parse_json(request, ClockAdvance)
    except ApplianceError as exc:
        return JSONResponse({"error": exc.code, "message": exc.message}, exc.status)
    if not math.isfinite(data.advance_seconds):
        return JSONResponse({"error": "invalid_input", "message": "advance_seconds: must be finite"}, 400)
    now = await call(core(request).advance_clock, data.advance_seconds)
    return JSONResponse({"now": now})


def routes() -> list[Route]:
    return guard_routes([
        Route("/__harness/reset", reset, methods=["POST"]),
        Route("/__harness/clock", clock, methods=["POST"]),
    ])
