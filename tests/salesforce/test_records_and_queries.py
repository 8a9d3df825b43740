"""Single-record reads, deletion, queryAll, column metadata, limits and unknown paths over REST."""

from __future__ import annotations

from typing import Any

import pytest

from harness.salesforce.models.records import OBJECTS

from .support import World


@pytest.fixture
def api(world: World) -> Any:
    body = world.tokens()
    base = f"{body['instance_url']}/services/data/v60.0"
    headers = {"Authorization": f"Bearer {body['access_token']}"}

    def call(path: str, method: str = "GET", **params: Any) -> Any:
        return world.client.request(method, f"{base}{path}", params=params, headers=headers)

    call.ids = body["id"].rsplit("/", 2)[-2:]  # type: ignore[attr-defined]
    call.headers = headers  # type: ignore[attr-defined]
    return call


def test_user_and_organization_read_with_and_without_fields(api: Any, world: World) -> None:
    org_id, user_id = api.ids
    user = api(f"/sobjects/User/{user_id}").json()
    assert user["attributes"] == {"type": "User", "url": f"/services/data/v60.0/sobjects/User/{user_id}"}
    assert (user["Username"], user["Name"], user["Email"]) == ("admin@acme.example.com", "Ada Admin",
                                                               "admin@acme.example.com")
    profile = api(f"/sobjects/Profile/{user['ProfileId']}", fields="Name").json()
    assert profile == {"attributes": profile["attributes"], "Name": "System Administrator"}
    org = api(f"/sobjects/Organization/{org_id}", fields="Name,IsSandbox,InstanceName,OrganizationType").json()
    assert list(org) == ["attributes", "Name", "IsSandbox", "InstanceName", "OrganizationType"]
    assert org["Name"] == "acme" and org["IsSandbox"] is False and org["InstanceName"].startswith("NA")
    assert api(f"/sobjects/Organization/{org_id[:15]}").json()["Id"] == org_id


def test_record_errors(api: Any) -> None:
    account = api("/query", q="SELECT Id FROM Account LIMIT 1").json()["records"][0]["Id"]
    bad_field = api(f"/sobjects/Account/{account}", fields="Name,Nope")
    assert bad_field.status_code == 400
    assert bad_field.json() == [{"message": "No such column 'Nope' on sobject of type Account",
                                 "errorCode": "INVALID_FIELD"}]
    assert api("/sobjects/Account/001000000000000AAA").json()[0]["errorCode"] == "NOT_FOUND"
    assert api(f"/sobjects/Nope/{account}").status_code == 404
    assert api(f"/sobjects/User/{api.ids[1]}", method="DELETE").json()[0]["errorCode"] == (
        "INVALID_TYPE_FOR_OPERATION")


def test_deleted_records_leave_query_and_stay_in_query_all(api: Any) -> None:
    first = api("/query", q="SELECT Id FROM Contact ORDER BY Id LIMIT 1").json()["records"][0]["Id"]
    assert api(f"/sobjects/Contact/{first}", method="DELETE").status_code == 204
    gone = api(f"/sobjects/Contact/{first}")
    assert gone.status_code == 404 and gone.json()[0]["errorCode"] == "ENTITY_IS_DELETED"
    assert api("/query", q="SELECT COUNT() FROM Contact").json()["totalSize"] == 4
    every = api("/queryAll", q="SELECT Id, IsDeleted FROM Contact WHERE IsDeleted = true").json()
    assert every["records"] == [{"attributes": every["records"][0]["attributes"], "Id": first, "IsDeleted": True}]
    assert api("/queryAll/", q="SELECT COUNT() FROM Contact").json()["totalSize"] == 5


def test_column_metadata(api: Any) -> None:
    columns = api("/query", q="SELECT Id, Name, Amount FROM Opportunity", columns="true").json()
    assert (columns["entityName"], columns["keyPrefix"], columns["idSelected"], columns["groupBy"]) == (
        "Opportunity", "006", True, False)
    assert [(c["columnName"], c["apexType"], c["numberType"]) for c in columns["columnMetadata"]] == [
        ("Id", "Id", False), ("Name", "String", False), ("Amount", "Decimal", True)]


