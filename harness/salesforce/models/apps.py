"""External client apps (and legacy connected apps) with the settings the Setup page has.

Serves the documented Setup rules (docs/salesforce-facts.md 2.2, 3.7): callback URLs one per line, HTTPS or a custom
scheme, 2000 characters in total, matched exactly; scopes picked by label; the Security switches
"Require secret for Web Server Flow", "Require secret for Refresh Token Flow", "Require Proof Key
for Code Exchange (PKCE)", "Enable Refresh Token Rotation"; the Permitted Users, IP Relaxation and
Refresh Token policies; API Name rules (letters, digits, underscores; starts with a letter; no
trailing or double underscore). Legacy connected apps behave the same on the wire.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509

from harness.salesforce.errors import ControlBadRequest
from harness.salesforce.models import scopes as scope_catalog

CALLBACK_LIMIT = 2000
KINDS = ("external_client_app", "connected_app")
PERMITTED_USERS = ("AllSelfAuthorized", "AdminApprovedPreAuthorized")
IP_RELAXATION = ("Enforce", "Bypass", "Bypass_2factor", "Enforce_RelaxRefresh")
# "Immediately expire" exists in the UI but its enum spelling is not documented: ours is a choice.
REFRESH_POLICIES = ("Infinite", "SpecificLifetime", "SpecificInactivity", "ImmediatelyExpire")
_API_NAME = re.compile(r"^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$")
_BOOLS = ("oauth_enabled", "require_secret_web_server", "require_secret_refresh", "require_pkce",
          "refresh_token_rotation", "blocked", "client_credentials_enabled")


@dataclass
class App:
    id: str
    org_id: str
    consumer_key: str
    consumer_secret: str
    name: str
    api_name: str
    contact_email: str
    kind: str = "external_client_app"
    distribution_state: str = "Local"
    oauth_enabled: bool = True
    callback_urls: list[str] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)
    require_secret_web_server: bool = True
    require_secret_refresh: bool = True
    require_pkce: bool = False
    refresh_token_rotation: bool = False
    permitted_users: str = "AllSelfAuthorized"
    # Which profiles an admin pre-authorized under AdminApprovedPreAuthorized (not in the README's
    # list; our extension, default: System Administrator).
    permitted_profiles: list[str] = field(default_factory=lambda: ["System Administrator"])
    ip_relaxation: str = "Enforce"
    refresh_token_policy: str = "Infinite"
    blocked: bool = False
    # "Enable Client Credentials Flow" (Flow Enablement) and the policy's Run As user (a username).
    client_credentials_enabled: bool = False
    client_credentials_user: str | None = None
    # The certificate (PEM) whose key signs JWT bearer assertions ("Use digital signatures").
    certificate: str | None = None

    def matches_callback(self, redirect_uri: str) -> bool:
        """Exact match: scheme, host, port, path and trailing slash all count (docs/salesforce-facts.md 3.7)."""
        return redirect_uri in self.callback_urls

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["callback_urls"] = list(self.callback_urls)
        data["scopes"] = list(self.scopes)
        data["scope_labels"] = [scope_catalog.label(name) for name in self.scopes]
        data["permitted_profiles"] = list(self.permitted_profiles)
        return data


SETTING_NAMES = frozenset(f.name for f in fields(App)) - {"id", "org_id", "consumer_key", "consumer_secret"}


def apply_settings(app: App, settings: dict[str, Any]) -> None:
    """Validates ``settings`` and writes them onto ``app``; ``ControlBadRequest`` names the problem."""
    unknown = sorted(set(settings) - SETTING_NAMES)
    if unknown:
        raise ControlBadRequest(f"unknown app setting(s): {', '.join(unknown)}")
    cleaned = {name: _clean(name, value) for name, value in settings.items()}
    for name, value in cleaned.items():
        setattr(app, name, value)
    if app.oauth_enabled and not app.callback_urls:
        raise ControlBadRequest("callback_urls: at least one Callback URL is required when OAuth is enabled")


def _clean(name: str, value: Any) -> Any:
    if name in _BOOLS:
        if not isinstance(value, bool):
            raise ControlBadRequest(f"{name}: expected true or false, got {value!r}")
        return value
    cleaners = {
        "callback_urls": clean_callback_urls, "scopes": _clean_scopes, "api_name": _clean_api_name,
        "kind": lambda v: _choice("kind", v, KINDS),
        "distribution_state": lambda v: _choice("distribution_state", v, ("Local", "Packaged")),
        "permitted_users": lambda v: _choice("permitted_users", v, PERMITTED_USERS),
        "ip_relaxation": lambda v: _choice("ip_relaxation", v, IP_RELAXATION),
        "refresh_token_policy": lambda v: _choice("refresh_token_policy", v, REFRESH_POLICIES),
        "permitted_profiles": lambda v: _string_list("permitted_profiles", v),
        "client_credentials_user": _clean_run_as,
        "certificate": _clean_certificate,
    }
    if name in cleaners:
        return cleaners[name](value)
    if not isinstance(value, str) or not value.strip():
        raise ControlBadRequest(f"{name}: expected a non-empty string, got {value!r}")
    return value.strip()


def _clean_certificate(value: Any) -> str | None:
    if value is None:
        return None
    try:
        x509.load_pem_x509_certificate(str(value).encode())
    except ValueError:
        raise ControlBadRequest("certificate: expected an X.509 certificate in PEM form "
                                "(-----BEGIN CERTIFICATE-----)") from None
    return str(value)


def _clean_run_as(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ControlBadRequest(f"client_credentials_user: expected a username or null, got {value!r}")
    return value.strip().lower()


def _choice(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ControlBadRequest(f"{name}: {value!r} is not one of {', '.join(allowed)}")
    return str(value)


def _string_list(name: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ControlBadRequest(f"{name}: expected a list of strings")
    return list(value)


def clean_callback_urls(value: Any) -> list[str]:
    """A list (or the Setup field's newline-separated text) of callback URLs, validated."""
    urls = value.splitlines() if isinstance(value, str) else _string_list("callback_urls", value)
    urls = [url.strip() for url in urls if url.strip()]
    total = len("\n".join(urls))
    if total > CALLBACK_LIMIT:
        raise ControlBadRequest(f"callback_urls: the Callback URL field is {total} characters long; "
                                f"Salesforce allows {CALLBACK_LIMIT} characters in total")
    for url in urls:
        parts = urlsplit(url)
        # Facts 2.2: "HTTPS or a custom URI scheme". Salesforce also takes http (http://localhost is
        # common), and an http entry is a useful near miss, so any scheme passes; web schemes need a host.
        if not parts.scheme or (parts.scheme in ("http", "https") and not parts.hostname):
            raise ControlBadRequest(f"callback_urls: {url!r} is not a URL with a scheme and a host "
                                    "(use HTTPS or a custom URI scheme)")
    return urls


def _clean_scopes(value: Any) -> list[str]:
    items = _string_list("scopes", value)
    try:
        return scope_catalog.canonical(items)
    except ValueError as exc:
        raise ControlBadRequest(f"scopes: {exc}") from None


def _clean_api_name(value: Any) -> str:
    if not isinstance(value, str) or not _API_NAME.match(value) or value.endswith("_") or len(value) > 80:
        raise ControlBadRequest(f"api_name: {value!r} must use letters, digits and underscores, start with "
                                "a letter, and have no trailing or double underscore")
    return value


def api_name_from(name: str) -> str:
    """The API Name Setup proposes for a label: non-alphanumerics become single underscores."""
    candidate = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_") or "App"
    return candidate if candidate[0].isalpha() else f"App_{candidate}"
