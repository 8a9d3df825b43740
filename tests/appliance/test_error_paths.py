"""One error path per face: a refusal of the core (``ApplianceError``) raised in any handler is answered
by the app's one handler, as JSON under ``/api``, in the control shape under ``/__harness``, and on a
page otherwise (the page the handler declared with ``@shows_errors``, else a message page).
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from harness.appliance.app import create_app
from harness.appliance.core.errors import ApplianceError, NotFound
from harness.appliance.rendering import shows_errors
from harness.appliance.settings import ApplianceSettings

BASE = "https://172.12.0.1"


async def _refused(request: Request) -> Response:
    raise NotFound("There is no such thing.")


def _declared_page(request: Request, exc: ApplianceError) -> Response:
    return PlainTextResponse(f"declared page: {exc.code}", status_code=exc.status)


def _client(tmp_path: Path) -> TestClient:
    app = create_app(ApplianceSettings(data_dir=tmp_path))
    app.router.routes[:0] = [Route("/api/v1/probe", _refused), Route("/__harness/probe", _refused),
                             Route("/probe", _refused), Route("/declared", shows_errors(_declared_page)(_refused))]
    return TestClient(app, base_url=BASE)


def test_the_json_face_answers_a_refusal_as_json(tmp_path: Path) -> None:
    answer = _client(tmp_path).get("/api/v1/probe")
    assert (answer.status_code, answer.json()) == (404, {"error": "not_found", "message": "There is no such thing."})


def test_the_control_routes_answer_a_refusal_in_the_control_shape(tmp_path: Path) -> None:
    answer = _client(tmp_path).get("/__harness/probe")
    assert (answer.status_code, answer.json()) == (404, {"error": "not_found", "message": "There is no such thing."})


def test_a_page_without_a_declared_view_shows_the_refusal_on_a_message_page(tmp_path: Path) -> None:
    answer = _client(tmp_path).get("/probe")
    assert answer.status_code == 404
    alert = BeautifulSoup(answer.text, "html.parser").find(attrs={"role": "alert"})
    assert alert is not None and alert.get_text(strip=True) == "There is no such thing."


def test_a_page_shows_the_refusal_where_its_handler_declared(tmp_path: Path) -> None:
    answer = _client(tmp_path).get("/declared")
    assert (answer.status_code, answer.text) == (404, "declared page: not_found")
