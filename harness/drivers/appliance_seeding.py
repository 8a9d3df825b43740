"""Brings the appliance to a known state through its JSON API, for Given-steps.

Seeding goes through HTTP only (never through internals), so these Givens also work against an
appliance running in another process. Steps 1-4, which no scenario's Given varies, can be done in
one control call (``ApplianceControl.reach_app_step``: the same core methods their API endpoints
call); the app credentials, the authorization at Salesforce and the schedule go through the public
API, so the OAuth dance is the real one. Rule served: docs/design.md, speed (a Given set-up costs a
handful of round trips).
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.drivers.api import ApiAdministrator
from harness.drivers.control_clients import ApplianceControl
from harness.drivers.protocol import SalesforceUser, SeenOutcome

TRIAL = {"trial": True}


@dataclass(frozen=True)
class ApplianceAdmin:
    """The local administrator created in wizard step 2."""

    username: str
    password: str


def reach_app_step(api: ApiAdministrator, base_url: str, admin: ApplianceAdmin,
                   control: ApplianceControl | None = None) -> None:
    """Completes wizard steps 1 to 4 so the wizard stands at the external client app step: in one
    control call when ``control`` (the same appliance's) is given, else through the public API."""
    if control is not None:
        api.base = base_url.rstrip("/")
        control.reach_app_step(admin.username, admin.password)
        return
    api.open(base_url)
    api.call("POST", "/wizard/license", {"accepted": True})
    api.call("POST", "/wizard/administrator", {"username": admin.username, "password": admin.password})
    api.call("POST", "/wizard/database", {"kind": "sqlite"})
    api.call("POST", "/wizard/license-file", TRIAL)


def protect_org(api: ApiAdministrator, base_url: str, admin: ApplianceAdmin, key: str, secret: str,
                user: SalesforceUser, schedule: str = "Daily", control: ApplianceControl | None = None) -> SeenOutcome:
    """Runs the whole wizard: the org ends up protected by the default backup policy."""
    reach_app_step(api, base_url, admin, control)
    # The wizard is known to stand at step 5, then 6, then 7: no need to ask it (at_step) first.
    api.call("POST", "/wizard/external-client-app", {"consumer_key": key, "consumer_secret": secret})
    outcome = api.authorize(user)
    if outcome.status != "connected":
        raise AssertionError(f"setting up the protected org failed: {outcome}")
    api.call("POST", "/wizard/schedule", {"schedule": schedule})
    api.call("POST", "/wizard/finish")
    api.log_in(admin.username, admin.password)
    return outcome
