"""The token and revoke endpoints (web server flow, server side).

Serves the documented token rules (facts 3.2, 3.3, 3.5, 3.6): POST form
``grant_type=authorization_code|refresh_token``; client credentials in the form body or HTTP Basic
(client libraries use either); every error a JSON 400 ``{"error", "error_description"}``;
``format=urlencoded`` answers form-encoded (``xml`` is not supported: our choice). Revoke takes
``token`` by POST form or GET query; 200 on success, 400 ``invalid_token`` otherwise.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote, urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from harness.salesforce.errors import InvalidRequest, InvalidToken, SalesforceError, UnsupportedGrantType
from harness.salesforce.models import flows
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
    resolve_host(request)
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
        else:
            raise UnsupportedGrantType()
    except SalesforceError as exc:
        return _error(exc)
    if form.get("format") == "urlencoded":
        return Response(urlencode(body), media_type="application/x-www-form-urlencoded", headers=_NO_STORE)
    return JSONResponse(body, headers=_NO_STORE)


async def revoke(request: Request) -> Response:
    resolve_host(request)
    if request.method == "POST":
        value = str((await request.form()).get("token", ""))
    else:
        value = request.query_params.get("token", "")
    if not value or not sf(request).book.revoke(value):
        return _error(InvalidToken())
    return Response(status_code=200)
