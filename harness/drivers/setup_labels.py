"""What the guide asks of the external client app, in the words of Salesforce's Setup page.

Steps name settings by their Setup labels; this module maps each label to the control API's
setting name, and holds the configuration the guide calls correct.
"""

from __future__ import annotations

from typing import Any

# Setup label -> control API setting (see harness/README.md).
SETTING_BY_LABEL: dict[str, str] = {
    "Enable OAuth": "oauth_enabled",
    "Enable OAuth Settings": "oauth_enabled",
    "Require Secret for Web Server Flow": "require_secret_web_server",
    "Require Secret for Refresh Token Flow": "require_secret_refresh",
    "Require Proof Key for Code Exchange (PKCE)": "require_pkce",
    "Enable Refresh Token Rotation": "refresh_token_rotation",
    "Enable Client Credentials Flow": "client_credentials_enabled",
}

# Refresh Token Policy, as Setup words its choices -> the control API's ``refresh_token_policy``.
REFRESH_POLICY_BY_LABEL: dict[str, str] = {
    "Refresh token is valid until revoked": "Infinite",
    "Immediately expire refresh token": "ImmediatelyExpire",
}

# The guide's three scopes, by API name; refresh_token stands for "refresh_token, offline_access".
GUIDE_SCOPES = ["full", "refresh_token", "openid"]


def guide_app(name: str, email: str, callback_urls: list[str], **overrides: Any) -> dict[str, Any]:
    """Settings of an external client app configured exactly as the guide asks."""
    settings: dict[str, Any] = {
        "kind": "external_client_app",
        "name": name,
        "contact_email": email,
        "distribution_state": "Local",
        "oauth_enabled": True,
        "callback_urls": callback_urls,
        "scopes": list(GUIDE_SCOPES),
        "require_secret_web_server": True,
        "require_secret_refresh": True,
        "require_pkce": False,
    }
    settings.update(overrides)
    return settings


# Setup spells labels its own way ("Enable oAuth Settings"); a writer copying either spelling is right,
# so labels are matched without regard to case or repeated spaces.
_BY_FOLDED = {" ".join(label.casefold().split()): setting for label, setting in SETTING_BY_LABEL.items()}


def setting_for(label: str) -> str:
    """The control API setting a Setup label names, whatever its letter case (the page's spelling too)."""
    try:
        return _BY_FOLDED[" ".join(label.casefold().split())]
    except KeyError:
        known = ", ".join(f'"{k}"' for k in SETTING_BY_LABEL)
        raise ValueError(f'unknown Setup label "{label}"; known labels: {known}') from None
