"""Orgs and their users, with the hosts Salesforce serves them on.

Serves the documented host rules (docs/salesforce-facts.md 3.1): production orgs log in at ``login.salesforce.com``,
sandboxes at ``test.salesforce.com``; each org has a My Domain host ``<name>.my.salesforce.com``
(sandboxes ``<name>--<sandbox>.sandbox.my.salesforce.com``), which is the ``instance_url``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from harness.salesforce.errors import ControlBadRequest

LOGIN_HOST = "login.salesforce.com"
TEST_HOST = "test.salesforce.com"
# My Domain names: letters, digits and single hyphens (a double hyphen separates the sandbox name).
_DOMAIN_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?!-))*$")
PROFILES = ("System Administrator", "Standard User", "Salesforce Integration")


def check_domain_name(value: str, what: str) -> str:
    name = value.strip().lower()
    if not name or len(name) > 40 or not _DOMAIN_NAME.match(name) or name.endswith("-"):
        raise ControlBadRequest(f"{what}: {value!r} is not a valid My Domain name "
                                "(letters, digits and single hyphens, at most 40 characters)")
    return name


@dataclass
class User:
    id: str
    org_id: str
    username: str
    password: str
    first_name: str
    last_name: str
    email: str
    profile: str = "System Administrator"
    active: bool = True
    timezone: str = "America/Los_Angeles"
    created_at: float = 0.0

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def to_dict(self, with_password: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id, "username": self.username, "org_id": self.org_id, "active": self.active,
            "first_name": self.first_name, "last_name": self.last_name, "email": self.email,
            "profile": self.profile,
        }
        if with_password:
            data["password"] = self.password
        return data


@dataclass
class Org:
    id: str
    name: str
    sandbox: str | None = None
    active: bool = True
    users: dict[str, User] = field(default_factory=dict)
    # The data records, made on first read (``records``): most scenarios never read them, and making
    # Faker values is the dearest part of creating an org. Their ids are drawn at creation.
    # A snapshot (models/persistence.py) keeps the made records, under their earlier name too.
    pending_records: Callable[[], dict[str, list[dict[str, Any]]]] | None = field(
        default=None, repr=False, metadata={"persist": False})
    made_records: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False,
                                                          metadata={"was": "records"})
    created_at: float = 0.0
    profile_ids: dict[str, str] = field(default_factory=dict)  # profile name -> Profile record id
    api_requests: int = 0  # REST calls on ``api_day``, for the limits resource
    api_day: int = 0  # days since the epoch (UTC) that ``api_requests`` counts

    def count_api_request(self, now: float) -> None:
        """One more REST call today; the count starts again each UTC day (our choice of day)."""
        today = int(now // 86400)
        if today != self.api_day:
            self.api_day, self.api_requests = today, 0
        self.api_requests += 1

    @property
    def records(self) -> dict[str, list[dict[str, Any]]]:
        if self.pending_records is not None:
            self.made_records, self.pending_records = self.pending_records(), None
        return self.made_records

    @property
    def is_sandbox(self) -> bool:
        return self.sandbox is not None

    @property
    def my_domain_host(self) -> str:
        if self.sandbox:
            return f"{self.name}--{self.sandbox}.sandbox.my.salesforce.com"
        return f"{self.name}.my.salesforce.com"

    @property
    def login_host(self) -> str:
        return TEST_HOST if self.is_sandbox else LOGIN_HOST

    @property
    def instance_url(self) -> str:
        return f"https://{self.my_domain_host}"

    def identity_url(self, user_id: str) -> str:
        return f"https://{self.login_host}/id/{self.id}/{user_id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "sandbox": self.sandbox,
            "my_domain_host": self.my_domain_host, "login_host": self.login_host,
            "instance_url": self.instance_url, "is_sandbox": self.is_sandbox, "active": self.active,
        }
