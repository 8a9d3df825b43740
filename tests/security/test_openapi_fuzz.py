"""A bounded schemathesis run over the appliance's own OpenAPI document: no generated request gets a 5xx.

Rule served: the OpenAPI document is derived from the typed requests, so schemathesis generates
both valid and invalid bodies, path ids and query strings for every operation from it. The run is
bounded (``max_examples``) so it stays well under a minute; the appliance runs in-process.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from starlette.testclient import TestClient

from harness.appliance import ApplianceSettings, create_app
from harness.appliance.api import OPERATIONS
from harness.appliance.openapi import openapi_document
from harness.reference.embedded import APPLIANCE_URL


@pytest.fixture(scope="module")
def appliance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings_ = ApplianceSettings(data_dir=Path(tmp_path_factory.mktemp("fuzzed")), password_hash_cost=4)
    with TestClient(create_app(settings_), base_url=APPLIANCE_URL) as client:
        yield client


# The document is derived from the declared operations alone, so it can be loaded at collection.
schema = schemathesis.openapi.from_dict(openapi_document("3.2", OPERATIONS))


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_no_generated_request_gets_a_5xx(case: schemathesis.Case, appliance: TestClient) -> None:
    case.call_and_validate(app=appliance.app, checks=[not_a_server_error], headers={"Host": "172.12.0.1"})


def test_the_document_carries_types_enums_and_required_fields(appliance: TestClient) -> None:
    document = appliance.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert schemas["BackupSchedule"]["properties"]["schedule"]["enum"] == ["Hourly", "Daily", "Weekly"]
    assert schemas["Administrator"]["required"] == ["username", "password"]
    assert schemas["LicenseAcceptance"]["properties"]["accepted"]["type"] == "boolean"
    body = document["paths"]["/wizard/schedule"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/BackupSchedule"}
    assert document["paths"]["/orgs"]["get"]["security"] == [{"session": []}]
