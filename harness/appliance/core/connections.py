"""Org connections: authorization attempts, the callback, verification, refresh, edit and re-authorize.

Rules served: PURPOSE - the app's credentials authorize access to the org; SCOPES, OAUTH-ON, PKCE-OFF -
after authorization the appliance verifies what it can observe and refuses the app otherwise (nothing
saved, tokens revoked); CALLBACK - the redirect_uri is the callback URL of the host used; EDIT-REAUTH -
after the app changes, the connection needs re-authorization; LEGACY-3.2 - before 3.2 one connected
app (``config['connected_app']``) serves every org.

[gap] The real product's status labels were not found (facts 1.4); we chose "Connected",
"Re-authorization required" (the grant or app credentials are no longer valid: only the administrator
can fix it) and "Failed" (Salesforce unreachable or failing: retry later).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from harness.appliance.core import messages, rules
from harness.appliance.core.callback import my_domain_host
from harness.appliance.core.clock import Clock
from harness.appliance.core.crypto import SecretBox
from harness.appliance.core.errors import InvalidInput, NotFound
from harness.appliance.core.salesforce_client import NetworkFault, SalesforceClient, SalesforceError, Tokens
from harness.appliance.core.store import Store
from harness.appliance.core.verification import AppVerification
from harness.appliance.settings import ApplianceSettings

CONNECTED = "Connected"
REAUTH_REQUIRED = "Re-authorization required"
FAILED = "Failed"
# Salesforce authorization codes expire after minutes; an attempt older than this is refused.
ATTEMPT_TTL_S = 30 * 60
_REAUTH_CODES = {"invalid_grant", "invalid_client", "invalid_client_id", "inactive_user", "inactive_org"}


@dataclass(frozen=True)
class Outcome:
    """What an authorization attempt came to; ``status`` is connected|refused|error|pending."""

    status: str
    message: str = ""
    error_code: str | None = None
    purpose: str | None = None
    org_id: str | None = None
    username: str | None = None
    granted_scopes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, [])}


class ConnectionUnusable(Exception):
    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Connections:
    def __init__(
        self,
        settings: ApplianceSettings,
        store: Store,
        box: SecretBox,
        clock: Clock,
        client: SalesforceClient,
    ) -> None:
        self.settings, self.store, self.box, self.clock, self.client = settings, store, box, clock, client
        self.noun = settings.app_noun
        self.verification = AppVerification(client, self.noun, settings.per_org_apps)

    # -- starting an attempt -------------------------------------------------------------------
    def login_host(self, environment: str, my_domain: str | None) -> str:
        if environment == "custom":
            return my_domain_host(my_domain or "")
        if environment not in self.settings.login_hosts:
            raise InvalidInput("Choose Production, Sandbox or Custom domain.")
        return self.settings.login_hosts[environment]

    def start(
        self,
        *,
        purpose: str,
        callback: str,
        environment: str,
        login_host: str,
        consumer_key: str,
        consumer_secret: str,
        org_id: str | None = None,
    ) -> str:
        state = secrets.token_urlsafe(32)
        self.store.add(
            "attempts",
            {
                "state": state,
                "purpose": purpose,
                "org_id": org_id,
                "consumer_key": consumer_key,
                "consumer_secret_enc": self.box.seal(consumer_secret),
                "environment": environment,
                "login_host": login_host,
                "redirect_uri": callback,
                "created_at": self.clock.now(),
            },
        )
        self.record(
            Outcome(
                "pending",
                "Waiting for Salesforce to send the administrator back.",
                purpose=purpose,
                org_id=org_id,
            )
        )
        return self.client.authorize_url(login_host, consumer_key, callback, state)

    def record(self, outcome: Outcome) -> Outcome:
        self.store.set_config("outcome:last", outcome.as_dict())
        if outcome.purpose:
            self.store.set_config(f"outcome:{outcome.purpose}", outcome.as_dict())
        return outcome

    def last_outcome(self, purpose: str) -> Outcome | None:
        data = self.store.get_config(f"outcome:{purpose}")
        return Outcome(**data) if data else None

    # -- the callback ----------------------------------------------------------------------------
    def complete(self, params: Mapping[str, str]) -> Outcome:
        attempt = self._claim(params.get("state", ""))
        if isinstance(attempt, Outcome):
            return self.record(attempt)
        purpose = attempt["purpose"]
        if params.get("error"):
            code, description = params["error"], params.get("error_description", "")
            text = messages.plain(code, description, app_noun=self.noun, callback=attempt["redirect_uri"])
            return self.record(Outcome("error", text, code, purpose, attempt["org_id"]))
        if not params.get("code"):
            return self.record(
                Outcome(
                    "error",
                    "Salesforce sent no authorization code. Authorize again.",
                    "code_missing",
                    purpose,
                    attempt["org_id"],
                )
            )
        return self.record(self._exchange_and_verify(attempt, params["code"]))

    def _claim(self, state: str) -> dict[str, Any] | Outcome:
        attempt = self.store.get("attempts", state) if state else None
        if attempt is None:
            return Outcome(
                "refused",
                "This answer from Salesforce does not belong to an authorization "
                "started by this appliance. Start the authorization again.",
                "state_unknown",
            )
        if attempt["used"]:
            return Outcome(
                "refused",
                "This answer from Salesforce was already used. Start the authorization again.",
                "state_replayed",
                attempt["purpose"],
                attempt["org_id"],
            )
        self.store.change("attempts", state, used=True)
        if self.clock.now() - attempt["created_at"] > ATTEMPT_TTL_S:
            return Outcome(
                "refused",
                "This authorization took too long and has expired. Start the authorization again.",
                "state_expired",
                attempt["purpose"],
                attempt["org_id"],
            )
        return attempt

    def _exchange_and_verify(self, attempt: dict[str, Any], code: str) -> Outcome:
        purpose, org_id, host = attempt["purpose"], attempt["org_id"], attempt["login_host"]
        key, secret = attempt["consumer_key"], self.box.open(attempt["consumer_secret_enc"])
        try:
            tokens = self.client.exchange_code(host, code, key, secret, attempt["redirect_uri"])
            tokens, problems = self.verification.verify(tokens, host, key, secret)
        except SalesforceError as exc:
            text = messages.token_error(
                exc.code, exc.description, app_noun=self.noun, callback=attempt["redirect_uri"]
            )
            return Outcome("error", text, exc.code, purpose, org_id)
        except NetworkFault as exc:
            return Outcome(
                "error",
                f"The appliance could not reach Salesforce: {exc}. Try again later.",
                "network_error",
                purpose,
                org_id,
            )
        if not problems:
            problems = self._check_target(attempt, tokens)
        if problems:
            self.client.revoke(host, tokens.refresh_token or tokens.access_token)
            return Outcome(
                "refused",
                " ".join(p.message for p in problems),
                problems[0].code,
                purpose,
                org_id,
                granted_scopes=list(tokens.scopes),
            )
        return self._save(attempt, tokens)

    def _check_target(self, attempt: dict[str, Any], tokens: Tokens) -> list[rules.Violation]:
        existing = self.store.get("orgs", tokens.org_id)
        if attempt["org_id"] and tokens.org_id != attempt["org_id"]:
            return [
                rules.Violation(
                    "org_mismatch",
                    (
                        f"The Salesforce user belongs to organization {tokens.org_id}, "
                        f"not {attempt['org_id']}. "
                        "Sign in as a user of the organization you re-authorize."
                    ),
                )
            ]
        if attempt["purpose"] == "orgs" and not attempt["org_id"] and existing is not None:
            return [
                rules.Violation(
                    "org_exists",
                    (
                        f"The Salesforce organization {tokens.org_id} is already added. "
                        "Use Edit Connection or "
                        "Re-authorize connection instead."
                    ),
                )
            ]
        return []

    def _save(self, attempt: dict[str, Any], tokens: Tokens) -> Outcome:
        identity = self.client.identity(tokens)
        username = str(identity.get("username") or identity.get("preferred_username") or "") or None
        existing = self.store.get("orgs", tokens.org_id)
        row = {
            "user_id": tokens.user_id,
            "username": username,
            "environment": attempt["environment"],
            "login_host": attempt["login_host"],
            "instance_url": tokens.instance_url,
            "refresh_token_enc": self.box.seal(tokens.refresh_token or ""),
            "granted_scopes": list(tokens.scopes),
            "status": CONNECTED,
            "status_reason": "",
        }
        if self.settings.per_org_apps:
            row |= {
                "consumer_key": attempt["consumer_key"],
                "consumer_secret_enc": attempt["consumer_secret_enc"],
            }
        if existing is None:
            self.store.add(
                "orgs",
                row | {"org_id": tokens.org_id, "alias": tokens.org_id, "created_at": self.clock.now()},
            )
        else:
            self.store.change("orgs", tokens.org_id, **row)
        text = f"Connected to Salesforce organization {tokens.org_id}" + (
            f" as {username}." if username else "."
        )
        return Outcome(
            "connected", text, None, attempt["purpose"], tokens.org_id, username, list(tokens.scopes)
        )

    # -- using and changing connections ----------------------------------------------------------
    def org(self, org_id: str) -> dict[str, Any]:
        row = self.store.get("orgs", org_id)
        if row is None:
            raise NotFound(f"There is no Salesforce organization {org_id}.")
        return row

    def credentials(self, org: dict[str, Any]) -> tuple[str, str]:
        if self.settings.per_org_apps:
            return org["consumer_key"] or "", self.box.open(org["consumer_secret_enc"] or self.box.seal(""))
        app = self.store.get_config("connected_app") or {}
        return app.get("consumer_key", ""), self.box.open(app["consumer_secret_enc"]) if app else ""

    def access(self, org_id: str) -> Tokens:
        """A fresh access token for the org, or ConnectionUnusable with the status it now has."""
        org = self.org(org_id)
        if org["status"] == REAUTH_REQUIRED:
            raise ConnectionUnusable(REAUTH_REQUIRED, org["status_reason"] or "Re-authorize the connection.")
        key, secret = self.credentials(org)
        try:
            tokens = self.client.refresh(
                org["login_host"], self.box.open(org["refresh_token_enc"]), key, secret
            )
        except SalesforceError as exc:
            status = REAUTH_REQUIRED if exc.code in _REAUTH_CODES else FAILED
            self._set_status(
                org_id,
                status,
                f"Salesforce refused to refresh the access token ({exc.code}: {exc.description}).",
            )
            raise ConnectionUnusable(status, self.org(org_id)["status_reason"]) from exc
        except NetworkFault as exc:
            self._set_status(
                org_id, FAILED, f"Salesforce could not be reached: {exc}. The appliance will retry later."
            )
            raise ConnectionUnusable(FAILED, self.org(org_id)["status_reason"]) from exc
        changes: dict[str, Any] = {"status": CONNECTED, "status_reason": ""}
        if tokens.refresh_token:
            changes["refresh_token_enc"] = self.box.seal(tokens.refresh_token)
        self.store.change("orgs", org_id, **changes)
        return Tokens(
            tokens.access_token, tokens.instance_url or org["instance_url"], tokens.id_url, tokens.scopes
        )

    def _set_status(self, org_id: str, status: str, reason: str) -> None:
        self.store.change("orgs", org_id, status=status, status_reason=reason)

    def edit(self, org_id: str, consumer_key: str, consumer_secret: str) -> dict[str, Any]:
        """Edit Connection (3.2+): new app credentials; the old grant belongs to the old app."""
        org = self.org(org_id)
        key, secret = require_credentials(consumer_key, consumer_secret)
        self._forget_grant(org)
        self.store.change(
            "orgs",
            org_id,
            consumer_key=key,
            consumer_secret_enc=self.box.seal(secret),
            status=REAUTH_REQUIRED,
            status_reason=(f"The {self.noun} changed. Re-authorize the connection."),
        )
        return self.org(org_id)

    def set_global_app(self, consumer_key: str, consumer_secret: str) -> None:
        """Pre-3.2: one connected app for every org; changing it invalidates every connection."""
        key, secret = require_credentials(consumer_key, consumer_secret)
        self.store.set_config(
            "connected_app", {"consumer_key": key, "consumer_secret_enc": self.box.seal(secret)}
        )
        for org in self.store.rows("orgs"):
            self._forget_grant(org)
            self._set_status(
                org["org_id"], REAUTH_REQUIRED, "The connected app changed. Re-authorize the connection."
            )

    def _forget_grant(self, org: dict[str, Any]) -> None:
        token = self.box.open(org["refresh_token_enc"]) if org["refresh_token_enc"] else ""
        if token:
            self.client.revoke(org["login_host"], token)
        self.store.change("orgs", org["org_id"], refresh_token_enc=None)

    def forget(self, org_id: str) -> None:
        org = self.store.get("orgs", org_id)
        if org is not None:
            self._forget_grant(org)
            self.store.remove("orgs", org_id)


def require_credentials(consumer_key: str, consumer_secret: str) -> tuple[str, str]:
    key, secret = (consumer_key or "").strip(), (consumer_secret or "").strip()
    if not key or not secret:
        raise InvalidInput("Enter both the Consumer Key and the Consumer Secret.")
    if len(key) > 255 or len(secret) > 255 or any(c.isspace() for c in key + secret):
        raise InvalidInput("The Consumer Key and Consumer Secret are single words without spaces.")
    return key, secret
