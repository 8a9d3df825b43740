"""Org connections: saving an authorized org, using it (refresh), editing its app, re-authorization.

Rules served: PURPOSE - the refresh token the authorization gave is what every backup uses;
EDIT-REAUTH - after the app changes, the old grant is revoked and the connection needs
re-authorization; LEGACY-3.2 - before 3.2 every org uses the one shared connected app (the version
policy says which app an org uses).

[gap] The real product's status labels were not found (docs/salesforce-facts.md 1.4); we chose "Connected",
"Re-authorization required" (the grant or app credentials are no longer valid: only the administrator
can fix it) and "Failed" (Salesforce unreachable or failing: retry later).
"""

from __future__ import annotations

from typing import Any

from harness.appliance.core import rules
from harness.appliance.core.authorization import Outcome
from harness.appliance.core.callback import my_domain_host
from harness.appliance.core.clock import ApplianceClock
from harness.appliance.core.credentials import Credentials
from harness.appliance.core.crypto import SecretBox
from harness.appliance.core.errors import InvalidInput, NotFound
from harness.appliance.core.salesforce_client import NetworkFault, SalesforceClient, SalesforceError, Tokens
from harness.appliance.core.store import Store
from harness.appliance.core.versions import VersionPolicy

CONNECTED = "Connected"
REAUTH_REQUIRED = "Re-authorization required"
FAILED = "Failed"
_REAUTH_CODES = {"invalid_grant", "invalid_client", "invalid_client_id", "inactive_user", "inactive_org"}
SHARED_APP = "shared_app_id"


