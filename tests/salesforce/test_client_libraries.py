"""Real client libraries complete the flow and their daily calls against the fake.

requests-oauthlib builds the authorization URL, exchanges the code (HTTP Basic client
credentials) and refreshes; simple-salesforce queries with paging. The browser part (login and
consent) is walked in-process. A requests adapter sends every ``*.salesforce.com`` URL to the
loopback server over plain HTTP with the original ``Host`` header, and refuses every other host,
so no connection leaves 127.0.0.1.

The later tests reach the fake the way the appliance does, by the real names over HTTPS through the
virtual network (``sealed``): the clients read the proxy and the harness CA from the environment
(``HTTPS_PROXY``, ``REQUESTS_CA_BUNDLE``), so libraries that make their own sessions (zeep inside
simple-salesforce's Metadata API module) are routed too. simple-salesforce reads records, queries,
``queryAll``, column metadata, limits and every Metadata type; Authlib revokes; one test walks the
versioned resource list.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import pytest
import requests
import uvicorn
import zeep
from authlib.integrations.requests_client import OAuth2Session as AuthlibSession
from requests.adapters import HTTPAdapter
from requests.auth import HTTPBasicAuth
from requests_oauthlib import OAuth2Session
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceAuthenticationFailed,
    SalesforceExpiredSession,
    SalesforceMalformedRequest,
    SalesforceResourceNotFound,
)

from harness.salesforce import SalesforceBackend, create_app

from .sealed import SealedSalesforce
from .support import CALLBACK, TOKEN_URL, World, signing_pair


class LoopbackAdapter(HTTPAdapter):
    """Sends Salesforce URLs to the loopback server, keeping the Host; refuses everything else."""

    def __init__(self, port: int) -> None:
        super().__init__()
        self.port = port
        self.hosts: list[str] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        parts = urlsplit(request.url or "")
        host = parts.hostname or ""
        if not host.endswith(".salesforce.com"):
            raise requests.ConnectionError(f"refused: {host} is not routed in the test network")
        self.hosts.append(host)
        request.headers["Host"] = host
        request.url = urlunsplit(("http", f"127.0.0.1:{self.port}", parts.path, parts.query, ""))
        return super().send(request, **kwargs)


@pytest.fixture
def served(backend: SalesforceBackend) -> Iterator[int]:
    server = uvicorn.Server(
        uvicorn.Config(create_app(backend), host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    yield server.servers[0].sockets[0].getsockname()[1]
    server.should_exit = True
    thread.join(timeout=5)


def test_requests_oauthlib_and_simple_salesforce(world: World, served: int) -> None:
    org = world.backend.create_org(name="libs", records=250)
    user = world.backend.create_user(org["id"], username="admin@libs.example.com", password="L-ibs-pass1")
    app = world.backend.create_app(
        org["id"], name="Lib App", callback_urls=[CALLBACK], scopes=["full", "refresh_token", "openid"]
    )
    adapter = LoopbackAdapter(served)

    oauth = OAuth2Session(
        app["consumer_key"], redirect_uri=CALLBACK, scope=["full", "refresh_token", "openid"]
    )
    oauth.mount("https://", adapter)
    url, state = oauth.authorization_url("https://login.salesforce.com/services/oauth2/authorize")
    callback = world.walk(url, username=user["username"], password="L-ibs-pass1").headers["location"]
    token = oauth.fetch_token(
        TOKEN_URL, authorization_response=callback, client_secret=app["consumer_secret"]
    )
    assert token["instance_url"] == "https://libs.my.salesforce.com" and "id_token" in token

    refreshed = oauth.refresh_token(
        TOKEN_URL, auth=HTTPBasicAuth(app["consumer_key"], app["consumer_secret"])
    )
    assert refreshed["access_token"] != token["access_token"]

    session = requests.Session()
    session.mount("https://", adapter)
    sf = Salesforce(
        instance_url=refreshed["instance_url"], session_id=refreshed["access_token"], session=session
    )
    result = sf.query_all("SELECT Id, Name FROM Account", headers={"Sforce-Query-Options": "batchSize=200"})
    assert result["totalSize"] == 250 and len(result["records"]) == 250
    assert set(adapter.hosts) == {"login.salesforce.com", "libs.my.salesforce.com"}
    log = world.backend.requests()
    assert sum(e["path"].startswith("/services/data/v") for e in log) == 2  # two pages
    with pytest.raises(requests.ConnectionError):
        session.get("https://example.com/")


def test_drop_fault_closes_a_real_connection(backend: SalesforceBackend, served: int) -> None:
    backend.add_fault(endpoint="keys", kind="drop", count=1)
    session = requests.Session()
    session.mount("https://", LoopbackAdapter(served))
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        session.get("https://login.salesforce.com/id/keys").content  # noqa: B018
    assert session.get("https://login.salesforce.com/id/keys").status_code == 200
    assert [e["status"] for e in backend.requests()] == ["dropped", 200]


@pytest.fixture
def sealed_sf(sealed: SealedSalesforce, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Salesforce, Any]]:
    """simple-salesforce on a fresh org of the sealed fake, every requests session routed through the proxy."""
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", sealed.network.proxy_url)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(sealed.network.ca_path))
    org, user, app = sealed.org("clients", records=8)
    tokens = sealed.tokens(user, app)
    yield Salesforce(instance_url=tokens["instance_url"], session_id=tokens["access_token"], version="62.0"), \
        SimpleNamespace(org=org, user=user, app=app, tokens=tokens)


def test_simple_salesforce_reads_records_users_and_the_org(sealed_sf: tuple[Salesforce, Any]) -> None:
    sf, seeded = sealed_sf
    user = sf.User.get(seeded.user["id"])
    assert (user["Username"], user["Name"]) == (seeded.user["username"], "Sam Sealed")
    assert sf.Profile.get(user["ProfileId"])["Name"] == "System Administrator"
    me = sf.query(f"SELECT Username, Profile.Name FROM User WHERE Id = '{seeded.user['id']}'")["records"][0]
    assert me["Profile"]["Name"] == "System Administrator"
    org = sf.Organization.get(seeded.org["id"])
    assert org["Name"] == seeded.org["name"] and org["OrganizationType"] and sf.is_sandbox() is False
    account = sf.query("SELECT Id, Name FROM Account LIMIT 1")["records"][0]
    assert sf.Account.get(account["Id"])["Name"] == account["Name"]
    only = sf.restful(f"sobjects/Account/{account['Id']}", params={"fields": "Name"})
    assert set(only) == {"attributes", "Name"}
    with pytest.raises(SalesforceMalformedRequest) as bad:
        sf.restful(f"sobjects/Account/{account['Id']}", params={"fields": "Nope"})
    assert bad.value.content[0]["errorCode"] == "INVALID_FIELD"
    with pytest.raises(SalesforceResourceNotFound):
        sf.restful("nope")


def test_simple_salesforce_query_all_columns_limits_and_soql_errors(sealed_sf: tuple[Salesforce, Any]) -> None:
    sf, _ = sealed_sf
    contact = sf.query("SELECT Id FROM Contact LIMIT 1")["records"][0]["Id"]
    assert sf.Contact.delete(contact) == 204
    assert sf.query_all("SELECT Id FROM Contact")["totalSize"] == 7
    deleted = sf.query_all("SELECT Id, IsDeleted FROM Contact WHERE IsDeleted = true", include_deleted=True)
    assert [(r["Id"], r["IsDeleted"]) for r in deleted["records"]] == [(contact, True)]
    columns = sf.restful("query", params={"q": "SELECT Id, Email FROM Contact", "columns": "true"})
    assert [c["columnName"] for c in columns["columnMetadata"]] == ["Id", "Email"]
    limits = sf.limits()
    assert limits["DailyApiRequests"]["Remaining"] < limits["DailyApiRequests"]["Max"]
    usage = sf.api_usage["api-usage"]
    assert (usage.used, usage.total) == (limits["DailyApiRequests"]["Max"] - limits["DailyApiRequests"]["Remaining"],
                                         15000)
    with pytest.raises(SalesforceMalformedRequest) as bad:
        sf.query("SELECT Nope FROM Contact")
    assert "ERROR at Row:1:Column:8" in bad.value.content[0]["message"]


def test_simple_salesforce_creates_updates_and_reads_basic_information(sealed_sf: tuple[Salesforce, Any]) -> None:
    sf, _ = sealed_sf
    assert sf.Account.metadata()["objectDescribe"]["keyPrefix"] == "001"
    created = sf.Account.create({"Name": "Initech", "Industry": "Technology"})
    assert created["success"] is True and created["errors"] == []
    assert sf.Account.update(created["id"], {"BillingCity": "Austin"}) == 204
    assert sf.Account.get(created["id"])["BillingCity"] == "Austin"
    with pytest.raises(SalesforceMalformedRequest) as missing:
        sf.Contact.create({"Email": "no-name@example.com"})
    assert missing.value.content == [{"message": "Required fields are missing: [LastName]",
                                      "errorCode": "REQUIRED_FIELD_MISSING", "fields": ["LastName"]}]


def test_simple_salesforce_replication_updated_and_deleted(sealed: SealedSalesforce,
                                                           sealed_sf: tuple[Salesforce, Any]) -> None:
    sf, _ = sealed_sf
    now = datetime.fromtimestamp(sealed.backend.state.clock.now(), UTC)
    created = sf.Account.create({"Name": "Replicated"})["id"]
    contact = sf.query("SELECT Id FROM Contact LIMIT 1")["records"][0]["Id"]
    sf.Contact.delete(contact)
    window = (now - timedelta(minutes=5), now + timedelta(minutes=5))
    updated = sf.Account.updated(*window)
    assert created in updated["ids"] and updated["latestDateCovered"].endswith(":00.000+0000")
    deleted = sf.Contact.deleted(*window)
    assert [entry["id"] for entry in deleted["deletedRecords"]] == [contact]
    with pytest.raises(SalesforceMalformedRequest) as old:
        sf.Account.updated(now - timedelta(days=31), now)
    assert old.value.content[0]["errorCode"] == "INVALID_REPLICATION_DATE"


def test_simple_salesforce_search_and_quick_search(sealed_sf: tuple[Salesforce, Any]) -> None:
    sf, seeded = sealed_sf
    account = sf.query("SELECT Id, Name FROM Account LIMIT 1")["records"][0]
    word = account["Name"].split()[0].strip(",")
    found = sf.search(f"FIND {{{word}}} RETURNING Account(Id, Name)")["searchRecords"]
    assert account["Id"] in [r["Id"] for r in found] and all(word.lower() in r["Name"].lower() for r in found)
    people = sf.quick_search("Sealed")["searchRecords"]
    assert [(r["attributes"]["type"], r["Id"]) for r in people] == [("User", seeded.user["id"])]
    with pytest.raises(SalesforceMalformedRequest) as bad:
        sf.search("Sealed")
    assert bad.value.content[0]["errorCode"] == "MALFORMED_SEARCH"


def test_the_versioned_resource_list_walked_with_a_real_client(sealed_sf: tuple[Salesforce, Any]) -> None:
    sf, _ = sealed_sf
    listed = sf.restful("")
    params = {"query": {"q": "SELECT Id FROM Account"}, "queryAll": {"q": "SELECT Id FROM Account"},
              "search": {"q": "FIND {Sealed}"}}
    for name, url in listed.items():
        assert url == f"/services/data/v62.0/{name}"
        answer = sf.restful(name, params=params.get(name))  # raises on any error status
        assert answer, f"{name} answered nothing"
    assert set(listed) == {"sobjects", "query", "queryAll", "search", "limits"}


def test_simple_salesforce_metadata_api_reads_every_type(sealed: SealedSalesforce,
                                                         sealed_sf: tuple[Salesforce, Any]) -> None:
    sf, seeded = sealed_sf
    legacy = sealed.backend.create_app(seeded.org["id"], kind="connected_app", name="Legacy Checks",
                                       callback_urls=["https://172.12.0.1"], scopes=["full", "refresh_token"])
    listed = sf.mdapi.list_metadata([sf.mdapi.ListMetadataQuery(type="ExternalClientApplication")])
    assert [(e.fullName, e.fileName, e.createdById) for e in listed] == [
        ("Client_Checks", "externalClientApps/Client_Checks.eca", seeded.user["id"])]
    assert listed[0].lastModifiedByName == "Sam Sealed" and listed[0].manageableState == "unmanaged"
    application = sf.mdapi.ExternalClientApplication.read(["Client_Checks"])
    assert (application.label, application.distributionState) == ("Client Checks", "Local")
    global_oauth = sf.mdapi.ExtlClntAppGlobalOauthSettings.read(["Client_Checks"])
    assert global_oauth.consumerKey == seeded.app["consumer_key"] and global_oauth.isPkceRequired is False
    settings = sf.mdapi.list_metadata([sf.mdapi.ListMetadataQuery(type="ExtlClntAppOauthSettings")])
    assert [(e.fullName, e.fileName) for e in settings] == [
        ("Client_Checks_oauth", "extlClntAppOauthSettings/Client_Checks_oauth.ecaOauth")]
    assert sf.mdapi.ExtlClntAppOauthSettings.read(["Client_Checks_oauth"]).commaSeparatedOauthScopes == (
        "Full, RefreshToken, OpenID")
    policies = sf.mdapi.ExtlClntAppOauthConfigurablePolicies.read(["Client_Checks"])
    assert policies.permittedUsersPolicyType == "AllSelfAuthorized"
    assert sf.mdapi.ExtlClntAppConfigurablePolicies.read(["Client_Checks"]).isEnabled is True
    connected = sf.mdapi.ConnectedApp.read([legacy["api_name"]])
    assert connected.oauthConfig.consumerKey == legacy["consumer_key"]
    described = {o.xmlName: o for o in sf.mdapi.describe_metadata().metadataObjects}
    assert described["ExternalClientApplication"].suffix == "eca" and "ConnectedApp" in described
    old = Salesforce(instance_url=seeded.tokens["instance_url"], session_id=seeded.tokens["access_token"],
                     version="58.0")
    assert "ExternalClientApplication" not in {o.xmlName for o in old.mdapi.describe_metadata().metadataObjects}
    with pytest.raises(zeep.exceptions.Fault) as refused:
        old.mdapi.ExternalClientApplication.read(["Client_Checks"])
    assert refused.value.code == "sf:INVALID_TYPE"


def test_authlib_introspects_revokes_and_reads_revoke_errors(sealed_sf: tuple[Salesforce, Any]) -> None:
    _, seeded = sealed_sf
    client = AuthlibSession(seeded.app["consumer_key"], seeded.app["consumer_secret"],
                            token_endpoint_auth_method="client_secret_post")
    url = "https://login.salesforce.com/services/oauth2/revoke"
    refused = client.revoke_token(url, token="not-a-token")
    assert refused.status_code == 400
    assert dict(parse_qsl(refused.text)) == {"error": "unsupported_token_type",
                                             "error_description": "this token type is not supported"}
    introspected = client.introspect_token("https://login.salesforce.com/services/oauth2/introspect",
                                           token=seeded.tokens["access_token"]).json()
    assert introspected["active"] is True and introspected["username"] == seeded.user["username"]
    assert client.revoke_token(url, token=seeded.tokens["refresh_token"]).status_code == 200
    sf = Salesforce(instance_url=seeded.tokens["instance_url"], session_id=seeded.tokens["access_token"])
    with pytest.raises(SalesforceExpiredSession):
        sf.limits()


def test_simple_salesforce_soap_login_is_refused_with_a_soap_fault(sealed_sf: tuple[Salesforce, Any]) -> None:
    _, seeded = sealed_sf
    with pytest.raises(SalesforceAuthenticationFailed) as refused:
        Salesforce(username=seeded.user["username"], password="Sealed-pass-1", security_token="")
    assert refused.value.code == "INVALID_OPERATION" and "only the Metadata API" in refused.value.auth_message


def test_simple_salesforce_client_credentials_login(sealed: SealedSalesforce, monkeypatch: pytest.MonkeyPatch,
                                                    sealed_sf: tuple[Salesforce, Any]) -> None:
    _, seeded = sealed_sf
    sealed.backend.update_app(seeded.app["id"], scopes=["api", "refresh_token", "openid"],
                              client_credentials_enabled=True, client_credentials_user=seeded.user["username"])
    domain = f"{seeded.org['name']}.my"
    sf = Salesforce(consumer_key=seeded.app["consumer_key"], consumer_secret=seeded.app["consumer_secret"],
                    domain=domain)
    assert sf.query("SELECT Id FROM User")["records"][0]["Id"] == seeded.user["id"]
    policies = sf.mdapi.ExtlClntAppOauthConfigurablePolicies.read(["Client_Checks_oauthPlcy"])
    assert (policies.isClientCredentialsFlowEnabled, policies.clientCredentialsFlowUser) == (
        True, seeded.user["username"])
    with pytest.raises(SalesforceAuthenticationFailed) as refused:
        Salesforce(consumer_key=seeded.app["consumer_key"], consumer_secret="wrong", domain=domain)
    assert refused.value.code == "invalid_client"


def test_simple_salesforce_jwt_bearer_login(sealed: SealedSalesforce, sealed_sf: tuple[Salesforce, Any]) -> None:
    _, seeded = sealed_sf  # the user approved the app in the browser flow that made this session
    private, certificate = signing_pair()
    sealed.backend.update_app(seeded.app["id"], certificate=certificate)
    sf = Salesforce(username=seeded.user["username"], consumer_key=seeded.app["consumer_key"], privatekey=private,
                    domain="login")
    assert sf.sf_instance == f"{seeded.org['name']}.my.salesforce.com"
    assert sf.User.get(seeded.user["id"])["Username"] == seeded.user["username"]
    assert "BEGIN CERTIFICATE" in sf.mdapi.ExtlClntAppGlobalOauthSettings.read(["Client_Checks_glbloauth"]).certificate
