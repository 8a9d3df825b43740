"""The HTML face: forms with CSRF, labels the page objects rely on, escaping, same state as the API."""

from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

from tests.appliance.conftest import ADMIN, post
from tests.appliance.world import Salesforce, callback_with_error, follow


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "every form carries a CSRF token"
    return match.group(1)


def submit(client: TestClient, path: str, data: dict[str, Any], files: Any = None) -> Any:
    token = csrf(client.get(path).text)
    return client.post(path, data={"csrf_token": token, **data}, files=files)


def wizard_to_step5(client: TestClient) -> None:
    assert (
        submit(client, "/wizard/license", {"accepted": "yes"}).headers["location"] == "/wizard/administrator"
    )
    submit(client, "/wizard/administrator", {"username": ADMIN[0], "password": ADMIN[1]})
    submit(client, "/wizard/database", {"kind": "sqlite"})
    response = submit(client, "/wizard/license-file", {"license_kind": "trial"}, files={"x": ("", b"")})
    assert response.headers["location"] == "/wizard/external-client-app"


def test_step5_page(client: TestClient) -> None:
    wizard_to_step5(client)
    html = client.get("/wizard/external-client-app", headers={"Host": "acme.internal.com"}).text
    assert "<h1>Create External Client App</h1>" in html
    assert '<label for="callback-url">Callback URL</label>' in html
    assert re.search(r'id="callback-url"[^>]*readonly value="https://acme.internal.com"', html)
    assert ">Copy</button>" in html
    assert '<label for="consumer-key">Consumer Key</label>' in html
    assert '<label for="consumer-secret">Consumer Secret</label>' in html
    assert "Turned on: Require Secret for Refresh Token Flow" in html


def test_form_without_csrf_is_refused(client: TestClient) -> None:
    response = client.post("/wizard/license", data={"accepted": "yes"})
    assert response.status_code == 403
    assert client.get("/api/v1/wizard").json()["step"] == 1


def test_error_is_an_alert_and_keeps_entries(client: TestClient) -> None:
    submit(client, "/wizard/license", {"accepted": "yes"})
    response = submit(client, "/wizard/administrator", {"username": "someone", "password": "weak"})
    assert response.status_code == 400 and 'role="alert"' in response.text
    assert "at least 8 characters" in response.text


def test_browser_flow_reaches_the_state_the_api_reaches(
    client: TestClient, salesforce: Salesforce
) -> None:
    wizard_to_step5(client)
    submit(
        client,
        "/wizard/external-client-app",
        salesforce.credentials,
    )
    go = submit(client, "/wizard/salesforce", {"action": "authorize", "environment": "production"})
    assert go.status_code == 303 and go.headers["location"].startswith("https://login.salesforce.com/")
    assert follow(client, salesforce.sign_in(go.headers["location"])).headers["location"] == "/wizard/salesforce"
    page = client.get("/wizard/salesforce").text
    assert 'role="status"' in page and salesforce.org_id in page
    assert submit(client, "/wizard/salesforce", {"action": "next"}).headers["location"] == "/wizard/schedule"
    submit(client, "/wizard/schedule", {"schedule": "Weekly"})
    assert "<dd>Weekly</dd>" in client.get("/wizard/summary").text
    assert submit(client, "/wizard/summary", {"action": "finish"}).headers["location"] == "/login?finished=1"
    login = submit(client, "/login", {"username": ADMIN[0], "password": ADMIN[1]})
    cookie = login.headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    orgs = client.get("/configuration/orgs").text
    for column in ("Salesforce Alias", "Organization ID", "Status", "External Client App"):
        assert f'<th scope="col">{column}</th>' in orgs
    assert "Connected" in orgs
    assert client.get("/api/v1/policies").json()[0]["schedule"] == "Weekly"


def test_hostile_error_description_is_escaped(client: TestClient, salesforce: Salesforce) -> None:
    wizard_to_step5(client)
    post(
        client,
        "/wizard/external-client-app",
        salesforce.credentials,
    )
    url = post(client, "/wizard/salesforce", {"environment": "production"})["authorize_url"]
    follow(client, callback_with_error(url, "access_denied", "<script>alert(1)</script>"))
    page = client.get("/wizard/salesforce").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_hostile_host_header_is_refused(client: TestClient) -> None:
    wizard_to_step5(client)
    response = client.get("/api/v1/wizard/external-client-app", headers={"Host": "evil.example/<x>"})
    assert response.status_code == 400


def test_wizard_pages_redirect_to_the_current_step(client: TestClient) -> None:
    assert client.get("/wizard/summary").headers["location"] == "/wizard/license"
    assert client.get("/").headers["location"] == "/wizard/license", "the address itself leads to the step"


def test_back_button(client: TestClient) -> None:
    wizard_to_step5(client)
    token = csrf(client.get("/wizard/external-client-app").text)
    back = client.post("/wizard/external-client-app/back", data={"csrf_token": token})
    assert back.headers["location"] == "/wizard/license-file"
    assert client.get("/api/v1/wizard").json()["step"] == 4
    assert 'value="admin"' in client.get("/wizard/administrator").text
