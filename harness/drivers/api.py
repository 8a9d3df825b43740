"""The API driver: the administrator's intents as HTTP requests, like a browser without JavaScript.

It calls the appliance's JSON API and walks Salesforce's login and consent pages as plain HTML
forms, following redirects itself so it can tell where each answer came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus, urljoin, urlsplit

import httpx

from harness.drivers.page_objects.salesforce import parse_form
from harness.drivers.protocol import OrgRow, PolicyView, RunOutcome, SalesforceUser, SeenOutcome

_MAX_HOPS = 15
_ERROR_TEXT = re.compile(r"error=([\w.-]+)&(?:amp;)?error_description=([^<\n\"]*)")


class ApplianceApiError(RuntimeError):
    """The appliance's JSON API refused a call; ``message`` is what it told the administrator."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message
        self.code = code  # the reason code the API documents, when it gave one


class ApiAdministrator:
    """Acts through the appliance's JSON API and Salesforce's HTML forms."""

    layer = "api"

    def __init__(self, client: httpx.Client) -> None:
        self.http = client
        self.base = ""
        self._address = ""

    # -- navigation -------------------------------------------------------------------------
    def open(self, url: str) -> None:
        parts = urlsplit(url)
        self.base = f"{parts.scheme}://{parts.netloc}"
        response = self.http.get(url, follow_redirects=True)
        response.raise_for_status()
        self._address = str(response.url)

    def _come_back(self, url: str) -> None:
        """Salesforce's redirect delivered to the appliance (the callback). The page the appliance then
        sends the browser to shows the outcome, which this driver reads as JSON next (``_outcome``), so
        that page is not fetched: the address is where the appliance points."""
        parts = urlsplit(url)
        self.base = f"{parts.scheme}://{parts.netloc}"
        response = self.http.get(url)
        if response.is_redirect:
            self._address = urljoin(url, response.headers["location"])
            return
        response.raise_for_status()
        self._address = str(response.url)

    def address(self) -> str:
        return self._address

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.http.request(method, f"{self.base}/api/v1{path}", json=body if body is not None else {})
        if response.status_code >= 400:
            raise ApplianceApiError(response.status_code, _message(response), _code(response))
        return response.json() if response.content else None

    # -- wizard -------------------------------------------------------------------------------
    def at_step(self, number: int, state: dict[str, Any] | None = None) -> None:
        """Like the browser driver, which uses the wizard's Back button: an intent at an earlier step
        moves the wizard back to it, so both layers leave the wizard at the same step. ``state`` is the
        wizard's state an answer just carried (then the wizard is not asked again)."""
        for _ in range(_MAX_HOPS):
            state = state or self.call("GET", "/wizard")
            if state.get("finished") or state["step"] <= number:
                return
            state = self.call("POST", "/wizard/back")

    def _app_step(self) -> dict[str, Any]:
        """Step 5 as the wizard shows it; its answer says where the wizard stands, so no GET /wizard first."""
        view: dict[str, Any] = self.call("GET", "/wizard/external-client-app")
        self.at_step(5, view["wizard"])
        return view

    def _completes(self, number: int, path: str, body: dict[str, Any] | None = None) -> Any:
        """A step's Next: completing step ``number`` leaves the wizard at the next step from any later
        step the browser would first go Back from, so it is sent as is; a refused one saves nothing and
        leaves the wizard where the browser's Back clicks would have (at_step after it)."""
        try:
            return self.call("POST", path, body)
        except ApplianceApiError:
            self.at_step(number)
            raise

    def read_callback_url(self) -> str:
        return str(self._app_step()["callback_url"])

    def copy_callback_url(self) -> str:
        """The API has no clipboard: what a client copies is the step's callback_url value."""
        return self.read_callback_url()

    def read_app_step_title(self) -> str:
        return str(self._app_step()["title"])

    def read_checklist(self) -> list[str]:
        return list(self._app_step()["checklist"])

    def enter_app_credentials(self, consumer_key: str, consumer_secret: str) -> None:
        self._completes(5, "/wizard/external-client-app",
                        {"consumer_key": consumer_key, "consumer_secret": consumer_secret})

    def authorize(self, user: SalesforceUser, *, environment: str = "production", approve: bool = True,
                  before_return: Callable[[], object] | None = None) -> SeenOutcome:
        """Starting needs step 6 reached, not shown, and leaves the step as it was; the answer says which
        step is shown, so Back is pressed only when the wizard stands past step 6."""
        try:
            started = self.call("POST", "/wizard/salesforce", {"environment": environment})
        except ApplianceApiError:
            self.at_step(6)
            raise
        self.at_step(6, started["wizard"])
        stuck = self.walk_salesforce(started["authorize_url"], user, approve, before_return)
        return stuck or self._outcome(self.call("GET", "/wizard/salesforce"))

    def finish_wizard(self, schedule: str) -> None:
        """Next at step 6, then the schedule and Finish, each at the step the wizard says it is at, as the
        browser sees the page the wizard shows after each Next."""
        shown = self._completes(6, "/wizard/salesforce/next")
        if shown["slug"] != "schedule":
            raise ApplianceApiError(409, f"after Next at step 6 the wizard is at {shown['slug']!r}, not 'schedule'")
        self.call("POST", "/wizard/schedule", {"schedule": schedule})
        self.call("POST", "/wizard/finish")

    def next_at_salesforce_step(self) -> SeenOutcome:
        try:
            self._completes(6, "/wizard/salesforce/next")
        except ApplianceApiError as refused:
            return SeenOutcome(status="refused", message=refused.message, error_code=refused.code)
        return SeenOutcome(status="continued", message="")

    def finish_wizard_early(self) -> str:
        try:
            self.call("POST", "/wizard/finish")
        except ApplianceApiError as refused:
            if refused.code != "wrong_step":
                raise
        state = self.call("GET", "/wizard")
        return "" if state["finished"] else str(state["step_name"])

    # -- after the wizard ---------------------------------------------------------------------
    def log_in(self, username: str, password: str) -> None:
        self.call("POST", "/session", {"username": username, "password": password})

    def org_rows(self) -> list[OrgRow]:
        return [OrgRow(alias=o["alias"], org_id=o["org_id"], status=o["status"], app=o.get("app", ""),
                       reason=o.get("status_reason") or "")
                for o in self.call("GET", "/orgs")]

    def policies(self) -> list[PolicyView]:
        return [PolicyView(name=p["name"], org_id=p["org_id"], schedule=p["schedule"],
                           files_and_attachments=bool(p["files_and_attachments"]),
                           retention=str(p["retention"]))
                for p in self.call("GET", "/policies")]

    def add_organization(self, consumer_key: str, consumer_secret: str, user: SalesforceUser) -> SeenOutcome:
        started = self.call("POST", "/orgs/add", {"consumer_key": consumer_key,
                                                  "consumer_secret": consumer_secret})
        stuck = self.walk_salesforce(started["authorize_url"], user, True)
        return stuck or self._outcome(self.call("GET", "/orgs/add"))

    def edit_connection(self, org_id: str, consumer_key: str, consumer_secret: str) -> None:
        self.call("POST", f"/orgs/{org_id}/connection",
                  {"consumer_key": consumer_key, "consumer_secret": consumer_secret})

    def try_edit_connection(self, org_id: str, consumer_key: str, consumer_secret: str) -> str:
        try:
            self.edit_connection(org_id, consumer_key, consumer_secret)
        except ApplianceApiError as refused:
            return refused.message
        return ""

    def reauthorize(self, org_id: str, user: SalesforceUser) -> SeenOutcome:
        started = self.call("POST", f"/orgs/{org_id}/reauthorize")
        stuck = self.walk_salesforce(started["authorize_url"], user, True)
        return stuck or self._outcome(self.call("GET", f"/orgs/{org_id}/reauthorize"))

    def run_backup(self, org_id: str) -> RunOutcome:
        policy = next(p for p in self.call("GET", "/policies") if p["org_id"] == org_id)
        run = self.call("POST", f"/policies/{policy['id']}/run")
        return RunOutcome(status=run["status"], reason=run.get("reason", ""),
                          objects=dict(run.get("objects", {})))

    def backup_runs(self) -> list[RunOutcome]:
        runs = [run for policy in self.call("GET", "/policies")
                for run in self.call("GET", f"/policies/{policy['id']}/runs")]
        return [RunOutcome(status=run["status"], reason=run.get("reason", ""), objects=dict(run.get("objects", {})))
                for run in sorted(runs, key=lambda r: -r["id"])]

    def set_connected_app(self, consumer_key: str, consumer_secret: str) -> None:
        self.call("PUT", "/security/connected-app",
                  {"consumer_key": consumer_key, "consumer_secret": consumer_secret})

    def try_set_connected_app(self, consumer_key: str, consumer_secret: str) -> str:
        try:
            self.set_connected_app(consumer_key, consumer_secret)
        except ApplianceApiError as refused:
            return refused.message
        return ""

    def shared_connected_app_key(self) -> str:
        return str(self.call("GET", "/security/connected-app").get("consumer_key") or "")

    # -- Salesforce pages as plain forms --------------------------------------------------------
    def walk_salesforce(self, url: str, user: SalesforceUser, approve: bool,
                        before_return: Callable[[], object] | None = None) -> SeenOutcome | None:
        """Follows the authorization through Salesforce; returns an outcome only when stuck there."""
        method, data = "GET", None
        for _ in range(_MAX_HOPS):
            response = self.http.request(method, url, data=data)
            self._address = str(response.url)
            if response.is_redirect:
                url, method, data = urljoin(url, response.headers["location"]), "GET", None
                if self._is_appliance(url):
                    if before_return is not None:
                        before_return()
                    self._come_back(url)
                    return None
                continue
            form = parse_form(response.text) if "html" in response.headers.get("content-type", "") else None
            fields = form[2] if form else {}
            if form and "pw" in fields:
                data = {**fields, "username": user.username, "pw": user.password}
            elif form and "decision" in fields:
                data = {**fields, "decision": "allow" if approve else "deny"}
            else:
                return _salesforce_error(response)
            url, method = urljoin(url, form[0]), form[1].upper()
        raise RuntimeError(f"authorization did not come back after {_MAX_HOPS} hops; last at {url}")

    def _is_appliance(self, url: str) -> bool:
        return urlsplit(url).hostname not in (None, "") and not urlsplit(url).hostname.endswith(  # type: ignore[union-attr]
            "salesforce.com")

    def _outcome(self, state: dict[str, Any]) -> SeenOutcome:
        return SeenOutcome(status=state["status"], message=state.get("message", ""),
                       error_code=state.get("error_code"), org_id=state.get("org_id"),
                       username=state.get("username"),
                       granted_scopes=tuple(state.get("granted_scopes") or ()), location=self._address)


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text
    return str(body.get("message") or body.get("detail") or body.get("error") or body)


def _code(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return str(body["error"]) if isinstance(body, dict) and body.get("error") else None


def _salesforce_error(response: httpx.Response) -> SeenOutcome:
    text = response.text
    match = _ERROR_TEXT.search(text)
    if match:
        code, description = match.group(1), unquote_plus(match.group(2)).strip()
    else:
        try:
            body = response.json()
            code, description = body.get("error"), body.get("error_description", "")
        except ValueError:
            code, description = None, text[:200]
    return SeenOutcome(status="salesforce_error", message=description, error_code=code,
                   location=str(response.url))
