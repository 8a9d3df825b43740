"""OpenID Connect discovery, the JWKS, userinfo and the identity URL.

Serves the documented identity rules (docs/salesforce-facts.md 3.1): discovery at ``/.well-known/openid-configuration``
(RS256, ``code``/``token``/``token id_token``), keys at ``/id/keys``, the identity URL
``https://login.salesforce.com/id/<orgId>/<userId>`` read with the access token, with the fields of
the documented sample (including ``utcOffset``, ``last_modified_date``, ``is_app_installed``, the
``addr_*`` and ``mobile_phone`` fields) and ``urls`` whose ``{version}`` is filled by a ``version``
parameter; userinfo answers the OpenID Connect claims with the same Salesforce extras.
A bad token is answered 403 ``Bad_OAuth_Token`` as plain text (our choice; not in the facts).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from harness.salesforce.models import scopes as catalog
from harness.salesforce.models import signing
from harness.salesforce.models.orgs import Org, User
from harness.salesforce.models.records import stamp
from harness.salesforce.views.common import live_access, resolve_host, sf

_URLS = {"enterprise": "/services/Soap/c/{version}/{org}", "metadata": "/services/Soap/m/{version}/{org}",
         "partner": "/services/Soap/u/{version}/{org}", "rest": "/services/data/v{version}/",
         "sobjects": "/services/data/v{version}/sobjects/", "search": "/services/data/v{version}/search/",
         "query": "/services/data/v{version}/query/", "recent": "/services/data/v{version}/recent/",
         "tooling_soap": "/services/Soap/T/{version}/{org}", "tooling_rest": "/services/data/v{version}/tooling/",
         "profile": "/{user}", "feeds": "/services/data/v{version}/chatter/feeds",
         "groups": "/services/data/v{version}/chatter/groups", "users": "/services/data/v{version}/chatter/users",
         "feed_items": "/services/data/v{version}/chatter/feed-items",
         "feed_elements": "/services/data/v{version}/chatter/feed-elements", "custom_domain": ""}


def _bad_token() -> Response:
    return PlainTextResponse("Bad_OAuth_Token", status_code=403)


async def openid_configuration(request: Request) -> Response:
    base = f"https://{resolve_host(request).name}"
    return JSONResponse({
        "issuer": base,
        "authorization_endpoint": f"{base}/services/oauth2/authorize",
        "token_endpoint": f"{base}/services/oauth2/token",
        "revocation_endpoint": f"{base}/services/oauth2/revoke",
        "userinfo_endpoint": f"{base}/services/oauth2/userinfo",
        "introspection_endpoint": f"{base}/services/oauth2/introspect",
        "jwks_uri": f"{base}/id/keys",
        "response_types_supported": ["code", "token", "token id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": list(catalog.ALL_NAMES),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic",
                                                  "private_key_jwt"],
        "claims_supported": ["active", "address", "email", "email_verified", "family_name", "given_name",
                             "is_app_installed", "language", "locale", "name", "nickname", "organization_id",
                             "phone_number", "photos", "picture", "preferred_username", "profile", "sub",
                             "updated_at", "urls", "user_id", "user_type", "zoneinfo"],
    })


async def keys(request: Request) -> Response:
    resolve_host(request)
    return JSONResponse(signing.jwks())


def _urls(org: Org, user: User, version: str) -> dict[str, str]:
    return {name: org.instance_url + path.format(version=version, org=org.id[:15], user=user.id)
            for name, path in _URLS.items()}


def utc_offset(timezone: str, moment: float) -> int:
    """Milliseconds east of UTC of the user's time zone at ``moment`` (the identity ``utcOffset``)."""
    offset = datetime.fromtimestamp(moment, ZoneInfo(timezone)).utcoffset()
    return int(offset.total_seconds() * 1000) if offset is not None else 0


def _person(org: Org, user: User, version: str, now: float) -> dict[str, Any]:
    """What the identity URL and userinfo share (docs/salesforce-facts.md 3.1, identity fields)."""
    return {"user_id": user.id, "organization_id": org.id, "username": user.username,
            "nick_name": user.username.split("@")[0], "display_name": user.display_name,
            "email": user.email, "email_verified": True, "first_name": user.first_name,
            "last_name": user.last_name, "timezone": user.timezone, "active": user.active,
            "user_type": "STANDARD", "language": "en_US", "locale": "en_US",
            "urls": _urls(org, user, version), "utcOffset": utc_offset(user.timezone, now),
            "photos": {"picture": f"{org.instance_url}/profilephoto/005/F",
                       "thumbnail": f"{org.instance_url}/profilephoto/005/T"}}


async def userinfo(request: Request) -> Response:
    resolve_host(request)
    found = live_access(request)
    if found is None:
        return _bad_token()
    _, user, org = found
    person = _person(org, user, request.query_params.get("version", "{version}"), sf(request).clock.now())
    return JSONResponse({"sub": org.identity_url(user.id), "user_id": user.id, "organization_id": org.id,
                         "preferred_username": user.username, "nickname": person["nick_name"],
                         "name": user.display_name, "email": user.email, "email_verified": True,
                         "given_name": user.first_name, "family_name": user.last_name,
                         "zoneinfo": user.timezone, "photos": person["photos"],
                         "profile": f"{org.instance_url}/{user.id}", "picture": person["photos"]["picture"],
                         "address": {"country": "US"}, "is_salesforce_integration_user": False,
                         "urls": person["urls"], "active": user.active, "user_type": "STANDARD",
                         "language": "en_US", "locale": "en_US", "utcOffset": person["utcOffset"],
                         "updated_at": stamp(user.created_at).replace(".000+0000", "Z"),
                         "is_app_installed": True})


async def identity(request: Request) -> Response:
    resolve_host(request)
    found = live_access(request)
    if found is None:
        return _bad_token()
    _, user, org = found
    if (request.path_params["org_id"], request.path_params["user_id"]) != (org.id, user.id):
        return PlainTextResponse("Bad_Id", status_code=403)  # token of another user: our choice
    person = _person(org, user, request.query_params.get("version", "{version}"), sf(request).clock.now())
    return JSONResponse({"id": org.identity_url(user.id), "asserted_user": True, **person,
                         "addr_street": None, "addr_city": None, "addr_state": None, "addr_country": "US",
                         "addr_zip": None, "mobile_phone": None, "mobile_phone_verified": False,
                         "is_lightning_login_user": False, "status": {"created_date": None, "body": None},
                         "last_modified_date": stamp(user.created_at), "is_app_installed": True})
