"""The appliance's HTTP client for Salesforce: authorize URL, token, refresh, revoke, identity, REST.

Rule served: docs/design.md "The reference appliance" - the appliance talks to Salesforce only over HTTP,
exactly as it would to the real one (facts section 3), through ``settings.outbound_proxy`` and trusting
``settings.ca_bundle``. It never opens a direct connection: without a proxy (or a test transport)
every call fails as a network fault, so no byte can leave the machine by accident.
"""

from __future__ import annotations

import ipaddress
import ssl
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from harness.appliance.core import metadata_client as meta
from harness.appliance.settings import ApplianceSettings

# "login" lets the administrator choose the Salesforce user every time (re-authorizing as another
# user, docs/salesforce-facts.md 1.4); "consent" always shows the Allow/Deny page with the scopes the app grants, so the
# administrator sees what is granted and a denial is always possible. [gap] How real Salesforce treats
# "consent" for admin-pre-authorized apps is not documented; we keep it for a predictable flow.
PROMPT = "login consent"


class SalesforceError(Exception):
    """Salesforce answered with an OAuth or API error (``error`` / ``error_description``)."""

    def __init__(self, code: str, description: str, status: int) -> None:
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description
        self.status = status


class NetworkFault(Exception):
    """Salesforce could not be reached or answered with a server error; retry later."""


@dataclass(frozen=True)
class Tokens:
    access_token: str
    instance_url: str
    id_url: str
    scopes: tuple[str, ...]
    refresh_token: str | None = None
    id_token: str | None = None

    @property
    def org_id(self) -> str:
        parts = urlsplit(self.id_url).path.strip("/").split("/")
        return parts[1] if len(parts) >= 3 else ""

    @property
    def user_id(self) -> str:
        parts = urlsplit(self.id_url).path.strip("/").split("/")
        return parts[2] if len(parts) >= 3 else ""


@dataclass(frozen=True)
class AppSecurity:
    """The app's switches the way the Metadata API exposes them (docs/salesforce-facts.md 2.3, 3.8)."""

    oauth_enabled: bool = True
    consumer_secret_optional: bool = False
    secret_required_for_refresh: bool = True
    pkce_required: bool = False
    raw_keys: tuple[str, ...] = field(default=())


def _flag(record: dict[str, str], key: str, default: bool) -> bool:
    value = record.get(key)
    return default if value is None else value.lower() == "true"


