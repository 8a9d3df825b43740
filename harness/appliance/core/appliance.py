"""The appliance as both faces see it: one object over one store, one method per administrator intent.

Rule served: DESIGN.md "The reference appliance" - a domain core under two faces (JSON API and HTML
pages) that both call the same methods, so a scenario reaches the same state through either layer.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Mapping
from typing import Any

from harness.appliance.core import rules
from harness.appliance.core.backup_job import BackupJob
from harness.appliance.core.clock import Clock
from harness.appliance.core.connections import Connections, Outcome, require_credentials
from harness.appliance.core.crypto import SecretBox, check_password
from harness.appliance.core.errors import BadCredentials, InvalidInput, WrongStep
from harness.appliance.core.policies import Policies
from harness.appliance.core.salesforce_client import SalesforceClient
from harness.appliance.core.store import Store
from harness.appliance.core.wizard import Wizard
from harness.appliance.settings import ApplianceSettings

SESSION_TTL_S = 12 * 3600


class Appliance:
    def __init__(self, settings: ApplianceSettings) -> None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.settings = settings
        self.clock = Clock(settings.clock)
        self.box = SecretBox(settings.secret_key)
        self.store = Store(settings.effective_database_url)
        self.client = SalesforceClient(settings)
        self.wizard = Wizard(settings, self.store, self.box)
        self.connections = Connections(settings, self.store, self.box, self.clock, self.client)
        self.policies = Policies(
            self.store, self.clock, self.connections, BackupJob(self.client, settings.data_dir)
        )

    # -- wizard ----------------------------------------------------------------------------------
    def app_step(self, callback: str) -> dict[str, Any]:
        return {
            "title": self.wizard.titles[4],
            "callback_url": callback,
            "checklist": rules.checklist(),
            **self.wizard.app_view(),
        }

    def set_wizard_app(self, consumer_key: str, consumer_secret: str) -> dict[str, Any]:
        previous = self.wizard.draft().get("org_id")
        if self.wizard.set_app(consumer_key, consumer_secret):
            self.store.set_config("outcome:wizard", None)
            if previous:
                self.connections.forget(previous)
        return self.wizard.state()

    def start_wizard_authorization(self, environment: str, my_domain: str | None, callback: str) -> str:
        self.wizard.require(6)
        host = self.connections.login_host(environment, my_domain)
        key, secret = self.wizard.app_credentials()
        self.wizard.remember_environment(environment, my_domain)
        return self.connections.start(
            purpose="wizard",
            callback=callback,
            environment=environment,
            login_host=host,
            consumer_key=key,
            consumer_secret=secret,
        )

    def wizard_connection(self) -> Outcome:
        return self.connections.last_outcome("wizard") or Outcome("pending", "Not authorized yet.")

    def handle_callback(self, params: Mapping[str, str]) -> Outcome:
        outcome = self.connections.complete(params)
        if outcome.purpose == "wizard" and outcome.status == "connected" and outcome.org_id:
            previous = self.wizard.connected(outcome.org_id)
            if previous:
                self.connections.forget(previous)
        return outcome

    def finish_wizard(self) -> dict[str, Any]:
        self.wizard.require(8)
        summary = self.wizard.summary()
        if not self.policies.all():
            self.policies.create_default(summary["org_id"], summary["schedule"])
        self.wizard.mark_finished()
        return summary

    # -- administrator sessions -----------------------------------------------------------------
    def log_in(self, username: str, password: str) -> str:
        admin = self.store.get_config("administrator")
        if not self.wizard.draft()["finished"]:
            raise WrongStep("Finish the initial configuration first.", code="wizard_not_finished")
        if (
            not admin
            or admin["username"] != username
            or not check_password(password or "", admin["password_hash"])
        ):
            raise BadCredentials("The user name or password is incorrect.")
        token = secrets.token_urlsafe(32)
        self.store.add("sessions", {"token": token, "username": username, "created_at": self.clock.now()})
        return token

    def session_user(self, token: str | None) -> str | None:
        row = self.store.get("sessions", token) if token else None
        if row is None or self.clock.now() - row["created_at"] > SESSION_TTL_S:
            return None
        return str(row["username"])

    def log_out(self, token: str | None) -> None:
        if token:
            self.store.remove("sessions", token)

    # -- organizations -------------------------------------------------------------------------
    def _configured(self) -> None:
        if not self.wizard.draft()["finished"]:
            raise WrongStep("Finish the initial configuration first.", code="wizard_not_finished")

    def orgs(self) -> list[dict[str, Any]]:
        return [self.public_org(o) for o in self.store.rows("orgs")]

    def public_org(self, org: Mapping[str, Any]) -> dict[str, Any]:
        """An org without its sealed columns: what any page or API response may show."""
        app = org["consumer_key"] if self.settings.per_org_apps else "Connected app (shared)"
        return {
            "org_id": org["org_id"],
            "alias": org["alias"],
            "status": org["status"],
            "status_reason": org["status_reason"],
            "username": org["username"],
            "environment": org["environment"],
            "login_host": org["login_host"],
            "instance_url": org["instance_url"],
            "app": app,
            "granted_scopes": org["granted_scopes"],
        }

    def start_add_org(
        self,
        callback: str,
        environment: str,
        my_domain: str | None,
        consumer_key: str | None = None,
        consumer_secret: str | None = None,
    ) -> str:
        self._configured()
        host = self.connections.login_host(environment, my_domain)
        if self.settings.per_org_apps:
            key, secret = require_credentials(consumer_key or "", consumer_secret or "")
        else:
            key, secret = self.wizard.app_credentials()
        return self.connections.start(
            purpose="orgs",
            callback=callback,
            environment=environment,
            login_host=host,
            consumer_key=key,
            consumer_secret=secret,
        )

    def org_authorization(self) -> Outcome:
        return self.connections.last_outcome("orgs") or Outcome("pending", "No authorization started.")

    def edit_connection(self, org_id: str, consumer_key: str, consumer_secret: str) -> dict[str, Any]:
        self._configured()
        if not self.settings.per_org_apps:
            raise InvalidInput("Before 3.2 every organization uses the connected app under Security.")
        return self.public_org(self.connections.edit(org_id, consumer_key, consumer_secret))

    def start_reauthorize(self, org_id: str, callback: str) -> str:
        self._configured()
        org = self.connections.org(org_id)
        key, secret = self.connections.credentials(org)
        return self.connections.start(
            purpose="orgs",
            callback=callback,
            environment=org["environment"],
            login_host=org["login_host"],
            consumer_key=key,
            consumer_secret=secret,
            org_id=org_id,
        )

    def set_connected_app(self, consumer_key: str, consumer_secret: str) -> dict[str, Any]:
        self._configured()
        if self.settings.per_org_apps:
            raise InvalidInput(
                "From 3.2 each organization has its own external client app; use Edit Connection."
            )
        self.connections.set_global_app(consumer_key, consumer_secret)
        return {"consumer_key": self.wizard.app_view()["consumer_key"]}

    # -- harness control ---------------------------------------------------------------------------
    def advance_clock(self, seconds: float) -> float:
        now = self.clock.advance(seconds)
        if self.wizard.draft()["finished"]:
            self.policies.run_due()
        return now

    def reset(self) -> None:
        self.store.wipe()
        self.clock.reset()
        shutil.rmtree(self.settings.data_dir / "backups", ignore_errors=True)
