"""Alembic's environment: runs on the connection that :func:`maturity.migrations.upgrade` passes in.

There is no alembic.ini and no engine here: the caller holds the database's write transaction (and,
on PostgreSQL, an advisory lock), so the migrations run inside it and commit or roll back with it.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from maturity import schema as S


def run() -> None:
    """Run the pending migrations on the caller's connection, in its transaction."""
    connection: Connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=S.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters a table by copying it
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):  # run by Alembic; a plain import (a walk over the package) does nothing
    run()
