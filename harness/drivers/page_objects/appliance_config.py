"""Page objects for the appliance after the wizard: Log In, Salesforce Organizations, Add Organization,
Edit Connection, Backup Policies and (before 3.2) Connected App.

Written with the appliance (harness/appliance/templates); labels follow harness/README.md
"Appliance pages": the orgs table (caption "Salesforce Orgs") has the columns "Salesforce Alias",
"Organization ID", "Status", "External Client App" (or "Connected App" before 3.2) and "Actions" with
"Edit Connection" and "Re-authorize connection"; the runs table is named "Backup Runs".
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from harness.drivers.page_objects.appliance_wizard import ENVIRONMENT_LABELS
from harness.drivers.protocol import OrgRow, PolicyView, RunOutcome


class AppliancePage:
    title = ""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.alert = page.get_by_role("alert")
        self.status = page.get_by_role("status")

    def expect_shown(self) -> None:
        expect(self.heading).to_have_text(self.title)

    def read_outcome(self) -> tuple[str, str]:
        self.heading.wait_for()
        status = self.status.inner_text().strip() if self.status.count() else ""
        alert = self.alert.inner_text().strip() if self.alert.count() else ""
        return status, alert


class LoginPage(AppliancePage):
    title = "Log In"

    def open(self, base_url: str) -> None:
        self.page.goto(base_url.rstrip("/") + "/login")

    def log_in(self, username: str, password: str) -> None:
        self.expect_shown()
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log In").click()
        expect(self.heading).not_to_have_text(self.title)


class OrgsPage(AppliancePage):
    title = "Salesforce Organizations"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.table = page.get_by_role("table", name="Salesforce Orgs")
        self.rows = self.table.locator("tbody").get_by_role("row")

    def open(self, base_url: str) -> None:
        self.page.goto(base_url.rstrip("/") + "/configuration/orgs")
        self.expect_shown()

    def row(self, org_id: str) -> Locator:
        return self.rows.filter(has=self.page.get_by_role("cell", name=org_id, exact=True))

    def org_rows(self) -> list[OrgRow]:
        self.expect_shown()
        result = []
        for row in self.rows.all():
            cells = [c.strip() for c in row.get_by_role("cell").all_inner_texts()]
            status, *reason = cells[2].splitlines()
            result.append(OrgRow(alias=cells[0], org_id=cells[1], status=status.strip(), app=cells[3],
                                 reason=" ".join(line.strip() for line in reason).strip()))
        return result

    def edit_connection(self, org_id: str, consumer_key: str, consumer_secret: str) -> None:
        self.expect_shown()
        self.row(org_id).get_by_role("link", name="Edit Connection").click()
        EditConnectionPage(self.page).save(consumer_key, consumer_secret)
        self.expect_shown()

    def reauthorize(self, org_id: str) -> None:
        """Clicks "Re-authorize connection"; the browser is then at Salesforce."""
        self.expect_shown()
        self.row(org_id).get_by_role("button", name="Re-authorize connection").click()

    def start_add_organization(self) -> AddOrganizationPage:
        self.expect_shown()
        self.page.get_by_role("link", name="Add Organization").click()
        return AddOrganizationPage(self.page)

    def expect_back_from_salesforce(self) -> None:
        expect(self.heading).to_have_text(self.title)


class AddOrganizationPage(AppliancePage):
    title = "Add Organization"

    def read_callback_url(self) -> str:
        self.expect_shown()
        return self.page.get_by_label("Callback URL").input_value()

    def authorize(
        self,
        consumer_key: str | None,
        consumer_secret: str | None,
        environment: str = "production",
        my_domain: str | None = None,
    ) -> None:
        """Fills the app (3.2+) and the environment, clicks Authorize; the browser is then at Salesforce."""
        self.expect_shown()
        if consumer_key is not None and consumer_secret is not None:
            self.page.get_by_label("Consumer Key").fill(consumer_key)
            self.page.get_by_label("Consumer Secret").fill(consumer_secret)
        self.page.get_by_label(ENVIRONMENT_LABELS[environment], exact=True).check()
        if my_domain is not None:
            self.page.get_by_label("My Domain").fill(my_domain)
        self.page.get_by_role("button", name="Authorize").click()


class EditConnectionPage(AppliancePage):
    title = "Edit Connection"

    def save(self, consumer_key: str, consumer_secret: str) -> None:
        self.expect_shown()
        self.page.get_by_label("Consumer Key").fill(consumer_key)
        self.page.get_by_label("Consumer Secret").fill(consumer_secret)
        self.page.get_by_role("button", name="Save").click()


class ConnectedAppPage(AppliancePage):
    """Before 3.2: Configuration, Security, Connected App (one app for every org)."""

    title = "Connected App"

    def open(self, base_url: str) -> None:
        self.page.goto(base_url.rstrip("/") + "/configuration/security/connected-app")

    def set_connected_app(self, consumer_key: str, consumer_secret: str) -> None:
        self.expect_shown()
        self.page.get_by_label("Consumer Key").fill(consumer_key)
        self.page.get_by_label("Consumer Secret").fill(consumer_secret)
        self.page.get_by_role("button", name="Save").click()
        expect(self.heading).to_have_text(OrgsPage.title)


class PoliciesPage(AppliancePage):
    title = "Backup Policies"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.policy_rows = page.get_by_role("table", name="Policies").locator("tbody").get_by_role("row")
        self.run_rows = page.get_by_role("table", name="Backup Runs").locator("tbody").get_by_role("row")

    def open(self, base_url: str) -> None:
        self.page.goto(base_url.rstrip("/") + "/configuration/policies")
        self.expect_shown()

    def policies(self) -> list[PolicyView]:
        self.expect_shown()
        views = []
        for row in self.policy_rows.all():
            cells = [c.strip() for c in row.get_by_role("cell").all_inner_texts()]
            views.append(
                PolicyView(
                    name=cells[0],
                    org_id=cells[1],
                    schedule=cells[2],
                    files_and_attachments=cells[3] == "Included",
                    retention=cells[4],
                )
            )
        return views

    def run_backup_now(self, org_id: str | None = None) -> None:
        self.expect_shown()
        rows = self.policy_rows
        if org_id is not None:
            rows = rows.filter(has=self.page.get_by_role("cell", name=org_id, exact=True))
        rows.first.get_by_role("button", name="Run now").click()
        expect(self.page.get_by_role("status").or_(self.alert)).to_contain_text(re.compile(r"Backup run \d+"))

    def last_run(self) -> RunOutcome:
        self.expect_shown()
        return self._run(self.run_rows.first)

    def runs(self) -> list[RunOutcome]:
        """The Backup Runs table, newest first as the page lists them."""
        self.expect_shown()
        return [self._run(row) for row in self.run_rows.all()]

    @staticmethod
    def _run(row: Locator) -> RunOutcome:
        cells = [c.strip() for c in row.get_by_role("cell").all_inner_texts()]
        objects = {}
        for part in filter(None, (p.strip() for p in cells[5].split(","))):
            name, _, count = part.partition(":")
            objects[name.strip()] = int(count)
        return RunOutcome(status=cells[3], reason=cells[4], objects=objects)


class ApplianceConfiguration:
    """The configuration pages as one set of intents."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page, self.base_url = page, base_url
        self.login = LoginPage(page)
        self.orgs = OrgsPage(page)
        self.policies_page = PoliciesPage(page)
        self.connected_app = ConnectedAppPage(page)

    def log_in(self, username: str, password: str) -> None:
        self.login.open(self.base_url)
        self.login.log_in(username, password)

    def org_rows(self) -> list[OrgRow]:
        self.orgs.open(self.base_url)
        return self.orgs.org_rows()

    def edit_connection(self, org_id: str, consumer_key: str, consumer_secret: str) -> None:
        self.orgs.open(self.base_url)
        self.orgs.edit_connection(org_id, consumer_key, consumer_secret)

    def try_edit_connection(self, org_id: str, consumer_key: str, consumer_secret: str) -> str:
        """Edit Connection from the org's row, or by the page's address when the row has no such link (before
        3.2); after Save, the alert the page shows, or "" when the orgs page came back."""
        self.orgs.open(self.base_url)
        link = self.orgs.row(org_id).get_by_role("link", name="Edit Connection")
        if link.count():
            link.click()
        else:
            self.page.goto(f"{self.base_url.rstrip('/')}/configuration/orgs/{org_id}/edit")
        edit = EditConnectionPage(self.page)
        edit.save(consumer_key, consumer_secret)
        expect(edit.heading).to_have_text(re.compile(f"^({edit.title}|{OrgsPage.title})$"))
        if edit.heading.inner_text().strip() == OrgsPage.title:
            return ""
        return edit.alert.inner_text().strip() if edit.alert.count() else ""

    def reauthorize(self, org_id: str) -> None:
        self.orgs.open(self.base_url)
        self.orgs.reauthorize(org_id)

    def add_organization(
        self, consumer_key: str | None, consumer_secret: str | None, environment: str = "production"
    ) -> None:
        self.orgs.open(self.base_url)
        self.orgs.start_add_organization().authorize(consumer_key, consumer_secret, environment)

    def read_outcome(self) -> tuple[str, str]:
        self.orgs.expect_back_from_salesforce()
        return self.orgs.read_outcome()

    def policies(self) -> list[PolicyView]:
        self.policies_page.open(self.base_url)
        return self.policies_page.policies()

    def run_backup_now(self, org_id: str | None = None) -> None:
        self.policies_page.open(self.base_url)
        self.policies_page.run_backup_now(org_id)

    def last_run(self) -> RunOutcome:
        return self.policies_page.last_run()

    def backup_runs(self) -> list[RunOutcome]:
        self.policies_page.open(self.base_url)
        return self.policies_page.runs()

    def set_connected_app(self, consumer_key: str, consumer_secret: str) -> None:
        self.connected_app.open(self.base_url)
        self.connected_app.set_connected_app(consumer_key, consumer_secret)

    def try_set_connected_app(self, consumer_key: str, consumer_secret: str) -> str:
        """Save on the Connected App page opened by its address; the alert it then shows, or "" when the orgs
        page came back."""
        page = self.connected_app
        page.open(self.base_url)
        page.expect_shown()
        self.page.get_by_label("Consumer Key").fill(consumer_key)
        self.page.get_by_label("Consumer Secret").fill(consumer_secret)
        self.page.get_by_role("button", name="Save").click()
        expect(page.heading).to_have_text(re.compile(f"^({page.title}|{OrgsPage.title})$"))
        if page.heading.inner_text().strip() == OrgsPage.title:
            return ""
        return page.alert.inner_text().strip() if page.alert.count() else ""

    def shared_connected_app_key(self) -> str:
        self.connected_app.open(self.base_url)
        self.connected_app.expect_shown()
        return self.page.get_by_label("Consumer Key").input_value()
