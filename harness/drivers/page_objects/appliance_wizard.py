"""Page objects for the appliance's initial configuration wizard (``/wizard/<slug>``).

Written with the appliance (harness/appliance/templates/wizard); they rely only on the contract in
harness/README.md "Appliance pages": one h1 per page, "Back" / "Next" / "Finish" buttons, errors in
``role="alert"``, outcomes in ``role="status"``, and the field labels of each step ("Callback URL",
"Copy", "Consumer Key", "Consumer Secret", ...). Locators are roles and labels; waits are ``expect``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

ENVIRONMENT_LABELS = {"production": "Production", "sandbox": "Sandbox", "custom": "Custom domain"}


class WizardStep:
    """What every wizard page has: its title, Back, Next, alerts and outcomes."""

    title = ""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.next_button = page.get_by_role("button", name="Next", exact=True)
        self.back_button = page.get_by_role("button", name="Back", exact=True)
        self.alert = page.get_by_role("alert")
        self.status = page.get_by_role("status")

    def expect_shown(self) -> None:
        expect(self.heading).to_have_text(self.title)

    def next(self) -> None:
        # Each button submits the step's form: wait for the page it leads to, so what comes next acts
        # on that page and never on the one being left.
        with self.page.expect_navigation():
            self.next_button.click()

    def back(self) -> None:
        with self.page.expect_navigation():
            self.back_button.click()

    def read_outcome(self) -> tuple[str, str]:
        """(status text, alert text) as shown now; an empty string where the page shows none."""
        self.heading.wait_for()
        status = self.status.inner_text().strip() if self.status.count() else ""
        alert = self.alert.inner_text().strip() if self.alert.count() else ""
        return status, alert


class LicensePage(WizardStep):
    title = "Accept License Agreement"

    def accept_license(self) -> None:
        self.expect_shown()
        self.page.get_by_label("I accept the license agreement").check()
        self.next()


class AdministratorPage(WizardStep):
    title = "Create Local Administrator"

    def create_administrator(self, username: str, password: str) -> None:
        self.expect_shown()
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.next()


class DatabasePage(WizardStep):
    title = "Connect to Database"

    def choose_database_sqlite(self) -> None:
        self.expect_shown()
        self.page.get_by_label("Embedded database (SQLite)").check()
        self.next()


class LicenseFilePage(WizardStep):
    title = "Provide License File"

    def use_trial_license(self) -> None:
        self.expect_shown()
        self.page.get_by_label("Use a trial license").check()
        self.next()


class ExternalClientAppPage(WizardStep):
    """Step 5; titled "Create Connected App" before 3.2."""

    title = "Create External Client App"

    def __init__(self, page: Page, legacy: bool = False) -> None:
        super().__init__(page)
        if legacy:
            self.title = "Create Connected App"
        self.callback_url = page.get_by_label("Callback URL")
        self.copy_button = page.get_by_role("button", name="Copy")
        self.checklist = page.get_by_role("list", name="Checklist").get_by_role("listitem")
        self.consumer_key = page.get_by_label("Consumer Key")
        self.consumer_secret = page.get_by_label("Consumer Secret")

    def expect_shown(self) -> None:
        # The browser driver does not know the appliance's version; step 5 has one of the two titles.
        expect(self.heading).to_have_text(re.compile(r"^\s*Create (External Client|Connected) App\s*$"))

    def read_callback_url(self) -> str:
        self.expect_shown()
        expect(self.callback_url).to_have_attribute("readonly", "")
        return self.callback_url.input_value()

    def copy_callback_url(self) -> None:
        self.copy_button.click()
        expect(self.page.get_by_text("Copied", exact=True)).to_be_visible()

    def read_checklist(self) -> list[str]:
        self.expect_shown()
        return [text.strip() for text in self.checklist.all_inner_texts()]

    def enter_app_credentials(self, consumer_key: str, consumer_secret: str) -> None:
        self.expect_shown()
        self.consumer_key.fill(consumer_key)
        self.consumer_secret.fill(consumer_secret)
        self.next()


class ConnectToSalesforcePage(WizardStep):
    title = "Connect to Salesforce"

    def authorize(self, environment: str = "production", my_domain: str | None = None) -> None:
        """Chooses the environment and clicks Authorize; the browser is then at Salesforce."""
        self.expect_shown()
        self.page.get_by_label(ENVIRONMENT_LABELS[environment], exact=True).check()
        if my_domain is not None:
            self.page.get_by_label("My Domain").fill(my_domain)
        self.page.get_by_role("button", name="Authorize").click()

    def expect_back_from_salesforce(self) -> None:
        expect(self.heading).to_have_text(self.title)


class SchedulePage(WizardStep):
    title = "Set Backup Policy Schedule"

    def choose_schedule(self, name: str) -> None:
        self.expect_shown()
        self.page.get_by_label(name, exact=True).check()
        self.next()


class SummaryPage(WizardStep):
    title = "Summary"

    def finish(self) -> None:
        self.expect_shown()
        self.page.get_by_role("button", name="Finish").click()
        expect(self.heading).to_have_text("Log In")


_MAX_MOVES = 12
APP_STEP, SALESFORCE_STEP = 5, 6
# The wizard pages' addresses, in step order (harness/README.md "Appliance pages").
SLUGS = ("license", "administrator", "database", "license-file", "external-client-app", "salesforce", "schedule",
         "summary")


class WizardNavigation:
    """Gets to a wizard page as a person does: the browser's Back to leave Salesforce, the address they
    typed to reach the console, the wizard's own Back button to return to an earlier step, and a step's
    own address to go forward to a step already reached (Next would submit the page they are on, and
    step 5 never shows the saved secret back). The step list ("Wizard steps", the current step marked)
    says which way to go."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", level=1)
        self.steps = page.get_by_role("navigation", name="Wizard steps").get_by_role("listitem")
        self.step = WizardStep(page)

    def current(self) -> tuple[int, list[str]] | None:
        """(1-based index of the current step, titles of all steps), or None off the wizard."""
        if self.steps.count() == 0:
            return None
        titles = [t.strip() for t in self.steps.all_inner_texts()]
        marked = self.page.locator("nav[aria-label='Wizard steps'] li[aria-current='step']")
        return (titles.index(marked.inner_text().strip()) + 1 if marked.count() else 0), titles

    def go_to(self, number: int, console_url: str) -> None:
        """To wizard step ``number`` (1-based; its title differs between versions)."""
        for _ in range(_MAX_MOVES):
            self.page.wait_for_load_state()
            position = self.current()
            if position is None:
                self._return_to_console(console_url)
                continue
            step, titles = position
            if step == number and self.heading.inner_text().strip() == titles[number - 1]:
                return
            if step > number:
                self.step.back()
            elif not self._open_reached(number, console_url):
                raise AssertionError(f"wizard step {number} is not open yet; the wizard is at step {step}")
        raise AssertionError(f"could not get to wizard step {number}; the browser is at {self.page.url}")

    def _open_reached(self, number: int, console_url: str) -> bool:
        """Opens a later step by its address; the wizard answers with its current step if not reached."""
        self.page.goto(f"{console_url.rstrip('/')}/wizard/{SLUGS[number - 1]}")
        position = self.current()
        return position is not None and position[0] == number

    def _return_to_console(self, console_url: str) -> None:
        """Off the wizard (at Salesforce, or on an error page): Back once, else type the console's address."""
        host = urlsplit(console_url).netloc
        if urlsplit(self.page.url).netloc != host:
            self.page.go_back()
            if urlsplit(self.page.url).netloc == host and self.steps.count():
                return
        self.page.goto(console_url.rstrip("/") + "/")


