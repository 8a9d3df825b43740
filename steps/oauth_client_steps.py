"""Steps that act as an OAuth client other than the appliance, to check what Salesforce itself enforces.

A switch or callback rule enforced only by the appliance would pass every scenario that goes through
the appliance; these steps go to Salesforce's token endpoint directly (harness/drivers/oauth_client.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_bdd import parsers, then, when

from harness.drivers.oauth_client import OAuthClient, TokenAnswer
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
