
"""Steps that set up and inspect Salesforce, as its administrator would in Setup."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from pytest_bdd import given, parsers, then, when

from harness.drivers.control_clients import SalesforceControl, app_credentials, builds_world, salesforce_id
from harness.drivers.oauth_client import LOGIN, OAuthClient
from harness.drivers.page_objects.salesforce import parse_form
from harness.drivers.protocol import SalesforceUser
from harness.drivers.setup_labels import REFRESH_POLICY_BY_LABEL, guide_app, setting_for
from harness.pytest.scenario_data import ScenarioData
from steps.defaults import GUIDE_CALLBACK


@dataclass(frozen=True)
class Org:
    """A Salesforce org and the system administrator who signs in during authorization."""

    org_id: str
    host: str
    user: SalesforceUser


@dataclass(frozen=True)
class App:
    """An external client app (or connected app) as Salesforce holds it."""

    app_id: str
    consumer_key: str
    consumer_secret: str
    callback_urls: tuple[str, ...]


def new_org(salesforce: SalesforceControl, data: ScenarioData) -> Org:
    """The org and its system administrator, added to the world the Given steps gather (one control call
    for all of them: harness/drivers/control_clients.py). The ids are chosen here, from the scenario's
    seed, so later steps use them before that call is sent."""
    name = data.org_name()
    fields = data.user(name)
    org_id, user_id = salesforce_id("00D", data.faker.random), salesforce_id("005", data.faker.random)
    salesforce.add_org({"id": org_id, "name": name, "sandbox": None,
                        "users": [{"id": user_id, "profile": "System Administrator", "active": True, **fields}]})
    return Org(org_id, f"{name}.my.salesforce.com", SalesforceUser(fields["username"], fields["password"], org_id,
                                                                   user_id))


def new_app(salesforce: SalesforceControl, data: ScenarioData, org: Org, **overrides: Any) -> App:
    """An app of the org, added like ``new_org``'s org, with its id, consumer key and secret chosen here."""
    callbacks = overrides.pop("callback_urls", [GUIDE_CALLBACK])
    settings = guide_app(data.app_name(), data.faker.email(), callbacks, **overrides)
    chosen = app_credentials(settings["kind"], data.faker.random)
    salesforce.add_app(org.org_id, {**chosen, **settings})
    data.app_ids.append(chosen["id"])
    return App(chosen["id"], chosen["consumer_key"], chosen["consumer_secret"], tuple(callbacks))


def as_app(raw: dict[str, Any]) -> App:
    return App(raw["id"], raw["consumer_key"], raw["consumer_secret"], tuple(raw["callback_urls"]))


@given("a Salesforce org with a system administrator", target_fixture="org")
@builds_world
def _(salesforce: SalesforceControl, scenario_data: ScenarioData) -> Org:
    return new_org(salesforce, scenario_data)


@given("two Salesforce orgs, each with a system administrator", target_fixture="orgs")
@builds_world
def _(salesforce: SalesforceControl, scenario_data: ScenarioData) -> list[Org]:
    return [new_org(salesforce, scenario_data) for _ in range(2)]


@given(parsers.parse('an external client app set up as the guide asks, with the callback URLs "{urls}"'),
       target_fixture="app")
@builds_world
def _(salesforce: SalesforceControl, scenario_data: ScenarioData, org: Org, urls: str) -> App:
    return new_app(salesforce, scenario_data, org, callback_urls=urls.split())


@given(parsers.parse('an external client app set up as the guide asks, but with only the scopes "{scopes}"'),
       target_fixture="app")
@builds_world
def _(salesforce: SalesforceControl, scenario_data: ScenarioData, org: Org, scopes: str) -> App:
    return new_app(salesforce, scenario_data, org, scopes=scopes.split())


@given(parsers.parse('an external client app set up as the guide asks, but with the Refresh Token Policy "{policy}"'),
       target_fixture="app")
@builds_world
def _(salesforce: SalesforceControl, scenario_data: ScenarioData, org: Org, policy: str) -> App:
    """The Refresh Token Policy chosen by its Setup wording; everything else as the guide asks."""
    if policy not in REFRESH_POLICY_BY_LABEL:
        raise ValueError(f"the Refresh Token Policy must be one of {sorted(REFRESH_POLICY_BY_LABEL)}, not {policy!r}")
    return new_app(salesforce, scenario_data, org, refresh_token_policy=REFRESH_POLICY_BY_LABEL[policy])


@given(parsers.parse('an external client app set up as the guide asks, but with "{label}" {state}'),
       target_fixture="app")
@builds_world
def _(salesforce: SalesforceControl, scenario_data: ScenarioData, org: Org, label: str, state: str) -> App:
    """One Setup switch (by its label) turned on or off; everything else as the guide asks."""
    if state not in ("on", "off"):
        raise ValueError(f'the switch state must be "on" or "off", not "{state}"')
    return new_app(salesforce, scenario_data, org, **{setting_for(label): state == "on"})


@given("a second external client app in the org, set up as the guide asks", target_fixture="second_app")
@builds_world
def _(salesforce: SalesforceControl, scenario_data: ScenarioData, org: Org) -> App:
    return new_app(salesforce, scenario_data, org)


@when(parsers.parse('the Salesforce administrator adds "{url}" to the app\'s callback URLs'),
      target_fixture="app")
def _(salesforce: SalesforceControl, app: App, url: str) -> App:
    return as_app(salesforce.change_app(app.app_id, callback_urls=[*app.callback_urls, url]))


@given("Salesforce's identity service answers with an error")
@builds_world
def _(salesforce: SalesforceControl) -> None:
    """The identity URL of the token response (who signed in) answers 503 Service Unavailable."""
    salesforce.inject_fault("identity", "status", status=503)


