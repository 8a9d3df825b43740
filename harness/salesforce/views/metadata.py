"""The Metadata API ``listMetadata`` and ``readMetadata`` calls: an app's settings as metadata shows them.

Serves the documented metadata mapping (docs/salesforce-facts.md 2.3, 3.8): ``callbackUrl`` (newline-separated),
``consumerKey``, ``isConsumerSecretOptional`` (the inverse of "Require secret for Web Server
Flow"), ``isPkceRequired``, ``isSecretRequiredForRefreshToken``, ``isRefreshTokenRotationEnabled``,
``commaSeparatedOauthScopes`` (``Full, RefreshToken, OpenID``), ``permittedUsersPolicyType``,
``ipRelaxationPolicyType``, ``refreshTokenPolicyType``. We chose the real SOAP call over an
invented REST path so a client written against the fake also works against Salesforce.

Contract for the appliance (the simplest way to read an app's settings)
-----------------------------------------------------------------------
Request: ``POST {instance_url}/services/Soap/m/{NN}.0`` (59.0-66.0 for these types), headers
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

Types: ``ExternalClientApplication``, ``ExtlClntAppGlobalOauthSettings``,
``ExtlClntAppOauthSettings``, ``ExtlClntAppOauthConfigurablePolicies``,
``ExtlClntAppConfigurablePolicies`` (external client apps, API 59.0 and later) and ``ConnectedApp``
(legacy connected apps); see ``harness/salesforce/models/metadata_types.py``. The endpoint also
answers with a trailing slash or the org id after the version (``/services/Soap/m/62.0/00D...``).

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

Response: ``<listMetadataResponse>`` with one ``<result>`` per component holding every
FileProperties field: ``createdById``, ``createdByName``, ``createdDate``, ``fileName`` (e.g.
``extlClntAppGlobalOauthSets/API_NAME_glbloauth.ecaGlblOauth``), ``fullName`` (``API_NAME`` plus
the type's suffix, ``API_NAME_glbloauth``; plain ``API_NAME`` for ``ExternalClientApplication``), ``id``,
``lastModifiedById``, ``lastModifiedByName``, ``lastModifiedDate``, ``manageableState``,
``namespacePrefix`` and ``type``; none when the org has no such component. The two OAuth settings
types list only apps with OAuth enabled.

``describeMetadata`` lists the types above and the common types of a real org
(``models/metadata_catalog.py``, docs/salesforce-facts.md 2.4) that the endpoint's API version knows,
each with ``childXmlNames`` (when it has children), ``directoryName``, ``inFolder``, ``metaFile``,
``suffix`` (when it has one) and ``xmlName``. Listing a common type answers no component; reading one
answers a nil record.

Errors are SOAP faults with HTTP 500: ``<faultcode>sf:INVALID_SESSION_ID</faultcode>`` (bad or
expired token, or not the org's My Domain host), ``sf:INSUFFICIENT_ACCESS`` (token without
``full``/``api`` scope, or the user is not a System Administrator), ``sf:INVALID_TYPE`` (another
type, or a type the endpoint's API version predates), ``soapenv:Client`` (body not understood).
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from starlette.requests import Request
from starlette.responses import Response

from harness.salesforce.models.apps import App
from harness.salesforce.models.metadata_types import TYPES, MetadataType, file_properties, xml
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
    """A SOAP fault; Salesforce's own codes (``sf:...``) also carry an ``UnexpectedErrorFault``
    detail with ``exceptionCode`` and ``exceptionMessage``, which clients read."""
    detail = ""
    if exc.code.startswith("sf:"):
        code = exc.code.removeprefix("sf:")
        message = exc.text.removeprefix(f"{code}: ")
        detail = ('<detail><sf:UnexpectedErrorFault xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                  f'xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>{code}</sf:exceptionCode>'
                  f"<sf:exceptionMessage>{escape(message)}</sf:exceptionMessage></sf:UnexpectedErrorFault></detail>")
    body = (f"<soapenv:Fault><faultcode>{exc.code}</faultcode>"
            f"<faultstring>{escape(exc.text)}</faultstring>{detail}</soapenv:Fault>")
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
    operation = next((op for op in ("readMetadata", "listMetadata", "describeMetadata") if op in texts), None)
    if operation is None or (operation != "describeMetadata" and not texts.get("type")):
        raise SoapFault("soapenv:Client", "No operation available for request: expected describeMetadata, or "
                                          "readMetadata or listMetadata with a type")
    return operation, (texts.get("sessionId") or [""])[0], texts.get("type", []), texts.get("fullNames", [])


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


def _version(request: Request) -> float:
    try:
        return float(request.path_params["version"])
    except ValueError:
        raise SoapFault("soapenv:Client", f"Unknown API version: {request.path_params['version']}") from None


def _types(request: Request, names: list[str]) -> list[MetadataType]:
    """The requested types; one the endpoint's API version does not know is ``INVALID_TYPE``."""
    version = _version(request)
    for name in names:
        if name not in TYPES or not TYPES[name].exists_in(version):
            # Salesforce's wording when a type is not available (to the org or in this version).
            raise SoapFault("sf:INVALID_TYPE", "INVALID_TYPE: This type of metadata is not available for this "
                                               f"organization: {name}")
    return [TYPES[name] for name in names]