class SalesforceClient:
    """One kept-alive ``httpx.Client`` per appliance (through the outbound proxy), reused by every call."""

    def __init__(self, settings: ApplianceSettings) -> None:
        self._settings = settings
        self._http: httpx.Client | None = None
        self._lock = threading.Lock()

    def _client(self) -> httpx.Client:
        with self._lock:
            if self._http is None:
                self._http = self._build()
            return self._http

    def _build(self) -> httpx.Client:
        s = self._settings
        if s.http_transport is not None:
            return httpx.Client(transport=s.http_transport, timeout=s.http_timeout_s)
        if not s.outbound_proxy:
            raise NetworkFault("no outbound proxy is configured, so Salesforce cannot be reached")
        host = urlsplit(s.outbound_proxy).hostname or ""
        if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
            raise NetworkFault("the outbound proxy must be on the loopback interface")
        verify: ssl.SSLContext | bool = (
            ssl.create_default_context(cafile=str(s.ca_bundle)) if s.ca_bundle else True
        )
        return httpx.Client(proxy=s.outbound_proxy, verify=verify, timeout=s.http_timeout_s)

    def close(self) -> None:
        with self._lock:
            if self._http is not None:
                self._http.close()
                self._http = None

    def _send(self, method: str, url: str, soap: bool = False, **kwargs: Any) -> httpx.Response:
        try:
            response = self._client().request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise NetworkFault(
                f"{urlsplit(url).hostname} could not be reached ({type(exc).__name__})"
            ) from exc
        if response.status_code >= 500 and not (soap and "xml" in response.headers.get("content-type", "")):
            raise NetworkFault(f"{urlsplit(url).hostname} answered HTTP {response.status_code}")
        return response

    @staticmethod
    def authorize_url(login_host: str, client_id: str, redirect_uri: str, state: str) -> str:
        # No ``scope`` parameter: Salesforce then grants every scope the app has (docs/salesforce-facts.md 3.4), so the
        # appliance can name the scope an app lacks instead of getting a bare invalid_scope back.
        query = urlencode(
            {
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "state": state,
                "prompt": PROMPT,
            }
        )
        return f"https://{login_host}/services/oauth2/authorize?{query}"

    def _token(self, login_host: str, form: dict[str, str]) -> Tokens:
        response = self._send(
            "POST",
            f"https://{login_host}/services/oauth2/token",
            data=form,
            headers={"Accept": "application/json"},
        )
        body = _json(response)
        if not isinstance(body, dict):  # anything but a JSON object is an answer without tokens
            body = {}
        if response.status_code != 200 or "access_token" not in body:
            raise SalesforceError(
                str(body.get("error", f"http_{response.status_code}")),
                str(body.get("error_description", "")),
                response.status_code,
            )
        return Tokens(
            access_token=body["access_token"],
            instance_url=body.get("instance_url", ""),
            id_url=body.get("id", ""),
            scopes=tuple(str(body.get("scope", "")).split()),
            refresh_token=body.get("refresh_token"),
            id_token=body.get("id_token"),
        )

    def exchange_code(
        self, login_host: str, code: str, client_id: str, client_secret: str, redirect_uri: str
    ) -> Tokens:
        return self._token(
            login_host,
            {
                "grant_type": "authorization_code",
                "code": code,
                "client_id": client_id,
                "client_secret": client_secret,
                "redirect_uri": redirect_uri,
            },
        )

    def refresh(self, login_host: str, refresh_token: str, client_id: str, client_secret: str) -> Tokens:
        return self._token(
            login_host,
            {
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": client_id,
                "client_secret": client_secret,
            },
        )

    def refresh_accepted_without_secret(self, login_host: str, refresh_token: str, client_id: str) -> bool:
        """The probe for "Require Secret for Refresh Token Flow" when the metadata cannot be read."""
        try:
            self._token(
                login_host,
                {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id},
            )
        except SalesforceError:
            return False
        return True

    def revoke(self, login_host: str, token: str) -> bool:
        """Best effort: a refused attempt must not keep a grant alive, but a failed revoke is not fatal."""
        try:
            response = self._send(
                "POST", f"https://{login_host}/services/oauth2/revoke", data={"token": token}
            )
        except NetworkFault:
            return False
        return response.status_code == 200

    def identity(self, tokens: Tokens) -> dict[str, Any]:
        if not tokens.id_url:
            return {}
        try:
            response = self._send("GET", tokens.id_url, headers=_bearer(tokens.access_token))
        except NetworkFault:
            return {}
        return _json(response) if response.status_code == 200 else {}

    def _soap(self, tokens: Tokens, envelope: str) -> str:
        response = self._send(
            "POST",
            f"{tokens.instance_url}/services/Soap/m/{meta.API_VERSION}",
            soap=True,
            content=envelope.encode(),
            headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '""'},
        )
        fault = meta.parse_fault(response.text)
        if fault is not None:
            raise SalesforceError(fault[0], fault[1], response.status_code)
        return response.text

    def read_app_settings(self, tokens: Tokens, consumer_key: str, kind: str) -> AppSecurity | None:
        """The app's switches from the Metadata API (``kind`` is the metadata type); None when not listed."""
        names = meta.parse_list(self._soap(tokens, meta.list_request(tokens.access_token, kind)))
        for start in range(0, len(names), 10):  # readMetadata takes at most 10 names per call
            chunk = names[start : start + 10]
            for record in meta.parse_records(
                self._soap(tokens, meta.read_request(tokens.access_token, kind, chunk))
            ):
                if record.get("consumerKey") == consumer_key:
                    return _security(record)
        return None

    def rest_get(self, instance_url: str, path_or_url: str, access_token: str) -> Any:
        url = path_or_url if path_or_url.startswith("https://") else instance_url + path_or_url
        response = self._send("GET", url, headers=_bearer(access_token))
        body = _json(response)
        if response.status_code != 200:
            raise SalesforceError(
                _api_error_code(body, response.status_code), _api_message(body), response.status_code
            )
        return body


def _security(record: dict[str, str]) -> AppSecurity:
    return AppSecurity(
        oauth_enabled=True,  # a record with a consumer key exists only while OAuth is enabled
        consumer_secret_optional=_flag(record, "isConsumerSecretOptional", False),
        secret_required_for_refresh=_flag(record, "isSecretRequiredForRefreshToken", True),
        pkce_required=_flag(record, "isPkceRequired", False),
        raw_keys=tuple(sorted(record)),
    )


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": "application/json"}


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return {}


def _api_error_code(body: Any, status: int) -> str:
    # REST errors are a list of {"errorCode", "message"} (docs/salesforce-facts.md 3.3: "Session expired or invalid").
    if isinstance(body, list) and body and isinstance(body[0], dict):
        return str(body[0].get("errorCode", f"http_{status}"))
    if isinstance(body, dict) and "error" in body:
        return str(body["error"])
    return f"http_{status}"


def _api_message(body: Any) -> str:
    if isinstance(body, list) and body and isinstance(body[0], dict):
        return str(body[0].get("message", ""))
    if isinstance(body, dict):
        return str(body.get("error_description", body.get("message", "")))
    return ""
