"""Control routes (``/__harness``) answer only the harness: JSON carrying the per-start token.

Weakness served: a plain cross-site form post to the appliance's reset wiped it back to step 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from harness.appliance import ApplianceSettings
from harness.appliance import create_app as create_appliance
from harness.drivers.api import ApiAdministrator
from harness.network import HarnessCA
from harness.reference.embedded import APPLIANCE_URL, ReferenceAccess, RunningReference
from harness.salesforce import SalesforceBackend
from harness.salesforce import create_app as create_salesforce

CONTROLS = [f"{APPLIANCE_URL}/__harness/reset", "https://login.salesforce.com/__harness/reset"]


def _step(client: ApiAdministrator) -> int:
    return int(client.call("GET", "/wizard")["step"])


def test_a_cross_site_form_post_cannot_reset_the_appliance(at_app_step: ApiAdministrator,
                                                           stranger: httpx.Client) -> None:
    answer = stranger.post(CONTROLS[0], data={"x": "1"},
                           headers={"Origin": "https://evil.example.com"})
    assert answer.status_code in (403, 404, 415), answer.text
    assert _step(at_app_step) == 5


@pytest.mark.parametrize("url", CONTROLS)
def test_json_without_the_token_is_refused_naming_the_header(url: str, stranger: httpx.Client) -> None:
    answer = stranger.post(url, json={})
    assert answer.status_code == 403, answer.text
    assert "X-Harness-Control" in answer.json()["message"]


@pytest.mark.parametrize("url", CONTROLS)
def test_a_wrong_token_is_refused(url: str, stranger: httpx.Client) -> None:
    assert stranger.post(url, json={}, headers={"X-Harness-Control": "guess"}).status_code == 403


@pytest.mark.parametrize("url", CONTROLS)
def test_a_form_post_with_the_token_is_still_refused(url: str, stranger: httpx.Client,
                                                     reference: ReferenceAccess) -> None:
    answer = stranger.post(url, data={"seed": "1"}, headers={"X-Harness-Control": reference.control_token})
    assert answer.status_code == 415, answer.text


def test_the_token_opens_the_control_routes(at_app_step: ApiAdministrator, stranger: httpx.Client,
                                            reference: ReferenceAccess) -> None:
    answer = stranger.post(CONTROLS[0], json={}, headers={"X-Harness-Control": reference.control_token})
    assert answer.status_code == 200 and _step(at_app_step) == 1


def test_an_appliance_not_started_by_the_harness_has_no_control_routes(tmp_path: Path) -> None:
    with TestClient(create_appliance(ApplianceSettings(data_dir=tmp_path)), base_url=APPLIANCE_URL) as client:
        assert client.post("/__harness/reset", json={}).status_code == 404


def test_a_fake_salesforce_not_started_by_the_harness_has_no_control_routes() -> None:
    app = create_salesforce(SalesforceBackend(seed=1))
    with TestClient(app, base_url="https://login.salesforce.com") as client:
        assert client.post("/__harness/reset", json={}).status_code == 404


def test_reference_json_carries_the_token(tmp_path: Path, reference: ReferenceAccess) -> None:
    path = tmp_path / "reference.json"
    reference.describe(path)
    assert json.loads(path.read_text())["control_token"] == reference.control_token
    assert RunningReference.load(path).control_token == reference.control_token
    assert path.stat().st_mode & 0o077 == 0, "the token file must be readable by its owner only"


def test_a_reference_json_without_a_token_is_refused(tmp_path: Path) -> None:
    ca = HarnessCA.create(tmp_path / "ca")
    path = tmp_path / "reference.json"
    path.write_text(json.dumps({"proxy_url": "http://127.0.0.1:1", "ca_path": str(ca.cert_path)}))
    with pytest.raises(ValueError, match="control_token"):
        RunningReference.load(path)
