"""The token and revoke endpoints (web server flow, server side).

Serves the documented token rules (docs/salesforce-facts.md 3.2, 3.3, 3.5, 3.6): POST form
``grant_type=authorization_code|refresh_token|client_credentials`` (the last on the org's My Domain
only) or the JWT bearer grant; client credentials in the form body or HTTP Basic
(client libraries use either); every error a JSON 400 ``{"error", "error_description"}``;
``format=urlencoded`` answers form-encoded (``xml`` is not supported: our choice). Revoke takes
``token`` by POST form or GET query; 200 on success, 400 otherwise (docs/salesforce-facts.md 3.5) with
``unsupported_token_type`` / "this token type is not supported" for a token that is not live, and
``invalid_token`` when no token is sent. The error body is form-encoded with ``%20`` for spaces, as
a client saw it on the wire (omniphx/forrest issue 213), unless the request asks for JSON
(``Accept: application/json`` or ``format=json``): our choice where the facts show one sample.

Introspection (docs/salesforce-facts.md 3.1 list ``/services/oauth2/introspect``; the answer follows RFC 7662): POST
``token`` with the app's credentials; a live token of that app is ``{"active": true, "scope",
"client_id", "username", "sub", "token_type", "exp", "iat", "nbf"}``, anything else
``{"active": false}``. Our choices: another app's token is inactive (Salesforce shows it only to
apps allowed to introspect all tokens); bad client credentials are 401 ``invalid_client`` (RFC 7662
section 2.3).
"""

from __future__ import annotations

import base64
import binascii
import hmac
from urllib.parse import quote, unquote, urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from harness.salesforce.errors import (
    InvalidClient,
    InvalidRequest,
    InvalidToken,
    SalesforceError,
    UnsupportedGrantType,
    UnsupportedTokenType,
)
from harness.salesforce.models import flows
from harness.salesforce.models.grants import AccessToken
from harness.salesforce.models.jwt_bearer import GRANT_TYPE as JWT_GRANT_TYPE
from harness.salesforce.views.common import resolve_host, sf

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def client_credentials(request: Request, form: dict[str, str]) -> tuple[str | None, str | None]:
    """``(client_id, client_secret)`` from HTTP Basic if present, else from the form body."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic" and encoded:
        try:
            user, _, password = base64.b64decode(encoded.strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        return unquote(user), unquote(password)
    return form.get("client_id"), form.get("client_secret")


def _error(exc: SalesforceError) -> Response:
    return JSONResponse(exc.as_json(), status_code=exc.status, headers=_NO_STORE)


async def token(request: Request) -> Response:
    host = resolve_host(request)
    if request.method != "POST":
        return _error(InvalidRequest("must use HTTP POST"))
    form = {key: str(value) for key, value in (await request.form()).items()}
    client_id, secret = client_credentials(request, form)
    state = sf(request)
    try:
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            body = flows.exchange_code(state, form, client_id, secret)
        elif grant_type == "refresh_token":
            body = flows.refresh(state, form, client_id, secret)
        elif grant_type == "client_credentials":
            body = flows.client_credentials(state, host.org, client_id, secret)
        elif grant_type == JWT_GRANT_TYPE:
            body = flows.jwt_bearer(state, form)
        else:
            raise UnsupportedGrantType()
    except SalesforceError as exc:
        return _error(exc)
    if form.get("format") == "urlencoded":
        return Response(urlencode(body), media_type="application/x-www-form-urlencoded", headers=_NO_STORE)
    return JSONResponse(body, headers=_NO_STORE)


def _revoke_error(request: Request, params: dict[str, str], exc: SalesforceError) -> Response:
    wants_json = params.get("format") == "json" or "json" in request.headers.get("accept", "")
    if wants_json:
        return _error(exc)
    body = urlencode(exc.as_json(), quote_via=quote)
    return Response(body, status_code=exc.status, media_type="application/x-www-form-urlencoded",
                    headers=_NO_STORE)


async def revoke(request: Request) -> Response:
    resolve_host(request)
    params = dict(request.query_params)
    if request.method == "POST":
        params.update({key: str(value) for key, value in (await request.form()).items()})
    value = params.get("token", "")
    if not value:
        return _revoke_error(request, params, InvalidToken())
    if not sf(request).book.revoke(value):
        return _revoke_error(request, params, UnsupportedTokenType())
    return Response(status_code=200)


async def introspect(request: Request) -> Response:
    resolve_host(request)
    form = {key: str(value) for key, value in (await request.form()).items()}
    client_id, secret = client_credentials(request, form)
    state = sf(request)
    app = state.app_by_key(client_id)
    if app is None or secret is None or not hmac.compare_digest(secret, app.consumer_secret):
        return JSONResponse(InvalidClient().as_json(), status_code=401, headers=_NO_STORE)
    found = state.book.find_live(form.get("token", ""), state.clock.now())
    if found is None or found.app_id != app.id:
        return JSONResponse({"active": False}, headers=_NO_STORE)
    user = state.users[found.user_id]
    org = state.orgs[user.org_id]
    issued = int(found.issued_at if isinstance(found, AccessToken) else found.created_at)
    body = {"active": True, "scope": " ".join(found.scopes), "client_id": app.consumer_key,
            "username": user.username, "sub": org.identity_url(user.id),
            "token_type": "access_token" if isinstance(found, AccessToken) else "refresh_token"}
    if isinstance(found, AccessToken):
        body["exp"] = int(found.expires_at)
    body.update(iat=issued, nbf=issued)
    return JSONResponse(body, headers=_NO_STORE)
