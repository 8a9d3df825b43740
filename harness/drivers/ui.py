"""The browser driver: the administrator's intents as clicks in Chromium, through page objects.

Every address is the guide's own (the browser goes through the virtual network's proxy), so the
address bar shows ``https://172.12.0.1/`` or ``https://acme.internal.com/`` exactly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import httpx
from playwright.sync_api import Page, Route, expect

from harness.drivers.page_objects.appliance_config import ApplianceConfiguration
from harness.drivers.page_objects.appliance_wizard import APP_STEP, SALESFORCE_STEP, ApplianceWizard, WizardNavigation
from harness.drivers.page_objects.salesforce import (
    SalesforceConsentPage,
    SalesforceErrorPage,
    SalesforceLoginPage,
    parse_error_text,
)
from harness.drivers.protocol import OrgRow, PolicyView, RunOutcome, SalesforceUser, SeenOutcome

_MAX_PAGES = 8
_SALESFORCE = re.compile(r"(^|\.)salesforce\.com$")


def _passed_headers(response: httpx.Response) -> dict[str, str]:
    """Headers for ``route.fulfill``: several Set-Cookie values are joined with newlines, as Playwright expects."""
    headers = {k: v for k, v in response.headers.items() if k not in ("set-cookie", "content-length",
                                                                       "content-encoding", "transfer-encoding")}
    cookies = response.headers.get_list("set-cookie")
    if cookies:
        headers["set-cookie"] = "\n".join(cookies)
    return headers


def _at_salesforce(url: str) -> bool:
    return bool(_SALESFORCE.search(urlsplit(url).hostname or ""))


class UiAdministrator:
    """Acts through the appliance's pages and Salesforce's pages in a real browser."""

    layer = "ui"

    def __init__(self, page: Page, http: httpx.Client | None = None) -> None:
        self.page = page
        # Reaches Salesforce like the browser does (proxy, harness CA); used to relay one answer when
        # something must happen between Salesforce's redirect and the browser following it.
        self.http = http
        self.base = ""
        self.wizard = ApplianceWizard(page)
        self.navigation = WizardNavigation(page)

    @property
    def config(self) -> ApplianceConfiguration:
        return ApplianceConfiguration(self.page, self.base)

    def open(self, url: str) -> None:
        parts = urlsplit(url)
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.page.goto(url)

    def address(self) -> str:
        return self.page.url

    # -- wizard -------------------------------------------------------------------------------
    def _go_to(self, step: int) -> None:
        self.navigation.go_to(step, self.base)

    def read_callback_url(self) -> str:
        self._go_to(APP_STEP)
        return self.wizard.read_callback_url()

    def copy_callback_url(self) -> str:
        """Clicks Copy beside the callback URL and reads what it put on the clipboard (the guide's
        administrator "copied the URL"): the page's own copy code, not the field, is what is checked."""
        self._go_to(APP_STEP)
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.page.url))
        self.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        self.page.evaluate("navigator.clipboard.writeText('')")
        self.wizard.app.copy_callback_url()
        return str(self.page.evaluate("navigator.clipboard.readText()"))

    def read_app_step_title(self) -> str:
        self._go_to(APP_STEP)
        return self.page.get_by_role("heading", level=1).inner_text().strip()

    def read_checklist(self) -> list[str]:
        self._go_to(APP_STEP)
        return self.wizard.read_checklist()

    def enter_app_credentials(self, consumer_key: str, consumer_secret: str) -> None:
        self._go_to(APP_STEP)
        self.wizard.enter_app_credentials(consumer_key, consumer_secret)

    def authorize(self, user: SalesforceUser, *, environment: str = "production", approve: bool = True,
                  before_return: Callable[[], object] | None = None) -> SeenOutcome:
        self._go_to(SALESFORCE_STEP)
        if before_return is None:
            self.wizard.authorize(environment)
            return self.walk_salesforce(user, approve) or self.read_outcome()
        console = urlsplit(self.base).netloc

        def hold(route: Route) -> None:
            # Playwright does not route a redirect's target, so the Salesforce answer that redirects is
            # fetched here (with the browser's cookies) and handed to the browser once the change is made.
            answer = self._relay(route)
            target = urlsplit(urljoin(route.request.url, answer.headers.get("location", "")))
            if target.netloc == console and "code=" in target.query:
                before_return()
            route.fulfill(status=answer.status_code, headers=_passed_headers(answer), body=answer.content)

        self.page.route(_at_salesforce, hold)
        try:
            self.wizard.authorize(environment)
            return self.walk_salesforce(user, approve) or self.read_outcome()
        finally:
            self.page.unroute(_at_salesforce, hold)

    def finish_wizard(self, schedule: str) -> None:
        self._go_to(SALESFORCE_STEP)
        self.wizard.continue_after_connection()
        self.wizard.choose_schedule(schedule)
        self.wizard.finish()

    def next_at_salesforce_step(self) -> SeenOutcome:
        self._go_to(SALESFORCE_STEP)
        self.wizard.salesforce.next()
        alert = self.page.get_by_role("alert")
        if not alert.count():
            return SeenOutcome(status="continued", message="")
        return SeenOutcome(status="refused", message=alert.inner_text().strip(),
                           error_code=alert.get_attribute("data-code") or None)

    def finish_wizard_early(self) -> str:
        """The Summary's address opens it only once step 7 is done; else the wizard shows its current step."""
        self.page.goto(f"{self.base}/wizard/summary")
        if self.navigation.current() is not None and self.wizard.summary.heading.inner_text().strip() == "Summary":
            self.wizard.finish()
        position = self.navigation.current()
        return "" if position is None else position[1][position[0] - 1]

    def _relay(self, route: Route) -> httpx.Response:
        if self.http is None:
            raise RuntimeError("this browser driver was made without an HTTP client to relay Salesforce's answer")
        request = route.request
        headers = {k: v for k, v in request.all_headers().items() if not k.startswith(":")}
        return self.http.request(request.method, request.url, headers=headers, content=request.post_data_buffer,
                                 follow_redirects=False)

    # -- after the wizard ---------------------------------------------------------------------
    def log_in(self, username: str, password: str) -> None:
        self.config.log_in(username, password)

    def org_rows(self) -> list[OrgRow]:
        return self.config.org_rows()

    def policies(self) -> list[PolicyView]:
        return self.config.policies()

    def add_organization(self, consumer_key: str, consumer_secret: str, user: SalesforceUser) -> SeenOutcome:
        self.config.add_organization(consumer_key or None, consumer_secret or None)
        return self.walk_salesforce(user, True) or self.read_outcome()

    def edit_connection(self, org_id: str, consumer_key: str, consumer_secret: str) -> None:
        self.config.edit_connection(org_id, consumer_key, consumer_secret)

    def try_edit_connection(self, org_id: str, consumer_key: str, consumer_secret: str) -> str:
        return self.config.try_edit_connection(org_id, consumer_key, consumer_secret)

    def reauthorize(self, org_id: str, user: SalesforceUser) -> SeenOutcome:
        self.config.reauthorize(org_id)
        return self.walk_salesforce(user, True) or self.read_outcome()

    def run_backup(self, org_id: str) -> RunOutcome:
        self.config.run_backup_now(org_id)
        return self.config.last_run()

    def backup_runs(self) -> list[RunOutcome]:
        return self.config.backup_runs()

    def set_connected_app(self, consumer_key: str, consumer_secret: str) -> None:
        self.config.set_connected_app(consumer_key, consumer_secret)

    def try_set_connected_app(self, consumer_key: str, consumer_secret: str) -> str:
        return self.config.try_set_connected_app(consumer_key, consumer_secret)

    def shared_connected_app_key(self) -> str:
        return self.config.shared_connected_app_key()

    # -- reading outcomes ---------------------------------------------------------------------
    def read_outcome(self) -> SeenOutcome:
        """The outcome block the appliance shows after Salesforce sent the browser back."""
        shown = self.page.locator("[data-outcome]")
        expect(shown).to_have_count(1)
        text = shown.inner_text().strip()
        scopes = shown.locator(".scopes")
        return SeenOutcome(
            status=shown.get_attribute("data-outcome") or "",
            message=text,
            error_code=shown.get_attribute("data-code") or None,
            org_id=shown.get_attribute("data-org-id") or None,
            username=shown.get_attribute("data-username") or None,
            granted_scopes=tuple(scopes.inner_text().split()) if scopes.count() else (),
            location=self.page.url,
        )

    def walk_salesforce(self, user: SalesforceUser, approve: bool) -> SeenOutcome | None:
        """Signs in and answers consent at Salesforce; returns an outcome only when stuck there."""
        for _ in range(_MAX_PAGES):
            self.page.wait_for_load_state()
            if not _at_salesforce(self.page.url):
                return None
            if self.page.get_by_role("button", name="Log In").count():
                SalesforceLoginPage(self.page).log_in(user.username, user.password)
            elif SalesforceConsentPage(self.page).is_shown():
                consent = SalesforceConsentPage(self.page)
                consent.allow() if approve else consent.deny()
            else:
                return self._salesforce_error()
        raise AssertionError(f"authorization did not come back; the browser is at {self.page.url}")

    def _salesforce_error(self) -> SeenOutcome:
        if self.page.get_by_role("heading", name="OAuth Error").count():
            code, description = SalesforceErrorPage(self.page).read_error()
        else:
            body = self.page.locator("body").inner_text()
            try:
                parsed = json.loads(body)
                code, description = parsed.get("error", ""), parsed.get("error_description", "")
            except ValueError:
                code, description = parse_error_text(body)
        return SeenOutcome(status="salesforce_error", message=description, error_code=code or None,
                       location=self.page.url)
