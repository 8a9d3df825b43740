"""The OAuth web server flow and refresh token flow, as rules over ``SalesforceState``.

Serves the documented flow (docs/salesforce-facts.md 3.2-3.8): the order of authorize checks (client id and callback
on an error page; PKCE as a direct 400; the rest redirected), scopes as a subset of the app's, the
consent skip for pre-authorized apps and earlier approvals, the token exchange's secret, code,
callback and PKCE checks, refresh with rotation, the client credentials flow, and the token response
fields (``signature``, ``id_token`` only with ``openid``, ``refresh_token`` only with
``refresh_token``/``offline_access``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, fields
from typing import Any

from harness.salesforce import errors
from harness.salesforce.models import jwt_bearer as jwt_assertions
from harness.salesforce.models import scopes as catalog
from harness.salesforce.models import signing
from harness.salesforce.models.apps import App
from harness.salesforce.models.grants import Grant
from harness.salesforce.models.orgs import Org, User
from harness.salesforce.models.state import SalesforceState

ID_TOKEN_LIFETIME = 300  # seconds; Salesforce's exact ID token lifetime is not in the facts.


@dataclass
class AuthorizeParams:
    """The pending authorize request; carried through the login and consent forms."""

    response_type: str | None = None
    client_id: str | None = None
    redirect_uri: str | None = None
    scope: str | None = None
    state: str | None = None
    prompt: str | None = None
    immediate: str | None = None
    code_challenge: str | None = None
    code_challenge_method: str | None = None
    login_hint: str | None = None
    nonce: str | None = None
    display: str | None = None

    @classmethod
    def from_mapping(cls, data: Any) -> AuthorizeParams:
        return cls(**{f.name: data.get(f.name) for f in fields(cls)})

    def items(self) -> list[tuple[str, str]]:
        return [(f.name, getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) is not None]

    @property
    def prompts(self) -> set[str]:
        return set((self.prompt or "").split())


# -- authorize -------------------------------------------------------------------------------
def check_client(state: SalesforceState, params: AuthorizeParams) -> App:
    """Errors shown on Salesforce's own page: the client id, then the callback URL."""
    app = state.app_by_key(params.client_id)
    if app is None or not app.oauth_enabled:
        raise errors.InvalidClientId()
    if not params.redirect_uri:
        raise errors.RedirectUriMissing()
    if not app.matches_callback(params.redirect_uri):
        raise errors.RedirectUriMismatch()
    return app


def check_request(app: App, params: AuthorizeParams) -> list[str]:
    """PKCE (direct 400), then response type and scopes (redirected); returns the granted scopes."""
    if app.require_pkce and not params.code_challenge:
        raise errors.MissingCodeChallenge()
    if params.response_type != "code":
        raise errors.UnsupportedResponseType()
    return granted_scopes(app, params.scope)


def granted_scopes(app: App, requested: str | None) -> list[str]:
    """The requested scopes when all are the app's; all the app's scopes when none is requested."""
    names = (requested or "").replace(",", " ").split()
    if not names:
        return list(app.scopes)
    for name in names:
        if not catalog.same_scope(name, app.scopes):
            raise errors.InvalidScope()
    return list(dict.fromkeys(names))


def check_user(state: SalesforceState, app: App, user: User) -> None:
    """Redirected errors that depend on who logged in."""
    org = state.orgs[user.org_id]
    if not org.active:
        raise errors.InactiveOrg()
    if not user.active:
        raise errors.InactiveUser()
    if app.blocked:
        raise errors.AppBlocked()
    if app.kind == "external_client_app" and app.distribution_state == "Local" and app.org_id != org.id:
        raise errors.ExternalClientAppNotFound()
    if app.permitted_users == "AdminApprovedPreAuthorized" and user.profile not in app.permitted_profiles:
        raise errors.AppBlocked()


def needs_consent(state: SalesforceState, app: App, user: User, params: AuthorizeParams) -> bool:
    if "consent" in params.prompts:
        return True
    if app.permitted_users == "AdminApprovedPreAuthorized":
        return False
    return (app.id, user.id) not in state.book.approvals


def approve(state: SalesforceState, app: App, user: User) -> None:
    state.book.approvals.add((app.id, user.id))


def issue_code(state: SalesforceState, app: App, user: User, params: AuthorizeParams) -> str:
    code = state.book.issue_code(
        app_id=app.id, user_id=user.id, redirect_uri=params.redirect_uri or "",
        scopes=granted_scopes(app, params.scope), issued_at=state.clock.now(),
        code_challenge=params.code_challenge, code_challenge_method=params.code_challenge_method,
        nonce=params.nonce)
    return code.value


# -- token endpoint ----------------------------------------------------------------------------
def authenticate_client(state: SalesforceState, client_id: str | None, secret: str | None,
                        secret_required: bool) -> App:
    """The app behind ``client_id``; a sent secret is always checked, even when not required."""
    app = state.app_by_key(client_id)
    if app is None or not app.oauth_enabled:
        raise errors.InvalidClientId()
    if secret is None and secret_required:
        raise errors.InvalidClient()
    if secret is not None and not hmac.compare_digest(secret, app.consumer_secret):
        raise errors.InvalidClient()
    return app


def exchange_code(state: SalesforceState, form: dict[str, str], client_id: str | None,
                  secret: str | None) -> dict[str, Any]:
    app = state.app_by_key(client_id)
    app = authenticate_client(state, client_id, secret, app is not None and app.require_secret_web_server)
    code = state.book.redeem_code(form.get("code", ""), app.id, state.clock.now())
    if form.get("redirect_uri") != code.redirect_uri:
        raise errors.RedirectUriMismatch()
    _check_verifier(code.code_challenge, code.code_challenge_method, form.get("code_verifier"))
    user = _usable_user(state, code.user_id)
    refresh = any(name in catalog.REFRESH_NAMES for name in code.scopes)
    grant = state.book.open_grant(app.id, user.id, code.scopes, refresh, state.clock.now())
    state.book.record_grant(code, grant)
    return token_response(state, app, user, grant, include_refresh=True, nonce=code.nonce)


