"""What the app must have, and the refusal the administrator reads when it does not.

Rules served (the page's considerations): SCOPES - three scopes, one per label below (full; refresh_token
or its synonym offline_access; openid); OAUTH-ON - OAuth itself plus both secret switches stay on;
PKCE-OFF - the PKCE switch stays off. A refusal quotes the Setup label of what is wrong (the labels are
kept literal, as Salesforce shows them) and tells the administrator what to change.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.appliance.core.salesforce_client import AppSecurity, Tokens

SCOPE_FULL = "Full access (full)"
SCOPE_REFRESH = "Perform requests at any time (refresh_token, offline_access)"
SCOPE_OPENID = "Access unique user identifiers (openid)"
ENABLE_OAUTH = "Enable OAuth Settings"
SECRET_WEB_SERVER = "Require Secret for Web Server Flow"
SECRET_REFRESH = "Require Secret for Refresh Token Flow"
PKCE = "Require Proof Key for Code Exchange (PKCE)"

REQUIRED_SCOPES: tuple[tuple[str, frozenset[str]], ...] = (
    (SCOPE_FULL, frozenset({"full"})),
    (SCOPE_REFRESH, frozenset({"refresh_token", "offline_access"})),
    (SCOPE_OPENID, frozenset({"openid"})),
)


def checklist() -> list[str]:
    """The checklist shown at step 5; the API returns the same strings the page shows."""
    return [
        *(f"OAuth scope selected: {label}" for label, _ in REQUIRED_SCOPES),
        *(f"Turned on: {label}" for label in (ENABLE_OAUTH, SECRET_WEB_SERVER, SECRET_REFRESH)),
        f"Turned off: {PKCE}",
    ]


@dataclass(frozen=True)
class Violation:
    code: str
    message: str


def check_grant(tokens: Tokens, app_noun: str) -> list[Violation]:
    """What the token response itself shows: granted scopes, a refresh token, an ID token."""
    granted = set(tokens.scopes)
    found = [
        Violation(
            "scope_missing",
            f'The {app_noun} does not grant the "{label}" scope. '
            "Add it to Selected OAuth Scopes and authorize again.",
        )
        for label, names in REQUIRED_SCOPES
        if not granted & names
    ]
    if not found and not tokens.refresh_token:
        found.append(
            Violation(
                "refresh_token_missing",
                (
                    "Salesforce did not return a refresh token, so backups could not run unattended. "
                    f'Check that the {app_noun} grants "{SCOPE_REFRESH}" and that its Refresh Token Policy '
                    "keeps tokens valid until revoked, then authorize again."
                ),
            )
        )
    if not found and not tokens.id_token:
        found.append(
            Violation(
                "id_token_missing",
                (
                    "Salesforce did not return an ID token. "
                    f'Check that the {app_noun} grants "{SCOPE_OPENID}" '
                    "and authorize again."
                ),
            )
        )
    return found


def check_security(security: AppSecurity, app_noun: str) -> list[Violation]:
    """The switches as the Metadata API reports them (docs/salesforce-facts.md 2.3 and 3.8)."""
    found: list[Violation] = []
    if not security.oauth_enabled:
        found.append(_turn(app_noun, "oauth_disabled", ENABLE_OAUTH, "off", "on"))
    if security.consumer_secret_optional:
        found.append(_turn(app_noun, "web_server_secret_not_required", SECRET_WEB_SERVER, "off", "on"))
    if not security.secret_required_for_refresh:
        found.append(_turn(app_noun, "refresh_secret_not_required", SECRET_REFRESH, "off", "on"))
    if security.pkce_required:
        found.append(_turn(app_noun, "pkce_required", PKCE, "on", "off"))
    return found


def _turn(app_noun: str, code: str, label: str, now: str, wanted: str) -> Violation:
    return Violation(code, turn_message(app_noun, label, now, wanted))


def turn_message(app_noun: str, label: str, now: str, wanted: str) -> str:
    return f'The {app_noun} has "{label}" turned {now}. Turn it {wanted} in its settings and authorize again.'
