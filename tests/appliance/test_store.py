"""The store: one pooled engine, atomic groups of writes, and a clear refusal of another schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event, text

from harness.appliance.core.store import SchemaMismatch, Store


def test_calls_reuse_pooled_connections(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    opened: list[object] = []
    event.listen(store.engine, "connect", lambda *_: opened.append(1))
    for n in range(100):
        store.set_config("k", n)
        assert store.get_config("k") == n
    store.close()
    assert len(opened) <= 1, f"{len(opened)} database connections for 200 calls"


def test_an_atomic_group_is_saved_whole_or_not_at_all(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    store.set_config("kept", 1)
    with pytest.raises(RuntimeError), store.atomic():
        store.set_config("kept", 2)
        store.set_config("other", 3)
        raise RuntimeError("a step failed half-way")
    assert (store.get_config("kept"), store.get_config("other")) == (1, None)
    store.close()


def test_find_returns_the_newest_match(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    for n in range(3):
        store.add("apps", {"consumer_key": f"K{n}", "consumer_secret_enc": "x", "created_at": float(n)})
    assert store.find("apps")["consumer_key"] == "K2"  # type: ignore[index]
    assert store.find("apps", consumer_key="K0")["id"] == 1  # type: ignore[index]
    store.close()


def test_a_database_of_another_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    old = Store(f"sqlite:///{path}")
    with old.engine.begin() as conn:
        conn.execute(text("UPDATE config SET value = '1' WHERE key = 'schema_version'"))
    old.close()
    before = path.read_bytes()
    with pytest.raises(SchemaMismatch, match="has schema 1, this appliance needs 2"):
        Store(f"sqlite:///{path}")
    assert path.read_bytes() == before
