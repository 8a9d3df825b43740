"""Fixtures for the appliance tests: a stub Salesforce behind an httpx MockTransport, the app in-process."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from harness.appliance.app import create_app
from harness.appliance.settings import ApplianceSettings
from tests.appliance.stub_salesforce import StubSalesforce

BASE = "https://172.12.0.1"
ADMIN = ("admin", "Str0ng!Pass")
JSON = {"Content-Type": "application/json"}

warnings.filterwarnings("ignore", message=".*httpx2.*")


@pytest.fixture
def salesforce() -> StubSalesforce:
    return StubSalesforce()


def make_settings(data_dir: Path, salesforce: StubSalesforce, **extra: Any) -> ApplianceSettings:
    return ApplianceSettings(
        data_dir=data_dir, http_transport=salesforce.transport(), secret_key="test-key", **extra
    )


@pytest.fixture
def settings(tmp_path: Path, salesforce: StubSalesforce) -> ApplianceSettings:
    return make_settings(tmp_path, salesforce)


@pytest.fixture
def client(settings: ApplianceSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url=BASE, follow_redirects=False) as c:
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
    client: TestClient, salesforce: StubSalesforce, environment: str = "production", **kwargs: Any
) -> dict[str, Any]:
    """Steps 5 and 6 through the API; the stub plays the browser at Salesforce."""
    post(
        client,
        "/wizard/external-client-app",
        {"consumer_key": salesforce.app.consumer_key, "consumer_secret": salesforce.app.consumer_secret},
    )
    url = post(client, "/wizard/salesforce", {"environment": environment})["authorize_url"]
    back = client.get(salesforce.authorize(url, **kwargs))
    assert back.status_code == 303 and back.headers["location"] == "/wizard/salesforce"
    return client.get("/api/v1/wizard/salesforce").json()


def finish(client: TestClient, salesforce: StubSalesforce, schedule: str = "Daily") -> dict[str, Any]:
    to_step5(client)
    assert authorize(client, salesforce)["status"] == "connected"
    post(client, "/wizard/schedule", {"schedule": schedule})
    summary = post(client, "/wizard/finish")
    post(client, "/session", {"username": ADMIN[0], "password": ADMIN[1]})
    return summary
