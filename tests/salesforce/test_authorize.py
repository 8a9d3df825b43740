"""The authorize endpoint, login and consent: each outcome where Salesforce shows it."""

from __future__ import annotations

from harness.drivers.page_objects.salesforce import parse_error_text, parse_form

from .support import CALLBACK, SECOND_CALLBACK, World, pkce_pair, query_of


def _page_error(response) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 400
    assert "text/html" in response.headers["content-type"]
    assert "location" not in response.headers
    text = response.text.split('id="oauth-error">')[1].split("<")[0].replace("&amp;", "&")
    return parse_error_text(text)


def test_success_redirects_with_code_and_state(world: World) -> None:
    response = world.walk(world.authorize_url())
    location = response.headers["location"]
    assert location.startswith(f"{CALLBACK}?code=")
    assert query_of(location)["state"] == "s-1"


def test_second_callback_url_matches(world: World) -> None:
    response = world.walk(world.authorize_url(redirect_uri=SECOND_CALLBACK))
    assert response.headers["location"].startswith(f"{SECOND_CALLBACK}?code=")


def test_unknown_client_id_is_an_error_page_without_redirect(world: World) -> None:
    response = world.client.get(world.authorize_url(client_id="3MVG9nope"))
    assert _page_error(response) == ("invalid_client_id", "client identifier invalid")
    assert "error=invalid_client_id&amp;error_description=client%20identifier%20invalid" in response.text


def test_oauth_disabled_is_invalid_client_id(world: World) -> None:
    world.backend.update_app(world.app["id"], oauth_enabled=False)
    assert _page_error(world.client.get(world.authorize_url()))[0] == "invalid_client_id"


def test_callback_mismatch_is_an_error_page(world: World) -> None:
    for wrong in (
        f"{CALLBACK}/",
        "http://172.12.0.1",
        "https://172.12.0.1:8443",
        "https://acme.internal.com/x",
    ):
        response = world.client.get(world.authorize_url(redirect_uri=wrong))
        assert _page_error(response) == ("redirect_uri_mismatch", "redirect_uri must match configuration")


def test_missing_callback_is_an_error_page(world: World) -> None:
    response = world.client.get(world.authorize_url(redirect_uri=None))
    assert _page_error(response) == ("redirect_uri_missing", "redirect_uri not provided")


def test_pkce_required_without_challenge_is_a_direct_400(world: World) -> None:
    world.backend.update_app(world.app["id"], require_pkce=True)
    response = world.client.get(world.authorize_url())
    assert response.status_code == 400 and "location" not in response.headers
    assert response.json() == {
        "error": "invalid_request",
        "error_description": "missing required code challenge",
    }


def test_pkce_required_with_challenge_proceeds(world: World) -> None:
    world.backend.update_app(world.app["id"], require_pkce=True)
    _, challenge = pkce_pair()
    response = world.walk(world.authorize_url(code_challenge=challenge, code_challenge_method="S256"))
    assert "code" in query_of(response.headers["location"])


def test_login_page_is_a_plain_form(world: World) -> None:
    response = world.client.get(world.authorize_url(login_hint="someone@acme.example.com"))
    assert response.status_code == 302 and response.headers["location"].startswith("/?")
    page = world.client.get(response.headers["location"])
    action, method, fields = parse_form(page.text)  # type: ignore[misc]
    assert (action, method) == ("/", "post")
    assert set(fields) == {"username", "pw", "startURL"}
    assert fields["username"] == "someone@acme.example.com"
    assert (
        ">Username</label>" in page.text
        and ">Password</label>" in page.text
        and ">Log In</button>" in page.text
    )


def test_bad_password_shows_the_login_page_again(world: World) -> None:
    response = world.walk(world.authorize_url(), password="wrong")
    assert response.status_code == 200
    assert 'role="alert"' in response.text and "Please check your username and password" in response.text


def test_sandbox_user_cannot_log_in_at_login_host(world: World) -> None:
    sandbox = world.backend.create_org(name="acme", sandbox="dev")
    user = world.backend.create_user(
        sandbox["id"], username="admin@acme.example.com.dev", password="x-Pass-1"
    )
    response = world.walk(world.authorize_url(), username=user["username"], password="x-Pass-1")
    assert "Please check your username and password" in response.text


def test_consent_page_lists_scope_labels_and_carries_the_request(world: World) -> None:
    first = world.client.get(world.authorize_url())
    page = world.client.get(first.headers["location"])
    form = parse_form(page.text)
    assert form is not None
    login = world.client.post(
        form[0], data={**form[2], "username": world.user["username"], "pw": world.user["password"]}
    )
    consent = world.client.get(login.headers["location"])
    assert "Allow Access?" in consent.text
    for label in (
        "Full access (full)",
        "Perform requests at any time (refresh_token, offline_access)",
        "Access unique user identifiers (openid)",
    ):
        assert label in consent.text
    action, method, fields = parse_form(consent.text)  # type: ignore[misc]
    assert fields["client_id"] == world.app["consumer_key"] and fields["state"] == "s-1"
    assert '<button type="submit" name="decision" value="allow">Allow</button>' in consent.text
    assert '<button type="submit" name="decision" value="deny">Deny</button>' in consent.text


