"""Salesforce record ids: 15 case-sensitive characters plus a 3-character case-safe suffix.

Serves the documented id shapes (docs/salesforce-facts.md 3.1: org ids ``00D...``, user ids ``005...``). The suffix is
Salesforce's published checksum over the capital letters of each 5-character chunk.
"""

from __future__ import annotations

import random
import string

_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_SUFFIX = string.ascii_uppercase + "012345"
_POD = "5g0"  # instance/pod characters; any fixed value looks like a real org


def case_safe(id15: str) -> str:
    """The 18-character form of a 15-character id."""
    suffix = ""
    for start in (0, 5, 10):
        bits = sum(1 << i for i, char in enumerate(id15[start:start + 5]) if char.isupper())
        suffix += _SUFFIX[bits]
    return id15 + suffix


def _base62(number: int, width: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, 62)
        digits = _BASE62[rest] + digits
    return digits.rjust(width, "0")[-width:]


class IdFactory:
    """Makes unique 18-character ids per key prefix, deterministically from a seed."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._next: dict[str, int] = {}

    def new(self, prefix: str) -> str:
        if prefix not in self._next:
            self._next[prefix] = self._rng.randrange(62 ** 6, 62 ** 8)
        self._next[prefix] += self._rng.randrange(1, 97)
        return case_safe(prefix + _POD + _base62(self._next[prefix], 9))

    def token(self, length: int, alphabet: str = _BASE62) -> str:
        return "".join(self._rng.choice(alphabet) for _ in range(length))
