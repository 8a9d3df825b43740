"""Standard objects with Faker-made records, the org's own User/Organization/Profile rows, deletion.

Serves the documented REST surface a backup uses (docs/salesforce-facts.md 3.1 ``urls`` of the identity response):
``sobjects``, ``describe``, single-record reads and ``query``/``queryAll``. Data objects (Account,
Contact, Opportunity) are generated per org with their standard fields (``standard_objects.py``,
docs/salesforce-facts.md 3.10); User, Organization and Profile rows are built from the org's state
(``org_data.py``). A deleted record stays with ``IsDeleted = true``, as in
the Recycle Bin: ``query`` skips it, ``queryAll`` returns it.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

from faker import Faker

from harness.salesforce.models.ids import IdFactory
from harness.salesforce.models.standard_objects import OBJECTS, REFERENCES, FieldSpec, ObjectSpec, derive

__all__ = ["OBJECTS", "REFERENCES", "FieldSpec", "ObjectSpec", "fill", "find_object", "instance_name",
           "reserve_ids", "stamp"]


def reserve_ids(ids: IdFactory, count: int) -> dict[str, list[str]]:
    """The ids of ``count`` records of each data object, drawn now from the org's id stream, in the order
    the records were always drawn in, so making the values later changes no id."""
    return {spec.name: [ids.new(spec.prefix) for _ in range(count)] for spec in OBJECTS.values() if spec.deletable}


def fill(fake: Faker, reserved: dict[str, list[str]], now: float) -> dict[str, list[dict[str, Any]]]:
    """The records whose ids ``reserve_ids`` gave, their values from ``fake`` (seeded per org)."""
    records: dict[str, list[dict[str, Any]]] = {}
    made_ids: dict[str, list[str]] = {}
    base = datetime.fromtimestamp(now, UTC)
    for name, record_ids in reserved.items():
        spec = OBJECTS[name]
        rows = []
        for record_id in record_ids:
            moment = base - timedelta(minutes=fake.random_int(1, 500000))
            made = moment.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
            row: dict[str, Any] = {field.name: None for field in spec.fields}
            row.update(Id=record_id, IsDeleted=False, CreatedDate=made, LastModifiedDate=made, SystemModstamp=made)
            for field in spec.fields:
                if field.make is not None:
                    row[field.name] = field.make(fake, made_ids)
            derive(spec, row)  # owner and creator are filled on read (org_data.rows): no user exists yet
            rows.append(row)
        records[name] = rows
        made_ids[name] = record_ids
    return records


def stamp(moment: float) -> str:
    """Salesforce's REST datetime format, e.g. ``2026-01-31T09:30:00.000+0000``."""
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def find_object(name: str) -> ObjectSpec | None:
    return next((spec for spec in OBJECTS.values() if spec.name.lower() == name.lower()), None)


def instance_name(org_id: str, sandbox: bool) -> str:
    """Our choice: a stable instance name per org (``NA``/``CS`` plus a number), as Salesforce shows."""
    return f"{'CS' if sandbox else 'NA'}{100 + zlib.crc32(org_id.encode()) % 150}"
