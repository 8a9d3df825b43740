"""Steps 5 and 6 through the API: callback URL, checklist, authorization, verification and refusals."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from tests.appliance.conftest import authorize, post, to_step5
from tests.appliance.world import Salesforce, StuckAtSalesforce, callback_with_error, follow


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


def test_authorize_url(client: TestClient) -> None:
    to_step5(client)
    post(client, "/wizard/external-client-app", {"consumer_key": "K", "consumer_secret": "S"})
    url = post(client, "/wizard/salesforce", {"environment": "sandbox"})["authorize_url"]
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert (parts.hostname, parts.path) == ("test.salesforce.com", "/services/oauth2/authorize")
    assert query["redirect_uri"] == "https://172.12.0.1" and query["client_id"] == "K"
    assert "scope" not in query and query["response_type"] == "code"
    assert query["state"]


def test_connects_and_keeps_the_connection(client: TestClient, salesforce: Salesforce) -> None:
    to_step5(client)
    outcome = authorize(client, salesforce)
    assert outcome["status"] == "connected" and outcome["org_id"] == salesforce.org_id
    assert outcome["username"] == salesforce.username
    assert client.get("/api/v1/wizard").json()["reached"] == 7
    calls = salesforce.token_calls()
    assert "redirect_uri" in calls[0]["form_keys"] and "client_secret" in calls[0]["form_keys"]
    assert len(salesforce.live_grants()) == 1, "the grant that connected the org is kept"


MISSING = [
    ("full", "Full access (full)"),
    ("refresh_token", "Perform requests at any time (refresh_token, offline_access)"),
    ("openid", "Access unique user identifiers (openid)"),
]


@pytest.mark.parametrize(("scope", "label"), MISSING)
def test_missing_scope_is_refused_by_name(
    client: TestClient, salesforce: Salesforce, scope: str, label: str
) -> None:
    salesforce.change_app(scopes=[s for s in ("full", "refresh_token", "openid", "api") if s != scope])
    to_step5(client)
    outcome = authorize(client, salesforce)
    assert outcome["status"] == "refused" and outcome["error_code"] == "scope_missing"
    assert f'does not grant the "{label}" scope. Add it to Selected OAuth Scopes' in outcome["message"]
    assert client.get("/api/v1/wizard").json()["reached"] == 6
    assert salesforce.live_grants() == [], "the tokens of a refused attempt are revoked"


def test_offline_access_counts_as_refresh_token(client: TestClient, salesforce: Salesforce) -> None:
    salesforce.change_app(scopes=["full", "offline_access", "openid"])
    to_step5(client)
    assert authorize(client, salesforce)["status"] == "connected"


SWITCHES = [
    ("require_secret_web_server", False, "Require Secret for Web Server Flow", "turned off"),
    ("require_secret_refresh", False, "Require Secret for Refresh Token Flow", "turned off"),
]


@pytest.mark.parametrize(("setting", "value", "label", "state"), SWITCHES)
def test_wrong_switch_is_refused_by_name(
    client: TestClient, salesforce: Salesforce, setting: str, value: bool, label: str, state: str
) -> None:
    salesforce.change_app(**{setting: value})
    to_step5(client)
    outcome = authorize(client, salesforce)
    assert outcome["status"] == "refused"
    assert f'has "{label}" {state}' in outcome["message"]
    assert salesforce.live_grants() == []


def test_pkce_required_stops_at_salesforce(client: TestClient, salesforce: Salesforce) -> None:
    salesforce.change_app(require_pkce=True)
    to_step5(client)
    post(client, "/wizard/external-client-app", salesforce.credentials)
    url = post(client, "/wizard/salesforce", {"environment": "production"})["authorize_url"]
    with pytest.raises(StuckAtSalesforce, match="code challenge"):
        salesforce.sign_in(url)
    assert client.get("/api/v1/wizard/salesforce").json()["status"] == "pending"
    assert salesforce.live_grants() == []


def test_pkce_required_is_refused_by_the_appliance_itself(client: TestClient, salesforce: Salesforce) -> None:
    # Salesforce has already issued the code when the switch goes on, so only the appliance's own
    # check of the app's settings can stop it: an appliance that relies on Salesforce connects here.
    to_step5(client)
    post(client, "/wizard/external-client-app", salesforce.credentials)
    url = post(client, "/wizard/salesforce", {"environment": "production"})["authorize_url"]
    back_to_appliance = salesforce.sign_in(url)
    salesforce.change_app(require_pkce=True)
    assert follow(client, back_to_appliance).status_code == 303
    outcome = client.get("/api/v1/wizard/salesforce").json()
    assert outcome["status"] == "refused" and outcome["error_code"] == "pkce_required"
    assert "Require Proof Key for Code Exchange (PKCE)" in outcome["message"]
    assert salesforce.live_grants() == [], "what was obtained is revoked"


def test_refresh_switch_probe_when_the_app_is_not_listed(client: TestClient, salesforce: Salesforce) -> None:
    # A connected app is not listed as an external client app's settings: only the probe can tell.
    salesforce.app = salesforce.new_app(name="Legacy", kind="connected_app", require_secret_refresh=False)
    to_step5(client)
    outcome = authorize(client, salesforce)
    assert outcome["error_code"] == "refresh_secret_not_required"
    assert salesforce.live_grants() == []


def test_failing_refresh_is_refused(client: TestClient, salesforce: Salesforce) -> None:
    salesforce.change_app(refresh_token_policy="ImmediatelyExpire")
    to_step5(client)
    outcome = authorize(client, salesforce)
    assert outcome["error_code"] == "refresh_failed" and "invalid_grant" in outcome["message"]


def test_denied_at_salesforce(client: TestClient, salesforce: Salesforce) -> None:
    to_step5(client)
    outcome = authorize(client, salesforce, approve=False)
    assert outcome["status"] == "error" and outcome["error_code"] == "access_denied"
    assert "(Salesforce: access_denied" in outcome["message"]


@pytest.mark.parametrize("code", ["OAUTH_APP_BLOCKED", "inactive_user", "inactive_org"])
def test_errors_sent_to_the_callback(client: TestClient, salesforce: Salesforce, code: str) -> None:
    to_step5(client)
    post(client, "/wizard/external-client-app", salesforce.credentials)
    url = post(client, "/wizard/salesforce", {"environment": "production"})["authorize_url"]
    follow(client, callback_with_error(url, code, "details"))
    outcome = client.get("/api/v1/wizard/salesforce").json()
    assert outcome["status"] == "error" and outcome["error_code"] == code
    assert f"(Salesforce: {code}: details)" in outcome["message"]


def test_wrong_secret_at_token_endpoint(client: TestClient, salesforce: Salesforce) -> None:
    to_step5(client)
    post(
        client,
        "/wizard/external-client-app",
        {"consumer_key": salesforce.app["consumer_key"], "consumer_secret": "WRONG"},
    )
    url = post(client, "/wizard/salesforce", {"environment": "production"})["authorize_url"]
    follow(client, salesforce.sign_in(url))
    outcome = client.get("/api/v1/wizard/salesforce").json()
    assert outcome["error_code"] == "invalid_client"
    assert outcome["message"].startswith("Salesforce rejected the consumer secret (invalid_client).")


def test_unknown_and_replayed_state_are_refused(client: TestClient, salesforce: Salesforce) -> None:
    to_step5(client)
    forged = client.get("/?code=abc&state=forged")
    assert forged.status_code == 400 and "does not belong to an authorization" in forged.text
    post(client, "/wizard/external-client-app", salesforce.credentials)
    url = post(client, "/wizard/salesforce", {"environment": "production"})["authorize_url"]
    back = salesforce.sign_in(url)
    follow(client, back)
    follow(client, back)
    outcome = client.get("/api/v1/wizard/salesforce").json()
    assert outcome["status"] == "connected", "a replayed answer never overwrites a success"
    assert client.get("/api/v1/wizard").json()["reached"] == 7


def test_custom_domain(client: TestClient, salesforce: Salesforce) -> None:
    to_step5(client)
    post(client, "/wizard/external-client-app", {"consumer_key": "K", "consumer_secret": "S"})
    url = post(
        client,
        "/wizard/salesforce",
        {"environment": "custom", "my_domain": "https://acme.my.salesforce.com/"},
    )["authorize_url"]
    assert urlsplit(url).hostname == "acme.my.salesforce.com"
    post(client, "/wizard/salesforce", {"environment": "custom", "my_domain": "evil/x"}, expect=400)


def test_secrets_never_come_back(client: TestClient, salesforce: Salesforce) -> None:
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
    for text in bodies:
        assert salesforce.app["consumer_secret"] not in text
        assert "5Aep" not in text, "no refresh token is ever shown"


def test_a_callback_in_another_browser_is_refused_and_keeps_the_attempt(
    client: TestClient, salesforce: Salesforce
) -> None:
    to_step5(client)
    post(client, "/wizard/external-client-app", salesforce.credentials)
    url = post(client, "/wizard/salesforce", {"environment": "production"})["authorize_url"]
    back = salesforce.sign_in(url)
    with TestClient(client.app, base_url=str(client.base_url), follow_redirects=False) as stranger:
        follow(stranger, back)
    assert client.get("/api/v1/wizard/salesforce").json()["status"] == "pending"
    assert salesforce.live_grants() == [], "the foreign callback exchanged nothing"
    follow(client, back)
    assert client.get("/api/v1/wizard/salesforce").json()["status"] == "connected"


@pytest.mark.parametrize(("kind", "status"), [("status", "error"), ("drop", "error"), ("maintenance", "error")])
def test_a_failing_metadata_read_revokes_the_tokens(
    client: TestClient, salesforce: Salesforce, kind: str, status: str
) -> None:
    salesforce.control.inject_fault("metadata", kind, count=1)
    to_step5(client)
    outcome = authorize(client, salesforce)
    assert outcome["status"] == status, outcome
    assert salesforce.live_grants() == [], "tokens obtained before the failure are revoked"
    assert client.get("/api/v1/wizard").json()["reached"] == 6


def test_an_answer_after_the_attempt_expired_is_refused(client: TestClient, salesforce: Salesforce) -> None:
    to_step5(client)
    post(client, "/wizard/external-client-app", salesforce.credentials)
    url = post(client, "/wizard/salesforce", {"environment": "production"})["authorize_url"]
    back = salesforce.sign_in(url)
    client.post("/__harness/clock", json={"advance_seconds": 31 * 60})
    follow(client, back)
    outcome = client.get("/api/v1/wizard/salesforce").json()
    assert (outcome["status"], outcome["error_code"]) == ("refused", "state_expired")
    assert salesforce.live_grants() == [], "an expired attempt exchanges nothing"
