"""SOQL error positions: the caret and ``ERROR at Row:R:Column:C`` point at the offending token."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.salesforce.errors import InvalidField, MalformedQuery
from harness.salesforce.models import soql

_KNOWN = ["Id", "Name", "Industry", "Phone", "BillingCity"]


@given(before=st.lists(st.sampled_from(_KNOWN), max_size=3), after=st.lists(st.sampled_from(_KNOWN), max_size=3),
       bad=st.from_regex(r"Zz[A-Za-z]{1,8}", fullmatch=True), newline=st.booleans())
def test_unknown_field_position(before: list[str], after: list[str], bad: str, newline: bool) -> None:
    head = "SELECT " + "".join(f"{name}, " for name in before)
    text = head + bad + "".join(f", {name}" for name in after) + ("\nFROM Account" if newline else " FROM Account")
    with pytest.raises(InvalidField) as raised:
        soql.parse(text)
    lines = raised.value.text.split("\n")
    assert lines[1] == text.splitlines()[0] and lines[2] == " " * len(head) + "^"
    assert lines[3] == f"ERROR at Row:1:Column:{len(head) + 1}"
    assert lines[4].startswith(f"No such column '{bad}' on entity 'Account'.")


@given(rows=st.integers(min_value=0, max_value=3), indent=st.integers(min_value=0, max_value=6))
def test_unexpected_token_on_a_later_row(rows: int, indent: int) -> None:
    text = "SELECT Id" + "\n" * rows + " " * indent + " FROM Account LIMIT oops"
    with pytest.raises(MalformedQuery) as raised:
        soql.parse(text)
    column = len(text.splitlines()[-1]) - len("oops") + 1
    assert f"ERROR at Row:{rows + 1}:Column:{column}\nunexpected token: 'oops'" in raised.value.text
