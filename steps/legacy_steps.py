"""Steps for the pre-3.2 appliance, where one connected app authorizes every protected org."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from harness.drivers.api import ApiAdministrator
from harness.drivers.appliance_seeding import ApplianceAdmin, protect_org, reach_app_step
from harness.drivers.control_clients import ApplianceControl, SalesforceControl, builds_world
from harness.drivers.protocol import Administrator
from harness.drivers.setup_labels import setting_for
from harness.pytest.scenario_data import ScenarioData
from steps.salesforce_steps import App, Org, live_grants_of, new_app, new_org


def _shared_app(salesforce: SalesforceControl, data: ScenarioData, home: Org, url: str) -> App:
    return new_app(salesforce, data, home, kind="connected_app", callback_urls=[url])


@given("a pre-3.2 appliance protecting both orgs through one connected app set up as the guide asks",
       target_fixture="app")
@builds_world
def _(setup_client: ApiAdministrator, appliances: dict[str, ApplianceControl], legacy_appliance_url: str,
      salesforce: SalesforceControl, scenario_data: ScenarioData, orgs: list[Org],
      appliance_admin: ApplianceAdmin) -> App:
    app = _shared_app(salesforce, scenario_data, orgs[0], legacy_appliance_url)
    salesforce.flush()  # the gathered orgs and this app in one call, before the appliance reaches Salesforce
    protect_org(setup_client, legacy_appliance_url, appliance_admin, app.consumer_key, app.consumer_secret,
                orgs[0].user, control=appliances["3.1"])
    outcome = setup_client.add_organization("", "", orgs[1].user)
    assert outcome.status == "connected", outcome
    return app


@given("the administrator is logged in to the pre-3.2 appliance")
@when("the administrator logs in to the pre-3.2 appliance")
def _(admin: Administrator, legacy_appliance_url: str, appliance_admin: ApplianceAdmin) -> None:
    admin.open(legacy_appliance_url + "/")
    admin.log_in(appliance_admin.username, appliance_admin.password)


@then(parsers.parse('both orgs show the status "{status}" and the same app'))
def _(admin: Administrator, salesforce: SalesforceControl, scenario_data: ScenarioData, app: App,
      orgs: list[Org], status: str) -> None:
    """The table's app column is one constant label before 3.2, so it proves nothing about the app: the
    proof is at Salesforce, where the one connected app, and no other app, holds each org user's grant."""
    rows = {r.org_id: r for r in admin.org_rows()}
    assert [rows[o.org_id].status for o in orgs] == [status, status], rows
    assert [rows[o.org_id].app for o in orgs] == ["Connected app (shared)"] * 2, rows
    assert [live_grants_of(salesforce, o, scenario_data.app_ids) for o in orgs] == [[app.app_id]] * 2


@when("the administrator replaces the shared connected app with a new one set up as the guide asks",
      target_fixture="app")
def _(admin: Administrator, salesforce: SalesforceControl, scenario_data: ScenarioData, orgs: list[Org],
      legacy_appliance_url: str) -> App:
    app = _shared_app(salesforce, scenario_data, orgs[0], legacy_appliance_url)
    admin.set_connected_app(app.consumer_key, app.consumer_secret)
    return app


@when("the administrator tries to give the first org a connected app of its own", target_fixture="told")
def _(admin: Administrator, salesforce: SalesforceControl, scenario_data: ScenarioData, orgs: list[Org],
      legacy_appliance_url: str) -> str:
    """Edit Connection with a new connected app for one org; provides what the appliance then says."""
    own = _shared_app(salesforce, scenario_data, orgs[0], legacy_appliance_url)
    return admin.try_edit_connection(orgs[0].org_id, own.consumer_key, own.consumer_secret)


@when("the administrator tries to set a shared connected app set up as the guide asks", target_fixture="told")
def _(admin: Administrator, salesforce: SalesforceControl, scenario_data: ScenarioData, org: Org,
      appliance_url: str) -> str:
    shared = _shared_app(salesforce, scenario_data, org, appliance_url)
    return admin.try_set_connected_app(shared.consumer_key, shared.consumer_secret)