@when("the Salesforce administrator rotates the app's consumer secret", target_fixture="app")
def _(salesforce: SalesforceControl, app: App) -> App:
    return as_app(salesforce.rotate_secret(app.app_id))


@when("the Salesforce administrator revokes the app's grants")
def _(salesforce: SalesforceControl, app: App) -> None:
    salesforce.revoke_grants(app.app_id)


@when(parsers.parse('the Salesforce administrator turns "{label}" {state} for the app'))
def _(salesforce: SalesforceControl, app: App, label: str, state: str) -> None:
    """One Setup switch of the app, by its label, as the Salesforce administrator changes it in Setup."""
    if state not in ("on", "off"):
        raise ValueError(f'the switch state must be "on" or "off", not "{state}"')
    salesforce.change_app(app.app_id, **{setting_for(label): state == "on"})


@when(parsers.parse('the Salesforce administrator changes the app\'s scopes to "{scopes}"'))
def _(salesforce: SalesforceControl, app: App, scopes: str) -> None:
    salesforce.change_app(app.app_id, scopes=scopes.split())


@then("the app's callback URLs are exactly:")
def _(salesforce: SalesforceControl, app: App, oauth_client: OAuthClient, datatable: list[list[str]]) -> None:
    """Salesforce lists these URLs and no others, and its authorize page acts on the list: it sends an
    administrator back to each of them and to none of their near misses (a slash added, plain http)."""
    wanted = [row[0] for row in datatable]
    assert sorted(salesforce.app(app.app_id)["callback_urls"]) == sorted(wanted)
    for url in wanted:
        assert redirect_accepted(oauth_client, url), f"Salesforce refuses the listed callback URL {url}"
        for miss in (url + "/", url.replace("https://", "http://", 1)):
            assert not redirect_accepted(oauth_client, miss), f"Salesforce accepts {miss}, which is not listed"


def redirect_accepted(client: OAuthClient, redirect_uri: str) -> bool:
    """Salesforce's authorize page checks the callback before sign-in and shows a mismatch on its own
    error page: a redirect (to its log-in) or its log-in form means accepted, the error page naming
    redirect_uri_mismatch means refused; anything else stops the scenario."""
    query = urlencode({"response_type": "code", "client_id": client.key, "redirect_uri": redirect_uri})
    response = client.http.get(f"{LOGIN}/services/oauth2/authorize?{query}")
    form = None if response.is_redirect else parse_form(response.text)
    if response.is_redirect or (form and "pw" in form[2]):
        return True
    assert "redirect_uri_mismatch" in response.text, f"unexpected answer {response.status_code}: {response.text[:300]}"
    return False


def live_grants_of(salesforce: SalesforceControl, org: Org, app_ids: list[str]) -> list[str]:
    """The apps (of those given) holding a live grant for the org's user at Salesforce."""
    return [app_id for app_id in app_ids
            if any(g["user_id"] == org.user.user_id and g["refresh_token_active"] for g in salesforce.grants(app_id))]


@then("Salesforce holds no live grant of the app")
def _(salesforce: SalesforceControl, app: App) -> None:
    live = [g for g in salesforce.grants(app.app_id) if g["refresh_token_active"]]
    assert live == [], f"grants still live after the refusal: {live}"


@then("Salesforce holds a grant of the app for the org's user")
def _(salesforce: SalesforceControl, app: App, org: Org) -> None:
    users = {g["user_id"] for g in salesforce.grants(app.app_id) if g["refresh_token_active"]}
    assert org.user.user_id in users, f"no live grant for {org.user.user_id}: {users}"


@then("the org's user holds a live grant of the app in use and of no other app")
def _(salesforce: SalesforceControl, scenario_data: ScenarioData, app: App, org: Org) -> None:
    """After an edit and a re-authorization the old app's grant is gone at Salesforce, and the grant the
    connection uses is the new app's (an appliance that kept the old app would hold the old app's)."""
    assert live_grants_of(salesforce, org, scenario_data.app_ids) == [app.app_id]


@then("the org's user holds no live grant of any app")
def _(salesforce: SalesforceControl, scenario_data: ScenarioData, org: Org) -> None:
    """Editing the connection revoked the old app's grant at Salesforce, before any re-authorization."""
    assert live_grants_of(salesforce, org, scenario_data.app_ids) == []


@then("the org's user holds exactly one live grant of the app")
def _(salesforce: SalesforceControl, app: App, org: Org) -> None:
    """Re-authorizing replaced the org's grant: the one it replaced is revoked at Salesforce, not left alive."""
    live = [g for g in salesforce.grants(app.app_id) if g["user_id"] == org.user.user_id and g["refresh_token_active"]]
    assert len(live) == 1, f"{len(live)} live grants of the app for the org's user: {live}"


@then("the second org's user holds no live grant of its app")
def _(salesforce: SalesforceControl, second_org: tuple[Org, App]) -> None:
    """The grant the refused sign-in made is revoked: the appliance keeps no grant it refused."""
    other, other_app = second_org
    assert live_grants_of(salesforce, other, [other_app.app_id]) == []


@when("Salesforce cannot be reached")
def _(salesforce: SalesforceControl) -> None:
    """Every Salesforce host drops each connection it gets, until Salesforce works again."""
    salesforce.inject_fault("*", "drop")


@when('Salesforce answers token requests with the error "server_error"')
def _(salesforce: SalesforceControl) -> None:
    """The token endpoint answers HTTP 400 with the OAuth error server_error until Salesforce works again:
    an error about neither the app nor the grant."""
    salesforce.inject_fault("token", "status", status=400)


@when("Salesforce works again")
def _(salesforce: SalesforceControl) -> None:
    salesforce.clear_faults()
