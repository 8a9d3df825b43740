"""The appliance's configuration database (SQLAlchemy; SQLite file by default, PostgreSQL accepted).

Rule served: docs/design.md "The reference appliance" - configuration lives in a real database and is
never lost on a failed step or a restart. One engine with a connection pool serves every call; each
write is one transaction (``atomic()`` groups several), so a step that fails half-way leaves what was
saved before it untouched. SQLite runs in WAL mode with full fsync. Sealed columns (``*_enc``) hold
Fernet ciphertext only; consumer secrets live only in ``apps``. The SQLite file is created owner-only
(0600; SQLite gives its ``-wal`` and ``-shm`` files the same mode). ``peek`` reads a database without
changing any of its files, so a start that is refused (wrong key, other schema) leaves them as they were.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    create_engine,
    delete,
    event,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Engine, make_url

SCHEMA_VERSION = 2
metadata = MetaData()

config = Table("config", metadata, Column("key", String(64), primary_key=True), Column("value", Text, nullable=False))
apps = Table(
    "apps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("consumer_key", Text, nullable=False),
    Column("consumer_secret_enc", Text, nullable=False),
    Column("created_at", Float, nullable=False),
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
    Column("app_id", Integer),
    Column("refresh_token_enc", Text),
    Column("granted_scopes", JSON, nullable=False, default=list),
    Column("status", String(64), nullable=False),
    Column("status_reason", Text, nullable=False, default=""),
    Column("created_at", Float, nullable=False),
)
attempts = Table(
    "attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state_hash", String(64), nullable=False, unique=True),
    Column("binding_hash", String(64), nullable=False),
    Column("purpose", String(16), nullable=False),
    Column("org_id", String(32)),
    Column("app_id", Integer, nullable=False),
    Column("environment", String(16), nullable=False),
    Column("login_host", String(255), nullable=False),
    Column("redirect_uri", String(255), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("claimed", Boolean, nullable=False, default=False),
    Column("outcome", JSON),
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

_ORDER = {"orgs": orgs.c.created_at}


class SchemaMismatch(RuntimeError):
    """The database was written by another version of the appliance; nothing was changed."""


def _key(table: Table) -> Any:
    return next(iter(table.primary_key.columns))


# Statements built once: building one per call (SQLAlchemy's coercions and cache key) cost more than
# running it, for the few statements every request runs (the wizard's draft is read several times).
_GET_CONFIG = select(config.c.value).where(config.c.key == bindparam("config_key"))
_UPDATE_CONFIG = update(config).where(config.c.key == bindparam("config_key")).values(value=bindparam("text"))
_INSERT_CONFIG = insert(config).values(key=bindparam("config_key"), value=bindparam("text"))
_GET_ROW = {name: select(table).where(_key(table) == bindparam("row_key")) for name, table in metadata.tables.items()}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
    cursor.execute("PRAGMA synchronous=FULL")  # a committed write survives a power cut
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Store:
    """Row-level access to the tables above over one pooled engine; rows travel as plain dicts."""

    def __init__(self, url: str, *, create: bool = True, shown_as: str | None = None) -> None:
        """Opens ``url``; with ``create`` (the default) makes the tables and the owner-only file if missing.

        ``shown_as`` is the URL messages name (``peek`` opens a private copy but speaks of the original)."""
        sqlite = url.startswith("sqlite")
        self._shown = make_url(shown_as or url).render_as_string(hide_password=True)
        if create:
            _owner_only(sqlite_file(url))
        self.engine: Engine = create_engine(
            url, connect_args={"check_same_thread": False} if sqlite else {}, pool_pre_ping=not sqlite
        )
        if sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._lock = threading.RLock()
        self._local = threading.local()
        try:
            self._check_schema()
        except SchemaMismatch:
            self.engine.dispose()
            raise
        if create:
            metadata.create_all(self.engine)
            if self.get_config("schema_version") is None:
                self.set_config("schema_version", SCHEMA_VERSION)

    def has_config(self) -> bool:
        """False for a database nothing was ever stored in (no ``config`` table)."""
        return "config" in inspect(self.engine).get_table_names()

    def _check_schema(self) -> None:
        names = set(inspect(self.engine).get_table_names())
        if "config" not in names:
            return
        with self.engine.connect() as conn:
            row = conn.execute(select(config.c.value).where(config.c.key == "schema_version")).first()
        found = json.loads(row[0]) if row else None
        if found != SCHEMA_VERSION:
            raise SchemaMismatch(
                f"the database {self._shown} has schema "
                f"{found or 1}, this appliance needs {SCHEMA_VERSION}; nothing was changed"
            )

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Every store call inside the block is one transaction: all of it is saved, or none."""
        if getattr(self._local, "conn", None) is not None:
            yield
            return
        with self._lock, self.engine.begin() as conn:
            self._local.conn = conn
            try:
                yield
            finally:
                self._local.conn = None

    @contextmanager
    def _conn(self, write: bool) -> Iterator[Connection]:
        current = getattr(self._local, "conn", None)
        if current is not None:
            yield current
        elif write:
            with self._lock, self.engine.begin() as conn:
                yield conn
        else:
            with self.engine.connect() as conn:
                yield conn

    def get_config(self, key: str, default: Any = None) -> Any:
        with self._conn(False) as conn:
            row = conn.execute(_GET_CONFIG, {"config_key": key}).first()
        return json.loads(row[0]) if row else default

    def set_config(self, key: str, value: Any) -> None:
        with self._conn(True) as conn:
            text = json.dumps(value)
            if conn.execute(_UPDATE_CONFIG, {"config_key": key, "text": text}).rowcount == 0:
                conn.execute(_INSERT_CONFIG, {"config_key": key, "text": text})

    def add(self, table: str, row: dict[str, Any]) -> Any:
        with self._conn(True) as conn:
            result = conn.execute(insert(metadata.tables[table]).values(**row))
            return result.inserted_primary_key[0] if result.inserted_primary_key else None

    def get(self, table: str, key: Any) -> dict[str, Any] | None:
        with self._conn(False) as conn:
            row = conn.execute(_GET_ROW[table], {"row_key": key}).mappings().first()
        return dict(row) if row else None

    def find(self, table: str, **where: Any) -> dict[str, Any] | None:
        """The newest row (highest key) matching ``where``, in one query."""
        tbl = metadata.tables[table]
        query = select(tbl).order_by(_key(tbl).desc()).limit(1)
        for name, value in where.items():
            query = query.where(tbl.c[name] == value)
        with self._conn(False) as conn:
            row = conn.execute(query).mappings().first()
        return dict(row) if row else None

    def change(self, table: str, key: Any, **values: Any) -> int:
        tbl = metadata.tables[table]
        with self._conn(True) as conn:
            return int(conn.execute(update(tbl).where(_key(tbl) == key).values(**values)).rowcount)

    def change_where(self, table: str, where: dict[str, Any], **values: Any) -> int:
        tbl = metadata.tables[table]
        query = update(tbl).values(**values)
        for name, value in where.items():
            query = query.where(tbl.c[name] == value)
        with self._conn(True) as conn:
            return int(conn.execute(query).rowcount)

    def remove(self, table: str, key: Any) -> None:
        tbl = metadata.tables[table]
        with self._conn(True) as conn:
            conn.execute(delete(tbl).where(_key(tbl) == key))

    def rows(self, table: str, **where: Any) -> list[dict[str, Any]]:
        tbl = metadata.tables[table]
        query = select(tbl).order_by(_ORDER.get(table, _key(tbl)))
        for name, value in where.items():
            query = query.where(tbl.c[name] == value)
        with self._conn(False) as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def wipe(self) -> None:
        with self._conn(True) as conn:
            for table in reversed(metadata.sorted_tables):
                conn.execute(delete(table))
            conn.execute(insert(config).values(key="schema_version", value=json.dumps(SCHEMA_VERSION)))

    def close(self) -> None:
        self.engine.dispose()


