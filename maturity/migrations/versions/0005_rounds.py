"""Assessment rounds (测评批次) sent to many units, their units, and the 上级复评 of a unit's answers.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("rounds"):
        op.create_table(
            "rounds",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("code", sa.String(length=16), nullable=False),
            sa.Column("title", sa.String(length=200), nullable=False),
            sa.Column("model_sha256", sa.String(length=64), nullable=False),
            sa.Column("deadline", sa.String(length=10), nullable=True),
            sa.Column("key_hash", sa.String(length=64), nullable=False),
            sa.Column("language", sa.String(length=16), nullable=False),
            sa.Column("follows_id", sa.Integer(), nullable=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
            sa.ForeignKeyConstraint(["model_sha256"], ["model_snapshots.sha256"],
                                    name=op.f("fk_rounds_model_sha256_model_snapshots")),
            sa.ForeignKeyConstraint(["follows_id"], ["rounds.id"], ondelete="SET NULL",
                                    name=op.f("fk_rounds_follows_id_rounds")),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
            sa.UniqueConstraint("code", name=op.f("uq_rounds_code")),
        )
    if not inspector.has_table("round_units"):
        op.create_table(
            "round_units",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("round_id", sa.Integer(), nullable=False),
            sa.Column("assessment_id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(length=120), nullable=False),
            sa.Column("parent", sa.String(length=120), nullable=True),
            sa.Column("members", sa.Integer(), nullable=True),
            sa.Column("contact", sa.String(length=200), nullable=True),
            sa.Column("position", sa.Integer(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], ondelete="CASCADE",
                                    name=op.f("fk_round_units_round_id_rounds")),
            sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE",
                                    name=op.f("fk_round_units_assessment_id_assessments")),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_round_units")),
            sa.UniqueConstraint("assessment_id", name=op.f("uq_round_units_assessment_id")),
        )
        op.create_index("ix_round_units_round_name", "round_units", ["round_id", "name"], unique=True)
    if not inspector.has_table("reviews"):
        op.create_table(
            "reviews",
            sa.Column("assessment_id", sa.Integer(), nullable=False),
            sa.Column("indicator_id", sa.String(length=128), nullable=False),
            sa.Column("level", sa.Float(), nullable=False),
            sa.Column("reason", sa.Text(), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE",
                                    name=op.f("fk_reviews_assessment_id_assessments")),
            sa.PrimaryKeyConstraint("assessment_id", "indicator_id", name=op.f("pk_reviews")),
        )


def downgrade() -> None:
    op.drop_table("reviews")
    op.drop_index("ix_round_units_round_name", table_name="round_units")
    op.drop_table("round_units")
    op.drop_table("rounds")
