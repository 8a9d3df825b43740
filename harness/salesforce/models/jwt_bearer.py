"""The OAuth JWT bearer flow: a server signs an assertion with the key of the app's certificate.

Serves the documented token rules (docs/salesforce-facts.md 3.3, 3.6, 2.3 ``certificate`` enables JWT bearer): POST
``grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`` and ``assertion``, an RS256 JWT with
``iss`` (the consumer key), ``sub`` (the username), ``aud`` (``https://login.salesforce.com``,
``https://test.salesforce.com`` or the org's My Domain URL) and ``exp``; the answer is an access
token without a refresh token. The user must be pre-authorized by the app's policy or have
approved the app before ("user hasn't approved this consumer", docs/salesforce-facts.md 3.6).

Our choices where the facts give no wording: a bad signature, a missing or past ``exp``, an unknown
user and an app without a certificate are all ``invalid_grant`` "invalid assertion"; a wrong
audience is "audience is invalid" (the answer clients report); ``exp`` may be a number or a string
of digits (simple-salesforce sends a string).
"""

from __future__ import annotations

import json
from base64 import urlsafe_b64decode
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from harness.salesforce import errors
from harness.salesforce.models.apps import App
from harness.salesforce.models.orgs import LOGIN_HOST, TEST_HOST, User
from harness.salesforce.models.state import SalesforceState

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def _unverified_claims(assertion: str) -> dict[str, Any]:
    try:
        payload = assertion.split(".")[1]
        claims = json.loads(urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        raise errors.InvalidGrant("invalid assertion") from None
    if not isinstance(claims, dict):
        raise errors.InvalidGrant("invalid assertion")
    return claims


def _verify(app: App, assertion: str) -> None:
    if not app.certificate:
        raise errors.InvalidGrant("invalid assertion")
    certificate = x509.load_pem_x509_certificate(app.certificate.encode())
    pem = certificate.public_key().public_bytes(serialization.Encoding.PEM,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)
    try:
        jwt.decode(assertion, RSAKey.import_key(pem), algorithms=["RS256"])
    except (JoseError, ValueError):
        raise errors.InvalidGrant("invalid assertion") from None


def _expires(claims: dict[str, Any]) -> float:
    try:
        return float(str(claims["exp"]))
    except (KeyError, ValueError):
        raise errors.InvalidGrant("invalid assertion") from None


def _user(state: SalesforceState, app: App, claims: dict[str, Any]) -> User:
    user = state.user_by_username(str(claims.get("sub", "")))
    if user is None or user.org_id != app.org_id:
        raise errors.InvalidGrant("invalid assertion")
    org = state.orgs[user.org_id]
    audiences = {f"https://{TEST_HOST if org.is_sandbox else LOGIN_HOST}", org.instance_url}
    if str(claims.get("aud", "")).rstrip("/") not in audiences:
        raise errors.InvalidGrant("audience is invalid")
    return user


def _approved(state: SalesforceState, app: App, user: User) -> bool:
    if app.permitted_users == "AdminApprovedPreAuthorized":
        return user.profile in app.permitted_profiles
    return (app.id, user.id) in state.book.approvals


def exchange(state: SalesforceState, form: dict[str, str]) -> tuple[App, User, list[str]]:
    """The app, user and scopes of a valid assertion; Salesforce's ``invalid_grant`` otherwise."""
    assertion = form.get("assertion", "")
    claims = _unverified_claims(assertion)
    app = state.app_by_key(str(claims.get("iss", "")))
    if app is None or not app.oauth_enabled:
        raise errors.InvalidClientId()
    _verify(app, assertion)
    if _expires(claims) <= state.clock.now():
        raise errors.InvalidGrant("invalid assertion")
    user = _user(state, app, claims)
    if not _approved(state, app, user):
        raise errors.InvalidGrant("user hasn't approved this consumer")
    return app, user, [name for name in app.scopes if name not in ("refresh_token", "offline_access")]
