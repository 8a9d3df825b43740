"""Data replication: ``sobjects/{type}/updated`` and ``sobjects/{type}/deleted`` over a time window.

Serves the REST API guide's "sObject Get Updated" and "sObject Get Deleted", which backup and sync
tools call between full queries: ``start`` and ``end`` are ISO 8601 date-times (UTC, seconds
dropped), ``start`` before ``end``; updated records are found by ``SystemModstamp`` within the last
30 days, deleted ones within the last 15 days. Answers ``{"ids": [...], "latestDateCovered"}`` and
``{"deletedRecords": [{"id", "deletedDate"}], "earliestDateAvailable", "latestDateCovered"}``.
Our choices where the guide is silent: a bad or missing date is 400 ``INVALID_REPLICATION_DATE``
with a message naming it; deleted records are not in "updated"; ``earliestDateAvailable`` is the
org's creation, since the fake never purges its Recycle Bin.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from harness.salesforce.errors import InvalidReplicationDate, NotFound
from harness.salesforce.models import org_data
from harness.salesforce.models.records import find_object
from harness.salesforce.views.common import sf
from harness.salesforce.views.rest import api_version, rest_org

WINDOW_DAYS = {"updated": 30, "deleted": 15}
_STAMP = "%Y-%m-%dT%H:%M:%S.000+0000"


def _moment(request: Request, name: str) -> datetime:
    text = request.query_params.get(name, "").strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidReplicationDate(f"{name}: {text!r} is not an ISO 8601 date-time such as "
                                     "2026-01-31T09:30:00+00:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def _stamp(row_value: str) -> datetime:
    return datetime.strptime(row_value, "%Y-%m-%dT%H:%M:%S.%f%z")


async def changes(request: Request) -> Response:
    api_version(request)
    org = rest_org(request)
    spec = find_object(request.path_params["name"])
    if spec is None:
        raise NotFound()
    kind = "deleted" if request.url.path.rstrip("/").endswith("/deleted") else "updated"
    start, end = _moment(request, "start"), _moment(request, "end")
    now = datetime.fromtimestamp(sf(request).clock.now(), UTC)
    if start >= end:
        raise InvalidReplicationDate("startDate must chronologically precede endDate")
    if start < now - timedelta(days=WINDOW_DAYS[kind]):
        raise InvalidReplicationDate(f"startDate cannot be more than {WINDOW_DAYS[kind]} days ago")
    covered = min(end, now.replace(second=0, microsecond=0)).strftime(_STAMP)
    hits = [row for row in org_data.rows(org, spec, include_deleted=True)
            if bool(row.get("IsDeleted")) == (kind == "deleted") and start <= _stamp(row["SystemModstamp"]) < end]
    if kind == "updated":
        return JSONResponse({"ids": [row["Id"] for row in hits], "latestDateCovered": covered})
    earliest = datetime.fromtimestamp(org.created_at, UTC).strftime(_STAMP)
    return JSONResponse({"deletedRecords": [{"id": row["Id"], "deletedDate": row["SystemModstamp"]} for row in hits],
                         "earliestDateAvailable": earliest, "latestDateCovered": covered})