class ApplianceWizard:
    """The whole wizard as one set of intents, for steps that do not care which page is which."""

    def __init__(self, page: Page, legacy: bool = False) -> None:
        self.page = page
        self.license = LicensePage(page)
        self.administrator = AdministratorPage(page)
        self.database = DatabasePage(page)
        self.license_file = LicenseFilePage(page)
        self.app = ExternalClientAppPage(page, legacy)
        self.salesforce = ConnectToSalesforcePage(page)
        self.schedule = SchedulePage(page)
        self.summary = SummaryPage(page)

    def open(self, base_url: str) -> None:
        self.page.goto(base_url.rstrip("/") + "/wizard")

    def accept_license(self) -> None:
        self.license.accept_license()

    def create_administrator(self, username: str, password: str) -> None:
        self.administrator.create_administrator(username, password)

    def choose_database_sqlite(self) -> None:
        self.database.choose_database_sqlite()

    def use_trial_license(self) -> None:
        self.license_file.use_trial_license()

    def read_callback_url(self) -> str:
        return self.app.read_callback_url()

    def read_checklist(self) -> list[str]:
        return self.app.read_checklist()

    def enter_app_credentials(self, consumer_key: str, consumer_secret: str) -> None:
        self.app.enter_app_credentials(consumer_key, consumer_secret)

    def authorize(self, environment: str = "production", my_domain: str | None = None) -> None:
        self.salesforce.authorize(environment, my_domain)

    def read_outcome(self) -> tuple[str, str]:
        self.salesforce.expect_back_from_salesforce()
        return self.salesforce.read_outcome()

    def continue_after_connection(self) -> None:
        self.salesforce.expect_shown()
        self.salesforce.next()

    def choose_schedule(self, name: str) -> None:
        self.schedule.choose_schedule(name)

    def finish(self) -> None:
        self.summary.finish()
