"""Steps 5 and 6 through the API: callback URL, checklist, authorization, verification and refusals."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from tests.appliance.conftest import authorize, post, to_step5
from tests.appliance.stub_salesforce import StubSalesforce


def test_step5_shows_callback_url_and_checklist(client: TestClient) -> None:
    to_step5(client)
    view = client.get("/api/v1/wizard/external-client-app").json()
    assert view["callback_url"] == "https://172.12.0.1"
    assert "OAuth scope selected: Access unique user identifiers (openid)" in view["checklist"]
    assert "Turned off: Require Proof Key for Code Exchange (PKCE)" in view["checklist"]


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("acme.internal.com", "https://acme.internal.com"),
        ("acme.internal.com:443", "https://acme.internal.com"),
        ("acme.internal.com:8443", "https://acme.internal.com:8443"),
    ],
)
def test_callback_url_follows_the_host_used(client: TestClient, host: str, expected: str) -> None:
    to_step5(client)
    view = client.get("/api/v1/wizard/external-client-app", headers={"Host": host}).json()
    assert view["callback_url"] == expected


def test_authorize_url(client: TestClient, salesforce: StubSalesforce) -> None:
    to_step5(client)
    post(client, "/wizard/external-client-app", {"consumer_key": "K", "consumer_secret": "S"})
    url = post(client, "/wizard/salesforce", {"environment": "sandbox"})["authorize_url"]
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert (parts.hostname, parts.path) == ("test.salesforce.com", "/services/oauth2/authorize")
    assert query["redirect_uri"] == "https://172.12.0.1" and query["client_id"] == "K"
    assert "scope" not in query and query["response_type"] == "code"
    assert query["state"]


def test_connects_and_keeps_the_connection(client: TestClient, salesforce: StubSalesforce) -> None:
    to_step5(client)
    outcome = authorize(client, salesforce)
    assert outcome["status"] == "connected" and outcome["org_id"] == salesforce.org_id
    assert outcome["username"] == salesforce.username
    assert client.get("/api/v1/wizard").json()["reached"] == 7
    token_calls = [r for r in salesforce.requests if r[1] == "/services/oauth2/token"]
    assert token_calls[0][2]["redirect_uri"] == ["https://172.12.0.1"]
    assert [c[2]["grant_type"][0] for c in token_calls] == ["authorization_code", "refresh_token"]
    assert salesforce.revoked == []


MISSING = [
    ("full", "Full access (full)"),
    ("refresh_token", "Perform requests at any time (refresh_token, offline_access)"),
    ("openid", "Access unique user identifiers (openid)"),
]


@pytest.mark.parametrize(("scope", "label"), MISSING)
def test_missing_scope_is_refused_by_name(
    client: TestClient, salesforce: StubSalesforce, scope: str, label: str
) -> None:
    salesforce.app.scopes.remove(scope)
    to_step5(client)
    outcome = authorize(client, salesforce)
    assert outcome["status"] == "refused" and outcome["error_code"] == "scope_missing"
    assert f'does not grant the "{label}" scope. Add it to Selected OAuth Scopes' in outcome["message"]
    assert client.get("/api/v1/wizard").json()["reached"] == 6
    assert salesforce.revoked, "the tokens of a refused attempt are revoked"


def test_offline_access_counts_as_refresh_token(client: TestClient, salesforce: StubSalesforce) -> None:
    salesforce.app.scopes = ["full", "offline_access", "openid", "refresh_token"]
    to_step5(client)
    assert authorize(client, salesforce)["status"] == "connected"


SWITCHES = [
    ("require_secret_web_server", False, "Require Secret for Web Server Flow", "turned off"),
    ("require_secret_refresh", False, "Require Secret for Refresh Token Flow", "turned off"),
    ("require_pkce", True, "Require Proof Key for Code Exchange (PKCE)", "turned on"),
]


@pytest.mark.parametrize(("attr", "value", "label", "state"), SWITCHES)
def test_wrong_switch_is_refused_by_name(
    client: TestClient, salesforce: StubSalesforce, attr: str, value: bool, label: str, state: str
) -> None:
    setattr(salesforce.app, attr, value)
    to_step5(client)
    outcome = authorize(client, salesforce)
    assert outcome["status"] == "refused"
    assert f'has "{label}" {state}' in outcome["message"]
    assert salesforce.revoked


def test_refresh_switch_probe_when_metadata_listing_is_unavailable(
    client: TestClient, salesforce: StubSalesforce
) -> None:
    salesforce.metadata_listing = False
    salesforce.app.require_secret_refresh = False
    to_step5(client)
    outcome = authorize(client, salesforce)
    assert outcome["error_code"] == "refresh_secret_not_required"


def test_no_refresh_token_is_refused(client: TestClient, salesforce: StubSalesforce) -> None:
    salesforce.app.issue_refresh_token = False
    to_step5(client)
    assert authorize(client, salesforce)["error_code"] == "refresh_token_missing"


def test_failing_refresh_is_refused(client: TestClient, salesforce: StubSalesforce) -> None:
    salesforce.app.refresh_works = False
    to_step5(client)
    outcome = authorize(client, salesforce)
    assert outcome["error_code"] == "refresh_failed" and "invalid_grant" in outcome["message"]


@pytest.mark.parametrize("code", ["access_denied", "OAUTH_APP_BLOCKED", "inactive_user", "inactive_org"])
def test_errors_sent_to_the_callback(client: TestClient, salesforce: StubSalesforce, code: str) -> None:
    to_step5(client)
    outcome = authorize(client, salesforce, error=code, description="details")
    assert outcome["status"] == "error" and outcome["error_code"] == code
    assert f"(Salesforce: {code}: details)" in outcome["message"]


def test_wrong_secret_at_token_endpoint(client: TestClient, salesforce: StubSalesforce) -> None:
    to_step5(client)
    post(
        client,
        "/wizard/external-client-app",
        {"consumer_key": salesforce.app.consumer_key, "consumer_secret": "WRONG"},
    )
    url = post(client, "/wizard/salesforce", {"environment": "production"})["authorize_url"]
    client.get(salesforce.authorize(url))
    outcome = client.get("/api/v1/wizard/salesforce").json()
    assert outcome["error_code"] == "invalid_client"
    assert outcome["message"].startswith("Salesforce rejected the consumer secret (invalid_client).")


def test_unknown_and_replayed_state_are_refused(client: TestClient, salesforce: StubSalesforce) -> None:
    to_step5(client)
    forged = client.get("/?code=abc&state=forged")
    assert forged.status_code == 400 and "does not belong to an authorization" in forged.text
    post(
        client,
        "/wizard/external-client-app",
        {"consumer_key": salesforce.app.consumer_key, "consumer_secret": salesforce.app.consumer_secret},
    )
    url = post(client, "/wizard/salesforce", {"environment": "production"})["authorize_url"]
    back = salesforce.authorize(url)
    client.get(back)
    client.get(back)
    outcome = client.get("/api/v1/wizard/salesforce").json()
    assert outcome["error_code"] == "state_replayed"


def test_custom_domain(client: TestClient, salesforce: StubSalesforce) -> None:
    to_step5(client)
    post(client, "/wizard/external-client-app", {"consumer_key": "K", "consumer_secret": "S"})
    url = post(
        client,
        "/wizard/salesforce",
        {"environment": "custom", "my_domain": "https://acme.my.salesforce.com/"},
    )["authorize_url"]
    assert urlsplit(url).hostname == "acme.my.salesforce.com"
    post(client, "/wizard/salesforce", {"environment": "custom", "my_domain": "evil/x"}, expect=400)


def test_secrets_never_come_back(client: TestClient, salesforce: StubSalesforce) -> None:
    to_step5(client)
    authorize(client, salesforce)
    post(client, "/wizard/schedule", {"schedule": "Weekly"})
    bodies = [
        client.get(p).text
        for p in (
            "/api/v1/wizard",
            "/api/v1/wizard/external-client-app",
            "/api/v1/wizard/salesforce",
            "/api/v1/wizard/summary",
            "/wizard/external-client-app",
            "/wizard/summary",
        )
    ]
    bodies.append(post(client, "/wizard/finish").__repr__())
    tokens = salesforce.refresh_tokens
    for text in bodies:
        assert salesforce.app.consumer_secret not in text
        assert not any(t in text for t in tokens)
