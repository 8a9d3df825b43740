"""The guide's IP-then-DNS example as a bare Playwright script: the yardstick for the browser layer.

Rule served: the browser layer may cost at most 1.10x a plain script making the same clicks
(docs/design.md, speed). This script does what the scenario "Both URLs in the app, both addresses
work" (features/create_external_client_app/example_dns_name.feature) does in the ``[ui]`` layer,
against the same embedded servers and the same Chromium, with no pytest, no pytest-bdd, no page
objects and no evidence: the same HTTP calls for the Givens, then the same clicks and checks.

    .venv/bin/python -m benchmarks.bare_example --repeat 5      # prints one JSON line of timings
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, expect, sync_playwright

from harness.drivers.control_clients import ApplianceControl, SalesforceControl
from harness.drivers.setup_labels import guide_app
from harness.reference.browser import ensure_chromium
from harness.reference.embedded import APPLIANCE_DNS_URL, APPLIANCE_URL, EmbeddedReference

_SALESFORCE = re.compile(r"^https://[^/]*salesforce\.com/")


def _controls(reference: Any, client: httpx.Client) -> tuple[SalesforceControl, ApplianceControl]:
    token = getattr(reference, "control_token", None)  # servers that gate their control routes
    extra = (token,) if token else ()
    return SalesforceControl(client, *extra), ApplianceControl(client, APPLIANCE_URL, *extra)


def _givens(reference: Any, client: httpx.Client, setup: httpx.Client, k: int) -> dict[str, Any]:
    """The Background and Givens, as the same HTTP calls the harness makes."""
    salesforce, appliance = _controls(reference, client)
    salesforce.reset(k)
    appliance.reset()
    org = salesforce.create_org(f"bare{k}")
    user = {"username": f"ann.lee@bare{k}.example.com", "password": "Bare#Secret123", "first_name": "Ann",
            "last_name": "Lee", "email": f"ann@bare{k}.example.com"}
    salesforce.create_user(org["id"], profile="System Administrator", active=True, **user)
    setup.cookies.clear()
    setup.get(APPLIANCE_URL, follow_redirects=True)
    for path, body in (("license", {"accepted": True}), ("administrator", {"username": "admin", "password":
                       "Admin#Secret123"}), ("database", {"kind": "sqlite"}), ("license-file", {"trial": True})):
        setup.post(f"{APPLIANCE_URL}/api/v1/wizard/{path}", json=body).raise_for_status()
    app = salesforce.create_app(org["id"], **guide_app(f"Backup {k}", "ops@bare.example.com", [APPLIANCE_URL]))
    changed = salesforce.change_app(app["id"], callback_urls=[APPLIANCE_URL, APPLIANCE_DNS_URL])
    assert sorted(salesforce.app(app["id"])["callback_urls"]) == sorted(changed["callback_urls"])
    return {"org_id": org["id"], "user": user, "key": app["consumer_key"], "secret": app["consumer_secret"]}


def _authorize(page: Page, user: dict[str, str], org_id: str, back_to: str) -> None:
    """Step 6: Authorize, sign in at Salesforce, allow, and read the outcome back at the appliance."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Connect to Salesforce")
    page.get_by_label("Production", exact=True).check()
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(_SALESFORCE)
    page.get_by_label("Username").fill(user["username"])
    page.get_by_label("Password").fill(user["password"])
    page.get_by_role("button", name="Log In").click()
    page.get_by_role("button", name="Allow", exact=True).click()
    page.wait_for_url(f"{back_to}/**")
    outcome = page.locator("[data-outcome]")
    expect(outcome).to_have_attribute("data-outcome", "connected")
    assert outcome.get_attribute("data-org-id") == org_id


def run_once(reference: Any, browser: Any, client: httpx.Client, setup: httpx.Client, k: int) -> float:
    began = time.perf_counter()
    given = _givens(reference, client, setup, k)
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(f"{APPLIANCE_DNS_URL}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create External Client App")
    page.get_by_label("Consumer Key").fill(given["key"])
    page.get_by_label("Consumer Secret").fill(given["secret"])
    page.get_by_role("button", name="Next", exact=True).click()
    _authorize(page, given["user"], given["org_id"], APPLIANCE_DNS_URL)
    page.goto(f"{APPLIANCE_URL}/")
    _authorize(page, given["user"], given["org_id"], APPLIANCE_URL)
    context.close()
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bare_example", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    reference = EmbeddedReference(Path(tempfile.mkdtemp(prefix="bare-"))).start()
    try:
        with sync_playwright() as pw, reference.client() as client, reference.client() as setup:
            browser = pw.chromium.launch(executable_path=ensure_chromium(), headless=True,
                                         args=reference.browser_args, proxy={"server": reference.proxy_url})
            times = [run_once(reference, browser, client, setup, k) for k in range(args.repeat)]
            browser.close()
    finally:
        reference.stop()
    print(json.dumps({"seconds": times}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
