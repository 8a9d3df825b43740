"""The appliance as both faces see it: one object over one store, one method per administrator intent.

Rule served: docs/design.md "The reference appliance" - a domain core under two faces (JSON API and
HTML pages) that both call only this object, so a scenario reaches the same state through either layer.
What is built here once: the store, the encryption key (``keys.py``), the version policy
(``versions.py``), one kept-alive HTTP client to Salesforce, and the parts below. Building it over an
existing data directory resumes everything (wizard, connections) and marks runs that a stop cut short.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from typing import Any

from harness.appliance.core.authorization import Authorizations, Outcome
from harness.appliance.core.backup_job import BackupJob
from harness.appliance.core.clock import ApplianceClock
from harness.appliance.core.connections import Connections
from harness.appliance.core.credentials import Credentials
from harness.appliance.core.errors import InvalidInput, WrongStep
from harness.appliance.core.keys import open_box, refuse_early
from harness.appliance.core.policies import Policies
from harness.appliance.core.salesforce_client import SalesforceClient
from harness.appliance.core.sessions import Sessions
from harness.appliance.core.store import Store
from harness.appliance.core.versions import policy_for
from harness.appliance.core.wizard import Wizard
from harness.appliance.core.wizard_intents import WizardIntents
from harness.appliance.settings import ApplianceSettings


class Appliance(WizardIntents):
    """The entry object: the faces call its methods only, never its parts (wizard, connections, ...).

    ``binding`` arguments are an opaque value tied to the browser session (the faces pass the session
    id): an authorization started with one binding is only completed by a callback that presents the
    same one. Errors are ``core.errors`` classes, each with its status and stable code."""

    def __init__(self, settings: ApplianceSettings) -> None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.settings = settings
        self.policy = policy_for(settings.version)
        refuse_early(settings.data_dir, settings.effective_database_url, settings.secret_key)
        self.store = Store(settings.effective_database_url)
        try:
            self.box = open_box(settings.data_dir, self.store, settings.secret_key)
        except Exception:
            self.store.close()  # a refused start leaves the data directory as it found it
            raise
        self.client = SalesforceClient(settings)
        self._build_parts()
        self.policies.mark_interrupted()

    def _build_parts(self) -> None:
        """Every part with state of its own, new over the store: at start, and again on a harness reset."""
        settings = self.settings
        self.clock = ApplianceClock(settings.clock)
        self.credentials = Credentials(self.store, self.box, self.clock)
        self.wizard = Wizard(self.policy, self.store, self.box, self.credentials, settings.password_hash_cost)
        self.connections = Connections(
            self.policy, self.store, self.box, self.clock, self.client, self.credentials, settings.login_hosts
        )
        self.authorizations = Authorizations(self.store, self.clock, self.client, self.credentials, self.policy)
        self.policies = Policies(self.store, self.clock, self.connections, BackupJob(self.client, settings.data_dir))
        self.sessions = Sessions(settings, self.store, self.clock, lambda: bool(self.wizard.draft()["finished"]))

    def close(self) -> None:
        """Releases the HTTP client and the database pool (the data stays)."""
        self.client.close()
        self.store.close()

    # -- the callback (wizard step 6, Add Organization, Re-authorize) ---------------------------------
    def handle_callback(self, params: Mapping[str, str], binding: str) -> Outcome:
        """Salesforce's answer on ``/``; ``outcome.purpose`` says which page shows it ("wizard"/"orgs")."""
        outcome = self.authorizations.complete(params, binding, self.connections.save)
        if outcome.purpose == "wizard" and outcome.status == "connected" and outcome.org_id:
            previous = self.wizard.connected(outcome.org_id)
            if previous:
                self.connections.forget(previous)
        return outcome

    # -- administrator sessions (core/sessions.py) -----------------------------------------------
    def log_in(self, username: str, password: str) -> str:
        return self.sessions.log_in(username, password)

    def session_user(self, token: str | None) -> str | None:
        return self.sessions.user(token)

    def log_out(self, token: str | None) -> None:
        self.sessions.log_out(token)

    # -- organizations -------------------------------------------------------------------------
    def _configured(self) -> None:
        if not self.wizard.draft()["finished"]:
            raise WrongStep("Finish the initial configuration first.", code="wizard_not_finished")

    def orgs(self) -> list[dict[str, Any]]:
        keys = self.credentials.consumer_keys()
        return [self._public_org(o, keys.get(o["app_id"])) for o in self.store.rows("orgs")]

    def org(self, org_id: str) -> dict[str, Any]:
        """One org as the pages show it; NotFound when there is none."""
        return self._public_org(self.connections.org(org_id))

    def _public_org(self, org: Mapping[str, Any], consumer_key: str | None = None) -> dict[str, Any]:
        keys = ("org_id", "alias", "status", "status_reason", "username", "environment", "login_host",
                "instance_url", "granted_scopes")
        label = self.policy.org_app_label(lambda: consumer_key or self.credentials.consumer_key(org["app_id"]))
        return {k: org[k] for k in keys} | {"app": label}

    def start_add_org(
        self,
        callback: str,
        environment: str,
        my_domain: str | None,
        consumer_key: str | None = None,
        consumer_secret: str | None = None,
        *,
        binding: str,
    ) -> str:
        """Add Organization: 3.2+ takes the new org's app credentials, before 3.2 the shared app is used."""
        self._configured()
        host = self.connections.login_host(environment, my_domain)
        app_id = self.policy.app_for_new_org(lambda: self.credentials.add(consumer_key or "", consumer_secret or ""),
                                             self.connections.shared_app_id())
        return self.authorizations.start(purpose="orgs", app_id=app_id, environment=environment,
                                         login_host=host, callback=callback, binding=binding)

    def org_authorization(self) -> Outcome:
        return self.authorizations.last_outcome("orgs") or Outcome("pending", "No authorization started.")

    def edit_connection(self, org_id: str, consumer_key: str, consumer_secret: str) -> dict[str, Any]:
        self._configured()
        self.policy.check_edit_connection()
        return self._public_org(self.connections.edit(org_id, consumer_key, consumer_secret))

    def start_reauthorize(self, org_id: str, callback: str, *, binding: str) -> str:
        self._configured()
        org = self.connections.org(org_id)
        app_id = self.connections.app_id_of(org)
        if app_id is None:
            raise InvalidInput(f"Enter the {self.policy.app_noun} of organization {org_id} first.")
        return self.authorizations.start(purpose="orgs", app_id=app_id, environment=org["environment"],
                                         login_host=org["login_host"], callback=callback, binding=binding,
                                         org_id=org_id)

    def connected_app(self) -> dict[str, Any]:
        """Before 3.2: the shared connected app's consumer key (never its secret)."""
        return {"consumer_key": self.credentials.consumer_key(self.connections.shared_app_id())}

    def set_connected_app(self, consumer_key: str, consumer_secret: str) -> dict[str, Any]:
        self._configured()
        self.policy.check_shared_app_setting()
        self.connections.set_shared_app(self.credentials.add(consumer_key, consumer_secret))
        return self.connected_app()

    # -- backup policies and runs ------------------------------------------------------------------
    def all_policies(self) -> list[dict[str, Any]]:
        return self.policies.all()

    def run_now(self, policy_id: int) -> dict[str, Any]:
        """Run now: the run's row once it finished (status Success, Warning or Failed, with the reason)."""
        return self.policies.run_now(policy_id)

    def runs(self, policy_id: int) -> list[dict[str, Any]]:
        return self.policies.runs(policy_id)

    def all_runs(self) -> list[dict[str, Any]]:
        """Every run of every policy, newest first."""
        return sorted(self.store.rows("runs"), key=lambda r: -r["id"])

    # -- harness control ---------------------------------------------------------------------------
    def advance_clock(self, seconds: float) -> float:
        now = self.clock.advance(seconds)
        if self.wizard.draft()["finished"]:
            self.policies.run_due()
        return now

    def reset(self) -> None:
        """Back to wizard step 1 as a first start would be: empty tables and backups, every part new
        (clock offset, sessions, drafts), the same key and the same kept-alive Salesforce client."""
        self.store.wipe()
        shutil.rmtree(self.settings.data_dir / "backups", ignore_errors=True)
        self.box = open_box(self.settings.data_dir, self.store, self.settings.secret_key)
        self._build_parts()