class ConnectionUnusable(Exception):
    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Connections:
    def __init__(
        self,
        policy: VersionPolicy,
        store: Store,
        box: SecretBox,
        clock: ApplianceClock,
        client: SalesforceClient,
        credentials: Credentials,
        login_hosts: dict[str, str],
    ) -> None:
        self.policy, self.store, self.box, self.clock = policy, store, box, clock
        self.client, self.credentials, self.login_hosts = client, credentials, login_hosts

    def login_host(self, environment: str, my_domain: str | None) -> str:
        if environment == "custom":
            return my_domain_host(my_domain or "")
        if environment not in self.login_hosts:
            raise InvalidInput("Choose Production, Sandbox or Custom domain.")
        return self.login_hosts[environment]

    # -- which app ---------------------------------------------------------------------------------
    def shared_app_id(self) -> int | None:
        return self.store.get_config(SHARED_APP)

    def app_id_of(self, org: dict[str, Any]) -> int | None:
        return self.policy.app_of(org["app_id"], self.shared_app_id())

    # -- saving an authorization ---------------------------------------------------------------------
    def check_target(self, attempt: dict[str, Any], tokens: Tokens) -> list[rules.Violation]:
        if attempt["org_id"] and tokens.org_id != attempt["org_id"]:
            return [rules.Violation("org_mismatch", (
                f"The Salesforce user belongs to organization {tokens.org_id}, not {attempt['org_id']}. "
                "Sign in as a user of the organization you re-authorize."))]
        if attempt["purpose"] == "orgs" and not attempt["org_id"] and self.store.get("orgs", tokens.org_id):
            return [rules.Violation("org_exists", (
                f"The Salesforce organization {tokens.org_id} is already added. "
                "Use Edit Connection or Re-authorize connection instead."))]
        return []

    def save(self, attempt: dict[str, Any], tokens: Tokens) -> Outcome | list[rules.Violation]:
        problems = self.check_target(attempt, tokens)
        if problems:
            return problems
        identity = self.client.identity(tokens)
        username = str(identity.get("username") or identity.get("preferred_username") or "") or None
        row = {
            "user_id": tokens.user_id,
            "username": username,
            "environment": attempt["environment"],
            "login_host": attempt["login_host"],
            "instance_url": tokens.instance_url,
            "app_id": attempt["app_id"],
            "refresh_token_enc": self.box.seal(tokens.refresh_token or ""),
            "granted_scopes": list(tokens.scopes),
            "status": CONNECTED,
            "status_reason": "",
        }
        existing = self.store.get("orgs", tokens.org_id)
        if existing is None:
            self.store.add("orgs", row | {"org_id": tokens.org_id, "alias": tokens.org_id,
                                          "created_at": self.clock.now()})
        else:
            self.store.change("orgs", tokens.org_id, **row)
            self._revoke_replaced(existing, tokens)
        text = f"Connected to Salesforce organization {tokens.org_id}" + (f" as {username}." if username else ".")
        return Outcome("connected", text, None, attempt["purpose"], tokens.org_id, username, list(tokens.scopes))

    def _revoke_replaced(self, before: dict[str, Any], tokens: Tokens) -> None:
        """Re-authorization replaced the org's grant: the old one must not stay alive at Salesforce."""
        old = self._refresh_token(before)
        if old and old != tokens.refresh_token:
            self.client.revoke(before["login_host"], old)

    # -- using and changing connections ----------------------------------------------------------
    def org(self, org_id: str) -> dict[str, Any]:
        row = self.store.get("orgs", org_id)
        if row is None:
            raise NotFound(f"There is no Salesforce organization {org_id}.")
        return row

    def access(self, org_id: str) -> Tokens:
        """A fresh access token for the org, or ConnectionUnusable with the status it now has."""
        org = self.org(org_id)
        app_id = self.app_id_of(org)
        if org["status"] == REAUTH_REQUIRED or not org["refresh_token_enc"] or app_id is None:
            raise ConnectionUnusable(REAUTH_REQUIRED, org["status_reason"] or "Re-authorize the connection.")
        app = self.credentials.secret(app_id)
        try:
            tokens = self.client.refresh(org["login_host"], self._refresh_token(org),
                                         app.consumer_key, app.secret)
        except SalesforceError as exc:
            status = REAUTH_REQUIRED if exc.code in _REAUTH_CODES else FAILED
            reason = f"Salesforce refused to refresh the access token ({exc.code}: {exc.description})."
            raise self._unusable(org_id, status, reason) from exc
        except NetworkFault as exc:
            reason = f"Salesforce could not be reached: {exc}. The appliance will retry later."
            raise self._unusable(org_id, FAILED, reason) from exc
        changes: dict[str, Any] = {"status": CONNECTED, "status_reason": ""}
        if tokens.refresh_token:  # refresh token rotation: keep the newest
            changes["refresh_token_enc"] = self.box.seal(tokens.refresh_token)
        self.store.change("orgs", org_id, **changes)
        return Tokens(tokens.access_token, tokens.instance_url or org["instance_url"], tokens.id_url, tokens.scopes)

    def _refresh_token(self, org: dict[str, Any]) -> str:
        """The org's refresh token in clear: the one place it is decrypted."""
        return self.box.open(org["refresh_token_enc"]) if org["refresh_token_enc"] else ""

    def _unusable(self, org_id: str, status: str, reason: str) -> ConnectionUnusable:
        self.store.change("orgs", org_id, status=status, status_reason=reason)
        return ConnectionUnusable(status, reason)

    def edit(self, org_id: str, consumer_key: str, consumer_secret: str) -> dict[str, Any]:
        """Edit Connection (3.2+): a new app for the org; the old grant belongs to the old app."""
        org = self.org(org_id)
        app_id = self.credentials.add(consumer_key, consumer_secret)
        self._forget_grant(org)
        self.store.change("orgs", org_id, app_id=app_id, status=REAUTH_REQUIRED,
                          status_reason=f"The {self.policy.app_noun} changed. Re-authorize the connection.")
        return self.org(org_id)

    def set_shared_app(self, app_id: int) -> None:
        """Before 3.2: one connected app for every org; changing it invalidates every connection."""
        self.store.set_config(SHARED_APP, app_id)
        for org in self.store.rows("orgs"):
            self._forget_grant(org)
            self.store.change("orgs", org["org_id"], status=REAUTH_REQUIRED,
                              status_reason="The connected app changed. Re-authorize the connection.")

    def _forget_grant(self, org: dict[str, Any]) -> None:
        token = self._refresh_token(org)
        if token:
            self.client.revoke(org["login_host"], token)
        self.store.change("orgs", org["org_id"], refresh_token_enc=None)

    def forget(self, org_id: str) -> None:
        org = self.store.get("orgs", org_id)
        if org is not None:
            self._forget_grant(org)
            self.store.remove("orgs", org_id)