def _apps(state: SalesforceState, org_id: str, kind: MetadataType) -> list[App]:
    return [a for a in state.apps.values() if a.org_id == org_id and kind.describes(a)]


def _find(state: SalesforceState, org_id: str, kind: MetadataType, full_name: str) -> App | None:
    names = {full_name} | {full_name[: -len(s)] for s in _SUFFIXES if full_name.endswith(s)}
    return next((a for a in _apps(state, org_id, kind) if a.api_name in names), None)


def _record(kind: str, full_name: str, fields: dict[str, Any] | None) -> str:
    if fields is None:
        return '<records xsi:nil="true"/>'
    return f'<records xsi:type="{kind}"><fullName>{escape(full_name)}</fullName>{xml(fields)}</records>'


def _read(state: SalesforceState, org_id: str, kind: MetadataType, full_names: list[str]) -> str:
    records = []
    for name in full_names:
        app = _find(state, org_id, kind, name)
        records.append(_record(kind.name, name, kind.read(app) if app else None))
    return f"<readMetadataResponse><result>{''.join(records)}</result></readMetadataResponse>"


def _list(state: SalesforceState, org_id: str, kinds: list[MetadataType]) -> str:
    results = "".join(f"<result>{xml(file_properties(kind, app, state.audit[app.id]))}</result>"
                      for kind in kinds for app in _apps(state, org_id, kind))
    return f"<listMetadataResponse>{results}</listMetadataResponse>"


def _describe(version: float) -> str:
    """describeMetadata: every type the version knows, the app types and the common ones."""
    objects = "".join(f"<metadataObjects>{xml(kind.describe())}</metadataObjects>"
                      for kind in TYPES.values() if kind.exists_in(version))
    return (f"<describeMetadataResponse><result>{objects}<organizationNamespace></organizationNamespace>"
            "<partialSaveAllowed>true</partialSaveAllowed><testRequired>false</testRequired></result>"
            "</describeMetadataResponse>")


async def soap(request: Request) -> Response:
    """``describeMetadata``, ``readMetadata`` and ``listMetadata`` on ``/services/Soap/m/NN.0``."""
    state = sf(request)
    try:
        operation, session_id, names, full_names = _parse(await request.body())
        org_id = _authorize(request, state, session_id)
        kinds = _types(request, names)
    except SoapFault as exc:
        return _fault(exc)
    if operation == "describeMetadata":
        body = _describe(_version(request))
    elif operation == "listMetadata":
        body = _list(state, org_id, kinds)
    else:
        body = _read(state, org_id, kinds[0], full_names)
    return Response(_ENVELOPE.format(body), media_type="text/xml")


async def other_soap(request: Request) -> Response:
    """The partner, enterprise and other SOAP APIs (``/services/Soap/u|c|...``), which this fake does
    not serve. Our choice: a fault with the real code ``INVALID_OPERATION``, never a plain-text 404."""
    message = f"this fake serves only the Metadata API over SOAP, not {request.url.path}"
    return _fault(SoapFault("sf:INVALID_OPERATION", f"INVALID_OPERATION: {message}"))
