"""Revoke, userinfo, the identity URL, discovery, JWKS and the REST API."""

from __future__ import annotations

from .support import World

INVALID_SESSION = [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_revoke_access_token_by_post_and_refresh_token_by_get(world: World) -> None:
    body = world.tokens()
    url = "https://login.salesforce.com/services/oauth2/revoke"
    assert world.client.post(url, data={"token": body["access_token"]}).status_code == 200
    assert (
        world.client.get(
            f"{body['instance_url']}/services/data/v60.0/sobjects", headers=_auth(body["access_token"])
        ).status_code
        == 401
    )
    second = world.tokens()
    assert world.client.get(url, params={"token": second["refresh_token"]}).status_code == 200
    assert (
        world.client.get(
            f"{body['instance_url']}/services/data/v60.0/sobjects", headers=_auth(second["access_token"])
        ).status_code
        == 401
    )
    failed = world.client.post(url, data={"token": "nope"})
    assert failed.status_code == 400
    assert failed.text == "error=unsupported_token_type&error_description=this%20token%20type%20is%20not%20supported"
    again = world.client.post(url, data={"token": body["access_token"]}, headers={"Accept": "application/json"})
    assert again.status_code == 400
    assert again.json() == {"error": "unsupported_token_type", "error_description": "this token type is not supported"}
    missing = world.client.post(url, data={}, headers={"Accept": "application/json"})
    assert missing.json() == {"error": "invalid_token", "error_description": "invalid token"}


def test_userinfo_and_identity_url(world: World) -> None:
    body = world.tokens()
    info = world.client.get(
        f"{body['instance_url']}/services/oauth2/userinfo", headers=_auth(body["access_token"])
    )
    assert info.json()["preferred_username"] == world.user["username"]
    assert info.json()["organization_id"] == world.org["id"]
    identity = world.client.get(body["id"], headers=_auth(body["access_token"]), params={"version": "60.0"})
    data = identity.json()
    assert data["id"] == body["id"] and data["user_id"] == world.user["id"] and data["username"]
    assert data["urls"]["rest"] == "https://acme.my.salesforce.com/services/data/v60.0/"
    bad = world.client.get(body["id"], headers=_auth("nope"))
    assert bad.status_code == 403 and bad.text == "Bad_OAuth_Token"


def test_discovery_and_keys(world: World) -> None:
    config = world.client.get("/.well-known/openid-configuration").json()
    assert config["issuer"] == "https://login.salesforce.com"
    assert config["id_token_signing_alg_values_supported"] == ["RS256"]
    assert config["response_types_supported"] == ["code", "token", "token id_token"]
    assert {"full", "refresh_token", "offline_access", "openid"} <= set(config["scopes_supported"])
    key = world.client.get(config["jwks_uri"]).json()["keys"][0]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and "d" not in key


def test_versions_need_no_token(world: World) -> None:
    versions = world.client.get("https://acme.my.salesforce.com/services/data/").json()
    assert versions[-1] == {"label": "Spring '26", "url": "/services/data/v66.0", "version": "66.0"}
    assert {"label": "Spring '24", "url": "/services/data/v60.0", "version": "60.0"} in versions


def test_rest_needs_a_live_token_on_the_my_domain_host(world: World) -> None:
    body = world.tokens()
    path = "/services/data/v60.0/sobjects"
    assert world.client.get(f"{body['instance_url']}{path}").json() == INVALID_SESSION
    wrong_host = world.client.get(f"https://login.salesforce.com{path}", headers=_auth(body["access_token"]))
    assert wrong_host.status_code == 401
    world.backend.advance_clock(2 * 3600 + 1)
    expired = world.client.get(f"{body['instance_url']}{path}", headers=_auth(body["access_token"]))
    assert expired.status_code == 401 and expired.json() == INVALID_SESSION


def test_sobjects_and_describe(world: World) -> None:
    body = world.tokens()
    base = f"{body['instance_url']}/services/data/v60.0"
    names = [
        o["name"]
        for o in world.client.get(f"{base}/sobjects", headers=_auth(body["access_token"])).json()["sobjects"]
    ]
    assert {"Account", "Contact", "Opportunity"} <= set(names)
    described = world.client.get(
        f"{base}/sobjects/Account/describe", headers=_auth(body["access_token"])
    ).json()
    assert described["name"] == "Account" and "Name" in [f["name"] for f in described["fields"]]
    missing = world.client.get(f"{base}/sobjects/Nope/describe", headers=_auth(body["access_token"]))
    assert missing.status_code == 404 and missing.json()[0]["errorCode"] == "NOT_FOUND"
    assert (
        world.client.get(
            f"{body['instance_url']}/services/data/v12.0/sobjects", headers=_auth(body["access_token"])
        ).status_code
        == 404
    )


def test_query_pages_with_next_records_url(world: World) -> None:
    org = world.backend.create_org(name="big", records=450)
    user = world.backend.create_user(org["id"], username="a@big.example.com", password="b-Pass-1")
    app = world.backend.create_app(
        org["id"], name="Big", callback_urls=["https://172.12.0.1"], scopes=["full"]
    )
    response = world.walk(
        world.authorize_url(client_id=app["consumer_key"]), username=user["username"], password="b-Pass-1"
    )
    code = response.headers["location"].split("code=")[1].split("&")[0]
    from urllib.parse import unquote

    token = world.client.post(
        "https://login.salesforce.com/services/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": unquote(code),
            "client_id": app["consumer_key"],
            "client_secret": app["consumer_secret"],
            "redirect_uri": "https://172.12.0.1",
        },
    ).json()
    headers = {**_auth(token["access_token"]), "Sforce-Query-Options": "batchSize=200"}
    page = world.client.get(
        f"{token['instance_url']}/services/data/v60.0/query",
        params={"q": "SELECT Id, Name FROM Account"},
        headers=headers,
    ).json()
    seen = list(page["records"])
    assert page["totalSize"] == 450 and not page["done"]
    while not page["done"]:
        page = world.client.get(f"{token['instance_url']}{page['nextRecordsUrl']}", headers=headers).json()
        seen += page["records"]
    assert len({r["Id"] for r in seen}) == 450
    assert seen[0]["attributes"]["type"] == "Account" and set(seen[0]) == {"attributes", "Id", "Name"}


