"""The one database seam: URL, engine, SQLite pragmas and write lock, transactions, upsert, time and tokens.

A :class:`Database` holds one SQLAlchemy ``Engine`` and is safe to share between threads
(Streamlit's ``cache_resource``): :meth:`Database.read` and :meth:`Database.write` each open their
own short transaction. :class:`maturity.store.Store`, :class:`maturity.workshop.WorkshopService`
and :class:`maturity.throttle.LookupLimit` all go through one of these; none of them builds an
engine or a transaction of its own.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DEFAULT_SQLITE",
    "Database",
    "is_token",
    "new_token",
    "now",
    "resolve_url",
]

_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = _ROOT / "data" / "maturity.db"
BUSY_TIMEOUT_MS = 10_000
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_WRITE = "maturity_write"


def resolve_url(url: str | None = None) -> URL:
    """``url``, else DATABASE_URL, else the SQLite file under data/; ``postgresql://`` uses psycopg 3."""
    raw = url or os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"
    parsed = make_url(raw)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def now() -> dt.datetime:
    """The current time in UTC (every stored timestamp)."""
    return dt.datetime.now(dt.UTC)


def new_token() -> str:
    """A fresh unguessable bearer token (144 bits, URL-safe)."""
    return secrets.token_urlsafe(18)


def is_token(token: object) -> bool:
    """Whether ``token`` has the form of a bearer token (anything else is never looked up)."""
    return isinstance(token, str) and _TOKEN.fullmatch(token) is not None


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"


class Database:
    """One SQLite or PostgreSQL database: its engine and its read and write transactions."""

    def __init__(self, url: str | None = None) -> None:
        parsed = resolve_url(url)
        self.dialect: str = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise ValueError(f"unsupported database: {self.dialect} (use sqlite or postgresql)")
        self.url: str = parsed.render_as_string(hide_password=True)
        self._lock: AbstractContextManager[Any] = nullcontext()
        # SQLite has one writer at a time anyway. Queueing this process's writers on a lock is
        # fair and cheap; left to SQLite's busy handler, 200 threads starve each other until
        # some give up with "database is locked" (seen in benchmarks/bench_workshop.py).
        self._write_lock: AbstractContextManager[Any] = nullcontext()
        if self.dialect == "sqlite":
            self.engine: Engine = self._sqlite_engine(parsed)
            self._write_lock = threading.RLock()
        else:
            self.engine = create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=20)
        self._writer = self.engine.execution_options(**{_WRITE: True})

    def _sqlite_engine(self, url: URL) -> Engine:
        memory = _is_memory(url)
        if memory:
            # One connection for the whole process; the lock stops threads from sharing it at once.
            engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
            self._lock = threading.RLock()
        else:
            Path(url.database or "").expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy, not pysqlite, decide where transactions begin (see "begin" below).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys = ON")
            if not memory:
                cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA synchronous = NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # A write transaction takes the write lock up front, waiting up to busy_timeout;
            # a deferred one that upgrades later would fail at once with "database is locked".
            immediate = conn.get_execution_options().get(_WRITE)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading (its transaction rolled back at the end)."""
        with self._lock, self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: committed at the end, rolled back on an exception (SQLite: BEGIN IMMEDIATE)."""
        with self._write_lock, self._lock, self._writer.begin() as conn:
            yield conn

    def insert(self, table: Table) -> Any:
        """This dialect's INSERT (with ``on_conflict_do_nothing`` / ``on_conflict_do_update``)."""
        return (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)

    def upsert(self, conn: Connection, table: Table, keys: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert ``rows``, updating the other columns of a row whose ``keys`` exist already."""
        if not rows:
            return
        stmt = self.insert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=list(keys), set_={c: stmt.excluded[c] for c in rows[0] if c not in keys}
        )
        conn.execute(stmt, list(rows))