def _check_verifier(challenge: str | None, method: str | None, verifier: str | None) -> None:
    if not challenge:
        return  # no challenge at authorize: a stray verifier is ignored (our choice)
    if not verifier:
        raise errors.MissingCodeVerifier()
    if (method or "S256").upper() == "PLAIN":
        expected = verifier
    else:
        digest = hashlib.sha256(verifier.encode()).digest()
        expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    if not hmac.compare_digest(expected, challenge):
        raise errors.InvalidCodeVerifier()


def _usable_user(state: SalesforceState, user_id: str) -> User:
    user = state.users[user_id]
    if not state.orgs[user.org_id].active:
        raise errors.InactiveOrg()
    if not user.active:
        raise errors.InactiveUserGrant()
    return user


def refresh(state: SalesforceState, form: dict[str, str], client_id: str | None,
            secret: str | None) -> dict[str, Any]:
    app = state.app_by_key(client_id)
    app = authenticate_client(state, client_id, secret, app is not None and app.require_secret_refresh)
    grant = state.book.grant_for_refresh(form.get("refresh_token", ""), app.id)
    # Facts 3.4: without refresh_token/offline_access on the app, the refresh grant fails.
    if app.refresh_token_policy == "ImmediatelyExpire" or not catalog.same_scope("refresh_token", app.scopes):
        state.book.kill_grant(grant)
        raise errors.ExpiredToken()
    user = _usable_user(state, grant.user_id)
    if app.refresh_token_rotation:
        state.book.rotate(grant)
    return token_response(state, app, user, grant, include_refresh=app.refresh_token_rotation, nonce=None)


# Scopes a client credentials token never carries (simple-salesforce pull request 662, quoting
# Salesforce's help page on the flow): it has no user session and no refresh token.
_NOT_FOR_CLIENT_CREDENTIALS = frozenset(("full", "web", "refresh_token", "offline_access"))


def client_credentials(state: SalesforceState, host_org: Org | None, client_id: str | None,
                       secret: str | None) -> dict[str, Any]:
    """The client credentials flow: served only on the org's own My Domain; the token is the app's
    Run As user's, with the app's scopes less those above, and comes without a refresh token.

    Our choices where the facts have no wording: a disabled flow is ``invalid_grant`` "client
    credentials flow is not enabled for this app"; an app of another org is ``invalid_client_id``.
    "request not supported on this domain" and "no client credentials user enabled" are the
    answers clients report from Salesforce.
    """
    if host_org is None:
        raise errors.InvalidGrant("request not supported on this domain")
    app = authenticate_client(state, client_id, secret, secret_required=True)
    if app.org_id != host_org.id:
        raise errors.InvalidClientId()
    if not app.client_credentials_enabled:
        raise errors.InvalidGrant("client credentials flow is not enabled for this app")
    user = state.user_by_username(app.client_credentials_user or "")
    if user is None or user.org_id != host_org.id:
        raise errors.InvalidGrant("no client credentials user enabled")
    user = _usable_user(state, user.id)
    scopes = [name for name in app.scopes if name not in _NOT_FOR_CLIENT_CREDENTIALS]
    grant = state.book.open_grant(app.id, user.id, scopes, False, state.clock.now(), flow="client_credentials")
    return token_response(state, app, user, grant, include_refresh=False, nonce=None, with_id_token=False)


def jwt_bearer(state: SalesforceState, form: dict[str, str]) -> dict[str, Any]:
    """The JWT bearer flow (``harness/salesforce/models/jwt_bearer.py``): no refresh token, no ID token."""
    app, user, scopes = jwt_assertions.exchange(state, form)
    user = _usable_user(state, user.id)
    grant = state.book.open_grant(app.id, user.id, scopes, False, state.clock.now(), flow="jwt_bearer")
    return token_response(state, app, user, grant, include_refresh=False, nonce=None, with_id_token=False)


def token_response(state: SalesforceState, app: App, user: User, grant: Grant, *,
                   include_refresh: bool, nonce: str | None, with_id_token: bool = True) -> dict[str, Any]:
    org = state.orgs[user.org_id]
    now = state.clock.now()
    access = state.book.issue_access(grant, org.id, now)
    issued_at = str(int(now * 1000))
    identity = org.identity_url(user.id)
    body: dict[str, Any] = {"access_token": access.value}
    if include_refresh and grant.refresh_token:
        body["refresh_token"] = grant.refresh_token
    body["signature"] = signing.response_signature(identity, issued_at, app.consumer_secret)
    body["scope"] = " ".join(grant.scopes)
    if with_id_token and "openid" in grant.scopes:
        body["id_token"] = signing.id_token(_id_claims(org.login_host, identity, app, user, access.value,
                                                       now, nonce))
    body.update({"instance_url": org.instance_url, "id": identity, "token_type": "Bearer",
                 "issued_at": issued_at})
    return body


def _id_claims(login_host: str, identity: str, app: App, user: User, access: str, now: float,
               nonce: str | None) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": f"https://{login_host}", "sub": identity, "aud": app.consumer_key,
        "iat": int(now), "exp": int(now) + ID_TOKEN_LIFETIME, "at_hash": signing.at_hash(access),
        "preferred_username": user.username, "name": user.display_name, "email": user.email,
        "given_name": user.first_name, "family_name": user.last_name,
    }
    if nonce:
        claims["nonce"] = nonce
    return claims