def test_query_features_and_errors(world: World) -> None:
    body = world.tokens()
    url = f"{body['instance_url']}/services/data/v60.0/query/"

    def run(q: str) -> object:
        return world.client.get(url, params={"q": q}, headers=_auth(body["access_token"]))

    assert run("SELECT COUNT() FROM Contact").json()["totalSize"] == 5  # type: ignore[attr-defined]
    users = run(f"SELECT Id, Username FROM User WHERE Username = '{world.user['username']}'").json()  # type: ignore[attr-defined]
    assert users["records"][0]["Id"] == world.user["id"]
    ordered = run("SELECT Name FROM Account ORDER BY Name DESC LIMIT 3").json()["records"]  # type: ignore[attr-defined]
    assert len(ordered) == 3 and ordered == sorted(ordered, key=lambda r: r["Name"], reverse=True)
    assert run("SELECT Nope FROM Account").json()[0]["errorCode"] == "INVALID_FIELD"  # type: ignore[attr-defined]
    assert run("SELECT Id FROM Nope").json()[0]["errorCode"] == "INVALID_TYPE"  # type: ignore[attr-defined]
    assert run("DELETE Account").json()[0]["errorCode"] == "MALFORMED_QUERY"  # type: ignore[attr-defined]


def test_records_are_deterministic_for_a_seed(world: World) -> None:
    from harness.salesforce import SalesforceBackend

    def names(seed: int) -> list[str]:
        other = SalesforceBackend(seed=seed)
        org = other.create_org(name="acme", records=3)
        return [r["Name"] for r in other.state.orgs[org["id"]].records["Account"]]

    assert names(1) == names(1) and names(1) != names(2)


def test_introspection_describes_the_apps_own_live_tokens(world: World) -> None:
    body = world.tokens()
    url = "https://login.salesforce.com/services/oauth2/introspect"
    credentials = {"client_id": world.app["consumer_key"], "client_secret": world.app["consumer_secret"]}
    access = world.client.post(url, data={"token": body["access_token"], **credentials}).json()
    assert access["active"] is True and access["token_type"] == "access_token"
    assert (access["username"], access["sub"], access["client_id"]) == (
        world.user["username"], body["id"], world.app["consumer_key"])
    assert access["exp"] - access["iat"] == 2 * 3600 and access["scope"] == "full refresh_token openid"
    refresh = world.client.post(url, data={"token": body["refresh_token"], **credentials}).json()
    assert refresh["active"] is True and refresh["token_type"] == "refresh_token" and "exp" not in refresh
    assert world.client.post(url, data={"token": "nope", **credentials}).json() == {"active": False}
    other = world.backend.create_app(world.org["id"], name="Other", callback_urls=["https://x.example.com"],
                                     scopes=["api"])
    foreign = world.client.post(url, data={"token": body["access_token"], "client_id": other["consumer_key"],
                                           "client_secret": other["consumer_secret"]})
    assert foreign.json() == {"active": False}
    refused = world.client.post(url, data={"token": body["access_token"], "client_id": world.app["consumer_key"],
                                           "client_secret": "wrong"})
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"


def test_identity_and_userinfo_carry_the_documented_fields(world: World) -> None:
    body = world.tokens()
    identity = world.client.get(body["id"], headers=_auth(body["access_token"])).json()
    documented = {"id", "asserted_user", "user_id", "organization_id", "username", "nick_name", "display_name",
                  "email", "email_verified", "first_name", "last_name", "timezone", "photos", "addr_street",
                  "addr_city", "addr_state", "addr_country", "addr_zip", "mobile_phone", "mobile_phone_verified",
                  "is_lightning_login_user", "status", "urls", "active", "user_type", "language", "locale",
                  "utcOffset", "last_modified_date", "is_app_installed"}
    assert documented <= set(identity)
    # America/Los_Angeles: -8 h in winter, -7 h in summer, in milliseconds.
    assert identity["utcOffset"] in (-28800000, -25200000) and identity["is_app_installed"] is True
    assert identity["last_modified_date"].endswith(".000+0000")
    assert {"tooling_rest", "tooling_soap", "custom_domain"} <= set(identity["urls"])
    world.backend.state.users[world.user["id"]].timezone = "Asia/Kolkata"  # the control API cannot set it
    again = world.client.get(body["id"], headers=_auth(body["access_token"])).json()
    assert again["utcOffset"] == 19800000
    info = world.client.get("https://acme.my.salesforce.com/services/oauth2/userinfo",
                            headers=_auth(body["access_token"])).json()
    assert {"utcOffset", "updated_at", "is_app_installed", "photos", "picture", "profile", "address"} <= set(info)
    assert info["utcOffset"] == 19800000 and info["updated_at"].endswith("Z")