def test_deny_redirects_access_denied(world: World) -> None:
    response = world.walk(world.authorize_url(), decision="deny")
    assert response.headers["location"] == (
        f"{CALLBACK}?error=access_denied&error_description=end-user+denied+authorization&state=s-1"
    )


def test_consent_is_skipped_after_approval_and_when_preauthorized(world: World) -> None:
    world.code()
    second = world.client.get(world.authorize_url())  # session cookie + earlier approval
    assert second.status_code == 302 and "code=" in second.headers["location"]
    other = world.backend.create_app(
        world.org["id"],
        name="Other",
        callback_urls=[CALLBACK],
        scopes=["full"],
        permitted_users="AdminApprovedPreAuthorized",
    )
    response = world.client.get(world.authorize_url(client_id=other["consumer_key"]))
    assert "code=" in response.headers["location"]


def test_prompt_consent_and_prompt_login_force_the_pages(world: World) -> None:
    world.code()
    consent = world.client.get(world.authorize_url(prompt="consent"))
    assert "Allow Access?" in consent.text
    login = world.client.get(world.authorize_url(prompt="login"))
    assert login.headers["location"].startswith("/?")
    assert "code=" in world.walk(world.authorize_url(prompt="login")).headers["location"]


def test_immediate_without_session_is_immediate_unsuccessful(world: World) -> None:
    response = world.client.get(world.authorize_url(immediate="true"))
    assert query_of(response.headers["location"])["error"] == "immediate_unsuccessful"


def test_blocked_app_redirects_oauth_app_blocked(world: World) -> None:
    world.backend.update_app(world.app["id"], blocked=True)
    location = world.walk(world.authorize_url()).headers["location"]
    assert query_of(location) == {
        "error": "OAUTH_APP_BLOCKED",
        "error_description": "this app is blocked by admin",
        "state": "s-1",
    }


def test_preauthorized_app_blocks_users_without_the_profile(world: World) -> None:
    world.backend.update_app(world.app["id"], permitted_users="AdminApprovedPreAuthorized")
    user = world.backend.create_user(
        world.org["id"], username="std@acme.example.com", password="p-Ass-1", profile="Standard User"
    )
    location = world.walk(world.authorize_url(), username=user["username"], password="p-Ass-1").headers[
        "location"
    ]
    assert query_of(location)["error"] == "OAUTH_APP_BLOCKED"


def test_inactive_user_and_org_are_redirected(world: World) -> None:
    world.backend.update_user(world.org["id"], world.user["id"], active=False)
    assert query_of(world.walk(world.authorize_url()).headers["location"])["error"] == "inactive_user"
    world.backend.update_org(world.org["id"], active=False)
    location = world.client.get(world.authorize_url()).headers["location"]
    assert query_of(location) == {
        "error": "inactive_org",
        "error_description": "org locked, closed or suspended",
        "state": "s-1",
    }


def test_scope_outside_the_app_redirects_invalid_scope(world: World) -> None:
    location = world.client.get(world.authorize_url(scope="full api")).headers["location"]
    assert query_of(location)["error"] == "invalid_scope"


def test_unsupported_response_type_is_redirected(world: World) -> None:
    location = world.client.get(world.authorize_url(response_type="token")).headers["location"]
    assert query_of(location)["error"] == "unsupported_response_type"


def test_local_app_of_another_org_is_not_installed(world: World) -> None:
    other = world.backend.create_org(name="globex")
    user = world.backend.create_user(other["id"], username="root@globex.example.com", password="g-Pass-1")
    location = world.walk(world.authorize_url(), username=user["username"], password="g-Pass-1").headers[
        "location"
    ]
    assert query_of(location)["error"] == "OAUTH_EC_APP_NOT_FOUND"
    legacy = world.backend.create_app(
        world.org["id"], kind="connected_app", name="Legacy", callback_urls=[CALLBACK], scopes=["full"]
    )
    response = world.walk(
        world.authorize_url(client_id=legacy["consumer_key"]), username=user["username"], password="g-Pass-1"
    )
    assert "code" in query_of(response.headers["location"])


def test_my_domain_and_sandbox_hosts_serve_their_own_users(world: World) -> None:
    host = world.org["my_domain_host"]
    response = world.walk(world.authorize_url(host=host))
    assert "code" in query_of(response.headers["location"])
    sandbox = world.backend.create_org(name="acme", sandbox="uat")
    assert sandbox["my_domain_host"] == "acme--uat.sandbox.my.salesforce.com"
    user = world.backend.create_user(
        sandbox["id"], username="admin@acme.example.com.uat", password="u-Pass-1"
    )
    app = world.backend.create_app(sandbox["id"], name="Sbx", callback_urls=[CALLBACK], scopes=["full"])
    response = world.walk(
        world.authorize_url(host="test.salesforce.com", client_id=app["consumer_key"]),
        username=user["username"],
        password="u-Pass-1",
    )
    assert "code" in query_of(response.headers["location"])


def test_unknown_host_is_not_served(world: World) -> None:
    assert world.client.get("https://nobody.my.salesforce.com/services/oauth2/authorize").status_code == 404