_SQLITE_SIDE_FILES = ("", "-wal", "-journal")  # the database and what a crash may leave to recover from


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL; None for another database or an in-memory one."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database))


def _owner_only(path: Path | None) -> None:
    """Creates the SQLite file 0600 before SQLite does (it would use 0644); tightens an older one."""
    if path is None:
        return
    if not path.exists():  # an empty file is an empty SQLite database
        with suppress(FileExistsError):  # another process made it first: tightened below like any
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for suffix in ("", "-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists() and side.stat().st_mode & 0o077:
            side.chmod(0o600)


@contextmanager
def peek(url: str) -> Iterator[Store | None]:
    """A read-only look at the database that changes none of its files; None when nothing is stored yet.

    Rule served: a refused start changes no file. Opening SQLite in place is not enough: even a
    read-only connection writes the ``-shm`` index, and the last connection to close checkpoints the
    ``-wal`` into the database and removes both. So an SQLite database is read through a private copy
    of its file and of the log a crash may have left (SQLite recovers the copy, not the original).
    """
    path = sqlite_file(url)
    if path is None:
        store = Store(url, create=False)
        try:
            yield store if store.has_config() else None
        finally:
            store.close()
        return
    if not path.exists():
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="appliance-peek-") as private:
        copy = Path(private) / path.name
        for suffix in _SQLITE_SIDE_FILES:
            if Path(f"{path}{suffix}").exists():
                shutil.copy2(f"{path}{suffix}", f"{copy}{suffix}")
        store = Store(f"sqlite:///{copy}", create=False, shown_as=url)
        try:
            yield store if store.has_config() else None
        finally:
            store.close()
