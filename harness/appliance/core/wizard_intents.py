"""The wizard's intents on the entry object: what the faces call for each of the eight steps.

Rules served: docs/salesforce-facts.md 1.1/1.2 (step order, Back and Next keep what was entered) and docs/design.md "The
reference appliance" (the faces call only the entry object). Steps 5 and 6 join the wizard with the
credentials home and the authorization's life; the rest is the wizard draft (``wizard.py``).
"""

from __future__ import annotations

from typing import Any, Protocol

from harness.appliance.core import rules
from harness.appliance.core.authorization import Authorizations, Outcome
from harness.appliance.core.connections import Connections
from harness.appliance.core.credentials import Credentials
from harness.appliance.core.policies import Policies
from harness.appliance.core.versions import VersionPolicy
from harness.appliance.core.wizard import Wizard


class WizardParts(Protocol):
    """The parts of the entry object the wizard's intents use (so this module needs no ``Appliance``)."""

    policy: VersionPolicy
    wizard: Wizard
    credentials: Credentials
    connections: Connections
    authorizations: Authorizations
    policies: Policies

    def app_view(self) -> dict[str, Any]: ...


class WizardIntents:
    """Mixed into ``Appliance``; every method raises WrongStep (409) when its step is not open."""

    def wizard_state(self: WizardParts) -> dict[str, Any]:
        """``{"step", "step_name", "slug", "reached", "finished"}``."""
        return self.wizard.state()

    def wizard_finished(self: WizardParts) -> bool:
        """True once step 8's Finish ran: the wizard is closed and every page needs a login."""
        return bool(self.wizard.state()["finished"])

    def wizard_values(self: WizardParts) -> dict[str, Any]:
        """What the wizard pages pre-fill: the draft, with no secret in it."""
        return self.wizard.draft()

    def wizard_titles(self: WizardParts) -> tuple[str, ...]:
        return tuple(self.wizard.titles)

    def wizard_back(self: WizardParts) -> dict[str, Any]:
        return self.wizard.go_to(self.wizard.draft()["step"] - 1)

    def wizard_go_to(self: WizardParts, step: int) -> dict[str, Any]:
        return self.wizard.go_to(step)

    def accept_license(self: WizardParts, accepted: bool) -> dict[str, Any]:
        return self.wizard.accept_license(accepted)

    def create_administrator(self: WizardParts, username: str, password: str) -> dict[str, Any]:
        return self.wizard.create_administrator(username, password)

    def connect_database(self: WizardParts, kind: str, url: str | None = None) -> dict[str, Any]:
        return self.wizard.connect_database(kind, url)

    def provide_license(self: WizardParts, trial: bool, license_text: str | None = None) -> dict[str, Any]:
        return self.wizard.provide_license(trial, license_text)

    # -- step 5 ------------------------------------------------------------------------------------
    def app_view(self: WizardParts) -> dict[str, Any]:
        """The consumer key entered at step 5 (never the secret)."""
        return {"consumer_key": self.credentials.consumer_key(self.wizard.app_id())}

    def app_step(self: WizardParts, callback: str) -> dict[str, Any]:
        return {"title": self.wizard.titles[4], "callback_url": callback, "checklist": rules.checklist(),
                **self.app_view()}

    def set_wizard_app(self: WizardParts, consumer_key: str, consumer_secret: str) -> dict[str, Any]:
        """Step 5. New credentials void a connection made at step 6 with the old ones."""
        previous = self.wizard.draft().get("org_id")
        app_id = self.wizard.set_app(consumer_key, consumer_secret)
        if app_id is not None:
            if previous:
                self.connections.forget(previous)
            if (shared := self.policy.shared_app_from_wizard(app_id)) is not None:
                self.connections.set_shared_app(shared)
        return self.wizard.state()

    # -- step 6 ------------------------------------------------------------------------------------
    def start_wizard_authorization(
        self: WizardParts, environment: str, my_domain: str | None, callback: str, *, binding: str
    ) -> str:
        """Returns Salesforce's authorize URL; the callback must present the same ``binding``."""
        self.wizard.require(6)
        host = self.connections.login_host(environment, my_domain)
        app_id = self.wizard.require_app()
        self.wizard.remember_environment(environment, my_domain)
        return self.authorizations.start(purpose="wizard", app_id=app_id, environment=environment,
                                         login_host=host, callback=callback, binding=binding)

    def wizard_connection(self: WizardParts) -> Outcome:
        """The outcome of the latest step-6 authorization with the app entered at step 5."""
        found = self.authorizations.last_outcome("wizard", app_id=self.wizard.app_id())
        return found or Outcome("pending", "Not authorized yet.")

    def next_from_salesforce(self: WizardParts) -> dict[str, Any]:
        return self.wizard.next_from_salesforce()

    # -- steps 7 and 8 -----------------------------------------------------------------------------
    def choose_schedule(self: WizardParts, schedule: str) -> dict[str, Any]:
        return self.wizard.choose_schedule(schedule)

    def wizard_summary(self: WizardParts) -> dict[str, Any]:
        return self.wizard.summary()

    def finish_wizard(self: WizardParts) -> dict[str, Any]:
        self.wizard.require(8)
        summary = self.wizard.summary()
        if not self.policies.all():
            self.policies.create_default(summary["org_id"], summary["schedule"])
        self.wizard.mark_finished()
        return summary
