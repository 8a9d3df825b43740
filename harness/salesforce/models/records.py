"""Standard objects with Faker-made records, the org's own User/Organization/Profile rows, deletion.

Serves the documented REST surface a backup uses (docs/salesforce-facts.md 3.1 ``urls`` of the identity response):
``sobjects``, ``describe``, single-record reads and ``query``/``queryAll``. Data objects (Account,
Contact, Opportunity) are generated per org; User, Organization and Profile rows are built from the
org's state with the fields clients read after login (username, names, email, profile; org name,
sandbox flag, instance, organization type). A deleted record stays with ``IsDeleted = true``, as in
the Recycle Bin: ``query`` skips it, ``queryAll`` returns it.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from faker import Faker

from harness.salesforce.models.ids import IdFactory


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    label: str
    make: Callable[[Faker, dict[str, Any]], Any] | None = None


@dataclass(frozen=True)
class ObjectSpec:
    name: str
    label: str
    plural: str
    prefix: str
    fields: tuple[FieldSpec, ...]
    deletable: bool = True  # data objects; the org's own User/Profile/Organization rows are not

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name.lower() == name.lower()), None)


def _date(fake: Faker, _: dict[str, Any]) -> str:
    return fake.date_between("-1y", "+1y").isoformat()


_SYSTEM = (FieldSpec("Id", "id", "Record ID"), FieldSpec("IsDeleted", "boolean", "Deleted"),
           FieldSpec("CreatedDate", "datetime", "Created Date"),
           FieldSpec("LastModifiedDate", "datetime", "Last Modified Date"),
           FieldSpec("SystemModstamp", "datetime", "System Modstamp"))

OBJECTS: dict[str, ObjectSpec] = {spec.name: spec for spec in (
    ObjectSpec("Account", "Account", "Accounts", "001", _SYSTEM + (
        FieldSpec("Name", "string", "Account Name", lambda f, _: f.company()),
        FieldSpec("Industry", "picklist", "Industry", lambda f, _: f.random_element(
            ("Banking", "Education", "Energy", "Retail", "Technology"))),
        FieldSpec("Phone", "phone", "Account Phone", lambda f, _: f.phone_number()),
        FieldSpec("BillingCity", "string", "Billing City", lambda f, _: f.city()))),
    ObjectSpec("Contact", "Contact", "Contacts", "003", _SYSTEM + (
        FieldSpec("FirstName", "string", "First Name", lambda f, _: f.first_name()),
        FieldSpec("LastName", "string", "Last Name", lambda f, _: f.last_name()),
        FieldSpec("Email", "email", "Email", lambda f, _: f.email()),
        FieldSpec("AccountId", "reference", "Account ID", lambda f, r: f.random_element(r["Account"])))),
    ObjectSpec("Opportunity", "Opportunity", "Opportunities", "006", _SYSTEM + (
        FieldSpec("Name", "string", "Name", lambda f, _: f.catch_phrase()),
        FieldSpec("StageName", "picklist", "Stage", lambda f, _: f.random_element(
            ("Prospecting", "Qualification", "Closed Won", "Closed Lost"))),
        FieldSpec("Amount", "currency", "Amount", lambda f, _: float(f.random_int(1000, 900000))),
        FieldSpec("CloseDate", "date", "Close Date", _date),
        FieldSpec("AccountId", "reference", "Account ID", lambda f, r: f.random_element(r["Account"])))),
    ObjectSpec("User", "User", "Users", "005", (
        FieldSpec("Id", "id", "User ID"), FieldSpec("Username", "string", "Username"),
        FieldSpec("FirstName", "string", "First Name"), FieldSpec("LastName", "string", "Last Name"),
        FieldSpec("Name", "string", "Full Name"), FieldSpec("Email", "email", "Email"),
        FieldSpec("IsActive", "boolean", "Active"), FieldSpec("ProfileId", "reference", "Profile ID"),
        FieldSpec("UserType", "picklist", "User Type"), FieldSpec("TimeZoneSidKey", "picklist", "Time Zone"),
        FieldSpec("LanguageLocaleKey", "picklist", "Language"),
        FieldSpec("CreatedDate", "datetime", "Created Date"),
        FieldSpec("LastModifiedDate", "datetime", "Last Modified Date"),
        FieldSpec("SystemModstamp", "datetime", "System Modstamp")), deletable=False),
    ObjectSpec("Profile", "Profile", "Profiles", "00e", (
        FieldSpec("Id", "id", "Profile ID"), FieldSpec("Name", "string", "Name"),
        FieldSpec("UserType", "picklist", "User Type"), FieldSpec("CreatedDate", "datetime", "Created Date"),
        FieldSpec("LastModifiedDate", "datetime", "Last Modified Date"),
        FieldSpec("SystemModstamp", "datetime", "System Modstamp")), deletable=False),
    ObjectSpec("Organization", "Organization", "Organizations", "00D", (
        FieldSpec("Id", "id", "Organization ID"), FieldSpec("Name", "string", "Name"),
        FieldSpec("IsSandbox", "boolean", "Is Sandbox"), FieldSpec("InstanceName", "string", "Instance Name"),
        FieldSpec("OrganizationType", "picklist", "Edition"),
        FieldSpec("NamespacePrefix", "string", "Namespace Prefix"),
        FieldSpec("TrialExpirationDate", "datetime", "Trial Expiration Date"),
        FieldSpec("LanguageLocaleKey", "picklist", "Language"),
        FieldSpec("DefaultLocaleSidKey", "picklist", "Locale"),
        FieldSpec("TimeZoneSidKey", "picklist", "Time Zone"),
        FieldSpec("CreatedDate", "datetime", "Created Date"),
        FieldSpec("LastModifiedDate", "datetime", "Last Modified Date"),
        FieldSpec("SystemModstamp", "datetime", "System Modstamp")), deletable=False),
)}


def generate(fake: Faker, ids: IdFactory, count: int, now: float) -> dict[str, list[dict[str, Any]]]:
    """``count`` records of each data object, deterministic for a seeded ``fake``."""
    records: dict[str, list[dict[str, Any]]] = {}
    made_ids: dict[str, list[str]] = {}
    base = datetime.fromtimestamp(now, UTC)
    for spec in OBJECTS.values():
        if not spec.deletable:
            continue
        rows = []
        for _ in range(count):
            moment = base - timedelta(minutes=fake.random_int(1, 500000))
            made = moment.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
            row: dict[str, Any] = {"Id": ids.new(spec.prefix), "IsDeleted": False, "CreatedDate": made,
                                   "LastModifiedDate": made, "SystemModstamp": made}
            for field in spec.fields:
                if field.make is not None:
                    row[field.name] = field.make(fake, made_ids)
            rows.append(row)
        records[spec.name] = rows
        made_ids[spec.name] = [row["Id"] for row in rows]
    return records


def stamp(moment: float) -> str:
    """Salesforce's REST datetime format, e.g. ``2026-01-31T09:30:00.000+0000``."""
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


# Lookup fields and the object they point at; ``Account.Name`` reads through ``AccountId``.
REFERENCES = {"AccountId": "Account", "ProfileId": "Profile"}


def find_object(name: str) -> ObjectSpec | None:
    return next((spec for spec in OBJECTS.values() if spec.name.lower() == name.lower()), None)


def instance_name(org_id: str, sandbox: bool) -> str:
    """Our choice: a stable instance name per org (``NA``/``CS`` plus a number), as Salesforce shows."""
    return f"{'CS' if sandbox else 'NA'}{100 + zlib.crc32(org_id.encode()) % 150}"
