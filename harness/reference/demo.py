"""``harness serve``: the embedded reference for a person clicking through the wizard by hand.

It starts the virtual network, the fake Salesforce and the appliance, seeds one org with a user
and an external client app set up as the guide asks, and prints what a person needs to log in.
Everything is kept in the work directory (appliances, fake Salesforce, the seeded credentials), so
stopping with Ctrl-C and serving again continues the same world: connections made before still work.
"""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path

from faker import Faker

from harness.appliance.core.crypto import KeyMismatch
from harness.appliance.core.store import SchemaMismatch
from harness.drivers.control_clients import ControlError, SalesforceControl
from harness.drivers.setup_labels import guide_app
from harness.reference.browser import LAUNCH_ARGS, find_chromium
from harness.reference.embedded import APPLIANCE_DNS_URL, APPLIANCE_URL, EmbeddedReference
from harness.reference.files import write_owner_only

DEMO_FILE = "demo.json"


def seed_demo(control: SalesforceControl, name: str = "acme") -> dict[str, str]:
    fake = Faker()
    org = control.create_org(name)
    username = f"admin@{name}.example.com"
    password = fake.password(length=14, special_chars=True)
    user = control.create_user(org["id"], username=username, password=password,
                               first_name=fake.first_name(), last_name=fake.last_name(),
                               email=fake.email(), active=True, profile="System Administrator")
    app = control.create_app(org["id"], **guide_app("Backup Appliance", username,
                                                    [APPLIANCE_URL, APPLIANCE_DNS_URL]))
    return {"org_id": org["id"], "app_id": app["id"], "username": user["username"], "password": password,
            "consumer_key": app["consumer_key"], "consumer_secret": app["consumer_secret"]}


def seeded_world(reference: EmbeddedReference, workdir: Path) -> tuple[dict[str, str], bool]:
    """The demo's org, user and app: seeded once, then the same after every restart (and whether it was).

    Rule served: a restart resumes exactly the world that was there. A kept world is never reset here:
    when scenarios run against the demo reset the fake since, their orgs, apps and grants (and the
    appliance's connections to them) are what is kept, and the demo's org is seeded again beside them.
    """
    remembered = workdir / DEMO_FILE
    with reference.client() as client:
        control = SalesforceControl(client, reference.control_token)
        if reference.salesforce_restored and remembered.exists():
            seeded = json.loads(remembered.read_text())
            if _still_there(control, seeded):
                return seeded, True
        if not reference.salesforce_restored:
            control.reset(1)
        seeded = _seed_beside(control)
    # It holds the demo user's password and the app's secret: readable by the owner only.
    write_owner_only(remembered, json.dumps(seeded, indent=2))
    return seeded, reference.salesforce_restored


def _seed_beside(control: SalesforceControl) -> dict[str, str]:
    """Seeds the demo org under the first free My Domain name (acme, acme2, ...) of the kept world."""
    for number in range(1, 100):
        name = "acme" if number == 1 else f"acme{number}"
        try:
            return seed_demo(control, name)
        except ControlError as exc:
            if "already" not in str(exc):  # only a name or username taken by the kept world is retried
                raise
    raise ControlError("no free My Domain name for the demo org")


def _still_there(control: SalesforceControl, seeded: dict[str, str]) -> bool:
    """False when scenarios run against the demo reset the fake since the values were remembered."""
    try:
        return bool(control.app(seeded.get("app_id", ""))["consumer_key"] == seeded["consumer_key"])
    except ControlError:
        return False


def _stop_on_ctrl_c() -> None:
    """Ctrl-C (SIGINT) stops the demo cleanly, however it was started.

    A shell starts a background job of a script with SIGINT ignored, and Python then leaves it ignored;
    the demo says "Press Ctrl-C to stop", so it takes SIGINT back.
    """
    signal.signal(signal.SIGINT, signal.default_int_handler)


def serve_forever(workdir: Path) -> None:
    _stop_on_ctrl_c()
    # The fake Salesforce keeps its state in the work directory, like the appliances keep theirs, so a
    # restarted demo still recognises the tokens the appliance holds.
    reference = EmbeddedReference(workdir, keep_salesforce=True)
    try:
        reference.start()
    except (KeyMismatch, SchemaMismatch) as exc:
        reference.stop()
        raise SystemExit(f"harness serve: the data in {workdir} cannot be used: {exc}") from None
    described = workdir / "reference.json"
    reference.describe(described)
    try:
        seeded, resumed = seeded_world(reference, workdir)
        if resumed:
            print(f"Resumed the demo kept in {workdir} (delete the directory to start from scratch).")
        chromium = find_chromium(headless=False) or "chromium"  # a person opens a window
        print(f"""
The reference is running. Every address below is reached only through the harness proxy.

  proxy (virtual network)   {reference.proxy_url}
  harness CA certificate    {reference.ca_path}
  appliance (3.2)           {APPLIANCE_URL}/   and   {APPLIANCE_DNS_URL}/
  appliance (3.1)           https://legacy.acme.internal.com/
  Salesforce login          https://login.salesforce.com/

Open a browser that uses the proxy, for example:
  {chromium} {' '.join(a for a in LAUNCH_ARGS if a != '--no-sandbox')} \\
      --proxy-server={reference.proxy_url} {reference.browser_args[-1]} \\
      --user-data-dir=$(mktemp -d) {APPLIANCE_URL}/

Salesforce org {seeded['org_id']}:
  username          {seeded['username']}
  password          {seeded['password']}
External client app (set up as the guide asks; callbacks {APPLIANCE_URL} and {APPLIANCE_DNS_URL}):
  consumer key      {seeded['consumer_key']}
  consumer secret   {seeded['consumer_secret']}

Run the scenarios against this reference from another shell:
  .venv/bin/pytest features --reference {described}

Press Ctrl-C to stop.""", flush=True)
        threading.Event().wait()  # until Ctrl-C: nothing to poll, so no timer
    finally:
        reference.stop()
