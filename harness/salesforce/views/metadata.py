"""The Metadata API ``listMetadata`` and ``readMetadata`` calls: an app's settings as metadata shows them.

Serves the documented metadata mapping (facts 2.3, 3.8): ``callbackUrl`` (newline-separated),
``consumerKey``, ``isConsumerSecretOptional`` (the inverse of "Require secret for Web Server
Flow"), ``isPkceRequired``, ``isSecretRequiredForRefreshToken``, ``isRefreshTokenRotationEnabled``,
``commaSeparatedOauthScopes`` (``Full, RefreshToken, OpenID``), ``permittedUsersPolicyType``,
``ipRelaxationPolicyType``, ``refreshTokenPolicyType``. We chose the real SOAP call over an
invented REST path so a client written against the fake also works against Salesforce.

Contract for the appliance (the simplest way to read an app's settings)
-----------------------------------------------------------------------
Request: ``POST {instance_url}/services/Soap/m/{NN}.0`` (any version 31.0-66.0), headers
``Content-Type: text/xml; charset=UTF-8`` and ``SOAPAction: readMetadata`` (the header is not
checked), body::

    <?xml version="1.0" encoding="UTF-8"?>
    <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                      xmlns:met="http://soap.sforce.com/2006/04/metadata">
      <soapenv:Header>
        <met:SessionHeader><met:sessionId>ACCESS_TOKEN</met:sessionId></met:SessionHeader>
      </soapenv:Header>
      <soapenv:Body>
        <met:readMetadata>
          <met:type>ExtlClntAppGlobalOauthSettings</met:type>
          <met:fullNames>API_NAME</met:fullNames>
        </met:readMetadata>
      </soapenv:Body>
    </soapenv:Envelope>

``ACCESS_TOKEN`` is an access token with the ``full`` (or ``api``) scope of a user whose profile is
"System Administrator", in the app's org; ``API_NAME`` is the app's API Name. Salesforce's own
full names carry a suffix (``API_NAME_glbloauth``, ``API_NAME_oauth``, ``API_NAME_oauthPlcy``,
``API_NAME_plcy``); both spellings are accepted. Element prefixes are free: the fake matches on
local names only.

Types: ``ExtlClntAppGlobalOauthSettings``, ``ExtlClntAppOauthSettings``,
``ExtlClntAppOauthConfigurablePolicies``, ``ExtlClntAppConfigurablePolicies`` (external client
apps) and ``ConnectedApp`` (legacy connected apps).

Response 200 (``text/xml``)::

    <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
        xmlns="http://soap.sforce.com/2006/04/metadata"
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
      <soapenv:Body><readMetadataResponse><result>
        <records xsi:type="ExtlClntAppGlobalOauthSettings">
          <fullName>API_NAME</fullName>
          <callbackUrl>https://backup.example.net
    https://172.12.0.1</callbackUrl>
          <consumerKey>3MVG9...</consumerKey>
          <externalClientApplication>API_NAME</externalClientApplication>
          <isConsumerSecretOptional>false</isConsumerSecretOptional>
          <isPkceRequired>false</isPkceRequired>
          <isRefreshTokenRotationEnabled>false</isRefreshTokenRotationEnabled>
          <isSecretRequiredForRefreshToken>true</isSecretRequiredForRefreshToken>
          <label>App Name</label> ...
        </records>
      </result></readMetadataResponse></soapenv:Body>
    </soapenv:Envelope>

Parse it by local element names: one ``records`` per requested full name, children are
``name -> text`` (booleans are ``true``/``false``). ``ExtlClntAppOauthSettings`` has
``commaSeparatedOauthScopes`` (e.g. ``Full, RefreshToken, OpenID``);
``ExtlClntAppOauthConfigurablePolicies`` has ``permittedUsersPolicyType``,
``ipRelaxationPolicyType``, ``refreshTokenPolicyType``. An unknown full name (or an app with OAuth
disabled, for the two OAuth settings types) comes back as ``<records xsi:nil="true"/>`` (our
choice). ``consumerSecret`` is never returned (the org permission to read secrets through the
Metadata API is off: our choice).

Finding the app by consumer key: ``listMetadata`` lists the org's components of a type, then
``readMetadata`` (at most 10 names per call on Salesforce) finds the one whose ``consumerKey``
matches. Request body (same header and envelope as above)::

    <met:listMetadata>
      <met:queries><met:type>ExtlClntAppGlobalOauthSettings</met:type></met:queries>
      <met:asOfVersion>62.0</met:asOfVersion>
    </met:listMetadata>

Response: ``<listMetadataResponse>`` with one ``<result>`` per component holding ``fileName``
(e.g. ``extlClntAppGlobalOauthSets/API_NAME.ecaGlblOauth``), ``fullName`` (``API_NAME``), ``id``,
``manageableState`` and ``type``; none when the org has no such component. The two OAuth settings
types list only apps with OAuth enabled.

Errors are SOAP faults with HTTP 500: ``<faultcode>sf:INVALID_SESSION_ID</faultcode>`` (bad or
expired token, or not the org's My Domain host), ``sf:INSUFFICIENT_ACCESS`` (token without
``full``/``api`` scope, or the user is not a System Administrator), ``sf:INVALID_TYPE`` (another
type), ``soapenv:Client`` (body not understood).
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from starlette.requests import Request
from starlette.responses import Response

from harness.salesforce.models import scopes as catalog
from harness.salesforce.models.apps import App
from harness.salesforce.models.state import SalesforceState
from harness.salesforce.views.common import host_name, sf

_SUFFIXES = ("_glbloauth", "_oauth", "_oauthPlcy", "_plcy")
_ENVELOPE = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
             'xmlns="http://soap.sforce.com/2006/04/metadata" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>{}</soapenv:Body>'
             '</soapenv:Envelope>')


_FAULT_ENVELOPE = ('<?xml version="1.0" encoding="UTF-8"?>'
                   '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
                   'xmlns:sf="urn:fault.soap.sforce.com"><soapenv:Body>{}</soapenv:Body></soapenv:Envelope>')


class SoapFault(Exception):
    def __init__(self, code: str, text: str) -> None:
        super().__init__(text)
        self.code, self.text = code, text


def _fault(exc: SoapFault) -> Response:
    body = (f"<soapenv:Fault><faultcode>{exc.code}</faultcode>"
            f"<faultstring>{escape(exc.text)}</faultstring></soapenv:Fault>")
    return Response(_FAULT_ENVELOPE.format(body), status_code=500, media_type="text/xml")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse(body: bytes) -> tuple[str, str, list[str], list[str]]:
    """``(operation, sessionId, types, fullNames)`` of a readMetadata or listMetadata envelope."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        raise SoapFault("soapenv:Client", "Could not parse the SOAP envelope") from None
    texts: dict[str, list[str]] = {}
    for element in root.iter():
        texts.setdefault(_local(element.tag), []).append((element.text or "").strip())
    operation = next((op for op in ("readMetadata", "listMetadata") if op in texts), None)
    if operation is None or not texts.get("type"):
        raise SoapFault("soapenv:Client", "No operation available for request: expected readMetadata or "
                                          "listMetadata with a type")
    return operation, (texts.get("sessionId") or [""])[0], texts["type"], texts.get("fullNames", [])


