"""Database tables of the store (SQLAlchemy Core), one ``MetaData`` for the whole app.

Map of the tables::

    schema_version      one row per schema version before Alembic (kept: the release before reads it)
    model_snapshots     exact model text, by sha256 (assessments point here)
    assessments         one self-check, reached by its bearer token
      answers           (assessment, indicator) -> level or N/A
      notes             (assessment, indicator) -> free text
      targets           (assessment, criterion) -> target level
      evidence          (assessment, indicator) -> the 佐证材料 files attached to an answer, their bytes inside
    workshops           one live session: join code, hashed host and presenter keys, pace, state, kept result
      participants      who joined, by bearer token (name only in named sessions)
      workshop_answers  (participant, indicator) -> level or N/A
      consensus         (workshop, indicator) -> the level the room agreed on, the facilitator's note
    rounds              one 测评批次 sent to many units: public code, hashed round key, model, deadline, the round it follows
      round_units       (round, unit name) -> 上级单位, members, contact and the unit's own assessment
    reviews             (assessment, indicator) -> 上级复评: the reviewed level and its reason (the unit's answer stays)
    lookup_failures     one row per failed join-code lookup (hashed session / address), for a short while

The migrations in :mod:`maturity.migrations` create and change these tables (``Store.create_schema``
runs them); a change here needs a new revision there, and tests/test_migrations.py checks that the
migrated database matches this ``metadata``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)

__all__ = [
    "ASSESSMENT_CHILDREN",
    "SCHEMA_VERSION",
    "UTCDateTime",
    "answers",
    "assessments",
    "consensus",
    "evidence",
    "lookup_failures",
    "metadata",
    "model_snapshots",
    "notes",
    "participants",
    "reviews",
    "round_units",
    "rounds",
    "schema_version",
    "targets",
    "workshop_answers",
    "workshops",
]

SCHEMA_VERSION = 2  # 2: the workshop tables; the last version before Alembic revisions (maturity/migrations)

# Stable constraint names, so that later migrations can refer to them on every dialect.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every dialect (SQLite keeps no zone, so we add it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        stamp: dt.datetime = value
        if stamp.tzinfo is None:
            return stamp.replace(tzinfo=dt.UTC)
        return stamp.astimezone(dt.UTC)


schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", UTCDateTime, nullable=False),
)

model_snapshots = Table(
    "model_snapshots",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("model_id", String(64), nullable=False),
    Column("version", String(200), nullable=False),
    Column("source", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

assessments = Table(
    "assessments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # The bearer token of the ?a= link, stored as-is: the history page lists the links.
    Column("token", String(64), nullable=False, unique=True),
    Column("model_sha256", String(64), ForeignKey("model_snapshots.sha256"), nullable=False),
    Column("model_id", String(64), nullable=False),
    Column("model_version", String(200), nullable=False),
    Column("organisation", Text, nullable=False),  # JSON object
    Column("organisation_name", String(500), nullable=False, index=True),  # copied out of the JSON for filtering
    Column("language", String(16), nullable=False),
    Column("assessed_at", String(10), nullable=False),  # ISO date
    Column("current_step", Integer, nullable=False, default=0),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # The bearer token of the read-only ?v= link (results, roadmap, reports; never a write), or none.
    Column("view_token", String(64), nullable=True),
)
Index("ix_assessments_created", assessments.c.created_at, assessments.c.id)
Index("ix_assessments_view_token", assessments.c.view_token, unique=True)

answers = Table(
    "answers",
    metadata,
    Column("assessment_id", Integer, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_id", String(128), primary_key=True),
    Column("level", Float, nullable=True),
    Column("is_na", Boolean(create_constraint=True, name="is_na_bool"), nullable=False, default=False),
    Column("updated_at", UTCDateTime, nullable=False),
    CheckConstraint("(is_na AND level IS NULL) OR (NOT is_na AND level IS NOT NULL)", name="level_or_na"),
)

notes = Table(
    "notes",
    metadata,
    Column("assessment_id", Integer, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_id", String(128), primary_key=True),
    Column("text", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

targets = Table(
    "targets",
    metadata,
    Column("assessment_id", Integer, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("criterion_id", String(128), primary_key=True),
    Column("level", Float, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Children of an assessment, deleted or replaced together with it.
# A file attached to an answer as its evidence: the bytes live in the database, so that every app process
# sees them with no shared disk. ``kind`` is what the content is (sniffed), never what the name says.
evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assessment_id", Integer, ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
    Column("indicator_id", String(128), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("kind", String(8), nullable=False),  # pdf | png | jpeg | docx | xlsx
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)
Index("ix_evidence_assessment_indicator", evidence.c.assessment_id, evidence.c.indicator_id)

ASSESSMENT_CHILDREN = (answers, notes, targets, evidence)

workshops = Table(
    "workshops",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(6), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("model_sha256", String(64), ForeignKey("model_snapshots.sha256"), nullable=False),
    Column("criteria", Text, nullable=False),  # JSON list of criterion ids; empty = all
    Column("named", Boolean(create_constraint=True, name="named_bool"), nullable=False),
    Column("pace", String(8), nullable=False),  # free | guided
    Column("current_criterion", String(128), nullable=True),  # guided: the one open now
    Column("revealed", Boolean(create_constraint=True, name="revealed_bool"), nullable=False),
    Column("host_key_hash", String(64), nullable=False),  # sha256 hex of the host key
    Column("language", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime, nullable=True),
    # migration 0003: sha256 hex of the read-only presenter token (set when the host first asks for it)
    Column("presenter_hash", String(64), nullable=True),
    # migration 0003: the token of the assessment "keep the result" saved, so a second click updates it
    Column("result_assessment", String(64), nullable=True),
    CheckConstraint("pace IN ('free', 'guided')", name="pace_kind"),
)

participants = Table(
    "participants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("name", String(60), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)

workshop_answers = Table(
    "workshop_answers",
    metadata,
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_id", String(128), primary_key=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("level", Float, nullable=True),
    Column("is_na", Boolean(create_constraint=True, name="ws_is_na_bool"), nullable=False, default=False),
    Column("updated_at", UTCDateTime, nullable=False),
    CheckConstraint("(is_na AND level IS NULL) OR (NOT is_na AND level IS NOT NULL)", name="ws_level_or_na"),
)

consensus = Table(
    "consensus",
    metadata,
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_id", String(128), primary_key=True),
    Column("level", Integer, nullable=False),
    Column("note", Text, nullable=True),  # migration 0003; at most limits.MAX_CONSENSUS_NOTE characters
    Column("updated_at", UTCDateTime, nullable=False),
)

# Failed join-code lookups of the last minutes (maturity.throttle); added by migration 0002.
lookup_failures = Table(
    "lookup_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scope", String(64), nullable=False),  # sha256 hex of "session:<id>" or "address:<ip>"
    Column("at", UTCDateTime, nullable=False),
)
Index("ix_lookup_failures_scope_at", lookup_failures.c.scope, lookup_failures.c.at)
Index("ix_lookup_failures_at", lookup_failures.c.at)

# migration 0005: assessment rounds (测评批次), their units and the 上级复评 of a unit's answers.
rounds = Table(
    "rounds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(16), nullable=False, unique=True),  # the ?r= of the round link; not a secret
    Column("title", String(200), nullable=False),
    Column("model_sha256", String(64), ForeignKey("model_snapshots.sha256"), nullable=False),
    Column("deadline", String(10), nullable=True),  # ISO date
    Column("key_hash", String(64), nullable=False),  # sha256 hex of the round key (?k=), never the key
    Column("language", String(16), nullable=False),
    Column("follows_id", Integer, ForeignKey("rounds.id", ondelete="SET NULL"), nullable=True),  # for the trend
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime, nullable=True),
)

round_units = Table(
    "round_units",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    # The unit's own assessment: its token is the unit's private link. Deleting the assessment removes the unit.
    Column("assessment_id", Integer, ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("name", String(120), nullable=False),
    Column("parent", String(120), nullable=True),  # 上级单位: a unit's name in the round, or a name above them all
    Column("members", Integer, nullable=True),
    Column("contact", String(200), nullable=True),
    Column("position", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)
Index("ix_round_units_round_name", round_units.c.round_id, round_units.c.name, unique=True)

reviews = Table(
    "reviews",
    metadata,
    Column("assessment_id", Integer, ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_id", String(128), primary_key=True),
    Column("level", Float, nullable=False),
    Column("reason", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
