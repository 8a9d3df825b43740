"""Helpers for the fake Salesforce's tests: constants, PKCE, and a browser-without-JavaScript walk."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from starlette.testclient import TestClient

from harness.drivers.page_objects.salesforce import parse_form
from harness.salesforce import SalesforceBackend

CALLBACK = "https://172.12.0.1"
SECOND_CALLBACK = "https://acme.internal.com"
TOKEN_URL = "https://login.salesforce.com/services/oauth2/token"
REQUIRED_SCOPES = ["full", "refresh_token", "openid"]


def pkce_pair(verifier: str = "v" * 50) -> tuple[str, str]:
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


@dataclass
class World:
    """One org with one System Administrator and one external client app, and flow helpers."""

    backend: SalesforceBackend
    client: TestClient
    org: dict[str, Any]
    user: dict[str, Any]
    app: dict[str, Any]

    def authorize_url(self, host: str = "login.salesforce.com", **params: Any) -> str:
        query = {
            "response_type": "code",
            "client_id": self.app["consumer_key"],
            "redirect_uri": CALLBACK,
            "state": "s-1",
            **params,
        }
        query = {key: value for key, value in query.items() if value is not None}
        return f"https://{host}/services/oauth2/authorize?{urlencode(query)}"

    def walk(
        self, url: str, username: str | None = None, password: str | None = None, decision: str = "allow"
    ) -> httpx.Response:
        """Follows the authorize flow like a browser without JavaScript; stops off Salesforce."""
        return walk(self.client, url, username or self.user["username"], password or self.user["password"], decision)

    def code(self, **params: Any) -> str:
        response = self.walk(self.authorize_url(**params))
        assert response.status_code == 302, response.text
        return query_of(response.headers["location"])["code"]

    def exchange(self, code: str, **form: Any) -> httpx.Response:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": self.app["consumer_key"],
            "client_secret": self.app["consumer_secret"],
            "redirect_uri": CALLBACK,
            **form,
        }
        return self.client.post(TOKEN_URL, data={k: v for k, v in data.items() if v is not None})

    def tokens(self, **params: Any) -> dict[str, Any]:
        response = self.exchange(self.code(**params))
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]


def walk(client: httpx.Client, url: str, username: str, password: str, decision: str = "allow") -> httpx.Response:
    """Follows the authorize flow like a browser without JavaScript: logs in, answers the consent page,
    and returns the first answer that leaves Salesforce (the callback redirect) or stays on an error."""
    response = client.get(url)
    for _ in range(10):
        if response.is_redirect:
            url = urljoin(url, response.headers["location"])
            if not (urlsplit(url).hostname or "").endswith("salesforce.com"):
                return response
            response = client.get(url)
            continue
        form = parse_form(response.text) if "html" in response.headers.get("content-type", "") else None
        if form is None or not ({"pw", "decision"} & set(form[2])):
            return response
        data = dict(form[2])
        if "pw" in data:
            if 'role="alert"' in response.text:
                return response  # the login page came back with an error
            data.update(username=username, pw=password)
        else:
            data["decision"] = decision
        url = urljoin(url, form[0])
        response = client.post(url, data=data)
    raise AssertionError("the flow did not leave Salesforce")


def signing_pair(common_name: str = "jwt-client") -> tuple[str, str]:
    """A private key and its self-signed certificate, both PEM, for JWT bearer assertions."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
                   .not_valid_after(now + timedelta(days=30)).sign(key, hashes.SHA256()))
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    return private, certificate.public_bytes(serialization.Encoding.PEM).decode()
