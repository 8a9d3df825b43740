"""The gate in front of every ``/__harness`` control route, on the appliance and on the fake.

Rule served: control routes exist only in a reference the harness started, and answer only JSON
requests that carry that start's random token in the ``X-Harness-Control`` header. A browser cannot
add a custom header to a cross-site request without a CORS preflight nobody grants, and a form post
can carry neither the header nor a JSON content type, so neither can reach them.

Both control APIs also share one validation and one error shape (harness/README.md, "Harness control"):
a body is a JSON object read into a pydantic model (``control_body``), and every refused call answers
``{"error": "<code>", "message": "<what is wrong>"}`` with its status (``ControlRefused``).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

HEADER = "X-Harness-Control"
Endpoint = Callable[[Request], Awaitable[Response]]
M = TypeVar("M", bound=BaseModel)
_MAX_BODY = 64 * 1024


class ControlRefused(Exception):
    """A refused control call: its status, a stable code and a sentence naming what is wrong."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def response(self) -> Response:
        return control_answer(self.status, self.code, self.message)


class ControlBody(BaseModel):
    """Base of every control call's body: strict JSON types, no unknown field."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ClockAdvance(ControlBody):
    """``POST /__harness/clock`` on both servers."""

    advance_seconds: float = Field(ge=0, le=10 * 365 * 86400, allow_inf_nan=False,
                                   description="seconds to move the clock forward")


async def control_body(request: Request, model: type[M]) -> M:
    """The request's JSON object as ``model`` (an empty body is ``{}``), or ControlRefused (400)."""
    raw = await request.body()
    if len(raw) > _MAX_BODY:
        raise ControlRefused(413, "too_large", f"The body is larger than {_MAX_BODY} bytes.")
    try:
        return model.model_validate_json(raw.strip() or b"{}")
    except ValidationError as exc:
        raise ControlRefused(400, "invalid_input", _describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    """One clause per wrong field, field first: ``advance_seconds: Input should be ...``."""
    parts = []
    for error in exc.errors(include_url=False)[:3]:
        field = ".".join(str(p) for p in error["loc"]) or "body"
        message = "is not a JSON object" if error["type"] in ("json_invalid", "model_type") else error["msg"]
        parts.append(f"{field}: {message}")
    return "; ".join(parts)


def new_token() -> str:
    """One random token per start of a reference."""
    return secrets.token_urlsafe(32)


def enable(app: object, token: str) -> None:
    """Opens the control routes of ``app`` (a Starlette app) to requests carrying ``token``."""
    if len(token) < 16:
        raise ValueError("a control token needs at least 16 characters")
    app.state.control_token = token  # type: ignore[attr-defined]


def refusal(request: Request) -> Response | None:
    """None when the request may use the control routes, else the answer that refuses it."""
    token = getattr(request.app.state, "control_token", None)
    if not token:
        return control_answer(404, "not_found", "This server was not started by the harness: it has no control routes.")
    kind = _media_type(request)
    if request.method != "GET" and kind != "application/json" and (kind or _has_body(request)):
        return control_answer(415, "json_required", "Control calls are JSON: send Content-Type: application/json.")
    sent = request.headers.get(HEADER, "")
    if not hmac.compare_digest(sent.encode("utf-8", "replace"), token.encode()):
        return control_answer(403, "control_token_required",
                       f"Control calls need the {HEADER} header with the token of this start (reference.json).")
    return None


def _has_body(request: Request) -> bool:
    return request.headers.get("content-length", "0") != "0" or "transfer-encoding" in request.headers


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def control_answer(status: int, code: str, message: str) -> Response:
    """The one error shape of both control APIs."""
    return JSONResponse({"error": code, "message": message}, status_code=status)


def guarded(endpoint: Endpoint) -> Endpoint:
    async def run(request: Request) -> Response:
        try:
            return refusal(request) or await endpoint(request)
        except ControlRefused as exc:
            return exc.response()

    run.__name__ = getattr(endpoint, "__name__", "control")
    return run


def guard_routes(routes: list[Route]) -> list[Route]:
    """The same routes, each behind the gate."""
    return [Route(r.path, guarded(r.endpoint), methods=sorted(r.methods or ())) for r in routes]
