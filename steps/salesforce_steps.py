
"""Steps that set up and inspect Salesforce, as its administrator would in Setup."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pytest_bdd import given, parsers, then, when

from harness.drivers.control_clients import SalesforceControl, builds_world
from harness.drivers.protocol import SalesforceUser
from harness.drivers.setup_labels import guide_app, setting_for
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
    """The org and its system administrator in one control call (the world route)."""
    name = data.org_name()
    fields = data.user(name)
    [org] = salesforce.build_world([{"name": name, "sandbox": None,
                                     "users": [{"profile": "System Administrator", "active": True, **fields}]}])
    return Org(org["id"], org["my_domain_host"],
               SalesforceUser(fields["username"], fields["password"], org["id"], org["users"][0]["id"]))


def new_app(salesforce: SalesforceControl, data: ScenarioData, org: Org, **overrides: Any) -> App:
    callbacks = overrides.pop("callback_urls", [GUIDE_CALLBACK])
    created = salesforce.create_app(org.org_id, **guide_app(data.app_name(), data.faker.email(), callbacks,
                                                             **overrides))
    data.app_ids.append(created["id"])
    return as_app(created)


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
def _(salesforce: SalesforceControl, app: App, datatable: list[list[str]]) -> None:
    """The list holds these URLs and no others; Salesforce matches against any of them, so order is moot."""
    assert sorted(salesforce.app(app.app_id)["callback_urls"]) == sorted(row[0] for row in datatable)


@then("Salesforce holds no live grant of the app")
def _(salesforce: SalesforceControl, app: App) -> None:
    live = [g for g in salesforce.grants(app.app_id) if g["refresh_token_active"]]
    assert live == [], f"grants still live after the refusal: {live}"


@then("Salesforce holds a grant of the app for the org's user")
def _(salesforce: SalesforceControl, app: App, org: Org) -> None:
    users = {g["user_id"] for g in salesforce.grants(app.app_id) if g["refresh_token_active"]}
    assert org.user.user_id in users, f"no live grant for {org.user.user_id}: {users}"
