"""The administrator's intents, shared by the API driver and the browser driver.

Each scenario runs once per layer; steps call only these methods, so a sentence in a feature
means the same thing whether it is carried out with HTTP requests or with clicks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class SalesforceUser:
    """A Salesforce user the administrator signs in as during authorization."""

    username: str
    password: str
    org_id: str = ""
    user_id: str = ""


@dataclass(frozen=True)
class SeenOutcome:
    """What the administrator sees after an authorization attempt.

    ``status`` is one of ``connected`` (the appliance holds a connection), ``refused`` (the
    appliance refused the app), ``error`` (Salesforce sent an error back to the appliance) or
    ``salesforce_error`` (Salesforce showed an error page and never came back).
    """

    status: str
    message: str
    error_code: str | None = None
    org_id: str | None = None
    granted_scopes: tuple[str, ...] = ()
    location: str = ""
    username: str | None = None  # the Salesforce user the appliance says it connected as


@dataclass(frozen=True)
class OrgRow:
    """One row of the Salesforce organizations table."""

    alias: str
    org_id: str
    status: str
    app: str
    reason: str = ""  # why the status is what it is, as the table shows it under the status


@dataclass(frozen=True)
class PolicyView:
    """The default backup policy as the administrator reads it."""

    name: str
    org_id: str
    schedule: str
    files_and_attachments: bool
    retention: str


@dataclass(frozen=True)
class RunOutcome:
    """The result of a backup run."""

    status: str
    reason: str = ""
    objects: dict[str, int] = field(default_factory=dict)


class Administrator(Protocol):
    """The appliance administrator, acting through one layer."""

    layer: str

    def open(self, url: str) -> None: ...
    def address(self) -> str: ...
    def read_callback_url(self) -> str: ...
    def copy_callback_url(self) -> str: ...
    def read_checklist(self) -> list[str]: ...
    def read_app_step_title(self) -> str: ...
    def enter_app_credentials(self, consumer_key: str, consumer_secret: str) -> None: ...
    def authorize(self, user: SalesforceUser, *, environment: str = "production", approve: bool = True,
                  before_return: Callable[[], object] | None = None) -> SeenOutcome:
        """Clicks Authorize and signs in at Salesforce; ``before_return`` runs when Salesforce sends the
        browser back with a code, before the appliance receives it (a change in Setup meanwhile)."""
        ...
    def next_at_salesforce_step(self) -> SeenOutcome:
        """Next at wizard step 6: status "refused" with what the wizard says (and its reason code), or
        "continued" when the wizard went on."""
        ...
    def finish_wizard(self, schedule: str) -> None: ...
    def finish_wizard_early(self) -> str:
        """Finish (step 8) before step 7 was done, from the Summary's address; returns the title of the wizard step
        the administrator is at afterwards, or "" when the wizard finished."""
        ...
    def log_in(self, username: str, password: str) -> None: ...
    def org_rows(self) -> list[OrgRow]: ...
    def policies(self) -> list[PolicyView]: ...
    def add_organization(self, consumer_key: str, consumer_secret: str, user: SalesforceUser) -> SeenOutcome: ...
    def edit_connection(self, org_id: str, consumer_key: str, consumer_secret: str) -> None: ...
    def try_edit_connection(self, org_id: str, consumer_key: str, consumer_secret: str) -> str:
        """Edit Connection for the org (from its address when the orgs table offers no link); returns the
        refusal the appliance shows, or "" when it saved the new app."""
        ...
    def reauthorize(self, org_id: str, user: SalesforceUser) -> SeenOutcome: ...
    def run_backup(self, org_id: str) -> RunOutcome: ...
    def backup_runs(self) -> list[RunOutcome]:
        """Every backup run the Backup Policies page lists, newest first."""
        ...
    def set_connected_app(self, consumer_key: str, consumer_secret: str) -> None: ...
    def try_set_connected_app(self, consumer_key: str, consumer_secret: str) -> str:
        """Configuration, Security, Connected App (by its address where the navigation has no link); returns the
        refusal the appliance shows, or "" when it saved the app."""
        ...
    def shared_connected_app_key(self) -> str:
        """The consumer key the Connected App page shows ("" when there is none)."""
        ...
