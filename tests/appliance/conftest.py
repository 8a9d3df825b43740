"""Fixtures for the appliance tests: the real fake Salesforce on the virtual network, the appliance in-process."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from harness.appliance.app import create_app
from harness.appliance.settings import ApplianceSettings
from harness.reference import control_gate
from tests.appliance.world import CONTROL_TOKEN, Network, Salesforce, follow

BASE = "https://172.12.0.1"
ADMIN = ("admin", "Str0ng!Pass")
JSON = {"Content-Type": "application/json"}

warnings.filterwarnings("ignore", message=".*httpx2.*")


@pytest.fixture(scope="session")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    running = Network(tmp_path_factory.mktemp("network"))
    yield running
    running.stop()


@pytest.fixture
def salesforce(network: Network) -> Iterator[Salesforce]:
    with network.client() as http:
        yield Salesforce(http)


@pytest.fixture
def make_settings(network: Network) -> Any:
    def make(data_dir: Path, **extra: Any) -> ApplianceSettings:
        return ApplianceSettings(
            data_dir=data_dir, outbound_proxy=network.network.proxy_url, ca_bundle=network.network.ca_path,
            password_hash_cost=10,
            **extra,
        )

    return make


@pytest.fixture
def settings(tmp_path: Path, make_settings: Any) -> ApplianceSettings:
    return make_settings(tmp_path)  # type: ignore[no-any-return]


def appliance_client(settings: ApplianceSettings) -> TestClient:
    """The appliance in-process, its control routes open to this test (like the embedded reference's)."""
    app = create_app(settings)
    control_gate.enable(app, CONTROL_TOKEN)
    return TestClient(app, base_url=BASE, follow_redirects=False, headers={control_gate.HEADER: CONTROL_TOKEN})


@pytest.fixture
def client(settings: ApplianceSettings) -> Iterator[TestClient]:
    with appliance_client(settings) as c:
        yield c


def post(client: TestClient, path: str, body: dict[str, Any] | None = None, expect: int = 200) -> Any:
    response = client.post(f"/api/v1{path}", json=body or {})
    assert response.status_code == expect, response.text
    return response.json()


def to_step5(client: TestClient) -> None:
    post(client, "/wizard/license", {"accepted": True})
    post(client, "/wizard/administrator", {"username": ADMIN[0], "password": ADMIN[1]})
    post(client, "/wizard/database", {"kind": "sqlite"})
    post(client, "/wizard/license-file", {"trial": True})


def authorize(
    client: TestClient, salesforce: Salesforce, environment: str = "production", approve: bool = True
) -> dict[str, Any]:
    """Steps 5 and 6 through the API; the test's browser signs in at the fake Salesforce."""
    post(client, "/wizard/external-client-app", salesforce.credentials)
    url = post(client, "/wizard/salesforce", {"environment": environment})["authorize_url"]
    back = follow(client, salesforce.sign_in(url, approve=approve))
    assert back.status_code == 303 and back.headers["location"] == "/wizard/salesforce"
    return client.get("/api/v1/wizard/salesforce").json()  # type: ignore[no-any-return]


def finish(client: TestClient, salesforce: Salesforce, schedule: str = "Daily") -> dict[str, Any]:
    to_step5(client)
    assert authorize(client, salesforce)["status"] == "connected"
    post(client, "/wizard/schedule", {"schedule": schedule})
    summary = post(client, "/wizard/finish")
    post(client, "/session", {"username": ADMIN[0], "password": ADMIN[1]})
    return summary  # type: ignore[no-any-return]
