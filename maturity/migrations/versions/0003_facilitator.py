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
    # Batch mode, never copying a table (see downgrade): nullable columns are added in place on both dialects.
    with op.batch_alter_table("consensus", recreate="never") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))
    with op.batch_alter_table("workshops", recreate="never") as batch:
        batch.add_column(sa.Column("presenter_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("result_assessment", sa.String(length=64), nullable=True))


def downgrade() -> None:
    # Never by copying the table: on SQLite, dropping the old workshops table would cascade (ON DELETE
    # CASCADE) to every participant and answer. ALTER TABLE ... DROP COLUMN needs SQLite 3.35 or later.
    with op.batch_alter_table("workshops", recreate="never") as batch:
        batch.drop_column("result_assessment")
        batch.drop_column("presenter_hash")
    with op.batch_alter_table("consensus", recreate="never") as batch:
        batch.drop_column("note")