@then("the appliance holds no shared connected app")
def _(admin: Administrator) -> None:
    """From 3.2 the app entered in the wizard belongs to the wizard's org, not to a shared setting."""
    assert admin.shared_connected_app_key() == ""


@then(parsers.parse('the appliance refuses, saying "{text}"'))
def _(told: str, text: str) -> None:
    assert told == text, told


@then(parsers.parse('both orgs show the status "{status}"'))
def _(admin: Administrator, orgs: list[Org], status: str) -> None:
    rows = {r.org_id: r.status for r in admin.org_rows()}
    assert [rows.get(o.org_id) for o in orgs] == [status, status], rows


@then("each org's status says the connected app changed")
def _(admin: Administrator, orgs: list[Org]) -> None:
    rows = {r.org_id: r.reason for r in admin.org_rows()}
    assert all("connected app changed" in rows.get(o.org_id, "") for o in orgs), rows


@when("the administrator re-authorizes both orgs as their users")
def _(admin: Administrator, orgs: list[Org]) -> None:
    for org in orgs:
        outcome = admin.reauthorize(org.org_id, org.user)
        assert outcome.status == "connected", outcome


@then("neither org's user holds a live grant of any app")
def _(salesforce: SalesforceControl, scenario_data: ScenarioData, orgs: list[Org]) -> None:
    """Replacing the shared app revoked every org's grant of the old one at Salesforce, not only its status."""
    assert [live_grants_of(salesforce, o, scenario_data.app_ids) for o in orgs] == [[], []]


@then("each org's user holds a live grant of the new connected app and of no other app")
def _(salesforce: SalesforceControl, scenario_data: ScenarioData, app: App, orgs: list[Org]) -> None:
    """Before 3.2 the re-authorization goes through the one shared app as it is now, for every org: an
    appliance whose orgs kept the app they were first authorized with would hold the old app's grants."""
    assert [live_grants_of(salesforce, o, scenario_data.app_ids) for o in orgs] == [[app.app_id]] * 2


@given(parsers.parse('a connected app in another Salesforce org, set up as the guide asks for the pre-3.2 appliance, '
                     'but with "{label}" {state}'), target_fixture="app")
@builds_world
def _(salesforce: SalesforceControl, scenario_data: ScenarioData, legacy_appliance_url: str, label: str,
      state: str) -> App:
    """Before 3.2 the shared connected app may live in an org other than the one being protected, whose
    metadata then does not list it; one Setup switch (by its label) turned on or off."""
    if state not in ("on", "off"):
        raise ValueError(f'the switch state must be "on" or "off", not "{state}"')
    home = new_org(salesforce, scenario_data)
    return new_app(salesforce, scenario_data, home, kind="connected_app", callback_urls=[legacy_appliance_url],
                   **{setting_for(label): state == "on"})


@given("the pre-3.2 appliance wizard is at its app step")
@builds_world
def _(setup_client: ApiAdministrator, appliances: dict[str, ApplianceControl], legacy_appliance_url: str,
      appliance_admin: ApplianceAdmin) -> None:
    """Steps 1-4 of the pre-3.2 appliance's wizard in one control call, as for the 3.2 appliance."""
    reach_app_step(setup_client, legacy_appliance_url, appliance_admin, appliances["3.1"])


@given("a connected app in the org set up as the guide asks, with the pre-3.2 appliance's callback URL",
       target_fixture="app")
@builds_world
def _(salesforce: SalesforceControl, scenario_data: ScenarioData, org: Org, legacy_appliance_url: str) -> App:
    """Before 3.2 one connected app serves every org: users of other orgs can authorize it too."""
    return _shared_app(salesforce, scenario_data, org, legacy_appliance_url)


@then(parsers.parse('the wizard\'s app step is titled "{title}"'))
def _(admin: Administrator, title: str) -> None:
    """Wizard step 5's page title, read where the administrator gets to it."""
    assert admin.read_app_step_title() == title
