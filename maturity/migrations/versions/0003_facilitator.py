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


NEW_COLUMNS = {
    "consensus": [sa.Column("note", sa.Text(), nullable=True)],
    "workshops": [sa.Column("presenter_hash", sa.String(length=64), nullable=True),
                  sa.Column("result_assessment", sa.String(length=64), nullable=True)],
}


def upgrade() -> None:
    # Batch mode, never copying a table (see downgrade): nullable columns are added in place on both dialects.
    # A column already there is left alone: a database that the app's create_all made before Alembic was
    # stamped (as 0002 does for lookup_failures) has them from the start.
    inspector = sa.inspect(op.get_bind())
    for table, columns in NEW_COLUMNS.items():
        have = {c["name"] for c in inspector.get_columns(table)}
        missing = [c for c in columns if c.name not in have]
        if missing:
            with op.batch_alter_table(table, recreate="never") as batch:
                for column in missing:
                    batch.add_column(column)


def downgrade() -> None:
    # Never by copying the table: on SQLite, dropping the old workshops table would cascade (ON DELETE
    # CASCADE) to every participant and answer. ALTER TABLE ... DROP COLUMN needs SQLite 3.35 or later.
    with op.batch_alter_table("workshops", recreate="never") as batch:
        batch.drop_column("result_assessment")
        batch.drop_column("presenter_hash")
    with op.batch_alter_table("consensus", recreate="never") as batch:
        batch.drop_column("note")
