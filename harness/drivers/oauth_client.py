"""An OAuth client of Salesforce other than the appliance, to see what Salesforce itself enforces.

Rules served: OAUTH-ON and CALLBACK, on Salesforce's side. The appliance always sends its secret and the
callback URL it showed, so scenarios that go only through the appliance cannot tell whether Salesforce
enforces "Require Secret for Web Server Flow", "Require Secret for Refresh Token Flow" or the exact
callback at its token endpoint. This client signs in through the same login and consent forms as the
API driver and then calls the token endpoint the way the scenario asks (with or without the secret,
with another callback URL). Authorization codes come back as a redirect to the callback URL, which it
reads from the ``Location`` header without following it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx

from harness.drivers.page_objects.salesforce import parse_form
from harness.drivers.protocol import SalesforceUser

LOGIN = "https://login.salesforce.com"
_MAX_HOPS = 10
# What a token answer carries, as a scenario words it -> (the answer's field, present).
TOKEN_PARTS: dict[str, tuple[str, bool]] = {
    "a refresh token": ("refresh_token", True), "no refresh token": ("refresh_token", False),
    "an ID token": ("id_token", True), "no ID token": ("id_token", False),
}


@dataclass(frozen=True)
class TokenAnswer:
    """Salesforce's token endpoint answer: the HTTP status and the JSON body."""

    status: int
    body: dict[str, Any]

    @property
    def error(self) -> str | None:
        return self.body.get("error") if self.status >= 400 else None


class OAuthClient:
    """A web server flow client acting for one app (consumer key and secret) at Salesforce."""

    def __init__(self, http: httpx.Client, consumer_key: str, consumer_secret: str) -> None:
        self.http, self.key, self.secret = http, consumer_key, consumer_secret

    def authorization_code(self, user: SalesforceUser, redirect_uri: str) -> str:
        """Signs in as ``user`` and allows access; the code Salesforce sends to ``redirect_uri``."""
        return _code_from(self.authorize(user, redirect_uri))

    def authorize(self, user: SalesforceUser, redirect_uri: str, scope: str | None = None) -> str:
        """Asks for ``scope`` (every scope of the app when None), signs in as ``user`` and allows access when
        Salesforce asks; the callback URL Salesforce sends the browser to (with a code, or an error)."""
        query = urlencode({"response_type": "code", "client_id": self.key, "redirect_uri": redirect_uri,
                           **({"scope": scope} if scope is not None else {})})
        url, method, data = f"{LOGIN}/services/oauth2/authorize?{query}", "GET", None
        for _ in range(_MAX_HOPS):
            response = self.http.request(method, url, data=data)
            if response.is_redirect:
                url, method, data = urljoin(url, response.headers["location"]), "GET", None
                if url.startswith(redirect_uri):
                    return url
                continue
            form = parse_form(response.text)
            fields = form[2] if form else {}
            if form and "pw" in fields:
                data = {**fields, "username": user.username, "pw": user.password}
            elif form and "decision" in fields:
                data = {**fields, "decision": "allow"}
            else:
                raise AssertionError(f"Salesforce stopped the sign-in at {url}: {response.text[:300]}")
            url, method = urljoin(url, form[0]), form[1].upper()
        raise AssertionError(f"no authorization code after {_MAX_HOPS} pages")

    def exchange(self, code: str, redirect_uri: str, *, with_secret: bool) -> TokenAnswer:
        form = {"grant_type": "authorization_code", "code": code, "client_id": self.key,
                "redirect_uri": redirect_uri}
        return self._token(form, with_secret)

    def refresh(self, refresh_token: str, *, with_secret: bool) -> TokenAnswer:
        return self._token({"grant_type": "refresh_token", "refresh_token": refresh_token,
                            "client_id": self.key}, with_secret)

    def _token(self, form: dict[str, str], with_secret: bool) -> TokenAnswer:
        if with_secret:
            form = {**form, "client_secret": self.secret}
        response = self.http.post(f"{LOGIN}/services/oauth2/token", data=form)
        try:
            body = response.json()
        except ValueError:
            body = {"error": "not_json", "error_description": response.text[:200]}
        return TokenAnswer(response.status_code, body)


def callback_params(url: str) -> dict[str, str]:
    """The query parameters of the callback URL Salesforce sent the browser to."""
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def _code_from(url: str) -> str:
    params = callback_params(url)
    if "code" not in params:
        raise AssertionError(f"Salesforce came back without a code: {url}")
    return params["code"]
