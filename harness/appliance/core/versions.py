"""What differs between appliance versions, decided once when the appliance is built.

Rule served: LEGACY-3.2 - from 3.2 every organization has its own external client app (entered at
step 5 for the first org, then with Add Organization and Edit Connection); before 3.2 one connected
app, kept under Security, serves every organization. ``policy_for`` is the only place that reads the
version string; everything else asks the policy object it was given.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VersionPolicy:
    """Behaviour of one version family; the appliance holds exactly one for its whole life."""

    version: str
    per_org_apps: bool
    app_noun: str
    app_title: str
    app_column: str
    metadata_type: str

    def org_app_label(self, consumer_key: str | None) -> str:
        """What the orgs table shows in the app column for one org."""
        return consumer_key or "" if self.per_org_apps else "Connected app (shared)"


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
