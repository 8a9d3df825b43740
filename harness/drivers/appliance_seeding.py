"""Brings the appliance to a known state through its JSON API, for Given-steps.

Seeding goes through the same public API a person's browser uses (never through internals), so
these Givens also work against an appliance running in another process.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.drivers.api import ApiAdministrator
from harness.drivers.protocol import Outcome, SalesforceUser

TRIAL = {"trial": True}


@dataclass(frozen=True)
class ApplianceAdmin:
    """The local administrator created in wizard step 2."""

    username: str
    password: str


def reach_app_step(api: ApiAdministrator, base_url: str, admin: ApplianceAdmin) -> None:
    """Completes wizard steps 1 to 4 so the wizard stands at the external client app step."""
    api.open(base_url)
    api.call("POST", "/wizard/license", {"accepted": True})
    api.call("POST", "/wizard/administrator", {"username": admin.username, "password": admin.password})
    api.call("POST", "/wizard/database", {"kind": "sqlite"})
    api.call("POST", "/wizard/license-file", TRIAL)


def protect_org(api: ApiAdministrator, base_url: str, admin: ApplianceAdmin, key: str, secret: str,
                user: SalesforceUser, schedule: str = "Daily") -> Outcome:
    """Runs the whole wizard: the org ends up protected by the default backup policy."""
    reach_app_step(api, base_url, admin)
    api.enter_app_credentials(key, secret)
    outcome = api.authorize(user)
    if outcome.status != "connected":
        raise AssertionError(f"setting up the protected org failed: {outcome}")
    api.finish_wizard(schedule)
    api.log_in(admin.username, admin.password)
    return outcome
