"""Page objects for Salesforce's login, consent and OAuth error pages, and a form reader.

Written with the fake Salesforce (``harness/salesforce/templates``); they hold only to what the
real pages show: the login form labelled "Username" / "Password" with a "Log In" button, the
"Allow Access?" screen with "Allow" and "Deny", and the OAuth error page that shows the raw
``error=..&error_description=..`` string (docs/salesforce-facts.md 3.6). ``parse_form`` lets clients without
JavaScript (the API driver) read the same forms and submit them with httpx.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import unquote

from playwright.sync_api import Page, expect


class SalesforceLoginPage:
    """Salesforce's "Log In" page."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def log_in(self, username: str, password: str) -> None:
        expect(self.page.get_by_role("button", name="Log In")).to_be_visible()
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log In").click()

    def read_error(self) -> str:
        alert = self.page.get_by_role("alert")
        expect(alert).to_be_visible()
        return alert.inner_text().strip()


class SalesforceConsentPage:
    """The "Allow Access?" screen an app shows on first use."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def is_shown(self) -> bool:
        return self.page.get_by_role("heading", name="Allow Access?").is_visible()

    def requested_access(self) -> list[str]:
        items = self.page.get_by_role("list", name="Requested access").get_by_role("listitem")
        expect(items.first).to_be_visible()
        return [text.strip() for text in items.all_inner_texts()]

    def allow(self) -> None:
        self._click("Allow")

    def deny(self) -> None:
        self._click("Deny")

    def _click(self, name: str) -> None:
        button = self.page.get_by_role("button", name=name, exact=True)
        expect(button).to_be_visible()
        button.click()


class SalesforceErrorPage:
    """Salesforce's "OAuth Error" page, shown instead of a redirect."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def read_error(self) -> tuple[str, str]:
        """``(error, error_description)`` as the page shows them, description decoded."""
        expect(self.page.get_by_role("heading", name="OAuth Error")).to_be_visible()
        return parse_error_text(self.page.get_by_role("alert").inner_text())


def parse_error_text(text: str) -> tuple[str, str]:
    """Splits the page's ``error=X&error_description=Y`` (Y %-encoded) into ``(X, Y)``."""
    fields = dict(part.partition("=")[::2] for part in text.strip().split("&"))
    return fields.get("error", ""), unquote(fields.get("error_description", "")).replace("+", " ")


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append((found.get("action", ""), found.get("method", "get").lower(), {}))
            self._open = True
        elif self._open and tag in ("input", "button", "select", "textarea") and found.get("name"):
            if tag == "input" and found.get("type") in ("checkbox", "radio") and "checked" not in found:
                return
            # The first named button wins, as when a form is submitted with Enter.
            self.forms[-1][2].setdefault(found["name"], found.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = False


def parse_form(html: str) -> tuple[str, str, dict[str, str]] | None:
    """The first form on a page: ``(action, method, fields)``; fields include named buttons."""
    reader = _FormReader()
    reader.feed(html)
    return reader.forms[0] if reader.forms else None
