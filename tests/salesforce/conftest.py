"""Fixtures for the fake Salesforce's tests: a backend, an in-process client, a seeded org, and the
fake behind the virtual network for tests that use real client software."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from harness.reference import control_gate
from harness.salesforce import SalesforceBackend, create_app

from .sealed import SealedSalesforce
from .support import CALLBACK, SECOND_CALLBACK, World

CONTROL_TOKEN = "salesforce-tests-control-token"


@pytest.fixture(scope="session")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SealedSalesforce]:
    """One fake Salesforce behind the virtual network for the whole run; tests make their own orgs."""
    running = SealedSalesforce.start(Path(tmp_path_factory.mktemp("sealed")))
    try:
        yield running
        refusals = running.network.proxy.refusals
        assert not refusals, f"a client tried to leave the virtual network: {refusals}"
    finally:
        running.stop()


@pytest.fixture
def backend() -> SalesforceBackend:
    return SalesforceBackend(seed=7)


@pytest.fixture
def client(backend: SalesforceBackend) -> Iterator[TestClient]:
    app = create_app(backend)
    control_gate.enable(app, CONTROL_TOKEN)
    with TestClient(
        app, base_url="https://login.salesforce.com", follow_redirects=False,
        headers={control_gate.HEADER: CONTROL_TOKEN},
    ) as test_client:
        yield test_client


@pytest.fixture
def world(backend: SalesforceBackend, client: TestClient) -> World:
    org = backend.create_org(name="acme", records=5)
    user = backend.create_user(
        org["id"],
        username="admin@acme.example.com",
        password="S3cret!pass",
        first_name="Ada",
        last_name="Admin",
    )
    app = backend.create_app(
        org["id"],
        name="Backup Appliance",
        callback_urls=[CALLBACK, SECOND_CALLBACK],
        scopes=[
            "Full access (full)",
            "Perform requests at any time (refresh_token, offline_access)",
            "Access unique user identifiers (openid)",
        ],
    )
    return World(backend, client, org, user, app)
