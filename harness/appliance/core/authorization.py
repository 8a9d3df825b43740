"""One authorization's whole life: start, claim on callback, exchange, verify, save or refuse, outcome.

Rules served: PURPOSE (the app's credentials authorize access to the org); SCOPES, OAUTH-ON, PKCE-OFF
(after Salesforce hands over tokens the appliance verifies what it can observe and refuses the app
otherwise); CALLBACK (the redirect_uri is the callback URL of the host used). Security rules: the
``state`` is random, stored only as a hash, single-use, expires, and is bound to the browser session
that started it (the faces pass an opaque binding); every failure after tokens were obtained revokes
them at Salesforce; a replayed or foreign callback never overwrites an attempt's outcome.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from harness.appliance.core import rules, wording
from harness.appliance.core.clock import ApplianceClock
from harness.appliance.core.credentials import Credentials
from harness.appliance.core.salesforce_client import NetworkFault, SalesforceClient, SalesforceError, Tokens
from harness.appliance.core.store import Store
from harness.appliance.core.verification import AppVerification
from harness.appliance.core.versions import VersionPolicy

# Salesforce authorization codes expire after 15 minutes (docs/salesforce-facts.md 3.2);
# our attempts live twice as long.
ATTEMPT_TTL_S = 30 * 60


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


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# Saves a verified authorization (the org's connection) and returns the outcome, or the refusals.
Saver = Callable[[dict[str, Any], Tokens], "Outcome | list[rules.Violation]"]


class Authorizations:
    """Attempts (one row each, outcome stored on it): ``start`` -> Salesforce -> ``complete``."""

    def __init__(
        self,
        store: Store,
        clock: ApplianceClock,
        client: SalesforceClient,
        credentials: Credentials,
        policy: VersionPolicy,
    ) -> None:
        self.store, self.clock, self.client, self.credentials = store, clock, client, credentials
        self.noun = policy.app_noun
        self.verification = AppVerification(client, policy)

    # -- start -----------------------------------------------------------------------------------
    def start(
        self,
        *,
        purpose: str,
        app_id: int,
        environment: str,
        login_host: str,
        callback: str,
        binding: str,
        org_id: str | None = None,
    ) -> str:
        """Records the attempt and returns Salesforce's authorize URL; ``binding`` must come back."""
        state = secrets.token_urlsafe(32)
        self.store.add(
            "attempts",
            {
                "state_hash": _digest(state),
                "binding_hash": _digest(binding),
                "purpose": purpose,
                "org_id": org_id,
                "app_id": app_id,
                "environment": environment,
                "login_host": login_host,
                "redirect_uri": callback,
                "created_at": self.clock.now(),
                "claimed": False,
            },
        )
        key = self.credentials.consumer_key(app_id) or ""
        return self.client.authorize_url(login_host, key, callback, state)

    def last_outcome(self, purpose: str, app_id: int | None = None) -> Outcome | None:
        where: dict[str, Any] = {"purpose": purpose} | ({"app_id": app_id} if app_id is not None else {})
        attempt = self.store.find("attempts", **where)
        if attempt is None:
            return None
        if attempt["outcome"]:
            return Outcome(**attempt["outcome"])
        return Outcome("pending", "Waiting for Salesforce to send the administrator back.", None, purpose)

    # -- callback --------------------------------------------------------------------------------
    def complete(self, params: Mapping[str, str], binding: str, save: Saver) -> Outcome:
        """Handles Salesforce's answer; the outcome is stored on the attempt it belongs to."""
        attempt = self._claim(params.get("state", ""), binding)
        if isinstance(attempt, Outcome):
            return attempt
        purpose, org_id = attempt["purpose"], attempt["org_id"]
        if params.get("error"):
            code, description = params["error"], params.get("error_description", "")
            text = wording.plain(code, description, app_noun=self.noun, callback=attempt["redirect_uri"])
            outcome = Outcome("error", text, code, purpose, org_id)
        elif not params.get("code"):
            outcome = Outcome("error", "Salesforce sent no authorization code. Authorize again.", "code_missing",
                              purpose, org_id)
        else:
            outcome = self._exchange(attempt, params["code"], save)
        return self._record(attempt, outcome)

    def _record(self, attempt: dict[str, Any], outcome: Outcome) -> Outcome:
        self.store.change("attempts", attempt["id"], outcome=outcome.as_dict())
        return outcome

    def _claim(self, state: str, binding: str) -> dict[str, Any] | Outcome:
        attempt = self.store.find("attempts", state_hash=_digest(state)) if state else None
        if attempt is None:
            return Outcome("refused", "This answer from Salesforce does not belong to an authorization "
                           "started by this appliance. Start the authorization again.", "state_unknown")
        purpose, org_id = attempt["purpose"], attempt["org_id"]
        if not hmac.compare_digest(attempt["binding_hash"], _digest(binding)):
            return Outcome("refused", "This answer from Salesforce reached another browser session than "
                           "the one that started the authorization. Start the authorization again "
                           "in this browser.", "state_foreign", purpose, org_id)
        if not self.store.change_where("attempts", {"id": attempt["id"], "claimed": False}, claimed=True):
            return Outcome("refused", "This answer from Salesforce was already used. Start the "
                           "authorization again.", "state_replayed", purpose, org_id)
        if self.clock.now() - attempt["created_at"] > ATTEMPT_TTL_S:
            return self._record(attempt, Outcome("refused", "This authorization took too long and has "
                                "expired. Start the authorization again.", "state_expired", purpose, org_id))
        return attempt

    # -- exchange, verify, save or refuse ----------------------------------------------------------
    def _exchange(self, attempt: dict[str, Any], code: str, save: Saver) -> Outcome:
        purpose, org_id, host = attempt["purpose"], attempt["org_id"], attempt["login_host"]
        try:
            app = self.credentials.secret(attempt["app_id"])
            tokens = self.client.exchange_code(host, code, app.consumer_key, app.secret, attempt["redirect_uri"])
        except (SalesforceError, NetworkFault) as exc:
            return self._failure(exc, attempt)
        try:
            tokens, problems = self.verification.verify(tokens, host, app)
            result = problems or save(attempt, tokens)
        except (SalesforceError, NetworkFault) as exc:
            self._revoke(host, tokens)
            return self._failure(exc, attempt)
        except BaseException:
            self._revoke(host, tokens)  # never keep a grant the appliance could not save
            raise
        if isinstance(result, Outcome):
            return result
        self._revoke(host, tokens)
        return Outcome("refused", " ".join(p.message for p in result), result[0].code, purpose, org_id,
                       granted_scopes=list(tokens.scopes))

    def _revoke(self, host: str, tokens: Tokens) -> None:
        # Revoking the refresh token ends the grant and its access tokens (docs/salesforce-facts.md 3.5).
        self.client.revoke(host, tokens.refresh_token or tokens.access_token)

    def _failure(self, exc: Exception, attempt: dict[str, Any]) -> Outcome:
        purpose, org_id, callback = attempt["purpose"], attempt["org_id"], attempt["redirect_uri"]
        if isinstance(exc, SalesforceError):
            text = wording.token_error(exc.code, exc.description, app_noun=self.noun, callback=callback)
            return Outcome("error", text, exc.code, purpose, org_id)
        return Outcome("error", f"The appliance could not reach Salesforce: {exc}. Try again later.",
                       "network_error", purpose, org_id)
