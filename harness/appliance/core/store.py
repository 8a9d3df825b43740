"""The appliance's configuration database (SQLAlchemy; SQLite file by default, PostgreSQL accepted).

Rule served: DESIGN.md "The reference appliance" - configuration lives in a real database and is never
lost on a failed step or a restart. Every write is its own transaction, so a step that fails half-way
leaves what was saved before it untouched. Sealed columns (``*_enc``) hold Fernet ciphertext only.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine

metadata = MetaData()

config = Table(
    "config",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
orgs = Table(
    "orgs",
    metadata,
    Column("org_id", String(32), primary_key=True),
    Column("alias", String(255), nullable=False),
    Column("user_id", String(32)),
    Column("username", String(255)),
    Column("environment", String(16), nullable=False),
    Column("login_host", String(255), nullable=False),
    Column("instance_url", String(255)),
    Column("consumer_key", Text),
    Column("consumer_secret_enc", Text),
    Column("refresh_token_enc", Text),
    Column("granted_scopes", JSON, nullable=False, default=list),
    Column("status", String(64), nullable=False),
    Column("status_reason", Text, nullable=False, default=""),
    Column("created_at", Float, nullable=False),
)
attempts = Table(
    "attempts",
    metadata,
    Column("state", String(64), primary_key=True),
    Column("purpose", String(16), nullable=False),
    Column("org_id", String(32)),
    Column("consumer_key", Text, nullable=False),
    Column("consumer_secret_enc", Text, nullable=False),
    Column("environment", String(16), nullable=False),
    Column("login_host", String(255), nullable=False),
    Column("redirect_uri", String(255), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("used", Boolean, nullable=False, default=False),
)
policies = Table(
    "policies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False),
    Column("org_id", String(32), nullable=False, unique=True),
    Column("schedule", String(16), nullable=False),
    Column("files_and_attachments", Boolean, nullable=False),
    Column("retention", String(32), nullable=False),
    Column("next_run_at", Float),
)
runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("policy_id", Integer, nullable=False),
    Column("org_id", String(32), nullable=False),
    Column("trigger", String(16), nullable=False),
    Column("started_at", Float, nullable=False),
    Column("finished_at", Float),
    Column("status", String(16), nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("objects", JSON, nullable=False, default=dict),
    Column("snapshot", Text),
)
sessions = Table(
    "sessions",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("username", String(255), nullable=False),
    Column("created_at", Float, nullable=False),
)

_KEYS = {
    "orgs": orgs.c.org_id,
    "attempts": attempts.c.state,
    "policies": policies.c.id,
    "runs": runs.c.id,
    "sessions": sessions.c.token,
}


class Store:
    """Small row-level access to the tables above; rows travel as plain dicts."""

    def __init__(self, url: str) -> None:
        args = {"check_same_thread": False} if url.startswith("sqlite") else {}
        self.engine: Engine = create_engine(url, connect_args=args)
        self._lock = threading.RLock()
        metadata.create_all(self.engine)

    def get_config(self, key: str, default: Any = None) -> Any:
        with self.engine.connect() as conn:
            row = conn.execute(select(config.c.value).where(config.c.key == key)).first()
        return json.loads(row[0]) if row else default

    def set_config(self, key: str, value: Any) -> None:
        with self._lock, self.engine.begin() as conn:
            conn.execute(delete(config).where(config.c.key == key))
            conn.execute(insert(config).values(key=key, value=json.dumps(value)))

    def add(self, table: str, row: dict[str, Any]) -> Any:
        with self._lock, self.engine.begin() as conn:
            result = conn.execute(insert(metadata.tables[table]).values(**row))
            return result.inserted_primary_key[0] if result.inserted_primary_key else None

    def get(self, table: str, key: Any) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(metadata.tables[table]).where(_KEYS[table] == key)).mappings().first()
        return dict(row) if row else None

    def change(self, table: str, key: Any, **values: Any) -> None:
        with self._lock, self.engine.begin() as conn:
            conn.execute(update(metadata.tables[table]).where(_KEYS[table] == key).values(**values))

    def remove(self, table: str, key: Any) -> None:
        with self._lock, self.engine.begin() as conn:
            conn.execute(delete(metadata.tables[table]).where(_KEYS[table] == key))

    def rows(self, table: str, **where: Any) -> list[dict[str, Any]]:
        tbl = metadata.tables[table]
        query = select(tbl).order_by(_KEYS[table] if table != "orgs" else tbl.c.created_at)
        for name, value in where.items():
            query = query.where(tbl.c[name] == value)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def wipe(self) -> None:
        with self._lock, self.engine.begin() as conn:
            for table in reversed(metadata.sorted_tables):
                conn.execute(delete(table))

    def close(self) -> None:
        self.engine.dispose()
