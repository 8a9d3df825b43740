"""A tiny in-test Salesforce for the appliance's unit tests (the real fake lives in harness/salesforce).

It speaks just enough of the wire (facts section 3) for the appliance: token (code and refresh),
revoke, identity, the metadata read of the app's OAuth settings, and a small REST surface for backups.
Served through an httpx MockTransport, so no socket is opened.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

ORG_ID = "00D000000000001EAA"
USER_ID = "005000000000001AAA"
INSTANCE = "https://acme.my.salesforce.com"


@dataclass
class StubApp:
    consumer_key: str = field(default_factory=lambda: "3MVG9" + secrets.token_hex(20))
    consumer_secret: str = field(default_factory=lambda: secrets.token_hex(32).upper())
    scopes: list[str] = field(default_factory=lambda: ["full", "refresh_token", "openid"])
    oauth_enabled: bool = True
    require_secret_web_server: bool = True
    require_secret_refresh: bool = True
    require_pkce: bool = False
    issue_refresh_token: bool = True
    refresh_works: bool = True


@dataclass
class StubSalesforce:
    app: StubApp = field(default_factory=StubApp)
    org_id: str = ORG_ID
    username: str = "admin@acme.example"
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    refresh_tokens: set[str] = field(default_factory=set)
    revoked: list[str] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, list[str]]]] = field(default_factory=list)
    token_fault: int | None = None
    records: int = 5
    metadata_listing: bool = True

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    # -- the browser part: what happens at Salesforce between authorize and the callback ----------
    def authorize(
        self, url: str, *, approve: bool = True, error: str | None = None, description: str = ""
    ) -> str:
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        assert query["client_id"] == self.app.consumer_key
        target = query["redirect_uri"]
        if error or not approve:
            params = {
                "error": error or "access_denied",
                "error_description": description or "end-user denied authorization",
                "state": query["state"],
            }
            return f"{target}/?{urlencode(params)}"
        code = secrets.token_urlsafe(16)
        # Like Salesforce: no scope parameter means every scope the app has.
        asked = query["scope"].split() if "scope" in query else list(self.app.scopes)
        granted = [s for s in asked if s in self.app.scopes]
        self.codes[code] = {"redirect_uri": target, "scope": " ".join(granted)}
        return f"{target}/?{urlencode({'code': code, 'state': query['state']})}"

    # -- the wire ---------------------------------------------------------------------------------
    def handle(self, request: httpx.Request) -> httpx.Response:
        form = parse_qs(request.content.decode()) if request.method == "POST" else {}
        self.requests.append((request.method, request.url.path, form))
        path = request.url.path
        if path == "/services/oauth2/token":
            return self._token({k: v[0] for k, v in form.items()})
        if path == "/services/oauth2/revoke":
            self.revoked.append(form["token"][0])
            self.refresh_tokens.discard(form["token"][0])
            return httpx.Response(200)
        if path.startswith("/id/"):
            return httpx.Response(200, json={"username": self.username, "organization_id": self.org_id})
        if path.startswith("/services/Soap/m/"):
            return self._soap(request.content.decode())
        return self._rest(request)

    def _soap(self, body: str) -> httpx.Response:
        env = (
            '<?xml version="1.0"?><soapenv:Envelope '
            'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns="http://soap.sforce.com/2006/04/metadata"><soapenv:Body>{}</soapenv:Body></soapenv:Envelope>'
        )
        if "listMetadata" in body and not self.metadata_listing:
            fault = (
                "<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>no</faultstring>"
                "</soapenv:Fault>"
            )
            return httpx.Response(500, text=env.format(fault), headers={"content-type": "text/xml"})
        if "listMetadata" in body:
            items = "".join(f"<result><fullName>{n}</fullName></result>" for n in ("Other_App", "Backup_App"))
            return httpx.Response(
                200, text=env.format(f"<listMetadataResponse>{items}</listMetadataResponse>")
            )
        a = self.app
        flags = {
            "consumerKey": a.consumer_key,
            "isConsumerSecretOptional": not a.require_secret_web_server,
            "isSecretRequiredForRefreshToken": a.require_secret_refresh,
            "isPkceRequired": a.require_pkce,
        }
        fields = "".join(
            f"<{k}>{str(v).lower() if isinstance(v, bool) else v}</{k}>" for k, v in flags.items()
        )
        records = (
            "<records><fullName>Other_App</fullName><consumerKey>OTHER</consumerKey></records>"
            f"<records><fullName>Backup_App</fullName>{fields}</records>"
        )
        return httpx.Response(
            200, text=env.format(f"<readMetadataResponse><result>{records}</result></readMetadataResponse>")
        )

    def _error(self, code: str, description: str) -> httpx.Response:
        return httpx.Response(400, json={"error": code, "error_description": description})

    def _token(self, form: dict[str, str]) -> httpx.Response:
        if self.token_fault:
            return httpx.Response(self.token_fault, text="maintenance")
        if form.get("client_id") != self.app.consumer_key:
            return self._error("invalid_client_id", "client identifier invalid")
        secret_needed = (
            form["grant_type"] == "authorization_code"
            and self.app.require_secret_web_server
            or (form["grant_type"] == "refresh_token" and self.app.require_secret_refresh)
        )
        if (
            "client_secret" not in form
            and secret_needed
            or ("client_secret" in form and form["client_secret"] != self.app.consumer_secret)
        ):
            return self._error("invalid_client", "invalid client credentials")
        if form["grant_type"] == "authorization_code":
            grant = self.codes.pop(form.get("code", ""), None)
            if grant is None:
                return self._error("invalid_grant", "expired authorization code")
            if grant["redirect_uri"] != form.get("redirect_uri"):
                return self._error("redirect_uri_mismatch", "redirect_uri must match configuration")
            return self._tokens(grant["scope"], first=True)
        if form.get("refresh_token") not in self.refresh_tokens or not self.app.refresh_works:
            return self._error("invalid_grant", "expired access/refresh token")
        return self._tokens(" ".join(self.app.scopes), first=False)

    def _tokens(self, scope: str, *, first: bool) -> httpx.Response:
        body: dict[str, Any] = {
            "access_token": "00D!" + secrets.token_urlsafe(24),
            "instance_url": INSTANCE,
            "id": f"https://login.salesforce.com/id/{self.org_id}/{USER_ID}",
            "token_type": "Bearer",
            "issued_at": "1700000000000",
            "signature": "sig",
            "scope": scope,
        }
        if (
            first
            and self.app.issue_refresh_token
            and {"refresh_token", "offline_access"} & set(scope.split())
        ):
            body["refresh_token"] = "5Aep" + secrets.token_urlsafe(24)
            self.refresh_tokens.add(body["refresh_token"])
        if "openid" in scope.split():
            body["id_token"] = "eyJ.header.payload"
        return httpx.Response(200, json=body)

    def _rest(self, request: httpx.Request) -> httpx.Response:
        path, query = request.url.path, dict(request.url.params)
        if path == "/services/data/":
            return httpx.Response(
                200,
                json=[
                    {"version": "61.0", "url": "/services/data/v61.0"},
                    {"version": "62.0", "url": "/services/data/v62.0"},
                ],
            )
        if path == "/services/data/v62.0/sobjects":
            return httpx.Response(
                200,
                json={
                    "sobjects": [
                        {"name": "Account", "queryable": True},
                        {"name": "Contact", "queryable": True},
                        {"name": "Attachment", "queryable": True},
                    ]
                },
            )
        if path.endswith("/describe"):
            return httpx.Response(
                200, json={"fields": [{"name": "Id", "type": "id"}, {"name": "Name", "type": "string"}]}
            )
        if path.endswith("/query"):
            name = query["q"].split(" FROM ")[1]
            rows = [
                {"attributes": {"type": name}, "Id": f"{name}{i}", "Name": f"{name} {i}"}
                for i in range(self.records)
            ]
            return httpx.Response(
                200,
                json={
                    "totalSize": self.records,
                    "done": False,
                    "records": rows[:3],
                    "nextRecordsUrl": f"/services/data/v62.0/query/{name}-2",
                },
            )
        if "/query/" in path:
            name = path.rsplit("/", 1)[1].split("-")[0]
            rows = [{"Id": f"{name}{i}", "Name": f"{name} {i}"} for i in range(3, self.records)]
            return httpx.Response(200, json={"done": True, "records": rows})
        return httpx.Response(404, content=json.dumps([{"errorCode": "NOT_FOUND", "message": path}]))
