
"""Steps after the wizard: the org table, the default backup policy, editing and re-authorizing."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from harness.drivers.api import ApiAdministrator
from harness.drivers.appliance_seeding import ApplianceAdmin, protect_org
from harness.drivers.control_clients import ApplianceControl, SalesforceControl, builds_world
from harness.drivers.protocol import Administrator, OrgRow, RunOutcome, SeenOutcome
from harness.pytest.scenario_data import ScenarioData
from steps.salesforce_steps import App, Org, live_grants_of, new_app, new_org

REAUTH = "Re-authorization required"


def org_row(admin: Administrator, org_id: str) -> OrgRow:
    rows = admin.org_rows()
    found = [r for r in rows if r.org_id == org_id]
    assert found, f"org {org_id} is not in the table: {rows}"
    return found[0]


@given("the appliance protects the org through an app set up as the guide asks", target_fixture="app")
@builds_world
def _(setup_client: ApiAdministrator, appliances: dict[str, ApplianceControl], appliance_url: str,
      salesforce: SalesforceControl, scenario_data: ScenarioData, org: Org,
      appliance_admin: ApplianceAdmin) -> App:
    """The app joins the Salesforce world the Givens gathered, which goes out in one call before the appliance
    reaches Salesforce; the appliance's reset rides on its wizard world (``protect_org`` with ``control``)."""
    app = new_app(salesforce, scenario_data, org)
    salesforce.flush()
    protect_org(setup_client, appliance_url, appliance_admin, app.consumer_key, app.consumer_secret, org.user,
                control=appliances["3.2"])
    return app


@given("the administrator is logged in to the appliance")
@when("the administrator logs in to the appliance")
def _(admin: Administrator, appliance_url: str, appliance_admin: ApplianceAdmin) -> None:
    """Opens https://172.12.0.1/ and logs in as the local administrator the wizard created."""
    admin.open(appliance_url + "/")
    admin.log_in(appliance_admin.username, appliance_admin.password)


@then(parsers.parse('the default backup policy protects exactly that org with the "{schedule}" schedule'))
def _(admin: Administrator, org: Org, schedule: str) -> None:
    policies = admin.policies()
    assert [(p.org_id, p.schedule) for p in policies] == [(org.org_id, schedule)], policies


@then(parsers.parse('the default backup policy protects exactly the second org with the "{schedule}" schedule'))
def _(admin: Administrator, second_org: tuple[Org, App], schedule: str) -> None:
    policies = admin.policies()
    assert [(p.org_id, p.schedule) for p in policies] == [(second_org[0].org_id, schedule)], policies


@then("the appliance holds a connection to the second org only")
def _(admin: Administrator, second_org: tuple[Org, App]) -> None:
    rows = admin.org_rows()
    assert [(r.org_id, r.status) for r in rows] == [(second_org[0].org_id, "Connected")], rows


@then("the first org's user holds no live grant of any app")
def _(salesforce: SalesforceControl, scenario_data: ScenarioData, org: Org) -> None:
    """The first connection was dropped at Salesforce too: the appliance revoked its grant."""
    assert live_grants_of(salesforce, org, scenario_data.app_ids) == []


@then("the default backup policy leaves files and attachments out and keeps backups for 1 year")
def _(admin: Administrator) -> None:
    [policy] = admin.policies()
    assert (policy.files_and_attachments, policy.retention) == (False, "1 year"), policy


@when("the administrator runs the default backup policy now", target_fixture="run")
def _(admin: Administrator, org: Org) -> RunOutcome:
    """Backup Policies, "Run now" on the org's policy; provides the run (status, reason, objects)."""
    return admin.run_backup(org.org_id)


@then("the backup succeeds and holds records of the org")
def _(run: RunOutcome) -> None:
    assert run.status == "Success", run
    assert sum(run.objects.values()) > 0, run


@when("an hour passes on the appliance's clock")
def _(appliances: dict[str, ApplianceControl]) -> None:
    """The harness moves the appliance's time forward; the appliance runs every policy whose time has come."""
    appliances["3.2"].advance_clock(3600)


@then("the default backup policy has backed up the org once, by its schedule")
def _(admin: Administrator) -> None:
    """One run, with records, and none started with Run now in this scenario: the schedule started it."""
    runs = admin.backup_runs()
    assert [r.status for r in runs] == ["Success"], runs
    assert sum(runs[0].objects.values()) > 0, runs


@then("a backup run now succeeds")
def _(admin: Administrator, org: Org) -> None:
    run = admin.run_backup(org.org_id)
    assert run.status == "Success", run


@then("the backup fails, saying the org needs re-authorization")
def _(run: RunOutcome) -> None:
    """The run names the org's status, and Salesforce's reason for refusing the connection."""
    assert run.status == "Failed", run
    assert run.reason.startswith(f"{REAUTH}: "), run.reason


@then("the backup fails, saying the app changed and the org needs re-authorization")
def _(run: RunOutcome) -> None:
    assert run.status == "Failed", run
    assert run.reason.startswith(f"{REAUTH}: ") and "external client app changed" in run.reason, run.reason


@then(parsers.parse('a backup run now fails again, naming "{code}"'))
def _(admin: Administrator, org: Org, code: str) -> None:
    """The next run is refused too, and still says what Salesforce refused (not only that it must be redone)."""
    run = admin.run_backup(org.org_id)
    assert run.status == "Failed" and run.reason.startswith(f"{REAUTH}: ") and code in run.reason, run


