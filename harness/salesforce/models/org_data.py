"""An org's rows per object, single-record lookup and deletion: what REST reads and writes.

Serves the REST rules for records (Salesforce REST API guide, "sObject Rows"): a record is read by
its 15- or 18-character id; a deleted record stays in the Recycle Bin with ``IsDeleted = true``, so
``query`` leaves it out, ``queryAll`` returns it, and reading it by id answers ``ENTITY_IS_DELETED``.
The org's User, Profile and Organization rows are built from the org itself. Creating and updating
check field names, read-only system fields and required fields with Salesforce's error codes; our
choice: values are stored as sent, without type checks.
"""

from __future__ import annotations

import re
from typing import Any

from harness.salesforce.errors import (
    EntityIsDeleted,
    InvalidField,
    InvalidFieldForInsertUpdate,
    InvalidTypeForOperation,
    NotFound,
    RequiredFieldMissing,
)
from harness.salesforce.models.ids import case_safe
from harness.salesforce.models.orgs import Org, User
from harness.salesforce.models.records import ObjectSpec, instance_name, stamp

_ID = re.compile(r"^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$")
# Fields a new record must have (Salesforce's required standard fields of these objects).
REQUIRED = {"Account": ("Name",), "Contact": ("LastName",), "Opportunity": ("Name", "StageName", "CloseDate")}
_SYSTEM = ("Id", "IsDeleted", "CreatedDate", "LastModifiedDate", "SystemModstamp")
# Our choice for the edition: the one a developer org reports; sandboxes report their production's.
EDITION = "Developer Edition"


def _user_row(org: Org, user: User) -> dict[str, Any]:
    made = stamp(user.created_at)
    return {"Id": user.id, "Username": user.username, "FirstName": user.first_name,
            "LastName": user.last_name, "Name": user.display_name, "Email": user.email,
            "IsActive": user.active, "ProfileId": org.profile_ids.get(user.profile),
            "UserType": "Standard", "TimeZoneSidKey": user.timezone, "LanguageLocaleKey": "en_US",
            "CreatedDate": made, "LastModifiedDate": made, "SystemModstamp": made}


def _organization_row(org: Org) -> dict[str, Any]:
    made = stamp(org.created_at)
    return {"Id": org.id, "Name": org.name, "IsSandbox": org.is_sandbox,
            "InstanceName": instance_name(org.id, org.is_sandbox), "OrganizationType": EDITION,
            "NamespacePrefix": None, "TrialExpirationDate": None, "LanguageLocaleKey": "en_US",
            "DefaultLocaleSidKey": "en_US", "TimeZoneSidKey": "America/Los_Angeles",
            "CreatedDate": made, "LastModifiedDate": made, "SystemModstamp": made}


def _profile_rows(org: Org) -> list[dict[str, Any]]:
    made = stamp(org.created_at)
    return [{"Id": profile_id, "Name": name, "UserType": "Standard", "CreatedDate": made,
             "LastModifiedDate": made, "SystemModstamp": made} for name, profile_id in org.profile_ids.items()]


def rows(org: Org, spec: ObjectSpec, include_deleted: bool = False) -> list[dict[str, Any]]:
    """Every row of ``spec`` in ``org``; deleted data rows only when ``include_deleted``."""
    if spec.name == "User":
        return [_user_row(org, user) for user in org.users.values()]
    if spec.name == "Organization":
        return [_organization_row(org)]
    if spec.name == "Profile":
        return _profile_rows(org)
    found = org.records.get(spec.name, [])
    return found if include_deleted else [row for row in found if not row.get("IsDeleted")]


def record(org: Org, spec: ObjectSpec, record_id: str) -> dict[str, Any]:
    """The live row with this id (15 or 18 characters); NOT_FOUND or ENTITY_IS_DELETED otherwise."""
    if not _ID.match(record_id):
        # What Salesforce answers when the last path segment is not an id (it tries an external id).
        raise NotFound(f"Provided external ID field does not exist or is not accessible: {record_id}")
    wanted = case_safe(record_id) if len(record_id) == 15 else record_id
    row = next((r for r in rows(org, spec, include_deleted=True) if r["Id"].lower() == wanted.lower()), None)
    if row is None:
        raise NotFound()
    if row.get("IsDeleted"):
        raise EntityIsDeleted()
    return row


def delete(org: Org, spec: ObjectSpec, record_id: str, now: float) -> None:
    """Moves the record to the Recycle Bin: ``IsDeleted`` true, modification stamps updated."""
    if not spec.deletable:
        raise InvalidTypeForOperation()
    row = record(org, spec, record_id)
    row.update(IsDeleted=True, LastModifiedDate=stamp(now), SystemModstamp=stamp(now))


def _checked(spec: ObjectSpec, values: dict[str, Any], action: str) -> dict[str, Any]:
    """``values`` under canonical field names; unknown or read-only fields are refused."""
    if not spec.deletable:
        raise InvalidTypeForOperation(f"entity type cannot be {action}")
    checked: dict[str, Any] = {}
    for name, value in values.items():
        field = spec.field(name)
        if field is None:
            raise InvalidField(f"No such column '{name}' on sobject of type {spec.name}")
        checked[field.name] = value
    read_only = [name for name in checked if name in _SYSTEM]
    if read_only:
        raise InvalidFieldForInsertUpdate(
            f"Unable to create/update fields: {', '.join(read_only)}. Please check the security settings of "
            "this field and verify that it is read/write for your profile or permission set.", read_only)
    return checked


def _require(spec: ObjectSpec, row: dict[str, Any]) -> None:
    missing = [name for name in REQUIRED.get(spec.name, ()) if row.get(name) in (None, "")]
    if missing:
        raise RequiredFieldMissing(f"Required fields are missing: [{', '.join(missing)}]", missing)


def create(org: Org, spec: ObjectSpec, values: dict[str, Any], new_id: str, now: float) -> str:
    """Adds a record; every field not sent is null."""
    made = stamp(now)
    row: dict[str, Any] = {field.name: None for field in spec.fields}
    row.update(_checked(spec, values, "created"))
    row.update(Id=new_id, IsDeleted=False, CreatedDate=made, LastModifiedDate=made, SystemModstamp=made)
    _require(spec, row)
    org.records.setdefault(spec.name, []).append(row)
    return new_id


def update(org: Org, spec: ObjectSpec, record_id: str, values: dict[str, Any], now: float) -> None:
    checked = _checked(spec, values, "updated")
    row = record(org, spec, record_id)
    _require(spec, {**row, **checked})
    row.update(checked, LastModifiedDate=stamp(now), SystemModstamp=stamp(now))
