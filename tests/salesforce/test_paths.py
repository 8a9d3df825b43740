"""Leading slashes are folded for REST, SOAP, OAuth and identity paths; a doubled slash inside stays a 404.

A client that keeps ``https://x.my.salesforce.com/`` as its instance URL (the ``sf`` CLI after
``org login access-token``) asks for ``//services/...`` (docs/salesforce-facts.md 3.9).
"""

from __future__ import annotations

from harness.salesforce.slashes import folded

from .support import World


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_folding_touches_only_the_leading_run() -> None:
    assert folded("///services/data//v60.0") == "/services/data//v60.0"
    assert (folded("/services/data"), folded("/"), folded("//")) == ("/services/data", "/", "/")


def test_rest_and_soap_answer_under_a_leading_double_slash(world: World) -> None:
    tokens = world.tokens()
    base, auth = tokens["instance_url"] + "/", _auth(tokens["access_token"])
    org = world.client.get(f"{base}/services/data/v60.0/sobjects/Organization/{world.org['id']}", headers=auth)
    assert org.status_code == 200 and org.json()["Id"] == world.org["id"]
    listed = world.client.get(f"{base}//services/data/v60.0/query", params={"q": "SELECT Id FROM Account"},
                              headers=auth)
    assert listed.status_code == 200 and listed.json()["totalSize"] == 5
    envelope = ('<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env='
                '"http://schemas.xmlsoap.org/soap/envelope/"><env:Header><SessionHeader xmlns='
                f'"http://soap.sforce.com/2006/04/metadata"><sessionId>{tokens["access_token"]}</sessionId>'
                '</SessionHeader></env:Header><env:Body><describeMetadata xmlns="http://soap.sforce.com/2006/04/'
                'metadata"><asOfVersion>60.0</asOfVersion></describeMetadata></env:Body></env:Envelope>')
    soap = world.client.post(f"{base}/services/Soap/m/60.0", content=envelope,
                             headers={"Content-Type": "text/xml", "SOAPAction": '""'})
    assert soap.status_code == 200 and "<xmlName>ApexClass</xmlName>" in soap.text
    paths = [entry["path"] for entry in world.backend.requests()][-3:]
    assert paths[0].startswith("/services/data/v60.0/sobjects/Organization/") and paths[2] == "/services/Soap/m/60.0"


def test_an_unauthenticated_leading_double_slash_is_the_rest_session_error(world: World) -> None:
    answer = world.client.get("https://acme.my.salesforce.com//services/data/v60.0/sobjects")
    assert answer.status_code == 401 and answer.json()[0]["errorCode"] == "INVALID_SESSION_ID"


def test_oauth_and_identity_under_a_leading_double_slash(world: World) -> None:
    tokens = world.tokens()
    info = world.client.get("https://acme.my.salesforce.com//services/oauth2/userinfo",
                            headers=_auth(tokens["access_token"]))
    assert info.status_code == 200 and info.json()["user_id"] == world.user["id"]
    identity = world.client.get(tokens["id"].replace("/id/", "//id/"), headers=_auth(tokens["access_token"]))
    assert identity.status_code == 200 and identity.json()["username"] == world.user["username"]
    refreshed = world.client.post("https://login.salesforce.com//services/oauth2/token", data={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
        "client_id": world.app["consumer_key"], "client_secret": world.app["consumer_secret"]})
    assert refreshed.status_code == 200 and refreshed.json()["access_token"] != tokens["access_token"]


def test_a_doubled_slash_inside_the_path_is_still_not_found(world: World) -> None:
    tokens = world.tokens()
    answer = world.client.get(f"{tokens['instance_url']}/services/data/v60.0//sobjects",
                              headers=_auth(tokens["access_token"]))
    assert answer.status_code == 404 and answer.json()[0]["errorCode"] == "NOT_FOUND"
