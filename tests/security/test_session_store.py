"""What the appliance keeps of a log-in: the session token's hash only; and a cost-configurable hash.

Weaknesses served: session tokens were stored as they were handed out (a copy of the database
opened every session); password hashing cost ~60 ms in every test log-in, with no setting.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.appliance.core.clock import ApplianceClock
from harness.appliance.core.crypto import check_password, hash_password
from harness.appliance.core.errors import BadCredentials
from harness.appliance.core.sessions import AccountLocked, Sessions, digest
from harness.appliance.core.store import Store
from harness.appliance.settings import ApplianceSettings

ADMIN, PASSWORD = "admin", "Str0ng!Pass"


@pytest.fixture
def sessions(tmp_path: Path) -> Sessions:
    settings = ApplianceSettings(data_dir=tmp_path, login_max_failures=3, login_lockout_s=120)
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    store.set_config("administrator", {"username": ADMIN, "password_hash": hash_password(PASSWORD, 4)})
    return Sessions(settings, store, ApplianceClock(lambda: 1000.0), lambda: True)


def test_the_store_keeps_only_the_hash_of_a_session_token(sessions: Sessions) -> None:
    token = sessions.log_in(ADMIN, PASSWORD)
    kept = [row["token"] for row in sessions.store.rows("sessions")]
    assert kept == [digest(token)] and token not in kept
    assert sessions.user(token) == ADMIN
    assert sessions.user(kept[0]) is None, "the stored hash must not work as a token"


def test_log_out_ends_the_session(sessions: Sessions) -> None:
    token = sessions.log_in(ADMIN, PASSWORD)
    sessions.log_out(token)
    assert sessions.user(token) is None


def test_the_lockout_follows_the_settings_and_says_for_how_long(sessions: Sessions) -> None:
    for _ in range(2):
        with pytest.raises(BadCredentials):
            sessions.log_in(ADMIN, "wrong")
    with pytest.raises(BadCredentials, match="locked for 2 minutes"):
        sessions.log_in(ADMIN, "wrong")
    with pytest.raises(AccountLocked, match="locked for 2 minutes"):
        sessions.log_in(ADMIN, PASSWORD)
    sessions.clock.advance(121)
    assert sessions.user(sessions.log_in(ADMIN, PASSWORD)) == ADMIN


def test_a_success_clears_earlier_failures(sessions: Sessions) -> None:
    for _ in range(2):
        with pytest.raises(BadCredentials):
            sessions.log_in(ADMIN, "wrong")
    sessions.log_in(ADMIN, PASSWORD)
    with pytest.raises(BadCredentials) as first_again:
        sessions.log_in(ADMIN, "wrong")
    assert "locked" not in first_again.value.message


@pytest.mark.parametrize("cost", [4, 10, 14])
def test_the_password_hash_records_its_cost(cost: int) -> None:
    stored = hash_password(PASSWORD, cost)
    assert stored.split("$")[1] == str(cost)
    assert check_password(PASSWORD, stored) and not check_password("Str0ng!Pas", stored)


def test_settings_choose_the_cost_full_strength_by_default(tmp_path: Path) -> None:
    assert ApplianceSettings(data_dir=tmp_path).password_hash_cost == 14
