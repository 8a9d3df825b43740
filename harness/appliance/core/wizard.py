"""The initial configuration wizard: eight steps, global to the appliance and persisted.

Rules served: docs/salesforce-facts.md 1.1/1.2 (step order and what each step asks; the Step 2 password rules) and
docs/design.md "The reference appliance" (never lose configuration on a failed step or a restart). The
wizard is one draft in the ``config`` table: Back and Next keep what was entered, a failed step saves
nothing, and a new appliance over the same database resumes at the same step. Step 5 is "Create
External Client App" (3.2+) or "Create Connected App" (before 3.2, LEGACY-3.2).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from harness.appliance.core.credentials import Credentials
from harness.appliance.core.crypto import SecretBox, hash_password
from harness.appliance.core.errors import InvalidInput, WrongStep
from harness.appliance.core.store import Store
from harness.appliance.core.versions import VersionPolicy

STEP_SLUGS = (
    "license",
    "administrator",
    "database",
    "license-file",
    "external-client-app",
    "salesforce",
    "schedule",
    "summary",
)
TITLES = (
    "Accept License Agreement",
    "Create Local Administrator",
    "Connect to Database",
    "Provide License File",
    "",  # step 5 is named after the version's kind of app (VersionPolicy.app_title)
    "Connect to Salesforce",
    "Set Backup Policy Schedule",
    "Summary",
)
SCHEDULES = ("Hourly", "Daily", "Weekly")
PASSWORD_SPECIALS = "!@#$%^&`~*()_-=+[]{};':\\\"|,./<>?"
_USERNAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")


def check_password(password: str) -> None:
    problems = []
    if len(password) < 8:
        problems.append("at least 8 characters")
    if not re.search(r"[A-Z]", password) or not re.search(r"[a-z]", password):
        problems.append("uppercase and lowercase Latin letters")
    if not any(c in PASSWORD_SPECIALS for c in password):
        problems.append("at least one special character such as ! @ # $ % ^ &")
    if problems:
        raise InvalidInput("The password must contain " + ", ".join(problems) + ".")


class Wizard:
    def __init__(
        self, policy: VersionPolicy, store: Store, box: SecretBox, credentials: Credentials, hash_cost: int = 14
    ) -> None:
        self.store, self.box, self.credentials, self.hash_cost = store, box, credentials, hash_cost
        self.titles = (*TITLES[:4], policy.app_title, *TITLES[5:])

    def draft(self) -> dict[str, Any]:
        return self.store.get_config("wizard") or {"step": 1, "reached": 1, "finished": False}

    def _save(self, draft: dict[str, Any]) -> None:
        self.store.set_config("wizard", draft)

    def state(self) -> dict[str, Any]:
        d = self.draft()
        return {
            "step": d["step"],
            "step_name": self.titles[d["step"] - 1],
            "slug": STEP_SLUGS[d["step"] - 1],
            "reached": d["reached"],
            "finished": d["finished"],
        }

    def require(self, step: int) -> dict[str, Any]:
        d = self.draft()
        if d["finished"]:
            raise WrongStep("The initial configuration is already finished.", code="wizard_finished")
        if step > d["reached"]:
            n = d["reached"]
            raise WrongStep(f"Complete step {n} ({self.titles[n - 1]}) first.")
        return d

    def _complete(self, step: int, **values: Any) -> dict[str, Any]:
        d = self.require(step) | values
        d["step"] = step + 1
        d["reached"] = max(d["reached"], step + 1)
        self._save(d)
        return self.state()

    def go_to(self, step: int) -> dict[str, Any]:
        """Back (or a link to an earlier step): the current step moves, nothing entered is lost."""
        d = self.require(max(step, 1))
        d["step"] = max(step, 1)
        self._save(d)
        return self.state()

    def accept_license(self, accepted: bool) -> dict[str, Any]:
        if accepted is not True:
            raise InvalidInput("Accept the license agreement to continue.")
        return self._complete(1, license_accepted=True)

    def create_administrator(self, username: str, password: str) -> dict[str, Any]:
        self.require(2)
        if not _USERNAME.match(username or ""):
            raise InvalidInput("Enter a user name of letters, digits, dots, dashes or underscores.")
        check_password(password or "")
        hashed = hash_password(password, self.hash_cost)
        self.store.set_config("administrator", {"username": username, "password_hash": hashed})
        return self._complete(2, administrator={"username": username})

    def connect_database(self, kind: str, url: str | None = None) -> dict[str, Any]:
        self.require(3)
        if kind == "sqlite":
            return self._complete(3, database={"kind": "sqlite", "display": "Embedded database"})
        if kind != "postgresql":
            raise InvalidInput("Choose the embedded database or PostgreSQL.")
        # [gap] The harness has no PostgreSQL server; the step validates and records the URL the way
        # SQLAlchemy reads it but does not connect. The password is sealed and never shown back.
        try:
            parsed = make_url(url or "")
        except (ArgumentError, ValueError) as exc:
            raise InvalidInput(
                "Enter a PostgreSQL URL such as postgresql://user@db.example:5432/backups."
            ) from exc
        if not parsed.drivername.startswith("postgresql") or not parsed.host:
            raise InvalidInput("Enter a PostgreSQL URL such as postgresql://user@db.example:5432/backups.")
        # Shown without any password: the one after the user name and one given as a query option.
        shown = parsed.set(query={}).render_as_string(hide_password=True)
        return self._complete(
            3, database={"kind": "postgresql", "display": shown, "url_enc": self.box.seal(url or "")}
        )

    def provide_license(self, trial: bool, license_text: str | None = None) -> dict[str, Any]:
        # [gap] License files are not modelled: any non-empty file is accepted as a full license.
        if not trial and not (license_text or "").strip():
            raise InvalidInput("Choose the trial license or upload a license file.")
        return self._complete(4, license={"trial": bool(trial)})

    def app_id(self) -> int | None:
        """The app entered at step 5 (an id in the credentials home), if any."""
        return self.draft().get("app_id")

    def set_app(self, consumer_key: str, consumer_secret: str) -> int | None:
        """Step 5. Returns the new app's id when the entry differs from the stored one, else None."""
        self.require(5)
        if self.credentials.same(self.app_id(), consumer_key, consumer_secret):
            self._complete(5)
            return None
        app_id = self.credentials.add(consumer_key, consumer_secret)
        # New credentials void a connection made with the old ones: step 6 must be done again.
        self._complete(5, app_id=app_id, org_id=None, reached=6)
        return app_id

    def require_app(self) -> int:
        app_id = self.app_id()
        if app_id is None:
            raise WrongStep("Complete step 5 first.")
        return int(app_id)

    def remember_environment(self, environment: str, my_domain: str | None) -> None:
        d = self.require(6)
        d["salesforce"] = {"environment": environment, "my_domain": my_domain or ""}
        self._save(d)

    def connected(self, org_id: str) -> str | None:
        """Step 6 succeeded; returns the org a previous attempt had connected, if it differs."""
        d = self.draft()
        previous = d.get("org_id")
        d["org_id"] = org_id
        d["reached"] = max(d["reached"], 7)
        self._save(d)
        return previous if previous and previous != org_id else None

    def next_from_salesforce(self) -> dict[str, Any]:
        d = self.require(6)
        if not d.get("org_id"):
            raise WrongStep("Authorize the connection to Salesforce first.", code="not_connected")
        return self._complete(6)

    def choose_schedule(self, schedule: str) -> dict[str, Any]:
        self.require(7)
        if schedule not in SCHEDULES:
            raise InvalidInput("Choose Hourly, Daily or Weekly.")
        return self._complete(7, schedule=schedule)

    def summary(self) -> dict[str, Any]:
        d = self.draft()
        return {
            "license_accepted": bool(d.get("license_accepted")),
            "administrator": (d.get("administrator") or {}).get("username"),
            "database": (d.get("database") or {}).get("display"),
            "license": "Trial" if (d.get("license") or {}).get("trial") else "License file",
            "consumer_key": self.credentials.consumer_key(self.app_id()),
            "org_id": d.get("org_id"),
            "schedule": d.get("schedule"),
            "files_and_attachments": False,
            "retention": "1 year",
        }

    def mark_finished(self) -> None:
        d = self.require(8)
        d["finished"] = True
        self._save(d)
