"""Fixtures for the security tests: the embedded reference reached as a hostile user would reach it.

Every request goes through the virtual network to the real servers (uvicorn, TLS, the proxy), so
what these tests see is what a browser or a script on the administrator's network would see.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from harness.drivers.api import ApiAdministrator
from harness.drivers.appliance_seeding import ApplianceAdmin, protect_org, reach_app_step
from harness.drivers.control_clients import ApplianceControl, SalesforceControl
from harness.drivers.protocol import SalesforceUser
from harness.drivers.setup_labels import guide_app
from harness.pytest.scenario_data import ScenarioData
from harness.reference.embedded import APPLIANCE_URL, ReferenceAccess

JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class World:
    """One Salesforce org with its administrator and an app set up as the guide asks."""

    org_id: str
    user: SalesforceUser
    consumer_key: str
    consumer_secret: str
    admin: ApplianceAdmin


@pytest.fixture
def world(salesforce: SalesforceControl, scenario_data: ScenarioData,
          appliances: dict[str, ApplianceControl]) -> World:
    name = scenario_data.org_name()
    org = salesforce.create_org(name)
    fields = scenario_data.user(name)
    salesforce.create_user(org["id"], **fields, active=True, profile="System Administrator")
    app = salesforce.create_app(org["id"], **guide_app(scenario_data.app_name(), fields["email"], [APPLIANCE_URL]))
    return World(org["id"], SalesforceUser(fields["username"], fields["password"]), app["consumer_key"],
                 app["consumer_secret"], ApplianceAdmin(*scenario_data.administrator()))


@pytest.fixture
def stranger(reference: ReferenceAccess) -> Iterator[httpx.Client]:
    """A second browser: no cookies shared with the administrator's."""
    with reference.client() as client:
        yield client


@pytest.fixture
def at_app_step(setup_client: ApiAdministrator, world: World) -> ApiAdministrator:
    reach_app_step(setup_client, APPLIANCE_URL, world.admin)
    return setup_client


@pytest.fixture
def finished(setup_client: ApiAdministrator, world: World) -> ApiAdministrator:
    """The wizard is finished and ``setup_client`` is logged in."""
    protect_org(setup_client, APPLIANCE_URL, world.admin, world.consumer_key, world.consumer_secret, world.user)
    return setup_client


def api(client: httpx.Client, method: str, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
    headers = {**JSON, **kwargs.pop("headers", {})}
    content = kwargs.pop("content", None)
    if content is None and body is not None:
        import json

        content = json.dumps(body)
    return client.request(method, f"{APPLIANCE_URL}/api/v1{path}", content=content, headers=headers, **kwargs)
