"""Throw-away databases for the benchmarks: a SQLite file, or a uniquely named PostgreSQL database."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

PG_ADMIN_URL = os.environ.get("MATURITY_BENCH_PG") or os.environ.get(
    "MATURITY_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


class PgDatabase:
    """A fresh database on the local PostgreSQL server, dropped by :meth:`drop` (even with clients left)."""

    def __init__(self, admin_url: str = PG_ADMIN_URL) -> None:
        from sqlalchemy import create_engine

        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.name = f"maturity_bench_{secrets.token_hex(5)}"

    def create(self) -> str:
        """Create it; its URL (with the password, for the app's DATABASE_URL)."""
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        return self.admin.url.set(database=self.name).render_as_string(hide_password=False)

    def drop(self) -> None:
        """Drop it (WITH (FORCE): a server still connected is no obstacle)."""
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def sqlite_url(folder: Path | None = None) -> str:
    """A SQLite file in a new temporary folder (or in ``folder``)."""
    folder = folder or Path(tempfile.mkdtemp(prefix="maturity-bench-"))
    return f"sqlite:///{folder}/workshop.db"
