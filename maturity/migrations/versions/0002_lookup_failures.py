"""Failed join-code lookups (maturity.throttle), counted in the database.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Code between the last release and Alembic made this table with create_all: such a database has it.
    if sa.inspect(op.get_bind()).has_table("lookup_failures"):
        return
    op.create_table('lookup_failures',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('scope', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lookup_failures'))
    )
    op.create_index('ix_lookup_failures_at', 'lookup_failures', ['at'], unique=False)
    op.create_index('ix_lookup_failures_scope_at', 'lookup_failures', ['scope', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index("ix_lookup_failures_scope_at", table_name="lookup_failures")
    op.drop_index("ix_lookup_failures_at", table_name="lookup_failures")
    op.drop_table("lookup_failures")
