"""All of one fake Salesforce's state, and the admin operations the control API exposes.

Serves the Setup-side rules: orgs with My Domain hosts (docs/salesforce-facts.md 3.1), users with profiles (facts
1.5), external client apps with generated consumer key and secret, a rotatable secret (docs/salesforce-facts.md 2.2),
and revoking an app's grants. ``reset`` means building a new ``SalesforceState`` from the seed.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from functools import cached_property
from typing import Any

from faker import Faker

from harness.salesforce.errors import ControlBadRequest, ControlNotFound
from harness.salesforce.models import records
from harness.salesforce.models.apps import App, api_name_from, apply_settings
from harness.salesforce.models.clock import Clock
from harness.salesforce.models.faults import FaultBook, RequestLog
from harness.salesforce.models.grants import GrantBook
from harness.salesforce.models.ids import IdFactory
from harness.salesforce.models.metadata_types import AUTOMATED_PROCESS, Audit
from harness.salesforce.models.orgs import PROFILES, Org, User, check_domain_name

DEFAULT_RECORDS = 5
_HEX = "0123456789ABCDEF"
_USER_FIELDS = ("username", "password", "first_name", "last_name", "email", "active", "profile")


class SalesforceState:
    """Orgs, users, apps, grants, records, faults and the request log, seeded deterministically."""

    def __init__(self, seed: int = 0, clock: Clock | None = None, after: SalesforceState | None = None) -> None:
        """``after``: the state this one replaces (a reset); its Fakers are taken over, seeded afresh."""
        self.seed = seed
        if after is not None:
            for name in ("fake", "records_fake"):
                if name in after.__dict__:  # built (cached_property): reseeded, it is as good as a new one
                    fake: Faker = after.__dict__.pop(name)
                    fake.seed_instance(seed)
                    fake.unique.clear()
                    self.__dict__[name] = fake
        self.clock = clock or Clock()
        self.ids = IdFactory(random.Random(seed))
        self.orgs: dict[str, Org] = {}
        self.users: dict[str, User] = {}
        self.apps: dict[str, App] = {}
        self.book = GrantBook(lambda prefix, length: prefix + self.ids.token(length))
        self.faults = FaultBook()
        self.log = RequestLog()
        self.cursors: dict[str, list[dict[str, Any]]] = {}
        self.audit: dict[str, Audit] = {}  # app id -> who created and last changed it, and when

    # Built on first use: a Faker costs about a millisecond, and a state is built at every reset while
    # most scenarios choose every value themselves (drivers/control_clients.py) and never read records.
    @cached_property
    def fake(self) -> Faker:
        """Values the control client left to the fake (names, passwords), from the state's seed."""
        fake = Faker()
        fake.seed_instance(self.seed)
        return fake

    @cached_property
    def records_fake(self) -> Faker:
        """One Faker for every org's records, seeded per org when they are made (``_records_maker``)."""
        return Faker()

    # -- lookups used by the views ----------------------------------------------------------------
    def org(self, org_id: str) -> Org:
        if org_id not in self.orgs:
            raise ControlNotFound(f"no org with id {org_id!r}")
        return self.orgs[org_id]

    def org_for_host(self, host: str) -> Org | None:
        return next((org for org in self.orgs.values() if org.my_domain_host == host), None)

    def user_by_username(self, username: str) -> User | None:
        wanted = username.strip().lower()
        return next((u for u in self.users.values() if u.username.lower() == wanted), None)

    def app_by_key(self, consumer_key: str | None) -> App | None:
        return next((a for a in self.apps.values() if a.consumer_key == consumer_key), None)

    def app(self, app_id: str) -> App:
        if app_id not in self.apps:
            raise ControlNotFound(f"no app with id {app_id!r}")
        return self.apps[app_id]

    # -- orgs -------------------------------------------------------------------------------------
    def create_org(self, spec: dict[str, Any], chosen: dict[str, Any] | None = None) -> dict[str, Any]:
        """``chosen``: an id the control client picked (models/chosen.py checked it), else one made here."""
        _only(spec, ("name", "sandbox", "records"), "org")
        name = check_domain_name(str(spec.get("name") or self.fake.domain_word()), "name")
        sandbox = spec.get("sandbox")
        sandbox = check_domain_name(str(sandbox), "sandbox") if sandbox else None
        count = spec.get("records", DEFAULT_RECORDS)
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 20000:
            raise ControlBadRequest(f"records: {count!r} must be an integer between 0 and 20000")
        org = Org(id=(chosen or {}).get("id") or self.ids.new("00D"), name=name, sandbox=sandbox,
                  created_at=self.clock.now())
        org.profile_ids = {profile: self.ids.new("00e") for profile in PROFILES}
        if self.org_for_host(org.my_domain_host):
            raise ControlBadRequest(f"name: the My Domain {org.my_domain_host} is already taken")
        org.pending_records = self._records_maker(org, count)
        self.orgs[org.id] = org
        return org.to_dict()

    def _records_maker(self, org: Org, count: int) -> Callable[[], dict[str, list[dict[str, Any]]]]:
        """The org's records, ids drawn now, values made on first read from a Faker seeded by the org's host:
        the same records whenever they are read. One Faker serves every org (building one costs more than
        five records)."""
        reserved, now = records.reserve_ids(self.ids, count), self.clock.now()
        seed = zlib.crc32(f"{self.seed}:{org.my_domain_host}".encode())

        def make() -> dict[str, list[dict[str, Any]]]:
            self.records_fake.seed_instance(seed)
            return records.fill(self.records_fake, reserved, now)
        return make

    def update_org(self, org_id: str, spec: dict[str, Any]) -> dict[str, Any]:
        org = self.org(org_id)
        _only(spec, ("active",), "org")
        if "active" in spec:
            org.active = _bool(spec, "active")
        return org.to_dict()

    # -- users ------------------------------------------------------------------------------------
    def create_user(self, org_id: str, spec: dict[str, Any], chosen: dict[str, Any] | None = None) -> dict[str, Any]:
        org = self.org(org_id)
        _only(spec, _USER_FIELDS, "user")
        first = str(spec.get("first_name") or self.fake.first_name())
        last = str(spec.get("last_name") or self.fake.last_name())
        username = str(spec.get("username") or f"{first}.{last}@{org.name}.example.com").lower()
        if self.user_by_username(username):
            raise ControlBadRequest(f"username: {username!r} is already used (usernames are unique "
                                    "across all orgs)")
        user = User(id=(chosen or {}).get("id") or self.ids.new("005"), org_id=org.id, username=username,
                    password=str(spec.get("password") or self.fake.password(length=14)),
                    first_name=first, last_name=last, email=str(spec.get("email") or username),
                    created_at=self.clock.now())
        self._apply_user(user, spec)
        org.users[user.id] = user
        self.users[user.id] = user
        return user.to_dict(with_password=True)

    def update_user(self, org_id: str, user_id: str, spec: dict[str, Any]) -> dict[str, Any]:
        user = self.org(org_id).users.get(user_id)
        if user is None:
            raise ControlNotFound(f"no user with id {user_id!r} in org {org_id!r}")
        _only(spec, ("active", "password", "profile"), "user")
        self._apply_user(user, spec)
        if "password" in spec:
            user.password = str(spec["password"])
        return user.to_dict()

    def _apply_user(self, user: User, spec: dict[str, Any]) -> None:
        if "active" in spec:
            user.active = _bool(spec, "active")
        if "profile" in spec:
            if spec["profile"] not in PROFILES:
                raise ControlBadRequest(f"profile: {spec['profile']!r} is not one of {', '.join(PROFILES)}")
            user.profile = spec["profile"]

    # -- apps -------------------------------------------------------------------------------------
    def create_app(self, org_id: str, spec: dict[str, Any], chosen: dict[str, Any] | None = None) -> dict[str, Any]:
        """``chosen``: id, consumer key and secret the control client picked, else made here."""
        chosen = chosen or {}
        org = self.org(org_id)
        kind = spec.get("kind", "external_client_app")
        name = str(spec.get("name") or f"{self.fake.word().title()} Backup")
        app = App(id=chosen.get("id") or self.ids.new("0H4" if kind == "connected_app" else "0xI"), org_id=org.id,
                  consumer_key=chosen.get("consumer_key") or "3MVG9" + self.ids.token(80),
                  consumer_secret=chosen.get("consumer_secret") or self.ids.token(64, _HEX),
                  name=name, api_name=api_name_from(name), contact_email=self.fake.company_email())
        apply_settings(app, {"callback_urls": [], "oauth_enabled": False, **spec})
        if "oauth_enabled" not in spec:
            apply_settings(app, {"oauth_enabled": True})
        _require_scopes(app)
        if any(a.org_id == org.id and a.api_name == app.api_name for a in self.apps.values()):
            raise ControlBadRequest(f"api_name: {app.api_name!r} is already used in org {org.id}")
        self.apps[app.id] = app
        now, actor = self.clock.now(), self._admin_of(org)
        self.audit[app.id] = Audit(created_at=now, created_by=actor, modified_at=now, modified_by=actor)
        return app.to_dict()

    def _admin_of(self, org: Org) -> tuple[str, str]:
        """Who Setup changes are attributed to: the org's first System Administrator (our choice)."""
        admin = next((u for u in org.users.values() if u.profile == "System Administrator"), None)
        return (admin.id, admin.display_name) if admin else AUTOMATED_PROCESS

    def _touch(self, app: App) -> None:
        audit = self.audit[app.id]
        audit.modified_at, audit.modified_by = self.clock.now(), self._admin_of(self.orgs[app.org_id])

    def update_app(self, app_id: str, spec: dict[str, Any]) -> dict[str, Any]:
        app = self.app(app_id)
        before = app.to_dict()
        try:
            apply_settings(app, spec)
            _require_scopes(app)
        except ControlBadRequest:
            for name in spec:
                if name in before:
                    setattr(app, name, before[name])
            raise
        self._touch(app)
        return app.to_dict()

    def rotate_secret(self, app_id: str) -> dict[str, Any]:
        app = self.app(app_id)
        app.consumer_secret = self.ids.token(64, _HEX)
        self._touch(app)
        return app.to_dict()

    def revoke_grants(self, app_id: str) -> dict[str, Any]:
        return {"revoked": self.book.revoke_app(self.app(app_id).id)}

    def grants(self, app_id: str) -> list[dict[str, Any]]:
        return [grant.to_dict() for grant in self.book.live_grants(self.app(app_id).id)]


def _only(spec: dict[str, Any], allowed: tuple[str, ...], what: str) -> None:
    unknown = sorted(set(spec) - set(allowed))
    if unknown:
        raise ControlBadRequest(f"unknown {what} field(s): {', '.join(unknown)}; "
                                f"allowed: {', '.join(allowed)}")


def _bool(spec: dict[str, Any], name: str) -> bool:
    if not isinstance(spec[name], bool):
        raise ControlBadRequest(f"{name}: expected true or false, got {spec[name]!r}")
    return bool(spec[name])


def _require_scopes(app: App) -> None:
    if app.oauth_enabled and not app.scopes:
        raise ControlBadRequest("scopes: select at least one OAuth scope when OAuth is enabled")
