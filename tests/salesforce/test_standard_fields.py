"""Standard fields of every served object in describe, record reads, queries and ``fields=``; owner and
creator lookups resolvable (docs/salesforce-facts.md 3.10)."""

from __future__ import annotations

from typing import Any

import pytest

from harness.salesforce.models.records import OBJECTS

from .support import World

AUDIT = {"CreatedById", "LastModifiedById", "CreatedDate", "LastModifiedDate", "SystemModstamp"}
BACKUP_READS = {"Account": {"OwnerId", "Description", "Type", "ParentId", "BillingStreet", "Website",
                            "NumberOfEmployees", "AnnualRevenue"},
                "Contact": {"OwnerId", "Description", "Name", "MailingCity", "Title", "ReportsToId", "Birthdate"},
                "Opportunity": {"OwnerId", "Description", "Probability", "IsClosed", "IsWon", "FiscalYear"},
                "User": {"Alias", "LocaleSidKey", "EmailEncodingKey", "ManagerId"},
                "Profile": {"PermissionsApiEnabled", "PermissionsModifyAllData", "Description"},
                "Organization": {"Country", "FiscalYearStartMonth", "IsReadOnly", "PrimaryContact"}}


@pytest.fixture
def api(world: World) -> Any:
    body = world.tokens()
    base = f"{body['instance_url']}/services/data/v60.0"
    headers = {"Authorization": f"Bearer {body['access_token']}"}

    def call(path: str, method: str = "GET", **kwargs: Any) -> Any:
        return world.client.request(method, f"{base}{path}", headers=headers, **kwargs)
    return call


@pytest.mark.parametrize("name", list(OBJECTS))
def test_describe_and_every_read_carry_the_standard_fields(api: Any, name: str) -> None:
    described = {f["name"]: f for f in api(f"/sobjects/{name}/describe").json()["fields"]}
    assert AUDIT | BACKUP_READS[name] <= set(described)
    assert described["CreatedById"]["referenceTo"] == ["User"] and described["CreatedById"]["relationshipName"] == (
        "CreatedBy")
    assert described["CreatedById"]["createable"] is False
    record_id = api("/query", params={"q": f"SELECT Id FROM {name} LIMIT 1"}).json()["records"][0]["Id"]
    record = api(f"/sobjects/{name}/{record_id}").json()
    assert set(record) == {"attributes", *described}
    selected = ", ".join(sorted(BACKUP_READS[name]))
    queried = api("/query", params={"q": f"SELECT {selected} FROM {name} WHERE Id = '{record_id}'"}).json()
    assert queried["records"][0] == {"attributes": record["attributes"], **{k: record[k] for k in
                                                                            sorted(BACKUP_READS[name])}}
    only = api(f"/sobjects/{name}/{record_id}", params={"fields": "CreatedById,LastModifiedById"}).json()
    assert only["CreatedById"] == record["CreatedById"] and only["CreatedById"].startswith("005")


def test_owner_and_creator_are_the_org_user_and_resolve_through_their_lookups(api: Any, world: World) -> None:
    rows = api("/query", params={"q": "SELECT Id, Description, Owner.Name, Owner.Email, CreatedBy.Username, "
                                      "LastModifiedBy.Name FROM Account"}).json()["records"]
    assert len(rows) == 5
    for row in rows:
        assert (row["Owner"]["Name"], row["Owner"]["Email"]) == ("Ada Admin", world.user["email"])
        assert row["CreatedBy"]["Username"] == world.user["username"] and row["LastModifiedBy"]["Name"] == "Ada Admin"
    owned = api("/query", params={"q": f"SELECT Id FROM Contact WHERE OwnerId = '{world.user['id']}'"}).json()
    assert owned["totalSize"] == 5


def test_a_created_record_is_owned_by_the_caller_and_derives_its_computed_fields(api: Any, world: World) -> None:
    created = api("/sobjects/Contact", "POST", json={"FirstName": "Grace", "LastName": "Hopper",
                                                     "Description": "Rear admiral"}).json()["id"]
    contact = api(f"/sobjects/Contact/{created}").json()
    assert (contact["Name"], contact["Description"], contact["OwnerId"], contact["CreatedById"]) == (
        "Grace Hopper", "Rear admiral", world.user["id"], world.user["id"])
    refused = api(f"/sobjects/Contact/{created}", "PATCH", json={"CreatedById": world.user["id"]})
    assert refused.status_code == 400 and refused.json()[0]["errorCode"] == "INVALID_FIELD_FOR_INSERT_UPDATE"
    deal = api("/sobjects/Opportunity", "POST", json={"Name": "Big", "StageName": "Closed Won",
                                                       "CloseDate": "2026-05-20"}).json()["id"]
    won = api(f"/sobjects/Opportunity/{deal}", params={"fields": "IsClosed,IsWon,Probability,FiscalQuarter"}).json()
    assert (won["IsClosed"], won["IsWon"], won["Probability"], won["FiscalQuarter"]) == (True, True, 100.0, 2)
