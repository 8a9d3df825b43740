
"""Steps of the initial configuration wizard, acted out by the administrator in either layer."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from pytest_bdd import given, parsers, then, when

from harness.drivers.api import ApiAdministrator
from harness.drivers.appliance_seeding import ApplianceAdmin, reach_app_step
from harness.drivers.control_clients import ApplianceControl, SalesforceControl, builds_world
from harness.drivers.protocol import Administrator, SeenOutcome
from harness.drivers.setup_labels import setting_for
from harness.pytest.scenario_data import ScenarioData
from steps.salesforce_steps import App, Org, live_grants_of, new_app

REFRESH_SYNONYMS = {"refresh_token", "offline_access"}
# The label a refusal names -> the reason code the appliance gives for it (one per problem).
REFUSAL_CODES = {
    "Full access (full)": "scope_missing",
    "Perform requests at any time": "scope_missing",
    "Access unique user identifiers (openid)": "scope_missing",
    "Enable OAuth Settings": "oauth_disabled",
    "Require Secret for Web Server Flow": "web_server_secret_not_required",
    "Require Secret for Refresh Token Flow": "refresh_secret_not_required",
    "Require Proof Key for Code Exchange (PKCE)": "pkce_required",
}
# A switch's label -> the state a refusal says it is in, and the state it asks for.
SWITCH_STATES = {
    "Enable OAuth Settings": ("off", "on"),
    "Require Secret for Web Server Flow": ("off", "on"),
    "Require Secret for Refresh Token Flow": ("off", "on"),
    "Require Proof Key for Code Exchange (PKCE)": ("on", "off"),
}


@pytest.fixture
def appliance_admin(scenario_data: ScenarioData) -> ApplianceAdmin:
    """The local administrator this scenario creates in wizard step 2."""
    return ApplianceAdmin(*scenario_data.administrator())


@given("the appliance wizard is at the external client app step")
@builds_world
def _(setup_client: ApiAdministrator, appliances: dict[str, ApplianceControl], appliance_url: str,
      appliance_admin: ApplianceAdmin) -> None:
    reach_app_step(setup_client, appliance_url, appliance_admin, appliances["3.2"])


@when(parsers.parse('the administrator opens "{url}"'))
def _(admin: Administrator, url: str) -> None:
    """Types the address into the browser (any address of the appliance: the wizard shows its current step)."""
    admin.open(url)


@then(parsers.parse('the address bar shows "{url}"'))
def _(admin: Administrator, url: str) -> None:
    """The address starts with the one typed; the appliance may add the wizard step's path."""
    assert admin.address().startswith(url), admin.address()


@then(parsers.parse('the wizard shows the callback URL "{url}"'))
def _(admin: Administrator, url: str) -> None:
    assert admin.read_callback_url() == url


@when("the administrator creates an external client app as the guide asks with the callback URL the wizard shows",
      target_fixture="app")
def _(admin: Administrator, salesforce: SalesforceControl, scenario_data: ScenarioData, org: Org) -> App:
    return new_app(salesforce, scenario_data, org, callback_urls=[admin.read_callback_url()])


@when("the administrator copies the callback URL the wizard shows", target_fixture="copied_callback")
def _(admin: Administrator) -> str:
    """With the step's Copy button in the browser; what it put on the clipboard is what the app gets."""
    return admin.copy_callback_url()


@when("the administrator creates an external client app as the guide asks with the copied callback URL",
      target_fixture="app")
def _(salesforce: SalesforceControl, scenario_data: ScenarioData, org: Org, copied_callback: str) -> App:
    return new_app(salesforce, scenario_data, org, callback_urls=[copied_callback])


@when("the administrator enters the app's consumer key and secret")
def _(admin: Administrator, app: App) -> None:
    """At wizard step 5, from wherever the administrator is; fills Consumer Key and Secret and clicks Next."""
    admin.enter_app_credentials(app.consumer_key, app.consumer_secret)


@when("the administrator enters the second app's consumer key and secret")
def _(admin: Administrator, second_app: App) -> None:
    admin.enter_app_credentials(second_app.consumer_key, second_app.consumer_secret)


