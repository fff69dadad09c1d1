"""The facilitator's tools: a note beside a consensus, a presenter token, the kept group result.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode: SQLite adds nullable columns in place; PostgreSQL runs plain ALTER TABLE.
    with op.batch_alter_table("consensus") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(sa.Column("presenter_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("result_assessment", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("result_assessment")
        batch.drop_column("presenter_hash")
    with op.batch_alter_table("consensus") as batch:
        batch.drop_column("note")