@pytest.mark.parametrize(("soql", "code", "message"), [
    ("SELECT Nope FROM Account", "INVALID_FIELD",
     "\nSELECT Nope FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Nope' on entity 'Account'."),
    ("SELECT Id FROM Nope", "INVALID_TYPE",
     "\nSELECT Id FROM Nope\n               ^\nERROR at Row:1:Column:16\nsObject type 'Nope' is not supported."),
    ("DELETE Account", "MALFORMED_QUERY", "\nDELETE Account\n^\nERROR at Row:1:Column:1\nunexpected token: 'DELETE'"),
    ("SELECT Id FROM Account WHERE", "MALFORMED_QUERY", "ERROR at Row:1:Column:29\nunexpected token: '<EOF>'"),
    ("SELECT Id\nFROM Account LIMIT x", "MALFORMED_QUERY", "\nFROM Account LIMIT x\n                   ^\n"
                                                         "ERROR at Row:2:Column:20\nunexpected token: 'x'"),
])
def test_soql_errors_name_row_and_column(api: Any, soql: str, code: str, message: str) -> None:
    response = api("/query", q=soql)
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == code and message in response.json()[0]["message"]


def test_limits_count_the_calls_of_the_day(api: Any, world: World) -> None:
    first = api("/limits/").json()
    second = api("/limits").json()
    assert first["DailyApiRequests"]["Max"] == 15000
    assert second["DailyApiRequests"]["Remaining"] == first["DailyApiRequests"]["Remaining"] - 1
    assert {"Max", "Remaining"} == set(second["DataStorageMB"])
    world.backend.advance_clock(86400)
    fresh = world.tokens()
    next_day = world.client.get(f"{fresh['instance_url']}/services/data/v60.0/limits",
                                headers={"Authorization": f"Bearer {fresh['access_token']}"}).json()["DailyApiRequests"]
    assert next_day["Remaining"] == next_day["Max"] - 1


def test_unknown_paths_and_methods_answer_json(api: Any, world: World) -> None:
    for path in ("/nope", "//sobjects", "/sobjects/Account/describe/extra/more"):
        response = api(path)
        assert response.status_code == 404, path
        assert response.json() == [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]
    assert world.client.get("https://acme.my.salesforce.com/services/data//v60.0/query").status_code == 404
    wrong = api("/query", method="POST")
    assert wrong.status_code == 405 and wrong.json()[0]["errorCode"] == "METHOD_NOT_ALLOWED"
    assert world.client.get("https://acme.my.salesforce.com/services/data/v60.0/nope").status_code == 401


def test_resource_list_names_only_what_answers(api: Any) -> None:
    listed = api("/").json()
    names = ("sobjects", "query", "queryAll", "search", "limits")
    assert listed == {name: f"/services/data/v60.0/{name}" for name in names}


def test_create_update_and_basic_information(api: Any, world: World) -> None:
    info = api("/sobjects/Account").json()
    assert info["objectDescribe"]["name"] == "Account" and info["recentItems"] == []
    created = world.client.post(f"{world.org['instance_url']}/services/data/v60.0/sobjects/Account/",
                                json={"Name": "Initech", "Industry": "Technology"}, headers=api.headers)
    assert created.status_code == 201 and created.json()["success"] is True
    new_id = created.json()["id"]
    assert new_id.startswith("001") and api(f"/sobjects/Account/{new_id}").json()["Name"] == "Initech"
    patched = world.client.patch(f"{world.org['instance_url']}/services/data/v60.0/sobjects/Account/{new_id}",
                                 json={"BillingCity": "Austin"}, headers=api.headers)
    assert patched.status_code == 204
    assert api(f"/sobjects/Account/{new_id}", fields="Name,BillingCity").json()["BillingCity"] == "Austin"


@pytest.mark.parametrize(("body", "code", "fields"), [
    ({"Industry": "Retail"}, "REQUIRED_FIELD_MISSING", ["Name"]),
    ({"Name": "x", "Id": "001000000000000AAA"}, "INVALID_FIELD_FOR_INSERT_UPDATE", ["Id"]),
    ({"Name": "x", "Nope": 1}, "INVALID_FIELD", None),
    ([1, 2], "JSON_PARSER_ERROR", None),
])
def test_create_errors(api: Any, world: World, body: Any, code: str, fields: list[str] | None) -> None:
    response = world.client.post(f"{world.org['instance_url']}/services/data/v60.0/sobjects/Account",
                                 json=body, headers=api.headers)
    assert response.status_code == 400 and response.json()[0]["errorCode"] == code
    assert response.json()[0].get("fields") == fields


