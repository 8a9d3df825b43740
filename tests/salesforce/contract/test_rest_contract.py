"""REST on the wire: versions, the resource list, record reads, queries, limits and errors."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from .target import Target

NOT_FOUND = [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]
# The resources the fake lists; each must be listed by, and answer on, every target.
RESOURCES = {"sobjects": {}, "query": {"q": "SELECT Id FROM Account LIMIT 1"},
             "queryAll": {"q": "SELECT Id FROM Account LIMIT 1"}, "search": {"q": "FIND {test}"}, "limits": {}}


def _sorted(errors: list[dict[str, str]]) -> list[dict[str, str]]:
    return [dict(sorted(error.items())) for error in errors]


def test_versions_list_the_target_version(target: Target) -> None:
    versions = target.client.get(f"{target.session.instance_url}/services/data/").json()
    entry = next(v for v in versions if v["version"] == target.api_version)
    assert entry["url"] == f"/services/data/v{target.api_version}" and re.match(r"^(Spring|Summer|Winter) '\d\d$",
                                                                                  entry["label"])


def test_every_resource_the_fake_lists_is_listed_and_answers(target: Target) -> None:
    listed = target.rest("").json()
    for name, params in RESOURCES.items():
        assert listed[name] == f"/services/data/v{target.api_version}/{name}", name
        assert target.rest(f"/{name}", **params).status_code == 200, name


def test_user_and_organization_by_id_with_and_without_fields(target: Target) -> None:
    session = target.session
    user = target.rest(f"/sobjects/User/{session.user_id}").json()
    assert user["attributes"]["type"] == "User" and user["Id"] == session.user_id
    assert {"Username", "FirstName", "LastName", "Name", "Email", "ProfileId", "IsActive"} <= set(user)
    org = target.rest(f"/sobjects/Organization/{session.org_id}",
                      fields="Name,IsSandbox,InstanceName,OrganizationType").json()
    assert list(org)[0] == "attributes" and set(org) == {"attributes", "Name", "IsSandbox", "InstanceName",
                                                          "OrganizationType"}
    assert isinstance(org["IsSandbox"], bool) and org["InstanceName"]
    profile = target.rest(f"/sobjects/Profile/{user['ProfileId']}", fields="Name").json()
    assert profile["Name"] == "System Administrator"


def test_record_errors(target: Target) -> None:
    bad = target.rest(f"/sobjects/User/{target.session.user_id}", fields="Username,Nope")
    assert bad.status_code == 400 and bad.json()[0]["errorCode"] == "INVALID_FIELD"
    assert "No such column 'Nope' on sobject of type User" in bad.json()[0]["message"]
    missing = target.rest("/sobjects/Account/001000000000000AAA")
    assert missing.status_code == 404 and _sorted(missing.json()) == NOT_FOUND


def test_query_leaves_deleted_records_out_and_query_all_keeps_them(target: Target) -> None:
    assert target.rest("/query", q="SELECT Id FROM Account WHERE IsDeleted = true").json()["totalSize"] == 0
    every = target.rest("/queryAll", q="SELECT Id, IsDeleted FROM Account LIMIT 5").json()
    assert all(isinstance(record["IsDeleted"], bool) for record in every["records"])


def test_column_metadata(target: Target) -> None:
    columns = target.rest("/query", q="SELECT Id, Name FROM Account", columns="true").json()
    assert {"columnMetadata", "entityName", "groupBy", "idSelected", "keyPrefix"} <= set(columns)
    assert (columns["entityName"], columns["keyPrefix"], columns["idSelected"]) == ("Account", "001", True)
    assert [c["columnName"] for c in columns["columnMetadata"]] == ["Id", "Name"]
    assert {"aggregate", "apexType", "booleanType", "custom", "displayName", "foreignKeyName", "insertable",
            "joinColumns", "numberType", "textType", "updatable"} <= set(columns["columnMetadata"][0])


def test_limits_and_the_usage_header(target: Target) -> None:
    response = target.rest("/limits")
    daily = response.json()["DailyApiRequests"]
    assert isinstance(daily["Max"], int) and 0 <= daily["Remaining"] <= daily["Max"]
    assert re.fullmatch(r"api-usage=\d+/\d+", response.headers["sforce-limit-info"])


@pytest.mark.parametrize(("soql", "code", "detail"), [
    ("SELECT Nope FROM Account", "INVALID_FIELD",
     "\nSELECT Nope FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Nope' on entity 'Account'."),
    ("SELECT Id FROM Nope", "INVALID_TYPE",
     "\nSELECT Id FROM Nope\n               ^\nERROR at Row:1:Column:16\nsObject type 'Nope' is not supported."),
    ("SELECT Id FROM Account LIMIT x", "MALFORMED_QUERY", "ERROR at Row:1:Column:30\nunexpected token: 'x'"),
])
def test_soql_errors_carry_row_and_column(target: Target, soql: str, code: str, detail: str) -> None:
    response = target.rest("/query", q=soql)
    assert response.status_code == 400
    error = response.json()[0]
    assert error["errorCode"] == code and detail in error["message"]


@pytest.mark.parametrize("path", ["/nope", "//sobjects", "/sobjects//describe"])
def test_unknown_paths_are_json_not_found(target: Target, path: str) -> None:
    response = target.rest(path)
    assert response.status_code == 404 and _sorted(response.json()) == NOT_FOUND


def test_replication_windows(target: Target) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    window = {"start": (now - timedelta(days=1)).isoformat(), "end": now.isoformat()}
    updated = target.rest("/sobjects/Account/updated/", **window).json()
    assert isinstance(updated["ids"], list) and updated["latestDateCovered"].endswith(":00.000+0000")
    deleted = target.rest("/sobjects/Account/deleted/", **window).json()
    assert {"deletedRecords", "earliestDateAvailable", "latestDateCovered"} <= set(deleted)


def test_search_answers_search_records_and_refuses_a_term_without_braces(target: Target) -> None:
    found = target.rest("/search", q="FIND {test} RETURNING Account(Id, Name)").json()
    assert isinstance(found["searchRecords"], list)
    refused = target.rest("/search", q="FIND test")
    assert refused.status_code == 400 and refused.json()[0]["errorCode"] == "MALFORMED_SEARCH"
