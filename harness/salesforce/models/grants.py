"""Authorization codes, grants (approvals with their refresh token) and access tokens.

Serves the documented token rules (docs/salesforce-facts.md 3.2-3.5): codes are single-use and expire after 15
minutes; a refresh token is issued only when ``refresh_token``/``offline_access`` is granted;
rotation replaces the refresh token and reusing a rotated-out one kills the grant; revoking a
refresh token kills its access tokens; at most 5 grants per user per app, the 6th approval revokes
the oldest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from harness.salesforce.errors import ExpiredAuthorizationCode, ExpiredToken

CODE_LIFETIME = 15 * 60
# Access tokens live as long as a session; Salesforce's default session timeout is 2 hours.
ACCESS_LIFETIME = 2 * 60 * 60
GRANTS_PER_USER_PER_APP = 5


@dataclass
class AuthorizationCode:
    value: str
    app_id: str
    user_id: str
    redirect_uri: str
    scopes: list[str]
    issued_at: float
    code_challenge: str | None = None
    code_challenge_method: str | None = None
    nonce: str | None = None


@dataclass
class AccessToken:
    value: str
    app_id: str
    user_id: str
    org_id: str
    scopes: list[str]
    issued_at: float
    expires_at: float
    grant_id: str | None = None
    active: bool = True


@dataclass
class Grant:
    id: str
    app_id: str
    user_id: str
    scopes: list[str]
    created_at: float
    refresh_token: str | None = None
    retired: set[str] = field(default_factory=set)
    access_tokens: list[str] = field(default_factory=list)
    active: bool = True
    flow: str = "web_server"  # "client_credentials" grants do not count against the per-user limit

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "user_id": self.user_id, "scopes": list(self.scopes),
                "refresh_token_active": self.active and self.refresh_token is not None,
                "created_at": self.created_at}


class GrantBook:
    """Every code, grant, access token, approval and login session the fake has issued."""

    def __init__(self, make_token: Callable[[str, int], str]) -> None:
        self._make = make_token
        self.codes: dict[str, AuthorizationCode] = {}
        self.spent_codes: dict[str, str | None] = {}  # redeemed code -> the grant it opened
        self.grants: dict[str, Grant] = {}
        self.tokens: dict[str, AccessToken] = {}
        self.refresh_index: dict[str, str] = {}
        self.approvals: set[tuple[str, str]] = set()
        self.sessions: dict[str, str] = {}

    # -- codes ----------------------------------------------------------------------------------
    def issue_code(self, **details: Any) -> AuthorizationCode:
        code = AuthorizationCode(value=self._make("aPrx", 80), **details)
        self.codes[code.value] = code
        return code

    def redeem_code(self, value: str, app_id: str, now: float) -> AuthorizationCode:
        """Takes the code out (single use); a reused, foreign or expired code is refused.

        A code used a second time also revokes the grant (refresh token and access tokens) issued
        from its first use: RFC 6749 section 4.1.2 asks the server to revoke such tokens when it
        can, and the facts are silent on what Salesforce does. Our choice: follow the RFC.
        """
        if value in self.spent_codes:
            grant = self.grants.get(self.spent_codes[value] or "")
            if grant is not None:
                self.kill_grant(grant)
            raise ExpiredAuthorizationCode()
        code = self.codes.pop(value, None)
        if code is None or code.app_id != app_id or now - code.issued_at > CODE_LIFETIME:
            raise ExpiredAuthorizationCode()
        self.spent_codes[value] = None
        return code

    def record_grant(self, code: AuthorizationCode, grant: Grant) -> None:
        """Remembers which grant a redeemed code opened, so a replay can revoke it."""
        self.spent_codes[code.value] = grant.id

    # -- grants ---------------------------------------------------------------------------------
    def open_grant(self, app_id: str, user_id: str, scopes: list[str], refresh: bool, now: float,
                   flow: str = "web_server") -> Grant:
        if flow == "web_server":
            mine = [g for g in self.grants.values()
                    if g.active and g.app_id == app_id and g.user_id == user_id and g.flow == flow]
            for oldest in mine[: max(0, len(mine) - GRANTS_PER_USER_PER_APP + 1)]:
                self.kill_grant(oldest)
        grant = Grant(id=self._make("GRANT", 12), app_id=app_id, user_id=user_id, scopes=scopes,
                      created_at=now, flow=flow)
        if refresh:
            grant.refresh_token = self._new_refresh(grant)
        self.grants[grant.id] = grant
        return grant

    def _new_refresh(self, grant: Grant) -> str:
        value = self._make("5Aep861", 80)
        self.refresh_index[value] = grant.id
        return value

    def rotate(self, grant: Grant) -> str:
        if grant.refresh_token:
            grant.retired.add(grant.refresh_token)
        grant.refresh_token = self._new_refresh(grant)
        return grant.refresh_token

    def grant_for_refresh(self, value: str, app_id: str) -> Grant:
        """The live grant a refresh token belongs to; reuse of a rotated-out token kills the grant."""
        grant = self.grants.get(self.refresh_index.get(value, ""))
        if grant is None or not grant.active or grant.app_id != app_id:
            raise ExpiredToken()
        if value in grant.retired:
            self.kill_grant(grant)
            raise ExpiredToken()
        return grant

    def kill_grant(self, grant: Grant) -> None:
        grant.active = False
        for value in grant.access_tokens:
            self.tokens[value].active = False

    def revoke_app(self, app_id: str) -> int:
        live = [g for g in self.grants.values() if g.active and g.app_id == app_id]
        for grant in live:
            self.kill_grant(grant)
        for token in self.tokens.values():
            if token.app_id == app_id:
                token.active = False
        self.approvals = {pair for pair in self.approvals if pair[0] != app_id}
        return len(live)

    def live_grants(self, app_id: str) -> list[Grant]:
        return [g for g in self.grants.values() if g.active and g.app_id == app_id]

    # -- access tokens --------------------------------------------------------------------------
    def issue_access(self, grant: Grant, org_id: str, now: float) -> AccessToken:
        token = AccessToken(value=f"{org_id[:15]}!{self._make('AQ', 94)}", app_id=grant.app_id,
                            user_id=grant.user_id, org_id=org_id, scopes=list(grant.scopes),
                            issued_at=now, expires_at=now + ACCESS_LIFETIME, grant_id=grant.id)
        self.tokens[token.value] = token
        grant.access_tokens.append(token.value)
        return token

    def live_access(self, value: str, now: float) -> AccessToken | None:
        token = self.tokens.get(value)
        if token is None or not token.active or now >= token.expires_at:
            return None
        return token

    def find_live(self, value: str, now: float) -> AccessToken | Grant | None:
        """The live access token, or the live grant whose current refresh token this is."""
        token = self.live_access(value, now)
        if token is not None:
            return token
        grant = self.grants.get(self.refresh_index.get(value, ""))
        return grant if grant is not None and grant.active and value == grant.refresh_token else None

    def revoke(self, value: str) -> bool:
        """Revokes an access token (that token only) or a refresh token (its grant and tokens)."""
        if value in self.tokens and self.tokens[value].active:
            self.tokens[value].active = False
            return True
        grant = self.grants.get(self.refresh_index.get(value, ""))
        if grant is not None and grant.active and value == grant.refresh_token:
            self.kill_grant(grant)
            return True
        return False
