"""Schema migrations with Alembic, run from code (no alembic.ini): ``versions/`` holds one file per revision.

- :func:`upgrade` brings a database to the newest revision this code knows, inside one write
  transaction (SQLite: ``BEGIN IMMEDIATE`` and the process's write lock; PostgreSQL: an advisory
  lock too), so two processes starting at once never both migrate. A database made before Alembic
  (a ``schema_version`` table, no ``alembic_version``) is recognised as revision 0001 and stamped.
  A database at a revision this code does not know (made by a newer version) raises
  :class:`maturity.errors.SchemaTooNew` and is left untouched.
- :func:`current` / :func:`head`: the database's revision and this code's newest.
- :func:`drop_all`: every table, ``alembic_version`` included (tests that empty a database).

A new revision: add ``versions/000N_<what>.py`` (``down_revision`` the previous one) and change
:mod:`maturity.schema` to match; tests/test_migrations.py checks that the two agree.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, func, inspect, select, text

from .. import schema as S
from ..db import Database
from ..errors import SchemaTooNew

__all__ = ["FIRST", "current", "drop_all", "head", "upgrade"]

HERE = Path(__file__).resolve().parent
FIRST = "0001"  # the schema of the last release before Alembic
_PG_MIGRATE_LOCK = 0x6D61747572  # any constant: serialises upgrades across processes
_VERSION_TABLE = "alembic_version"


def _config(conn: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = conn
    return cfg


def head() -> str:
    """The newest revision this code knows."""
    found = ScriptDirectory.from_config(_config()).get_current_head()
    assert found is not None
    return found


def _revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def current(db: Database) -> str | None:
    """The database's revision; None for an empty database (or one made before Alembic, not yet upgraded)."""
    with db.read() as conn:
        return _revision(conn)


def _check_known(revision: str) -> None:
    try:
        ScriptDirectory.from_config(_config()).get_revision(revision)
    except CommandError as exc:
        raise SchemaTooNew(f"database schema revision {revision} is newer than this app's {head()}") from exc


def upgrade(db: Database) -> tuple[str | None, str]:
    """Bring ``db`` to :func:`head`; ``(revision before, revision after)``. Running it again does nothing."""
    with db.write() as conn:
        if db.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATE_LOCK})
        before = _revision(conn)
        cfg = _config(conn)
        if before is None and inspect(conn).has_table(S.schema_version.name):
            found = conn.scalar(select(func.max(S.schema_version.c.version)))
            if found is not None and found > S.SCHEMA_VERSION:
                raise SchemaTooNew(f"database schema {found} is newer than this app's {S.SCHEMA_VERSION}")
            command.stamp(cfg, FIRST)  # made by create_all before Alembic: that is revision 0001
            before = FIRST
        if before is not None:
            _check_known(before)
        if before != head():
            command.upgrade(cfg, "head")
        return before, head()


def drop_all(engine: Engine) -> None:
    """Drop every table of the schema and Alembic's version table (tests that empty a database)."""
    S.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE IF EXISTS {_VERSION_TABLE}"))
