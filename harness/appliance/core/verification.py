"""What the appliance checks after Salesforce hands over tokens, before it saves anything.

Rules served: SCOPES (the granted scopes), OAUTH-ON and PKCE-OFF (the app's Security switches, read the
way the Metadata API exposes them), and the refresh the appliance will rely on for every backup.
"""

from __future__ import annotations

from harness.appliance.core import rules
from harness.appliance.core.credentials import AppCredentials
from harness.appliance.core.salesforce_client import SalesforceClient, SalesforceError, Tokens
from harness.appliance.core.versions import VersionPolicy


class AppVerification:
    """Checks one authorization's tokens and the app behind them; returns the violations found."""

    def __init__(self, client: SalesforceClient, policy: VersionPolicy) -> None:
        self.client, self.policy, self.noun = client, policy, policy.app_noun

    def verify(self, tokens: Tokens, host: str, app: AppCredentials) -> tuple[Tokens, list[rules.Violation]]:
        """Raises SalesforceError/NetworkFault when Salesforce fails; the caller then revokes the tokens."""
        problems = rules.check_grant(tokens, self.noun)
        if problems:
            return tokens, problems
        try:
            refreshed = self.client.refresh(host, tokens.refresh_token or "", app.consumer_key, app.secret)
        except SalesforceError as exc:
            return tokens, [
                rules.Violation(
                    "refresh_failed",
                    (
                        f"Salesforce refused to refresh the access token ({exc.code}: {exc.description}). "
                        "Check the "
                        f"{self.noun}'s Refresh Token Policy and authorize again."
                    ),
                )
            ]
        # With refresh token rotation Salesforce hands out a new refresh token; keep the newest.
        tokens = Tokens(
            refreshed.access_token,
            refreshed.instance_url or tokens.instance_url,
            tokens.id_url,
            tokens.scopes,
            refreshed.refresh_token or tokens.refresh_token,
            tokens.id_token,
        )
        return tokens, self._check_switches(tokens, host, app.consumer_key)

    def _check_switches(self, tokens: Tokens, host: str, key: str) -> list[rules.Violation]:
        # The Metadata API is the one place all switches can be read. Probing the token endpoint without
        # a secret would need a second authorization code for the web server flow and looks like misuse
        # in the org's login history, so a probe is only the fallback for the refresh switch.
        try:
            security = self.client.read_app_settings(tokens, key, self.policy.metadata_type)
        except SalesforceError as exc:
            if exc.code != "soapenv:Client":
                return [
                    rules.Violation(
                        "app_settings_unreadable",
                        (
                            f"The appliance could not read the {self.noun}'s settings from Salesforce "
                            f"({exc.code}). "
                            "Authorize as a user with the System Administrator profile."
                        ),
                    )
                ]
            security = None
        if security is not None:
            return rules.check_security(security, self.noun)
        # [gap] The app is not in this org's metadata (before 3.2 the connected app may live in another
        # org, docs/salesforce-facts.md 1.2) or the listing is not supported: only the refresh switch can be observed.
        if self.client.refresh_accepted_without_secret(host, tokens.refresh_token or "", key):
            return [
                rules.Violation(
                    "refresh_secret_not_required",
                    rules.turn_message(self.noun, rules.SECRET_REFRESH, "off", "on"),
                )
            ]
        return []