@when("the administrator enters the second org's own app's consumer key and secret")
def _(admin: Administrator, second_org: tuple[Org, App]) -> None:
    """Back at wizard step 5 with the app the second org holds."""
    admin.enter_app_credentials(second_org[1].consumer_key, second_org[1].consumer_secret)


@when("the administrator authorizes as the second org's user", target_fixture="outcome")
def _(admin: Administrator, second_org: tuple[Org, App]) -> SeenOutcome:
    """At wizard step 6 again, from wherever the administrator is, signing in as the second org's user."""
    return admin.authorize(second_org[0].user)


@when("the administrator enters the app's consumer key with a wrong secret")
def _(admin: Administrator, app: App, scenario_data: ScenarioData) -> None:
    wrong = scenario_data.remember("wrong_secret", scenario_data.faker.sha256()[:40].upper())
    admin.enter_app_credentials(app.consumer_key, wrong)


@when("the administrator authorizes as the org's user", target_fixture="outcome")
def _(admin: Administrator, org: Org) -> SeenOutcome:
    """At wizard step 6: Production, Authorize, sign in at Salesforce and Allow; provides what the
    administrator then sees (connected, refused by the appliance, or an error at or from Salesforce)."""
    return admin.authorize(org.user)


@when(parsers.parse('the administrator authorizes as the org\'s user while the Salesforce administrator turns '
                    '"{label}" {state} before Salesforce sends the administrator back'), target_fixture="outcome")
def _(admin: Administrator, salesforce: SalesforceControl, org: Org, app: App, label: str, state: str) -> SeenOutcome:
    """The switch changes after Salesforce issued the code and before the appliance exchanges it, so
    Salesforce's own authorize checks are behind it: only the appliance's check of the app can catch it."""
    if state not in ("on", "off"):
        raise ValueError(f'the switch state must be "on" or "off", not "{state}"')
    change = {setting_for(label): state == "on"}

    def turn_switch() -> None:
        salesforce.change_app(app.app_id, **change)

    return admin.authorize(org.user, before_return=turn_switch)


@when(parsers.parse('the administrator finishes the wizard with the "{schedule}" schedule'))
def _(admin: Administrator, schedule: str) -> None:
    """From step 6 (connected): Next, the schedule (Hourly, Daily or Weekly), Next, Finish."""
    admin.finish_wizard(schedule)


@when("the administrator presses Next at the Salesforce step without authorizing", target_fixture="outcome")
def _(admin: Administrator) -> SeenOutcome:
    return admin.next_at_salesforce_step()


@then(parsers.parse('the wizard refuses to go on, saying "{text}"'))
def _(outcome: SeenOutcome, text: str) -> None:
    """Refused for want of a connected org (reason code "not_connected"), not for any other reason."""
    assert (outcome.status, outcome.error_code, outcome.message) == ("refused", "not_connected", text), outcome


@when("the administrator tries to finish the wizard before choosing a schedule", target_fixture="wizard_step")
def _(admin: Administrator) -> str:
    return admin.finish_wizard_early()


@then(parsers.parse('the wizard is still open at its "{title}" step'))
def _(wizard_step: str, title: str) -> None:
    assert wizard_step == title, f"the administrator is at {wizard_step or 'the end of the wizard'!r}"


@then("the appliance says it connected to the org without naming a user")
def _(outcome: SeenOutcome, org: Org) -> None:
    """Salesforce did not say who signed in: the org is connected all the same, and no user is made up."""
    assert (outcome.status, outcome.org_id, outcome.username) == ("connected", org.org_id, None), outcome
    assert f"organization {org.org_id}." in outcome.message, outcome.message
    assert org.user.username not in outcome.message and "None" not in outcome.message, outcome.message


@then("the org is connected")
def _(outcome: SeenOutcome, org: Org) -> None:
    assert (outcome.status, outcome.org_id) == ("connected", org.org_id), outcome


@then("the appliance says it connected to the org as the org's user")
def _(outcome: SeenOutcome, org: Org) -> None:
    """The outcome names the org and the Salesforce user whose grant the appliance now holds, in its words
    and in its fields (the API's outcome, the page's outcome block)."""
    assert (outcome.status, outcome.org_id, outcome.username) == ("connected", org.org_id, org.user.username), outcome
    assert org.org_id in outcome.message and org.user.username in outcome.message, outcome.message


