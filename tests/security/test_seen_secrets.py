"""The secrets seen during a run wait on disk, not in memory, for the report scan at the end.

Rule served: docs/design.md, speed - the test process stays flat over a long run - without the
report scan missing any secret seen earlier in the run.
"""

from __future__ import annotations

from harness.pytest.secret_scan import Secrets, SeenSecrets, find


def test_every_secret_seen_comes_back_once_with_its_first_kind() -> None:
    seen = SeenSecrets()
    seen.update(Secrets({"consumer-secret-1": "consumer secret", "Passw0rd!long": "Salesforce password"}))
    seen.update(Secrets({"consumer-secret-1": "refresh token", "token-\u00e9-\"quoted\"": "access token"}))
    seen.add(12345678, "not a string")
    first = seen.read()
    assert first.kinds == {"consumer-secret-1": "consumer secret", "Passw0rd!long": "Salesforce password",
                           "token-\u00e9-\"quoted\"": "access token"}
    seen.add("added-after-reading", "password")
    assert len(seen.read()) == 4, "writes go on after a read"
    assert [h.kind for h in find("<td>Passw0rd!long</td>", "report", first)] == ["Salesforce password"]


def test_nothing_seen_is_held_in_memory() -> None:
    seen = SeenSecrets()
    seen.update(Secrets({f"secret-value-{n:06d}": "consumer secret" for n in range(2000)}))
    held = [value for value in vars(seen).values() if not hasattr(value, "fileno")]
    assert held == [] and len(seen.read()) == 2000
