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
from harness.salesforce.models.records import OBJECTS, ObjectSpec, instance_name, stamp
from harness.salesforce.models.standard_objects import derive

_ID = re.compile(r"^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$")
# Fields a new record must have (Salesforce's required standard fields of these objects).
REQUIRED = {"Account": ("Name",), "Contact": ("LastName",), "Opportunity": ("Name", "StageName", "CloseDate")}
# Salesforce's Automated Process user, which owns what the platform itself creates.
AUTOMATED_PROCESS_ID = "005000000000000AAA"
# Our choice for the edition: the one a developer org reports; sandboxes report their production's.
EDITION = "Developer Edition"


def owner_id(org: Org) -> str:
    """Who owns and created what nobody in particular made: the org's first user (our choice), or
    Salesforce's Automated Process user when the org has none yet."""
    first = min(org.users.values(), key=lambda u: u.created_at, default=None)
    return first.id if first is not None else AUTOMATED_PROCESS_ID


def _audit(made: str, by: str) -> dict[str, Any]:
    return {"CreatedDate": made, "CreatedById": by, "LastModifiedDate": made, "LastModifiedById": by,
            "SystemModstamp": made}


def _user_row(org: Org, user: User) -> dict[str, Any]:
    nickname = user.username.split("@")[0]
    return {field.name: None for field in OBJECTS["User"].fields} | {
        "Id": user.id, "Username": user.username, "FirstName": user.first_name, "LastName": user.last_name,
        "Name": user.display_name, "CompanyName": org.name, "Email": user.email, "Alias": nickname[:8],
        "CommunityNickname": nickname, "IsActive": user.active, "TimeZoneSidKey": user.timezone,
        "LocaleSidKey": "en_US", "EmailEncodingKey": "UTF-8", "ProfileId": org.profile_ids.get(user.profile),
        "UserType": "Standard", "LanguageLocaleKey": "en_US", **_audit(stamp(user.created_at), owner_id(org))}


def _organization_row(org: Org) -> dict[str, Any]:
    return {field.name: None for field in OBJECTS["Organization"].fields} | {
        "Id": org.id, "Name": org.name, "Country": "US", "DefaultLocaleSidKey": "en_US",
        "TimeZoneSidKey": "America/Los_Angeles", "LanguageLocaleKey": "en_US", "FiscalYearStartMonth": 1,
        "OrganizationType": EDITION, "InstanceName": instance_name(org.id, org.is_sandbox),
        "IsSandbox": org.is_sandbox, "IsReadOnly": False, **_audit(stamp(org.created_at), owner_id(org))}


def _profile_rows(org: Org) -> list[dict[str, Any]]:
    made, by = stamp(org.created_at), owner_id(org)
    return [{field.name: None for field in OBJECTS["Profile"].fields} | {
        "Id": profile_id, "Name": name, "PermissionsApiEnabled": True,
        "PermissionsModifyAllData": name == "System Administrator",
        "PermissionsViewAllData": name == "System Administrator", "UserType": "Standard", **_audit(made, by)}
        for name, profile_id in org.profile_ids.items()]


def _owned(org: Org, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Generated rows name their owner and creator once the org has a user (they are made before any)."""
    if org.users and any(row.get("OwnerId") is None for row in found):
        by = owner_id(org)
        for row in found:
            for name in ("OwnerId", "CreatedById", "LastModifiedById"):
                if row.get(name) is None:
                    row[name] = by
    return found


def rows(org: Org, spec: ObjectSpec, include_deleted: bool = False) -> list[dict[str, Any]]:
    """Every row of ``spec`` in ``org``; deleted data rows only when ``include_deleted``."""
    if spec.name == "User":
        return [_user_row(org, user) for user in org.users.values()]
    if spec.name == "Organization":
        return [_organization_row(org)]
    if spec.name == "Profile":
        return _profile_rows(org)
    found = _owned(org, org.records.get(spec.name, []))
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
    read_only = [name for name in checked if spec.field(name).readonly]  # type: ignore[union-attr]
    if read_only:
        raise InvalidFieldForInsertUpdate(
            f"Unable to create/update fields: {', '.join(read_only)}. Please check the security settings of "
            "this field and verify that it is read/write for your profile or permission set.", read_only)
    return checked


def _require(spec: ObjectSpec, row: dict[str, Any]) -> None:
    missing = [name for name in REQUIRED.get(spec.name, ()) if row.get(name) in (None, "")]
    if missing:
        raise RequiredFieldMissing(f"Required fields are missing: [{', '.join(missing)}]", missing)


def create(org: Org, spec: ObjectSpec, values: dict[str, Any], new_id: str, now: float,
           user_id: str | None = None) -> str:
    """Adds a record, owned and created by ``user_id`` unless an owner is sent; every other field
    not sent is null."""
    by = user_id or owner_id(org)
    row: dict[str, Any] = {field.name: None for field in spec.fields}
    row.update(_checked(spec, values, "created"))
    row.update(Id=new_id, IsDeleted=False, **_audit(stamp(now), by))
    row["OwnerId"] = row.get("OwnerId") or by
    derive(spec, row)
    _require(spec, row)
    org.records.setdefault(spec.name, []).append(row)
    return new_id


def update(org: Org, spec: ObjectSpec, record_id: str, values: dict[str, Any], now: float,
           user_id: str | None = None) -> None:
    checked = _checked(spec, values, "updated")
    row = record(org, spec, record_id)
    _require(spec, {**row, **checked})
    row.update(checked, LastModifiedDate=stamp(now), SystemModstamp=stamp(now),
               LastModifiedById=user_id or owner_id(org))
    derive(spec, row)
