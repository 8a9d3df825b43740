"""Standard objects with Faker-made records, describe metadata and a small SOQL reader.

Serves the documented REST surface a backup uses (facts 3.1 ``urls`` of the identity response):
``sobjects``, ``describe`` and ``query`` with paging. SOQL support is a choice: ``SELECT`` a field
list or ``COUNT()`` ``FROM`` one object, optional ``WHERE`` of ``field op literal`` joined by AND,
``ORDER BY`` one field, ``LIMIT``. Anything else is ``MALFORMED_QUERY``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from faker import Faker

from harness.salesforce.errors import InvalidField, InvalidType, MalformedQuery
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
        FieldSpec("Email", "email", "Email"), FieldSpec("IsActive", "boolean", "Active"))),
)}


def generate(fake: Faker, ids: IdFactory, count: int, now: float) -> dict[str, list[dict[str, Any]]]:
    """``count`` records of each data object, deterministic for a seeded ``fake``."""
    records: dict[str, list[dict[str, Any]]] = {}
    made_ids: dict[str, list[str]] = {}
    base = datetime.fromtimestamp(now, UTC)
    for spec in OBJECTS.values():
        if spec.name == "User":
            continue
        rows = []
        for _ in range(count):
            moment = base - timedelta(minutes=fake.random_int(1, 500000))
            stamp = moment.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
            row: dict[str, Any] = {"Id": ids.new(spec.prefix), "IsDeleted": False, "CreatedDate": stamp,
                                   "LastModifiedDate": stamp, "SystemModstamp": stamp}
            for field in spec.fields:
                if field.make is not None:
                    row[field.name] = field.make(fake, made_ids)
            rows.append(row)
        records[spec.name] = rows
        made_ids[spec.name] = [row["Id"] for row in rows]
    return records


@dataclass
class Query:
    spec: ObjectSpec
    fields: list[str]  # canonical names; empty for COUNT()
    conditions: list[tuple[str, str, Any]]
    order_by: tuple[str, bool] | None
    limit: int | None

    @property
    def is_count(self) -> bool:
        return not self.fields


_SELECT = re.compile(r"^\s*select\s+(?P<fields>.+?)\s+from\s+(?P<object>\w+)"
                     r"(?:\s+where\s+(?P<where>.+?))?(?:\s+order\s+by\s+(?P<order>\w+(?:\s+(?:asc|desc))?))?"
                     r"(?:\s+limit\s+(?P<limit>\d+))?\s*$", re.IGNORECASE | re.DOTALL)
_CONDITION = re.compile(r"^\s*(\w+)\s*(=|!=|<=|>=|<|>)\s*('(?:[^'\\]|\\.)*'|[^\s']+)\s*$")


def parse(soql: str) -> Query:
    match = _SELECT.match(soql or "")
    if not match:
        raise MalformedQuery(f"unexpected token in query: {soql!r}")
    name = match["object"]
    spec = next((s for s in OBJECTS.values() if s.name.lower() == name.lower()), None)
    if spec is None:
        raise InvalidType(f"sObject type '{name}' is not supported.")
    raw_fields = [f.strip() for f in match["fields"].split(",")]
    fields = [] if [f.lower() for f in raw_fields] == ["count()"] else [_field(spec, f) for f in raw_fields]
    conditions = [_condition(spec, part) for part in re.split(r"\s+and\s+", match["where"], flags=re.I)] \
        if match["where"] else []
    order = None
    if match["order"]:
        words = match["order"].split()
        order = (_field(spec, words[0]), len(words) > 1 and words[1].lower() == "desc")
    return Query(spec, fields, conditions, order, int(match["limit"]) if match["limit"] else None)


def _field(spec: ObjectSpec, name: str) -> str:
    field = spec.field(name)
    if field is None:
        raise InvalidField(f"No such column '{name}' on entity '{spec.name}'. If you are attempting to use "
                           "a custom field, be sure to append the '__c' after the custom field name.")
    return field.name


def _condition(spec: ObjectSpec, text: str) -> tuple[str, str, Any]:
    match = _CONDITION.match(text)
    if not match:
        raise MalformedQuery(f"unexpected token in condition: {text!r}")
    name, op, literal = match.groups()
    if literal.startswith("'"):
        value: Any = literal[1:-1].replace("\\'", "'")
    elif literal.lower() in ("true", "false"):
        value = literal.lower() == "true"
    elif literal.lower() == "null":
        value = None
    else:
        value = literal.replace("Z", ".000+0000") if "T" in literal else _number(literal)
    return _field(spec, name), op, value


def _number(text: str) -> Any:
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text  # a date literal such as 2024-01-01 compares as text


def run(query: Query, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The matching rows, ordered and limited, projected onto the selected fields."""
    hits = [row for row in rows if all(_holds(row.get(f), op, v) for f, op, v in query.conditions)]
    if query.order_by:
        field, descending = query.order_by
        hits.sort(key=lambda row: (row.get(field) is None, str(row.get(field))), reverse=descending)
    if query.limit is not None:
        hits = hits[: query.limit]
    return [{name: row.get(name) for name in query.fields} for row in hits]


def _holds(actual: Any, op: str, expected: Any) -> bool:
    if op in ("=", "!="):
        return (actual == expected) == (op == "=")
    if actual is None or expected is None:
        return False
    left, right = (actual, expected) if type(actual) is type(expected) else (str(actual), str(expected))
    return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]