@when("the administrator changes the org's connection to the second app", target_fixture="app")
def _(admin: Administrator, org: Org, second_app: App) -> App:
    admin.edit_connection(org.org_id, second_app.consumer_key, second_app.consumer_secret)
    return second_app


@when("the administrator changes the org's connection to the app's current key and secret")
def _(admin: Administrator, org: Org, app: App) -> None:
    admin.edit_connection(org.org_id, app.consumer_key, app.consumer_secret)


@when("the administrator re-authorizes the org as the org's user", target_fixture="outcome")
def _(admin: Administrator, org: Org) -> SeenOutcome:
    return admin.reauthorize(org.org_id, org.user)


@then(parsers.parse('the org\'s status is "{status}"'))
def _(admin: Administrator, org: Org, status: str) -> None:
    assert org_row(admin, org.org_id).status == status


@then(parsers.parse('the second org\'s status is "{status}"'))
def _(admin: Administrator, second_org: tuple[Org, App], status: str) -> None:
    assert org_row(admin, second_org[0].org_id).status == status


@given("a second Salesforce org with a system administrator and its own app set up as the guide asks",
       target_fixture="second_org")
@builds_world
def _(salesforce: SalesforceControl, scenario_data: ScenarioData) -> tuple[Org, App]:
    other = new_org(salesforce, scenario_data)
    return other, new_app(salesforce, scenario_data, other)


@given("a second Salesforce org added to the appliance with its own app set up as the guide asks",
       target_fixture="second_org")
@builds_world
def _(setup_client: ApiAdministrator, salesforce: SalesforceControl, appliances: dict[str, ApplianceControl],
      scenario_data: ScenarioData) -> tuple[Org, App]:
    """The org and its app join the gathered world, sent (with anything else waiting) before the appliance's
    Add Organization reaches Salesforce."""
    other = new_org(salesforce, scenario_data)
    other_app = new_app(salesforce, scenario_data, other)
    salesforce.flush()
    appliances["3.2"].flush()
    outcome = setup_client.add_organization(other_app.consumer_key, other_app.consumer_secret, other.user)
    assert outcome.status == "connected", outcome
    return other, other_app


@when("the administrator adds the second org with its own app", target_fixture="outcome")
def _(admin: Administrator, second_org: tuple[Org, App]) -> SeenOutcome:
    other, other_app = second_org
    return admin.add_organization(other_app.consumer_key, other_app.consumer_secret, other.user)


@then("the second org is connected")
def _(outcome: SeenOutcome, second_org: tuple[Org, App]) -> None:
    assert (outcome.status, outcome.org_id) == ("connected", second_org[0].org_id), outcome


@then("each org shows its own app")
def _(admin: Administrator, org: Org, app: App, second_org: tuple[Org, App]) -> None:
    first, second = org_row(admin, org.org_id), org_row(admin, second_org[0].org_id)
    assert (first.app, second.app) == (app.consumer_key, second_org[1].consumer_key), (first, second)


@when("the administrator changes the org's connection to the second org's app", target_fixture="app")
def _(admin: Administrator, org: Org, second_org: tuple[Org, App]) -> App:
    """Edit Connection on the first org with the key and secret of the app that lives in the second org."""
    other_app = second_org[1]
    admin.edit_connection(org.org_id, other_app.consumer_key, other_app.consumer_secret)
    return other_app


@when("the administrator re-authorizes the org as the second org's user", target_fixture="outcome")
def _(admin: Administrator, org: Org, second_org: tuple[Org, App]) -> SeenOutcome:
    """Re-authorize on the first org's row, then sign in at Salesforce as the second org's user and Allow."""
    return admin.reauthorize(org.org_id, second_org[0].user)


@then("the appliance refuses, saying the Salesforce user belongs to the second org and not to the org")
def _(outcome: SeenOutcome, org: Org, second_org: tuple[Org, App]) -> None:
    assert (outcome.status, outcome.error_code) == ("refused", "org_mismatch"), outcome
    assert second_org[0].org_id in outcome.message and org.org_id in outcome.message, outcome.message


@then("the appliance does not list the second org")
def _(admin: Administrator, org: Org, second_org: tuple[Org, App]) -> None:
    listed = [r.org_id for r in admin.org_rows()]
    assert second_org[0].org_id not in listed and listed == [org.org_id], listed


@when("the administrator adds the org again with the app's key and secret", target_fixture="outcome")
def _(admin: Administrator, org: Org, app: App) -> SeenOutcome:
    """Organizations, Add: the app the org already uses, then sign in at Salesforce as the org's user."""
    return admin.add_organization(app.consumer_key, app.consumer_secret, org.user)


@then("the appliance refuses, saying the org is already added")
def _(admin: Administrator, outcome: SeenOutcome, org: Org) -> None:
    assert (outcome.status, outcome.error_code) == ("refused", "org_exists"), outcome
    assert org.org_id in outcome.message, outcome.message
    rows = admin.org_rows()
    assert [r.org_id for r in rows] == [org.org_id], rows


@then(parsers.parse('the backup fails without asking for re-authorization, saying "{text}"'))
def _(run: RunOutcome, text: str) -> None:
    """The run names the org's status "Failed" and what went wrong, and asks for no re-authorization."""
    assert run.status == "Failed", run
    assert run.reason.startswith("Failed: ") and text in run.reason, run.reason
    assert "re-authoriz" not in run.reason.lower(), run.reason
