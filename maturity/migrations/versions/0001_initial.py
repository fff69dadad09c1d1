"""The schema as the last release before Alembic (commit a6a1c3c) created it with ``create_all``.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('model_snapshots',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('model_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.String(length=200), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_model_snapshots'))
    )
    op.create_table('schema_version',
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_schema_version'))
    )
    op.create_table('assessments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('model_sha256', sa.String(length=64), nullable=False),
    sa.Column('model_id', sa.String(length=64), nullable=False),
    sa.Column('model_version', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.Text(), nullable=False),
    sa.Column('organisation_name', sa.String(length=500), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('assessed_at', sa.String(length=10), nullable=False),
    sa.Column('current_step', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['model_sha256'], ['model_snapshots.sha256'],
                       name=op.f('fk_assessments_model_sha256_model_snapshots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments')),
    sa.UniqueConstraint('token', name=op.f('uq_assessments_token'))
    )
    op.create_index('ix_assessments_created', 'assessments', ['created_at', 'id'], unique=False)
    op.create_index(op.f('ix_assessments_organisation_name'), 'assessments', ['organisation_name'], unique=False)
    op.create_table('workshops',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('model_sha256', sa.String(length=64), nullable=False),
    sa.Column('criteria', sa.Text(), nullable=False),
    sa.Column('named', sa.Boolean(create_constraint=True, name='named_bool'), nullable=False),
    sa.Column('pace', sa.String(length=8), nullable=False),
    sa.Column('current_criterion', sa.String(length=128), nullable=True),
    sa.Column('revealed', sa.Boolean(create_constraint=True, name='revealed_bool'), nullable=False),
    sa.Column('host_key_hash', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("pace IN ('free', 'guided')", name=op.f('ck_workshops_pace_kind')),
    sa.ForeignKeyConstraint(['model_sha256'], ['model_snapshots.sha256'], name=op.f('fk_workshops_model_sha256_model_snapshots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshops')),
    sa.UniqueConstraint('code', name=op.f('uq_workshops_code'))
    )
    op.create_table('answers',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.String(length=128), nullable=False),
    sa.Column('level', sa.Float(), nullable=True),
    sa.Column('is_na', sa.Boolean(create_constraint=True, name='is_na_bool'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(is_na AND level IS NULL) OR (NOT is_na AND level IS NOT NULL)', name=op.f('ck_answers_level_or_na')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_answers_assessment_id_assessments'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', 'indicator_id', name=op.f('pk_answers'))
    )
    op.create_table('consensus',
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.String(length=128), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_consensus_workshop_id_workshops'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workshop_id', 'indicator_id', name=op.f('pk_consensus'))
    )
    op.create_table('notes',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.String(length=128), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_notes_assessment_id_assessments'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', 'indicator_id', name=op.f('pk_notes'))
    )
    op.create_table('participants',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_participants_workshop_id_workshops'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participants')),
    sa.UniqueConstraint('token', name=op.f('uq_participants_token'))
    )
    op.create_index(op.f('ix_participants_workshop_id'), 'participants', ['workshop_id'], unique=False)
    op.create_table('targets',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=128), nullable=False),
    sa.Column('level', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_targets_assessment_id_assessments'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', 'criterion_id', name=op.f('pk_targets'))
    )
    op.create_table('workshop_answers',
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.String(length=128), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Float(), nullable=True),
    sa.Column('is_na', sa.Boolean(create_constraint=True, name='ws_is_na_bool'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(is_na AND level IS NULL) OR (NOT is_na AND level IS NOT NULL)',
                       name=op.f('ck_workshop_answers_ws_level_or_na')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_workshop_answers_participant_id_participants'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_answers_workshop_id_workshops'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('participant_id', 'indicator_id', name=op.f('pk_workshop_answers'))
    )
    op.create_index(op.f('ix_workshop_answers_workshop_id'), 'workshop_answers', ['workshop_id'], unique=False)


def downgrade() -> None:
    for table in ("consensus", "workshop_answers", "participants", "targets", "notes", "answers", "workshops",
                  "assessments", "schema_version", "model_snapshots"):
        op.drop_table(table)