def _authorize(request: Request, state: SalesforceState, session_id: str) -> str:
    token = state.book.live_access(session_id, state.clock.now())
    invalid = SoapFault("sf:INVALID_SESSION_ID",
                        "INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session")
    if token is None:
        raise invalid
    org, user = state.orgs[token.org_id], state.users[token.user_id]
    if not (org.active and user.active) or host_name(request) != org.my_domain_host:
        raise invalid
    if not {"full", "api"} & set(token.scopes) or user.profile != "System Administrator":
        raise SoapFault("sf:INSUFFICIENT_ACCESS",
                        "INSUFFICIENT_ACCESS: insufficient access rights to read this metadata")
    return org.id


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _global_oauth(app: App) -> dict[str, Any] | None:
    return None if not app.oauth_enabled else {
        "callbackUrl": "\n".join(app.callback_urls), "consumerKey": app.consumer_key,
        "externalClientApplication": app.api_name, "isClientCredentialsFlowEnabled": "false",
        "isCodeCredFlowEnabled": "false",
        "isConsumerSecretOptional": _bool(not app.require_secret_web_server),
        "isDeviceFlowEnabled": "false", "isIntrospectAllTokens": "false", "isNamedUserJwtEnabled": "false",
        "isPkceRequired": _bool(app.require_pkce),
        "isRefreshTokenRotationEnabled": _bool(app.refresh_token_rotation),
        "isSecretRequiredForRefreshToken": _bool(app.require_secret_refresh),
        "isSecretRequiredForTokenExchange": "false", "isTokenExchangeEnabled": "false", "label": app.name}


def _oauth(app: App) -> dict[str, Any] | None:
    return None if not app.oauth_enabled else {
        "commaSeparatedOauthScopes": catalog.metadata_names(app.scopes),
        "externalClientApplication": app.api_name, "label": app.name}


def _oauth_policies(app: App) -> dict[str, Any]:
    policies = {"externalClientApplication": app.api_name, "ipRelaxationPolicyType": app.ip_relaxation,
                "isClientCredentialsFlowEnabled": "false", "label": app.name,
                "permittedUsersPolicyType": app.permitted_users,
                "refreshTokenPolicyType": app.refresh_token_policy}
    if app.permitted_users == "AdminApprovedPreAuthorized":
        policies["commaSeparatedProfile"] = ", ".join(app.permitted_profiles)
    return dict(sorted(policies.items()))


def _policies(app: App) -> dict[str, Any]:
    return {"externalClientApplication": app.api_name, "isEnabled": _bool(not app.blocked),
            "isOauthPluginEnabled": _bool(app.oauth_enabled), "label": app.name}


