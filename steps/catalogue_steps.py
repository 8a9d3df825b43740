"""Sentences scenario writers asked for: the callback list set or trimmed, an org added with an app the
appliance already uses, and every backup policy of an appliance (a pre-3.2 one too) run at once.

Rule served: the step catalogue lets a writer compose a scenario without reading Python
(docs/design.md section 6); each sentence is one driver call, in both layers where the
administrator acts (the Salesforce administrator's changes go through the control API in both).
"""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from harness.drivers.control_clients import SalesforceControl
from harness.drivers.protocol import Administrator, RunOutcome, SeenOutcome
from harness.pytest.scenario_data import ScenarioData
from steps.salesforce_steps import App, Org, as_app, new_org


@given("a second Salesforce org with a system administrator", target_fixture="other_org")
def _(salesforce: SalesforceControl, scenario_data: ScenarioData) -> Org:
    """Another production org with its own system administrator and no app (Faker names, as for the first)."""
    return new_org(salesforce, scenario_data)


@when(parsers.parse('the Salesforce administrator sets the app\'s callback URLs to "{urls}"'),
      target_fixture="app")
def _(salesforce: SalesforceControl, app: App, urls: str) -> App:
    """Replaces the whole Callback URL list (one URL per line in Setup) with these URLs."""
    return as_app(salesforce.change_app(app.app_id, callback_urls=urls.split()))


@when(parsers.parse('the Salesforce administrator removes "{url}" from the app\'s callback URLs'),
      target_fixture="app")
def _(salesforce: SalesforceControl, app: App, url: str) -> App:
    """Deletes this line of the Callback URL list; the URL must be on it exactly (letter case included)."""
    if url not in app.callback_urls:
        raise ValueError(f'"{url}" is not one of the app\'s callback URLs: {list(app.callback_urls)}')
    remaining = [u for u in app.callback_urls if u != url]
    return as_app(salesforce.change_app(app.app_id, callback_urls=remaining))


@when("the administrator adds the second org with the app already in the appliance", target_fixture="outcome")
def _(admin: Administrator, app: App, other_org: Org) -> SeenOutcome:
    """Organizations, Add: the consumer key and secret of the app the first org uses, then authorizes as
    the second org's user; provides the outcome."""
    return admin.add_organization(app.consumer_key, app.consumer_secret, other_org.user)


@then("the second org is not added")
def _(admin: Administrator, other_org: Org) -> None:
    rows = admin.org_rows()
    assert other_org.org_id not in [r.org_id for r in rows], rows


@when("the administrator runs every backup policy now", target_fixture="runs")
def _(admin: Administrator) -> list[RunOutcome]:
    """Backup Policies, "Run now" on each policy in the table, in turn; provides the runs. The appliance
    gives a policy to the org the wizard connected; an org added later has none until one is made."""
    return [admin.run_backup(policy.org_id) for policy in admin.policies()]


@then("every backup succeeds and holds records of its org")
def _(runs: list[RunOutcome]) -> None:
    assert runs, "no backup policy ran"
    for run in runs:
        assert run.status == "Success" and sum(run.objects.values()) > 0, run
