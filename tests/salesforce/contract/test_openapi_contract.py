"""Every sobject answer checked against Salesforce's published REST OpenAPI document (API 59.0).

For each object the fake serves: the global list, basic information, describe, a record read (all
fields and ``fields=``), query rows with every described field and the owner/creator lookups, a
create's save result, and the error bodies (unknown field, unknown record, missing required field).
A field the published schema does not know, or a value of the wrong JSON type, fails
(``openapi.py`` says how the document is made strict). Runs on the fake, and on a real org when one
is named, so the check itself is checked.
"""

from __future__ import annotations

from typing import Any

import pytest

from harness.salesforce.models.records import OBJECTS, REFERENCES

from ..javascript_clients import OPENAPI, installed
from .openapi import PublishedSchema, describe_problems, problems, record_problems
from .target import Target

OWNED = ("Account", "Contact", "Opportunity")


@pytest.fixture(scope="session")
def published() -> PublishedSchema:
    schema = PublishedSchema(installed(OPENAPI))
    assert schema.version == "59.0"
    return schema


def _records(target: Target, sobject: str, described: dict[str, Any]) -> list[dict[str, Any]]:
    names = [field["name"] for field in described["fields"]]
    lookups = ["Owner.Name", "CreatedBy.Name", "LastModifiedBy.Username"] if sobject in OWNED else [
        "CreatedBy.Name"]
    answer = target.rest("/query", q=f"SELECT {', '.join(names + lookups)} FROM {sobject} LIMIT 5")
    assert answer.status_code == 200, answer.text
    records: list[dict[str, Any]] = answer.json()["records"]
    assert records, f"no {sobject} rows to check"
    return records


def test_the_object_list_is_a_describe_global_result(target: Target, published: PublishedSchema) -> None:
    answer = target.rest("/sobjects")
    assert problems(published.response_validator("/sobjects", "get", 200), answer.json(), "sobjects") == []


@pytest.mark.parametrize("sobject", list(OBJECTS))
def test_every_sobject_answer_matches_the_published_schema(target: Target, published: PublishedSchema,
                                                           sobject: str) -> None:
    found = problems(published.response_validator(f"/sobjects/{sobject}", "get", 200),
                     target.rest(f"/sobjects/{sobject}").json(), f"{sobject} basic information")
    described = target.rest(f"/sobjects/{sobject}/describe").json()
    found += describe_problems(published, sobject, described)
    records = _records(target, sobject, described)
    assert sobject not in OWNED or all(row["Owner"] and row["CreatedBy"] for row in records)
    for row in records:
        found += record_problems(published, sobject, row, REFERENCES)
    read = target.rest(f"/sobjects/{sobject}/{records[0]['Id']}").json()
    found += problems(published.response_validator(f"/sobjects/{sobject}/{{id}}", "get", 200), read, "read")
    some = target.rest(f"/sobjects/{sobject}/{records[0]['Id']}", fields="Id,CreatedDate,CreatedById").json()
    found += record_problems(published, sobject, some, REFERENCES)
    assert found == []


@pytest.mark.parametrize("sobject", list(OBJECTS))
def test_error_bodies_match_the_published_schema(target: Target, published: PublishedSchema, sobject: str) -> None:
    path = f"/sobjects/{sobject}/{{id}}"
    record_id = target.rest("/query", q=f"SELECT Id FROM {sobject} LIMIT 1").json()["records"][0]["Id"]
    unknown_field = target.rest(f"/sobjects/{sobject}/{record_id}", fields="Nope")
    missing = target.rest(f"/sobjects/{sobject}/{record_id[:3]}000000000000AAA")
    assert (unknown_field.status_code, missing.status_code) == (400, 404)
    found = problems(published.response_validator(path, "get", 400), unknown_field.json(), "unknown field")
    found += problems(published.response_validator(path, "get", 404), missing.json(), "unknown record")
    assert found == []


def test_a_create_answers_a_save_result_and_a_refusal_an_error_info(target: Target,
                                                                   published: PublishedSchema) -> None:
    url = f"{target.session.instance_url}/services/data/v{target.api_version}/sobjects/Account"
    created = target.client.post(url, json={"Name": "Schema Check", "Description": "made by the contract suite"},
                                 headers=target.bearer())
    refused = target.client.post(url, json={"Description": "no name"}, headers=target.bearer())
    assert (created.status_code, refused.status_code) == (201, 400)
    found = problems(published.response_validator("/sobjects/Account", "post", 201), created.json(), "created")
    found += problems(published.response_validator("/sobjects/Account", "post", 400), refused.json(), "refused")
    assert target.client.delete(f"{url}/{created.json()['id']}", headers=target.bearer()).status_code == 204
    assert found == []


def test_the_strict_schema_refuses_an_unknown_field_and_a_wrong_type(published: PublishedSchema) -> None:
    """The check can fail: what the fake used to answer, and a mistyped value, are refused."""
    good = {"attributes": {"type": "Account", "url": "/x"}, "Id": "001000000000001AAA", "Name": "Acme",
            "NumberOfEmployees": 12, "CreatedDate": "2026-01-31T09:30:00.000+0000", "Description": None}
    assert record_problems(published, "Account", good, REFERENCES) == []
    assert record_problems(published, "Account", {**good, "Nope": 1}, REFERENCES) == [
        "Account: Additional properties are not allowed ('Nope' was unexpected)"]
    assert record_problems(published, "Account", {**good, "NumberOfEmployees": "12"}, REFERENCES) == [
        'Account/NumberOfEmployees: "12" is not of types "null", "integer"']
    assert record_problems(published, "Account", {**good, "CreatedDate": "2026-01-31"}, REFERENCES)
    assert record_problems(published, "Account", {**good, "Owner": {"Bogus": True}}, REFERENCES) == [
        "User: Additional properties are not allowed ('Bogus' was unexpected)"]
    thin = {"name": "Account", "fields": [{"name": "Website", "type": "int"}, {"name": "Made_Up", "type": "string"}]}
    assert describe_problems(published, "Account", thin) == [
        "Account.Website: described as int (integer), published as string",
        "Account.Made_Up: not a field of Account in the published schema"]