def test_parent_fields_like_and_in(api: Any) -> None:
    contacts = api("/query", q="SELECT Id, LastName, Account.Name, Account.Industry FROM Contact LIMIT 2").json()
    first = contacts["records"][0]
    assert list(first) == ["attributes", "Id", "LastName", "Account"]
    assert first["Account"]["attributes"]["type"] == "Account" and set(first["Account"]) == {
        "attributes", "Name", "Industry"}
    users = api("/query", q="SELECT Username, Profile.Name FROM User").json()["records"]
    assert users[0]["Profile"]["Name"] == "System Administrator"
    names = [r["Name"] for r in api("/query", q="SELECT Name FROM Account").json()["records"]]
    picked = api("/query", q=f"SELECT Name FROM Account WHERE Name IN ('{names[0]}', '{names[1]}')").json()
    assert sorted(r["Name"] for r in picked["records"]) == sorted(names[:2])
    prefix = names[0][:3].lower()
    liked = api("/query", q=f"SELECT Name FROM Account WHERE Name LIKE '{prefix}%'").json()["records"]
    assert names[0] in [r["Name"] for r in liked] and all(r["Name"].lower().startswith(prefix) for r in liked)
    columns = api("/query", q="SELECT Id, Account.Name FROM Contact", columns="true").json()["columnMetadata"]
    assert [c["columnName"] for c in columns] == ["Id", "Account"]
    assert [c["columnName"] for c in columns[1]["joinColumns"]] == ["Name"]


def test_unknown_relationship_is_invalid_field(api: Any) -> None:
    error = api("/query", q="SELECT Id, Boss.Name FROM Contact").json()[0]
    assert error["errorCode"] == "INVALID_FIELD"
    assert "ERROR at Row:1:Column:12\nDidn't understand relationship 'Boss' in field path." in error["message"]


def test_search(api: Any) -> None:
    accounts = api("/query", q="SELECT Id, Name, Phone FROM Account").json()["records"]
    word = accounts[0]["Name"].split()[0].strip(",")[:4]
    found = api("/search", q=f"FIND {{{word}*}} IN NAME FIELDS RETURNING Account(Name), Contact LIMIT 50").json()
    hits = found["searchRecords"]
    assert accounts[0]["Id"] in [r["attributes"]["url"].rsplit("/", 1)[1] for r in hits]
    assert all(r["attributes"]["type"] in ("Account", "Contact") for r in hits)
    assert set(hits[0]) == {"attributes", "Name"}
    for q, code in (("FIND Acme", "MALFORMED_SEARCH"), ("FIND {a}", "MALFORMED_SEARCH"),
                    ("FIND {Acme} RETURNING Nope", "INVALID_TYPE"),
                    ("FIND {Acme} RETURNING Account(Nope)", "INVALID_FIELD")):
        response = api("/search", q=q)
        assert response.status_code == 400 and response.json()[0]["errorCode"] == code, q


@pytest.mark.parametrize("name", list(OBJECTS))
def test_every_object_reads_by_id_with_and_without_fields(api: Any, name: str) -> None:
    row = api("/query", q=f"SELECT Id FROM {name} LIMIT 1").json()["records"][0]
    whole = api(f"/sobjects/{name}/{row['Id']}").json()
    assert list(whole) == ["attributes", *(field.name for field in OBJECTS[name].fields)]
    second = OBJECTS[name].fields[1].name
    assert list(api(f"/sobjects/{name}/{row['Id']}/", fields=f"Id,{second}").json()) == ["attributes", "Id", second]


def test_a_token_without_api_or_full_scope_cannot_use_rest(world: World) -> None:
    limited = world.tokens(scope="openid refresh_token", prompt="consent")
    response = world.client.get(f"{limited['instance_url']}/services/data/v60.0/limits",
                                headers={"Authorization": f"Bearer {limited['access_token']}"})
    assert response.status_code == 401
    assert response.json() == [{"message": "This session is not valid for use with the REST API",
                                "errorCode": "INVALID_SESSION_ID"}]