def _connected_app(app: App) -> dict[str, Any]:
    scopes = "".join(f"<scopes>{catalog.group_of(s).metadata}</scopes>" for s in app.scopes)
    oauth = _xml({
        "callbackUrl": "\n".join(app.callback_urls), "consumerKey": app.consumer_key,
        "isAdminApproved": _bool(app.permitted_users == "AdminApprovedPreAuthorized"),
        "isConsumerSecretOptional": _bool(not app.require_secret_web_server),
        "isPkceRequired": _bool(app.require_pkce),
        "isRefreshTokenRotationEnabled": _bool(app.refresh_token_rotation),
        "isSecretRequiredForRefreshToken": _bool(app.require_secret_refresh)})
    policy = _xml({"ipRelaxation": app.ip_relaxation.upper(),
                   "refreshTokenPolicy": app.refresh_token_policy.lower()})
    return {"contactEmail": app.contact_email, "label": app.name,
            "oauthConfig": _Raw(oauth + scopes), "oauthPolicy": policy}


class _Raw(str):
    """Already-escaped XML to embed as is."""


def _xml(fields: dict[str, Any]) -> _Raw:
    parts = (f"<{k}>{v if isinstance(v, _Raw) else escape(str(v))}</{k}>" for k, v in fields.items())
    return _Raw("".join(parts))


_FILES = {"ExtlClntAppGlobalOauthSettings": ("extlClntAppGlobalOauthSets", ".ecaGlblOauth"),
          "ExtlClntAppOauthSettings": ("extlClntAppOauthSettings", ".ecaOauth"),
          "ExtlClntAppOauthConfigurablePolicies": ("extlClntAppOauthPolicies", ".ecaOauthPlcy"),
          "ExtlClntAppConfigurablePolicies": ("extlClntAppPolicies", ".ecaPlcy"),
          "ConnectedApp": ("connectedApps", ".connectedApp")}
_READERS = {"ExtlClntAppGlobalOauthSettings": _global_oauth, "ExtlClntAppOauthSettings": _oauth,
            "ExtlClntAppOauthConfigurablePolicies": _oauth_policies,
            "ExtlClntAppConfigurablePolicies": _policies, "ConnectedApp": _connected_app}


def _find(state: SalesforceState, org_id: str, kind: str, full_name: str) -> App | None:
    names = {full_name} | {full_name[: -len(s)] for s in _SUFFIXES if full_name.endswith(s)}
    wanted_kind = "connected_app" if kind == "ConnectedApp" else "external_client_app"
    return next((a for a in state.apps.values() if a.org_id == org_id and a.kind == wanted_kind
                 and a.api_name in names), None)


def _record(kind: str, full_name: str, fields: dict[str, Any] | None) -> str:
    if fields is None:
        return '<records xsi:nil="true"/>'
    return f'<records xsi:type="{kind}"><fullName>{escape(full_name)}</fullName>{_xml(fields)}</records>'


def _listed(state: SalesforceState, org_id: str, kind: str) -> list[App]:
    wanted_kind = "connected_app" if kind == "ConnectedApp" else "external_client_app"
    needs_oauth = kind in ("ExtlClntAppGlobalOauthSettings", "ExtlClntAppOauthSettings")
    return [a for a in state.apps.values() if a.org_id == org_id and a.kind == wanted_kind
            and (a.oauth_enabled or not needs_oauth)]


def _file_properties(kind: str, app: App) -> str:
    folder, suffix = _FILES[kind]
    return (f"<result><fileName>{folder}/{escape(app.api_name)}"
            f"{suffix}</fileName><fullName>{escape(app.api_name)}</fullName><id>{app.id}</id>"
            f"<manageableState>unmanaged</manageableState><type>{kind}</type></result>")


def _read(state: SalesforceState, org_id: str, kind: str, full_names: list[str]) -> str:
    records = []
    for name in full_names:
        app = _find(state, org_id, kind, name)
        records.append(_record(kind, name, _READERS[kind](app) if app else None))
    return f"<readMetadataResponse><result>{''.join(records)}</result></readMetadataResponse>"


def _list(state: SalesforceState, org_id: str, kinds: list[str]) -> str:
    results = "".join(_file_properties(kind, app) for kind in kinds for app in _listed(state, org_id, kind))
    return f"<listMetadataResponse>{results}</listMetadataResponse>"


async def soap(request: Request) -> Response:
    """``readMetadata`` and ``listMetadata`` on ``/services/Soap/m/NN.0``."""
    state = sf(request)
    try:
        operation, session_id, kinds, full_names = _parse(await request.body())
        org_id = _authorize(request, state, session_id)
        unknown = [kind for kind in kinds if kind not in _READERS]
        if unknown:
            raise SoapFault("sf:INVALID_TYPE", f"INVALID_TYPE: This type of metadata is not available: "
                                               f"{unknown[0]}")
    except SoapFault as exc:
        return _fault(exc)
    body = _list(state, org_id, kinds) if operation == "listMetadata" else _read(state, org_id, kinds[0], full_names)
    return Response(_ENVELOPE.format(body), media_type="text/xml")
