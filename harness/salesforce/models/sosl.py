"""A small SOSL reader for the ``search`` resource: ``FIND {term} ... RETURNING ...``.

Serves the REST API guide's "Search" resource as simple clients use it (simple-salesforce's
``search`` and ``quick_search``): ``FIND {term}`` with an optional ``IN ALL|NAME|EMAIL|PHONE
FIELDS``, ``RETURNING Object [(field, ...)] [, ...]`` and ``LIMIT n``. A term matches text fields
case-insensitively; ``*`` at the end of a word matches any ending, and every word must match.
Our choices where the fake is smaller than Salesforce: no search index (matching is a substring
test, so it finds a little more than Salesforce would), no ``WHERE`` inside ``RETURNING``, and
results in object order rather than by relevance. Errors are ``MALFORMED_SEARCH`` naming the
problem, or ``INVALID_TYPE`` / ``INVALID_FIELD`` as in SOQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from harness.salesforce.errors import InvalidField, InvalidType, MalformedSearch
from harness.salesforce.models.records import OBJECTS, ObjectSpec, find_object

SEARCHABLE = ("Account", "Contact", "Opportunity", "User")
_TEXT_TYPES = ("string", "email", "phone", "picklist")
_SCOPES = {"all": _TEXT_TYPES, "name": ("string",), "email": ("email",), "phone": ("phone",)}
_SEARCH = re.compile(r"^\s*find\s*\{(?P<term>[^}]*)\}(?:\s+in\s+(?P<scope>all|name|email|phone)\s+fields)?"
                     r"(?:\s+returning\s+(?P<returning>.+?))?(?:\s+limit\s+(?P<limit>\d+))?\s*$",
                     re.IGNORECASE | re.DOTALL)
_RETURNING = re.compile(r"\s*(\w+)\s*(?:\(([^)]*)\))?\s*(?:,|$)")


@dataclass
class Search:
    words: list[str]
    field_types: tuple[str, ...]
    targets: list[tuple[ObjectSpec, list[str]]] = field(default_factory=list)
    limit: int = 2000

    def matches(self, spec: ObjectSpec, row: dict[str, Any]) -> bool:
        texts = [str(row.get(f.name) or "").lower() for f in spec.fields if f.type in self.field_types]
        return all(any(_word_matches(word, text) for text in texts) for word in self.words)


def _word_matches(word: str, text: str) -> bool:
    if word.endswith("*"):
        return re.search(rf"\b{re.escape(word[:-1])}", text) is not None
    return word in text


def parse(text: str) -> Search:
    match = _SEARCH.match(text or "")
    if match is None:
        raise MalformedSearch("No search term found. The search term must be enclosed in braces.")
    words = [w.lower() for w in re.findall(r'"[^"]*"|\S+', match["term"]) if w.lower() not in ("and", "or")]
    words = [w.strip('"') for w in words]
    if not words or all(len(w.rstrip("*")) < 2 for w in words):
        raise MalformedSearch("search term must be longer than one character: " + match["term"].strip())
    search = Search(words, _SCOPES[(match["scope"] or "all").lower()],
                    limit=int(match["limit"]) if match["limit"] else 2000)
    search.targets = _targets(match["returning"]) if match["returning"] else [
        (OBJECTS[name], ["Id"]) for name in SEARCHABLE]
    return search


def _targets(returning: str) -> list[tuple[ObjectSpec, list[str]]]:
    targets = []
    for name, fields in _RETURNING.findall(returning):
        spec = find_object(name)
        if spec is None or spec.name not in SEARCHABLE:
            raise InvalidType(f"sObject type '{name}' is not supported.")
        names = [f.strip() for f in fields.split(",") if f.strip()] if fields else ["Id"]
        canonical = []
        for wanted in names:
            found = spec.field(wanted)
            if found is None:
                raise InvalidField(f"No such column '{wanted}' on entity '{spec.name}'.")
            canonical.append(found.name)
        targets.append((spec, canonical))
    return targets
