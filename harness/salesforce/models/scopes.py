"""OAuth scopes as the Setup page lists them: a label with the API names in parentheses.

Serves the documented scope rules (docs/salesforce-facts.md 3.4): ``refresh_token`` and ``offline_access`` are one
scope under two names; labels read e.g. "Perform requests at any time (refresh_token,
offline_access)". The Metadata API enum names ``Full``, ``RefreshToken``, ``OpenID``, ``Api`` and
``Web`` are documented; the other enum names below are our choice where facts run out.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScopeGroup:
    names: tuple[str, ...]
    text: str
    metadata: str

    @property
    def canonical(self) -> str:
        return self.names[0]

    @property
    def label(self) -> str:
        return f"{self.text} ({', '.join(self.names)})"


GROUPS: tuple[ScopeGroup, ...] = (
    ScopeGroup(("full",), "Full access", "Full"),
    ScopeGroup(("refresh_token", "offline_access"), "Perform requests at any time", "RefreshToken"),
    ScopeGroup(("openid",), "Access unique user identifiers", "OpenID"),
    ScopeGroup(("api",), "Manage user data via APIs", "Api"),
    ScopeGroup(("web",), "Manage user data via Web browsers", "Web"),
    ScopeGroup(("id", "profile", "email", "address", "phone"), "Access the identity URL service", "Basic"),
    ScopeGroup(("chatter_api",), "Access Connect REST API resources", "Chatter"),
    ScopeGroup(("visualforce",), "Access Visualforce applications", "CustomApplications"),
    ScopeGroup(("custom_permissions",), "Access custom permissions", "CustomPermissions"),
    ScopeGroup(("content",), "Access content resources", "Content"),
    ScopeGroup(("lightning",), "Access Lightning applications", "Lightning"),
    ScopeGroup(("wave_api",), "Access Analytics REST API resources", "Wave"),
    ScopeGroup(("eclair_api",), "Access Analytics REST API Charts Geodata resources", "Eclair"),
    ScopeGroup(("pardot_api",), "Access Pardot services", "Pardot"),
)

_BY_NAME = {name: group for group in GROUPS for name in group.names}
_BY_LABEL = {group.label.lower(): group for group in GROUPS}
REFRESH_NAMES = frozenset(("refresh_token", "offline_access"))
ALL_NAMES: tuple[str, ...] = tuple(_BY_NAME)


def group_of(value: str) -> ScopeGroup:
    """The scope group for an API name or a Setup label; ``ValueError`` when unknown."""
    key = value.strip()
    group = _BY_NAME.get(key) or _BY_LABEL.get(key.lower())
    if group is None:
        raise ValueError(f"unknown OAuth scope {value!r}")
    return group


def canonical(values: list[str]) -> list[str]:
    """One API name per scope, in order: a name stays as given (``offline_access`` stays), a label
    becomes the scope's first name; a second name of a scope already listed is dropped."""
    result: list[str] = []
    seen: set[str] = set()
    for value in values:
        group = group_of(value)
        if group.canonical not in seen:
            seen.add(group.canonical)
            result.append(value.strip() if value.strip() in group.names else group.canonical)
    return result


def same_scope(name: str, configured: list[str]) -> bool:
    """Whether ``name`` is one of the ``configured`` scopes, under any of its names."""
    return is_known(name) and group_of(name).canonical in {group_of(c).canonical for c in configured}


def is_known(name: str) -> bool:
    return name in _BY_NAME


def label(name: str) -> str:
    return group_of(name).label


def metadata_names(names: list[str]) -> str:
    """``commaSeparatedOauthScopes`` as the Metadata API writes it, e.g. ``Full, RefreshToken, OpenID``."""
    return ", ".join(group_of(name).metadata for name in names)
