"""Evidence files attached to answers, and the read-only view link of an assessment.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if "view_token" not in {c["name"] for c in inspector.get_columns("assessments")}:
        # Batch mode that never copies the table: a nullable column is added in place on both dialects.
        with op.batch_alter_table("assessments", recreate="never") as batch:
            batch.add_column(sa.Column("view_token", sa.String(length=64), nullable=True))
    if "ix_assessments_view_token" not in {i["name"] for i in inspector.get_indexes("assessments")}:
        op.create_index("ix_assessments_view_token", "assessments", ["view_token"], unique=True)
    if not inspector.has_table("evidence"):
        op.create_table(
            "evidence",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("assessment_id", sa.Integer(), nullable=False),
            sa.Column("indicator_id", sa.String(length=128), nullable=False),
            sa.Column("filename", sa.String(length=255), nullable=False),
            sa.Column("kind", sa.String(length=8), nullable=False),
            sa.Column("size", sa.Integer(), nullable=False),
            sa.Column("sha256", sa.String(length=64), nullable=False),
            sa.Column("data", sa.LargeBinary(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE",
                                    name=op.f("fk_evidence_assessment_id_assessments")),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        )
        op.create_index("ix_evidence_assessment_indicator", "evidence", ["assessment_id", "indicator_id"])


def downgrade() -> None:
    op.drop_index("ix_evidence_assessment_indicator", table_name="evidence")
    op.drop_table("evidence")
    op.drop_index("ix_assessments_view_token", table_name="assessments")
    # Never by copying the table: on SQLite that would cascade (ON DELETE CASCADE) to every answer.
    with op.batch_alter_table("assessments", recreate="never") as batch:
        batch.drop_column("view_token")
