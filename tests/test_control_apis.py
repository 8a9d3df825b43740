"""Both control APIs read bodies the same way and refuse in one shape; the fake has one route table.

Rules served: harness/README.md "Harness control" (``{"error": code, "message": sentence}`` on both
servers) and the fake's fault injection, whose endpoint names come from the same table the router uses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from harness.appliance import ApplianceSettings
from harness.appliance import create_app as create_appliance
from harness.reference.control_gate import HEADER, enable
from harness.reference.embedded import APPLIANCE_URL
from harness.salesforce import SalesforceBackend
from harness.salesforce.app import endpoint_namer, routes
from harness.salesforce.models.faults import ENDPOINTS

TOKEN = "a-control-token-for-tests"


@pytest.fixture(params=["appliance", "salesforce"])
def control(request: pytest.FixtureRequest, tmp_path: Path) -> TestClient:
    if request.param == "appliance":
        app, base = create_appliance(ApplianceSettings(data_dir=tmp_path)), APPLIANCE_URL
    else:
        from harness.salesforce import create_app

        app, base = create_app(SalesforceBackend(seed=1)), "https://login.salesforce.com"
    enable(app, TOKEN)
    return TestClient(app, base_url=base, headers={HEADER: TOKEN})


@pytest.mark.parametrize(("body", "field"), [({"advance_seconds": -1}, "advance_seconds"),
                                             ({"advance_seconds": "60"}, "advance_seconds"),
                                             ({"advance_seconds": 5, "extra": 1}, "extra"),
                                             ([1, 2], "body")])
def test_a_wrong_clock_body_is_refused_in_the_shared_shape(control: TestClient, body: object, field: str) -> None:
    answer = control.post("/__harness/clock", json=body)
    assert answer.status_code == 400
    refusal = answer.json()
    assert set(refusal) == {"error", "message"} and refusal["error"] == "invalid_input"
    assert refusal["message"].startswith(f"{field}: ")


def test_the_clock_moves_on_both_servers(control: TestClient) -> None:
    before = control.post("/__harness/clock", json={"advance_seconds": 0}).json()["now"]
    assert control.post("/__harness/clock", json={"advance_seconds": 90}).json()["now"] >= before + 90


def test_an_unknown_id_on_the_fake_is_a_not_found_in_the_shared_shape(tmp_path: Path) -> None:
    from harness.salesforce import create_app

    app = create_app(SalesforceBackend(seed=1))
    enable(app, TOKEN)
    client = TestClient(app, base_url="https://login.salesforce.com", headers={HEADER: TOKEN})
    answer = client.get("/__harness/apps/nope")
    assert answer.status_code == 404
    assert answer.json() == {"error": "not_found", "message": "no app with id 'nope'"}


@pytest.mark.parametrize(("method", "path", "endpoint"), [
    ("GET", "/", "login"), ("POST", "/", "login"),
    ("POST", "/services/oauth2/token", "token"),
    ("GET", "/id/00Dx/005x", "identity"),
    ("GET", "/services/data/", "versions"),
    ("GET", "/services/data/v62.0", "resources"),
    ("GET", "/services/data/v62.0/sobjects/Account/", "sobjects"),
    ("GET", "/services/data/v62.0/sobjects/Account/describe", "describe"),
    ("GET", "/services/data/v62.0/sobjects/Account/001x", "record"),
    ("GET", "/services/data/v62.0/sobjects/Account/updated", "record"),
    ("GET", "/services/data/v62.0/queryAll/01gx-2000", "query"),
    ("POST", "/services/Soap/m/62.0/00Dx", "metadata"),
    ("DELETE", "/services/oauth2/token", "token"),  # a wrong method still reaches the endpoint's faults
    ("GET", "/home/home.jsp", None),
    ("GET", "/services/data/v62.0/tooling/query", None),
])
def test_faults_and_the_log_name_endpoints_from_the_route_table(method: str, path: str,
                                                                endpoint: str | None) -> None:
    endpoint_of = endpoint_namer(routes())
    assert endpoint_of({"type": "http", "method": method, "path": path}) == endpoint


def test_every_fault_endpoint_is_named_by_a_route() -> None:
    named = {getattr(route, "fault_endpoint", None) for route in routes()}
    assert set(ENDPOINTS) - {"*"} <= named
