"""Steps that act as an OAuth client other than the appliance, to check what Salesforce itself enforces.

A switch or callback rule enforced only by the appliance would pass every scenario that goes through
the appliance; these steps go to Salesforce's token endpoint directly (harness/drivers/oauth_client.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_bdd import parsers, then, when

from harness.drivers.oauth_client import TOKEN_PARTS, OAuthClient, TokenAnswer, callback_params
from steps.salesforce_steps import App, Org

ANSWERS = {"refuses": False, "accepts": True}


@pytest.fixture
def oauth_client(request: pytest.FixtureRequest, app: App) -> Iterator[OAuthClient]:
    """A client with a cookie jar of its own, so it never shares a Salesforce session with the administrator."""
    with request.getfixturevalue("reference").client() as http:
        yield OAuthClient(http, app.consumer_key, app.consumer_secret)


def _accepted(answer: str) -> bool:
    if answer not in ANSWERS:
        raise ValueError(f'the answer must be "refuses" or "accepts", not "{answer}"')
    return ANSWERS[answer]


@when("another OAuth client gets an authorization code for the app as the org's user", target_fixture="oauth_code")
def _(oauth_client: OAuthClient, app: App, org: Org) -> str:
    """Signs in and allows access at Salesforce with the app's first callback URL."""
    return oauth_client.authorization_code(org.user, app.callback_urls[0])


@when("another OAuth client gets a refresh token for the app as the org's user", target_fixture="oauth_refresh")
def _(oauth_client: OAuthClient, app: App, org: Org) -> str:
    """A code exchanged with the consumer secret; the refresh token that came with it."""
    code = oauth_client.authorization_code(org.user, app.callback_urls[0])
    answer = oauth_client.exchange(code, app.callback_urls[0], with_secret=True)
    assert answer.status == 200 and answer.body.get("refresh_token"), answer
    return str(answer.body["refresh_token"])


def _check(answer: TokenAnswer, accepted: bool, refusal: str) -> None:
    if accepted:
        assert answer.status == 200 and answer.body.get("access_token"), answer
    else:
        assert (answer.status, answer.error) == (400, refusal), answer


@then(parsers.parse("Salesforce {answer} the code exchange without the consumer secret"))
def _(oauth_client: OAuthClient, app: App, oauth_code: str, answer: str) -> None:
    _check(oauth_client.exchange(oauth_code, app.callback_urls[0], with_secret=False), _accepted(answer),
           "invalid_client")


@then(parsers.parse("Salesforce {answer} a refresh without the consumer secret"))
def _(oauth_client: OAuthClient, oauth_refresh: str, answer: str) -> None:
    _check(oauth_client.refresh(oauth_refresh, with_secret=False), _accepted(answer), "invalid_client")


@then(parsers.parse('Salesforce refuses the code exchange for the callback URL "{url}"'))
def _(oauth_client: OAuthClient, oauth_code: str, url: str) -> None:
    _check(oauth_client.exchange(oauth_code, url, with_secret=True), False, "redirect_uri_mismatch")


@then(parsers.parse('Salesforce refuses the code exchange with the consumer secret, with "{error}"'))
def _(oauth_client: OAuthClient, app: App, oauth_code: str, error: str) -> None:
    _check(oauth_client.exchange(oauth_code, app.callback_urls[0], with_secret=True), False, error)


@when(parsers.parse('another OAuth client asks for the scopes "{scopes}" as the org\'s user'),
      target_fixture="oauth_callback")
def _(oauth_client: OAuthClient, app: App, org: Org, scopes: str) -> str:
    """Asks for these scopes at authorize, signs in and allows access when asked; where Salesforce sends it back."""
    return oauth_client.authorize(org.user, app.callback_urls[0], scopes)


@then(parsers.parse('Salesforce exchanges the client\'s code for exactly the scopes "{scopes}", with {parts}'))
def _(oauth_client: OAuthClient, app: App, oauth_callback: str, scopes: str, parts: str) -> None:
    """The code exchange (with the secret) answers these scopes and no others, and a refresh token and an
    ID token only as said ("a refresh token and no ID token", ...)."""
    wanted = [TOKEN_PARTS[part.strip()] for part in parts.split(" and ")]
    params = callback_params(oauth_callback)
    assert "code" in params, f"Salesforce came back without a code: {params}"
    answer = oauth_client.exchange(params["code"], app.callback_urls[0], with_secret=True)
    assert answer.status == 200, answer
    assert sorted(str(answer.body.get("scope", "")).split()) == sorted(scopes.split()), answer.body.get("scope")
    carried = {name: name in answer.body for name, _ in wanted}
    assert carried == dict(wanted), f"the token answer carries {sorted(answer.body)}"


@then(parsers.parse('Salesforce sends the client back with the error "{error}" and no code'))
def _(oauth_callback: str, error: str) -> None:
    params = callback_params(oauth_callback)
    assert params.get("error") == error and "code" not in params, params


@then(parsers.parse(
    'Salesforce answers a refresh with a new access token for the scopes "{scopes}" and no new refresh token'))
def _(oauth_client: OAuthClient, oauth_refresh: str, scopes: str) -> None:
    """A refresh with the secret; without refresh token rotation the answer keeps the refresh token out."""
    answer = oauth_client.refresh(oauth_refresh, with_secret=True)
    assert answer.status == 200 and answer.body.get("access_token"), answer
    assert sorted(str(answer.body.get("scope", "")).split()) == sorted(scopes.split()), answer.body.get("scope")
    assert "refresh_token" not in answer.body, sorted(answer.body)
