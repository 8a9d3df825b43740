"""A small SOQL reader whose errors read like Salesforce's, with the row and column of the problem.

Serves the REST rule "SOQL errors carry Salesforce's full message": the query line, a caret under
the offending token, ``ERROR at Row:R:Column:C`` and the reason (``MALFORMED_QUERY`` "unexpected
token: 'X'", ``INVALID_FIELD`` "No such column ...", ``INVALID_TYPE`` "sObject type ... is not
supported", with Salesforce's trailing advice). Our choice where Salesforce trims very long lines
around the caret: we show the whole line.

Supported grammar (our choice; anything else is ``MALFORMED_QUERY``): ``SELECT`` a field list
(with parent fields through a lookup, such as ``Account.Name`` or ``Profile.Name``) or ``COUNT()``
``FROM`` one object, optional ``WHERE field op literal [AND ...]``, ``ORDER BY field [ASC|DESC]``,
``LIMIT n``, ``OFFSET n``. Operators ``= != < <= > >=``, ``LIKE`` and ``IN (...)``; literals:
quoted strings, numbers, ``true``/``false``/``null``, dates and datetimes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from harness.salesforce.errors import InvalidField, InvalidType, MalformedQuery
from harness.salesforce.models.records import OBJECTS, REFERENCES, ObjectSpec, find_object

_TOKEN = re.compile(r"\s*(?:(?P<string>'(?:[^'\\]|\\.)*')|(?P<op>!=|<=|>=|=|<|>)|(?P<punct>[(),*])"
                    r"|(?P<word>[A-Za-z0-9_.:+\-]+)|(?P<other>\S))")
_FIELD_ADVICE = ("If you are attempting to use a custom field, be sure to append the '__c' after the custom "
                 "field name. Please reference your WSDL or the describe call for the appropriate names.")
_RELATION_ADVICE = ("If you are attempting to use a custom relationship, be sure to append the '__r' after the "
                    "custom relationship name. Please reference your WSDL or the describe call for the appropriate "
                    "names.")
_TYPE_ADVICE = ("If you are attempting to use a custom object, be sure to append the '__c' after the entity "
                "name. Please reference your WSDL or the describe call for the appropriate names.")


@dataclass(frozen=True)
class Token:
    text: str
    offset: int
    kind: str

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.lower() in words


@dataclass
class Query:
    spec: ObjectSpec
    fields: list[str]  # canonical names; empty for COUNT()
    conditions: list[tuple[str, str, Any]]
    order_by: tuple[str, bool] | None
    limit: int | None
    offset: int = 0

    @property
    def is_count(self) -> bool:
        return not self.fields


def located(soql: str, offset: int, reason: str) -> str:
    """Salesforce's message shape: the query's row, a caret at the column, the position, the reason."""
    before = soql[:offset]
    row = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    line = soql.splitlines()[row - 1] if soql.strip() else ""
    return f"\n{line}\n{' ' * (column - 1)}^\nERROR at Row:{row}:Column:{column}\n{reason}"


class _Reader:
    def __init__(self, soql: str) -> None:
        self.soql = soql
        self.tokens = [Token(m[m.lastgroup or "other"], m.start(m.lastgroup or "other"), m.lastgroup or "other")
                       for m in _TOKEN.finditer(soql) if m.lastgroup]
        self.position = 0

    def peek(self) -> Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise MalformedQuery(located(self.soql, len(self.soql.rstrip()), "unexpected token: '<EOF>'"))
        self.position += 1
        return token

    def unexpected(self, token: Token) -> MalformedQuery:
        return MalformedQuery(located(self.soql, token.offset, f"unexpected token: '{token.text}'"))

    def expect(self, *words: str) -> Token:
        token = self.take()
        if not token.is_word(*words):
            raise self.unexpected(token)
        return token

    def accept(self, *words: str) -> Token | None:
        token = self.peek()
        if token is not None and token.is_word(*words):
            self.position += 1
            return token
        return None


def parse(soql: str) -> Query:
    """The query, or the Salesforce error (with row and column) for its first problem."""
    reader = _Reader(soql or "")
    reader.expect("select")
    selected = _select_list(reader)
    reader.expect("from")
    object_token = reader.take()
    spec = next((s for s in OBJECTS.values() if s.name.lower() == object_token.text.lower()), None)
    if object_token.kind != "word" or spec is None:
        raise InvalidType(located(soql, object_token.offset,
                                  f"sObject type '{object_token.text}' is not supported. {_TYPE_ADVICE}"))
    fields = [] if selected is None else [_field(soql, spec, token, path_allowed=True) for token in selected]
    query = Query(spec, fields, [], None, None)
    if reader.accept("where"):
        query.conditions.append(_condition(reader, spec))
        while reader.accept("and"):
            query.conditions.append(_condition(reader, spec))
    if reader.accept("order"):
        reader.expect("by")
        field = _field(soql, spec, reader.take())
        direction = reader.accept("asc", "desc")
        query.order_by = (field, direction is not None and direction.text.lower() == "desc")
    if reader.accept("limit"):
        query.limit = _integer(reader)
    if reader.accept("offset"):
        query.offset = _integer(reader)
    leftover = reader.peek()
    if leftover is not None:
        raise reader.unexpected(leftover)
    return query


def _select_list(reader: _Reader) -> list[Token] | None:
    """The selected field tokens, or None for ``COUNT()``."""
    first = reader.peek()
    if first is not None and first.is_word("count"):
        reader.take()
        for symbol in ("(", ")"):
            token = reader.take()
            if token.text != symbol:
                raise reader.unexpected(token)
        return None
    selected = [reader.take()]
    while reader.peek() is not None and reader.peek().text == ",":  # type: ignore[union-attr]
        reader.take()
        selected.append(reader.take())
    for token in selected:
        if token.kind != "word" or token.is_word("from"):
            raise reader.unexpected(token)
    return selected


def _field(soql: str, spec: ObjectSpec, token: Token, path_allowed: bool = False) -> str:
    """The canonical field name; with ``path_allowed``, also a parent field such as ``Account.Name``."""
    if path_allowed and token.kind == "word" and "." in token.text:
        return _parent_field(soql, spec, token)
    field = spec.field(token.text) if token.kind == "word" else None
    if field is None:
        raise InvalidField(located(soql, token.offset, f"No such column '{token.text}' on entity "
                                                       f"'{spec.name}'. {_FIELD_ADVICE}"))
    return field.name


def _parent_field(soql: str, spec: ObjectSpec, token: Token) -> str:
    relation, _, name = token.text.partition(".")
    lookup = spec.field(f"{relation}Id")
    parent = find_object(REFERENCES.get(lookup.name, "")) if lookup is not None else None
    if lookup is None or parent is None or "." in name:
        raise InvalidField(located(soql, token.offset, f"Didn't understand relationship '{relation}' in field "
                                                       f"path. {_RELATION_ADVICE}"))
    field = parent.field(name)
    if field is None:
        raise InvalidField(located(soql, token.offset + len(relation) + 1, f"No such column '{name}' on entity "
                                                                           f"'{parent.name}'. {_FIELD_ADVICE}"))
    return f"{lookup.name[:-2]}.{field.name}"


def parent_object(spec: ObjectSpec, relation: str) -> ObjectSpec:
    """The object a relationship name (``Account`` on Contact) points at."""
    found = find_object(REFERENCES[f"{relation}Id"])
    assert found is not None
    return found


def _condition(reader: _Reader, spec: ObjectSpec) -> tuple[str, str, Any]:
    name = _field(reader.soql, spec, reader.take())
    op = reader.take()
    if op.is_word("like"):
        return name, "like", _value(_literal(reader, ("string",)).text)
    if op.is_word("in"):
        return name, "in", _value_list(reader)
    if op.kind != "op":
        raise reader.unexpected(op)
    return name, op.text, _value(_literal(reader, ("string", "word")).text)


def _literal(reader: _Reader, kinds: tuple[str, ...]) -> Token:
    token = reader.take()
    if token.kind not in kinds:
        raise reader.unexpected(token)
    return token


def _value_list(reader: _Reader) -> list[Any]:
    opening = reader.take()
    if opening.text != "(":
        raise reader.unexpected(opening)
    values = []
    while True:
        values.append(_value(_literal(reader, ("string", "word")).text))
        separator = reader.take()
        if separator.text == ")":
            return values
        if separator.text != ",":
            raise reader.unexpected(separator)


def _integer(reader: _Reader) -> int:
    token = reader.take()
    if not token.text.isdigit():
        raise reader.unexpected(token)
    return int(token.text)


def _value(literal: str) -> Any:
    if literal.startswith("'"):
        return literal[1:-1].replace("\\'", "'")
    if literal.lower() in ("true", "false"):
        return literal.lower() == "true"
    if literal.lower() == "null":
        return None
    if "T" in literal:
        return literal.replace("Z", ".000+0000")
    try:
        return float(literal) if "." in literal else int(literal)
    except ValueError:
        return literal  # a date literal such as 2024-01-01 compares as text


def run(query: Query, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The matching rows, ordered, offset and limited (whole rows: the caller projects them)."""
    hits = [row for row in rows if all(_holds(row.get(f), op, v) for f, op, v in query.conditions)]
    if query.order_by:
        field, descending = query.order_by
        hits.sort(key=lambda row: (row.get(field) is None, str(row.get(field))), reverse=descending)
    hits = hits[query.offset:]
    return hits if query.limit is None else hits[: query.limit]


def _holds(actual: Any, op: str, expected: Any) -> bool:
    if op == "in":
        return actual in expected
    if op == "like":  # SOQL's LIKE: case-insensitive, % any run of characters, _ one character
        pattern = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in str(expected))
        return actual is not None and re.fullmatch(pattern, str(actual), re.IGNORECASE | re.DOTALL) is not None
    if op in ("=", "!="):
        return (actual == expected) == (op == "=")
    if actual is None or expected is None:
        return False
    left, right = (actual, expected) if type(actual) is type(expected) else (str(actual), str(expected))
    return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]
