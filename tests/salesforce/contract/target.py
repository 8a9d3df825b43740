"""What the contract checks talk to: a Salesforce (the fake, or a real org), named by URLs and credentials.

Rule served: a check is written once, against the wire, and runs unchanged against the fake and
against a real org (in the spirit of moto's verified tests). A target needs a login URL, an
external client app's consumer key and secret, and a refresh token of a System Administrator
issued to that app; every check starts from a refresh, so no browser is needed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from xml.etree import ElementTree

import httpx

ENVIRONMENT = {
    "login_url": "HARNESS_CONTRACT_LOGIN_URL",
    "consumer_key": "HARNESS_CONTRACT_CONSUMER_KEY",
    "consumer_secret": "HARNESS_CONTRACT_CONSUMER_SECRET",
    "refresh_token": "HARNESS_CONTRACT_REFRESH_TOKEN",
}
VERSION_VARIABLE = "HARNESS_CONTRACT_API_VERSION"
DEFAULT_VERSION = "62.0"
METADATA_NS = "{http://soap.sforce.com/2006/04/metadata}"


@dataclass
class Session:
    """One refreshed access token and what came with it."""

    body: dict[str, Any]

    @property
    def access_token(self) -> str:
        return str(self.body["access_token"])

    @property
    def instance_url(self) -> str:
        return str(self.body["instance_url"])

    @property
    def org_id(self) -> str:
        return urlsplit(self.body["id"]).path.split("/")[2]

    @property
    def user_id(self) -> str:
        return urlsplit(self.body["id"]).path.split("/")[3]


@dataclass
class Target:
    """A Salesforce to check: its login URL, an app's credentials, a refresh token, an HTTP client."""

    name: str
    login_url: str
    consumer_key: str
    consumer_secret: str
    refresh_token: str
    client: httpx.Client
    api_version: str = DEFAULT_VERSION
    _session: Session | None = field(default=None, repr=False)

    def refresh(self) -> httpx.Response:
        return self.client.post(f"{self.login_url}/services/oauth2/token", data={
            "grant_type": "refresh_token", "refresh_token": self.refresh_token,
            "client_id": self.consumer_key, "client_secret": self.consumer_secret},
            headers={"Accept": "application/json"})

    @property
    def session(self) -> Session:
        if self._session is None:
            response = self.refresh()
            assert response.status_code == 200, f"{self.name}: the refresh failed: {response.text}"
            self._session = Session(response.json())
        return self._session

    def rest(self, path: str, method: str = "GET", **params: Any) -> httpx.Response:
        """A REST call under ``/services/data/vNN.0`` (``path`` starts with ``/``; ``""`` is the list)."""
        url = f"{self.session.instance_url}/services/data/v{self.api_version}{path}"
        return self.client.request(method, url, params=params, headers=self.bearer())

    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.session.access_token}", "Accept": "application/json"}

    def metadata(self, operation: str, version: str | None = None) -> tuple[int, ElementTree.Element]:
        """A Metadata API SOAP call; ``operation`` is the body's XML (``met:`` prefix)."""
        envelope = ('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
                    'xmlns:met="http://soap.sforce.com/2006/04/metadata"><soapenv:Header><met:SessionHeader>'
                    f"<met:sessionId>{self.session.access_token}</met:sessionId></met:SessionHeader>"
                    f"</soapenv:Header><soapenv:Body>{operation}</soapenv:Body></soapenv:Envelope>")
        response = self.client.post(f"{self.session.instance_url}/services/Soap/m/{version or self.api_version}",
                                    content=envelope.encode(),
                                    headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '""'})
        return response.status_code, ElementTree.fromstring(response.content)


def oauth_body(response: httpx.Response) -> dict[str, str]:
    """An OAuth endpoint's answer as a dict, whether it came as JSON or form-encoded."""
    if "json" in response.headers.get("content-type", ""):
        return {key: str(value) for key, value in response.json().items()}
    return dict(parse_qsl(response.text))


def real_org_target() -> Target | None:
    """The org the environment names, or None when it names none; a partial setting is an error."""
    values = {key: os.environ.get(variable, "").strip() for key, variable in ENVIRONMENT.items()}
    if not any(values.values()):
        return None
    missing = [ENVIRONMENT[key] for key, value in values.items() if not value]
    if missing:
        raise ValueError(f"the real-org contract run needs every variable; missing: {', '.join(missing)}")
    login_url = values.pop("login_url").rstrip("/")
    if urlsplit(login_url).scheme != "https":
        raise ValueError(f"{ENVIRONMENT['login_url']}: {login_url!r} must be an https:// URL")
    version = os.environ.get(VERSION_VARIABLE, DEFAULT_VERSION).strip()
    return Target("org", login_url, client=httpx.Client(timeout=30.0), api_version=version, **values)