@then(parsers.parse('Salesforce sent the administrator back to "{url}"'))
def _(admin: Administrator, url: str) -> None:
    back, wanted = urlsplit(admin.address()), urlsplit(url)
    assert (back.scheme, back.netloc) == (wanted.scheme, wanted.netloc), admin.address()


@then(parsers.parse('Salesforce shows the error "{code}" and does not send the administrator back'))
def _(outcome: SeenOutcome, code: str) -> None:
    assert (outcome.status, outcome.error_code) == ("salesforce_error", code), outcome
    assert urlsplit(outcome.location).hostname.endswith("salesforce.com"), outcome.location  # type: ignore[union-attr]


@then(parsers.parse('the Salesforce error says "{text}"'))
def _(outcome: SeenOutcome, text: str) -> None:
    assert text in outcome.message, outcome


@then("the appliance holds no connection")
def _(setup_client: ApiAdministrator, salesforce: SalesforceControl, scenario_data: ScenarioData,
      org: Org) -> None:
    """Step 6 shows no connected org, and at Salesforce the org's user holds no live grant of any app this
    scenario made: a connection the appliance kept (or forgot to revoke) would need one."""
    state = setup_client.call("GET", "/wizard/salesforce")
    assert state["status"] != "connected" and not state.get("org_id"), state
    live = live_grants_of(salesforce, org, scenario_data.app_ids)
    assert not live, f"the org's user still holds live grants of {live}"


@then(parsers.parse('the appliance refuses the app, naming "{label}"'))
def _(outcome: SeenOutcome, label: str) -> None:
    """A refusal with the reason code of that one problem; its message quotes the label and no other label.

    The codes are the appliance API's documented reasons (harness/README.md), so a refusal for some other
    problem that happens to mention the label somewhere cannot pass.
    """
    assert outcome.status == "refused", outcome
    assert outcome.error_code == REFUSAL_CODES[label], (outcome.error_code, REFUSAL_CODES[label])
    assert f'"{label}' in outcome.message, outcome.message
    if label in SWITCH_STATES:  # a switch's refusal says how it is set and how to set it
        now, wanted = SWITCH_STATES[label]
        assert f'"{label}" turned {now}. Turn it {wanted}' in outcome.message, outcome.message
    others = [other for other in REFUSAL_CODES if other != label and f'"{other}' in outcome.message]
    assert not others, f"the refusal also names {others}: {outcome.message}"
    assert re.search(r"\b(external client|connected) app\b", outcome.message), outcome.message


@then("the appliance refuses the app because Salesforce would not refresh its access token")
def _(outcome: SeenOutcome) -> None:
    """The refusal of a refresh that failed points at the app's Refresh Token Policy."""
    assert (outcome.status, outcome.error_code) == ("refused", "refresh_failed"), outcome
    assert "Refresh Token Policy" in outcome.message, outcome.message
    assert re.search(r"\b(external client|connected) app's Refresh Token Policy\b", outcome.message), outcome.message


@then(parsers.parse('the appliance reports the Salesforce error "{code}"'))
def _(outcome: SeenOutcome, code: str) -> None:
    assert (outcome.status, outcome.error_code) == ("error", code), outcome
    assert code in outcome.message, outcome.message


@then(parsers.parse('the granted scopes include "{scopes}"'))
def _(outcome: SeenOutcome, scopes: str) -> None:
    """refresh_token and offline_access are one scope under two names (docs/salesforce-facts.md 3.4)."""
    granted = set(outcome.granted_scopes)
    if granted & REFRESH_SYNONYMS:
        granted |= REFRESH_SYNONYMS
    missing = set(scopes.split()) - granted
    assert not missing, f"not granted: {missing}; granted: {outcome.granted_scopes}"


@then("the wizard's checklist asks for:")
def _(admin: Administrator, datatable: list[list[str]]) -> None:
    """Each row is one whole checklist line, in the order the wizard shows them (labels end to end)."""
    assert admin.read_checklist() == [row[0] for row in datatable]
