"""A restarted fake still knows what it issued, including which codes were already spent.

Rule served: a fake kept on disk (``harness serve``) is one world across restarts; a code replayed
after a restart is refused and revokes the grant its first use opened (RFC 6749 section 4.1.2).
"""

from __future__ import annotations

import pytest

from harness.salesforce import SalesforceBackend
from harness.salesforce.errors import ExpiredAuthorizationCode
from harness.salesforce.models.persistence import Snapshots


def _spent_code(backend: SalesforceBackend) -> tuple[str, str]:
    book, now = backend.state.book, 1000.0
    code = book.issue_code(app_id="APP", user_id="USER", redirect_uri="https://172.12.0.1",
                           scopes=["full", "refresh_token", "openid"], issued_at=now)
    book.redeem_code(code.value, "APP", now)
    grant = book.open_grant("APP", "USER", code.scopes, refresh=True, now=now)
    book.record_grant(code, grant)
    return code.value, grant.id


def test_a_code_replayed_after_a_restart_still_revokes_its_grant(tmp_path) -> None:
    first = SalesforceBackend(seed=7)
    code, grant_id = _spent_code(first)
    Snapshots(first, tmp_path / "salesforce.json").save()

    second = SalesforceBackend(seed=1)
    assert Snapshots(second, tmp_path / "salesforce.json").load()
    assert second.state.book.grants[grant_id].active
    with pytest.raises(ExpiredAuthorizationCode):
        second.state.book.redeem_code(code, "APP", 1001.0)
    assert not second.state.book.grants[grant_id].active
