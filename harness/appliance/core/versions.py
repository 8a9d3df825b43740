"""What differs between appliance versions, decided once when the appliance is built.

Rule served: LEGACY-3.2 - from 3.2 every organization has its own external client app (entered at
step 5 for the first org, then with Add Organization and Edit Connection); before 3.2 one connected
app, kept under Security, serves every organization. ``policy_for`` is the only place that reads the
version string, and the policy object is the only place that reads ``per_org_apps``: the core and the
pages ask it what to do (which app an org uses, which intents are refused, which pages are offered).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from harness.appliance.core.errors import InvalidInput


@dataclass(frozen=True)
class VersionPolicy:
    """Behaviour of one version family; the appliance holds exactly one for its whole life."""

    version: str
    per_org_apps: bool
    app_noun: str
    app_title: str
    app_column: str
    metadata_type: str

    def org_app_label(self, consumer_key: Callable[[], str | None]) -> str:
        """What the orgs table shows in the app column for one org (its key is looked up only if shown)."""
        return consumer_key() or "" if self.per_org_apps else "Connected app (shared)"

    # -- which app an organization uses ---------------------------------------------------------------
    def app_for_new_org(self, add_credentials: Callable[[], int], shared_app_id: int | None) -> int:
        """Add Organization: the new org's own app (3.2+), else the shared one, which must exist."""
        if self.per_org_apps:
            return add_credentials()
        if shared_app_id is None:
            raise InvalidInput("Enter the connected app under Security first.")
        return shared_app_id

    def app_of(self, org_app_id: int | None, shared_app_id: int | None) -> int | None:
        """The app an existing org authorizes with."""
        return org_app_id if self.per_org_apps else shared_app_id

    def shared_app_from_wizard(self, app_id: int) -> int | None:
        """Before 3.2 the app entered at step 5 becomes the shared connected app; from 3.2 none does."""
        return None if self.per_org_apps else app_id

    # -- which intents and pages exist ----------------------------------------------------------------
    def check_edit_connection(self) -> None:
        """Edit Connection exists from 3.2 only."""
        if not self.per_org_apps:
            raise InvalidInput("Before 3.2 every organization uses the connected app under Security.")

    def check_shared_app_setting(self) -> None:
        """Configuration, Security, Connected App exists before 3.2 only."""
        if self.per_org_apps:
            raise InvalidInput("From 3.2 each organization has its own external client app; use Edit Connection.")

    @property
    def offers_edit_connection(self) -> bool:
        """The orgs table links Edit Connection, and Add Organization asks for the org's app."""
        return self.per_org_apps

    @property
    def offers_shared_app_page(self) -> bool:
        """The navigation links Configuration, Security, Connected App."""
        return not self.per_org_apps


PER_ORG_APPS = VersionPolicy(
    version="3.2",
    per_org_apps=True,
    app_noun="external client app",
    app_title="Create External Client App",
    app_column="External Client App",
    metadata_type="ExtlClntAppGlobalOauthSettings",
)
SHARED_CONNECTED_APP = VersionPolicy(
    version="3.1",
    per_org_apps=False,
    app_noun="connected app",
    app_title="Create Connected App",
    app_column="Connected App",
    metadata_type="ConnectedApp",
)


def policy_for(version: str) -> VersionPolicy:
    """3.2 (and later): an app per org; 3.1: one shared connected app. Anything else is refused."""
    policies = {p.version: p for p in (PER_ORG_APPS, SHARED_CONNECTED_APP)}
    if version not in policies:
        raise ValueError(f"unknown appliance version {version!r}; use '3.2' or '3.1'")
    return policies[version]
