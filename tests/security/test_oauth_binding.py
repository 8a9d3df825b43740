"""The OAuth ``state`` completes the flow only in the browser that started it.

Weakness served: a ``state`` issued to one browser completed the flow from another.
"""

from __future__ import annotations

import httpx
import pytest

from harness.drivers.api import ApiAdministrator
from harness.reference.embedded import APPLIANCE_URL
from tests.security.conftest import World, api


def _start_in(admin: ApiAdministrator, world: World) -> str:
    admin.enter_app_credentials(world.consumer_key, world.consumer_secret)
    return str(admin.call("POST", "/wizard/salesforce", {"environment": "production"})["authorize_url"])


def _refused_for(stranger: httpx.Client, url: str, world: World) -> None:
    """The thief signs in at Salesforce and is sent back to the appliance, which refuses."""
    thief = ApiAdministrator(stranger)
    thief.base = APPLIANCE_URL
    with pytest.raises(httpx.HTTPStatusError) as refused:
        thief.walk_salesforce(url, world.user, True)
    assert refused.value.response.status_code == 400
    assert "another browser" in refused.value.response.text


def test_a_state_from_another_browser_is_refused(at_app_step: ApiAdministrator, world: World,
                                                 stranger: httpx.Client) -> None:
    url = _start_in(at_app_step, world)
    _refused_for(stranger, url, world)
    outcome = at_app_step.call("GET", "/wizard/salesforce")
    assert outcome["status"] != "connected", outcome
    assert at_app_step.call("GET", "/wizard")["step"] == 6


def test_the_browser_that_started_it_completes_it(at_app_step: ApiAdministrator, world: World) -> None:
    url = _start_in(at_app_step, world)
    assert at_app_step.walk_salesforce(url, world.user, True) is None
    assert at_app_step.call("GET", "/wizard/salesforce")["status"] == "connected"


def test_add_organization_state_is_bound_too(finished: ApiAdministrator, world: World,
                                             stranger: httpx.Client) -> None:
    started = finished.call("POST", "/orgs/add", {"consumer_key": world.consumer_key,
                                                  "consumer_secret": world.consumer_secret})
    _refused_for(stranger, started["authorize_url"], world)
    assert finished.call("GET", "/orgs/authorization")["status"] != "connected"
    assert api(stranger, "GET", "/orgs").status_code == 401
