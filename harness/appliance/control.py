"""Harness control of the appliance: ``POST /__harness/reset`` and ``POST /__harness/clock``.

Rule served: harness/README.md "Appliance harness control" - per-scenario isolation (reset wipes the
database and the data directory, back to wizard step 1) and time travel for schedules and expiries.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from harness.appliance.faces import call, core


async def reset(request: Request) -> Response:
    await call(core(request).reset)
    return JSONResponse({"ok": True})


async def clock(request: Request) -> Response:
    try:
        data = await request.json()
        seconds = float(data.get("advance_seconds", 0))
        now = await call(core(request).advance_clock, seconds)
    except (ValueError, TypeError, AttributeError) as exc:
        return JSONResponse({"error": "invalid_input", "message": str(exc)}, status_code=400)
    return JSONResponse({"now": now})


def routes() -> list[Route]:
    return [
        Route("/__harness/reset", reset, methods=["POST"]),
        Route("/__harness/clock", clock, methods=["POST"]),
    ]
