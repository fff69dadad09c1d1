"""Persistence of assessments and model snapshots: SQLite by default, PostgreSQL via DATABASE_URL.

One :class:`Store` holds one :class:`maturity.db.Database` (engine and transactions) and is safe to
share between threads (Streamlit's ``cache_resource``): every call opens its own short transaction.
The record types live in :mod:`maturity.records`, the snapshot cache in :mod:`maturity.snapshots`;
both are re-exported here. Every write
is validated with :func:`maturity.assessment.parse` against the model snapshot the
assessment was created with, so the store refuses what an import would refuse.

Two tabs on one assessment: a page passes :meth:`Store.save_answers` the values it showed
(its baseline, see :mod:`maturity.revisions`); the save writes only what that page changed
and returns the questions changed elsewhere meanwhile as conflicts instead of overwriting them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Row, delete, func, inspect, select, update

from . import migrations
from . import schema as S
from .assessment import Assessment, parse
from .db import DEFAULT_SQLITE, Database, is_token, new_token, resolve_url
from .db import now as _now
from .errors import ReadOnlyLink, SchemaTooNew, UnknownAssessment
from .evidence import EvidenceStore
from .loader import LoadedModel
from .records import (
    AssessmentRecord,
    AssessmentSummary,
    answer_of,
    check_step,
    kept_notes,
    number,
    org_name,
    record_of,
    revision_of,
    validate,
)
from .revisions import Conflict, Entry, SaveResult, merge
from .scoring import NA, Answer
from .snapshots import Snapshots

__all__ = [
    "DEFAULT_SQLITE", "AssessmentRecord", "AssessmentSummary", "Database", "SchemaTooNew", "Store",
    "UnknownAssessment", "resolve_url",
]



class Store:
    """Assessments and model snapshots in one database."""

    def __init__(self, url: str | Database | None = None) -> None:
        self.db: Database = url if isinstance(url, Database) else Database(url)
        self.dialect: str = self.db.dialect
        self.url: str = self.db.url
        self.snapshots = Snapshots(self.db)
        self.evidence = EvidenceStore(self)  # 佐证材料 files attached to answers

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for tests and for later parts that add tables)."""
        return self.db.engine

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.db.dispose()

    # -- schema ----------------------------------------------------------------------

    def create_schema(self) -> None:
        """Upgrade the database to this code's schema (:mod:`maturity.migrations`) and record the schema version.

        Safe to call again and concurrently; a database made by a newer version raises :class:`SchemaTooNew`.
        """
        migrations.upgrade(self.db)
        with self.db.write() as conn:
            stmt = self.db.insert(S.schema_version).values(version=S.SCHEMA_VERSION, applied_at=_now())
            conn.execute(stmt.on_conflict_do_nothing(index_elements=["version"]))

    def schema_version(self) -> int | None:
        """The newest schema version recorded, or None before :meth:`create_schema`."""
        with self.db.read() as conn:
            if not inspect(conn).has_table(S.schema_version.name):
                return None
            version: int | None = conn.scalar(select(func.max(S.schema_version.c.version)))
            return version

    # -- model snapshots ---------------------------------------------------------------

    def save_model_snapshot(self, loaded: LoadedModel) -> str:
        """Store the exact model text (once per sha256) and return its sha256."""
        with self.db.write() as conn:
            return self.snapshots.save(conn, loaded)

    def get_model_snapshot(self, sha256: str) -> LoadedModel | None:
        """The model an assessment was answered against, re-parsed from its stored text."""
        return self.snapshots.get(sha256)

    def get_model_snapshots(self, shas: Sequence[str]) -> dict[str, LoadedModel]:
        """The models behind ``shas`` (unknown ones left out): cached ones without a query, the others in one."""
        return self.snapshots.get_many(shas)


    # -- assessments -------------------------------------------------------------------

    def create_assessment(
        self, loaded: LoadedModel, organisation: dict[str, Any], language: str = "zh", assessed_at: str | None = None
    ) -> AssessmentRecord:
        """Start a new assessment of ``loaded`` with a fresh unguessable token."""
        checked = validate(loaded.model, organisation=organisation, language=language,
                            assessed_at=assessed_at or dt.date.today().isoformat())
        with self.db.write() as conn:
            return self._insert_assessment(conn, loaded, checked)[0]

    def _insert_assessment(self, conn: Connection, loaded: LoadedModel, a: Assessment) -> tuple[AssessmentRecord, int]:
        sha = self.snapshots.save(conn, loaded)
        now = _now()
        record = AssessmentRecord(
            token=new_token(), model_id=loaded.model.id, model_version=loaded.model.version,
            model_sha256=sha, organisation=dict(a.organisation), language=a.language, assessed_at=a.assessed_at,
            created_at=now, updated_at=now, current_step=0,
        )
        aid = conn.scalar(S.assessments.insert().values(
            token=record.token, model_sha256=sha, model_id=record.model_id, model_version=record.model_version,
            organisation=json.dumps(record.organisation, ensure_ascii=False),
            organisation_name=org_name(record.organisation), language=record.language,
            assessed_at=record.assessed_at, current_step=0, created_at=now, updated_at=now,
        ).returning(S.assessments.c.id))
        return record, aid

    def get_assessment(self, token: str) -> AssessmentRecord | None:
        """The assessment behind a link, or None for an unknown or malformed token.

        A read-only view token gives a record with ``read_only`` set and that token only (never the edit token).
        """
        if not is_token(token):
            return None
        a = S.assessments
        with self.db.read() as conn:
            row = conn.execute(select(a).where((a.c.token == token) | (a.c.view_token == token))).first()
            if row is None:
                return None
            view = token if row.token != token else None
            aid = row.id
            answers = conn.execute(select(S.answers.c.indicator_id, S.answers.c.level, S.answers.c.is_na)
                                   .where(S.answers.c.assessment_id == aid))
            notes = conn.execute(select(S.notes.c.indicator_id, S.notes.c.text).where(S.notes.c.assessment_id == aid))
            targets = conn.execute(select(S.targets.c.criterion_id, S.targets.c.level)
                                   .where(S.targets.c.assessment_id == aid))
            return record_of(row, {r.indicator_id: answer_of(r.level, r.is_na) for r in answers},
                             {r.indicator_id: r.text for r in notes},
                             {r.criterion_id: number(r.level) for r in targets}, view_token=view)

    def get_assessments(self, tokens: Sequence[str]) -> dict[str, AssessmentRecord]:
        """The assessments behind ``tokens`` (unknown or malformed ones left out), in four queries whatever their number."""
        wanted = sorted({t for t in tokens if is_token(t)})
        if not wanted:
            return {}
        a = S.assessments
        with self.db.read() as conn:
            rows = conn.execute(select(a).where(a.c.token.in_(wanted))).all()
            ids = [r.id for r in rows]
            answers: dict[int, dict[str, Answer]] = {i: {} for i in ids}
            notes: dict[int, dict[str, str]] = {i: {} for i in ids}
            targets: dict[int, dict[str, float]] = {i: {} for i in ids}
            if ids:
                for r in conn.execute(select(S.answers.c.assessment_id, S.answers.c.indicator_id, S.answers.c.level,
                                             S.answers.c.is_na).where(S.answers.c.assessment_id.in_(ids))):
                    answers[r.assessment_id][r.indicator_id] = answer_of(r.level, r.is_na)
                for n in conn.execute(select(S.notes.c.assessment_id, S.notes.c.indicator_id, S.notes.c.text)
                                      .where(S.notes.c.assessment_id.in_(ids))):
                    notes[n.assessment_id][n.indicator_id] = n.text
                for g in conn.execute(select(S.targets.c.assessment_id, S.targets.c.criterion_id, S.targets.c.level)
                                      .where(S.targets.c.assessment_id.in_(ids))):
                    targets[g.assessment_id][g.criterion_id] = number(g.level)
        return {r.token: record_of(r, answers[r.id], notes[r.id], targets[r.id]) for r in rows}

    def _touch(self, conn: Connection, token: str) -> Row[Any, Any]:  # (id, model_sha256)
        """Bump updated_at (locking the assessment row first, so concurrent writers queue, never deadlock)."""
        if not is_token(token):
            raise UnknownAssessment(token)
        stmt = (update(S.assessments).where(S.assessments.c.token == token).values(updated_at=_now())
                .returning(S.assessments.c.id, S.assessments.c.model_sha256))
        row = conn.execute(stmt).first()
        if row is None:
            if conn.scalar(select(S.assessments.c.id).where(S.assessments.c.view_token == token)) is not None:
                raise ReadOnlyLink(token)
            raise UnknownAssessment(token)
        return row

    def _readable_id(self, conn: Connection, token: str) -> int:
        """The id of the assessment behind an edit or a view token (for reads)."""
        a = S.assessments
        aid = conn.scalar(select(a.c.id).where((a.c.token == token) | (a.c.view_token == token))) \
            if is_token(token) else None
        if aid is None:
            raise UnknownAssessment(token)
        return int(aid)

    # -- the read-only view link -------------------------------------------------------

    def issue_view_token(self, token: str) -> str:
        """A new read-only view token for the assessment (edit token needed); a link issued before stops working."""
        view = new_token()
        with self.db.write() as conn:
            self._touch(conn, token)
            conn.execute(update(S.assessments).where(S.assessments.c.token == token).values(view_token=view))
        return view

    def revoke_view_token(self, token: str) -> None:
        """No view link any more (edit token needed)."""
        with self.db.write() as conn:
            self._touch(conn, token)
            conn.execute(update(S.assessments).where(S.assessments.c.token == token).values(view_token=None))

    def view_token_of(self, token: str) -> str | None:
        """The assessment's current view token (edit token needed: a viewer never learns it from here)."""
        if not is_token(token):
            return None
        with self.db.read() as conn:
            value: str | None = conn.scalar(select(S.assessments.c.view_token).where(S.assessments.c.token == token))
            return value

    def save_answers(
        self,
        token: str,
        answers: Mapping[str, Answer | None],
        notes: Mapping[str, str] | None = None,
        *,
        baseline: Mapping[str, Entry] | None = None,
        current_step: int | None = None,
    ) -> SaveResult:
        """Store answers and notes in one transaction; None clears an answer, an empty note clears the note.

        Without ``baseline`` every value given is written. With it (what the page showed, per
        question) only what the page changed is written, and a question changed elsewhere since
        then to something else is returned as a :class:`Conflict` and not written.
        ``current_step`` (the questionnaire's position) is written in the same transaction.
        """
        notes = dict(notes or {})
        ids = sorted(set(answers) | set(notes))
        if baseline is not None and not set(ids) <= set(baseline):
            raise ValueError(f"no baseline for {sorted(set(ids) - set(baseline))}")
        check_step(current_step)
        with self.db.write() as conn:
            aid, sha = self._touch(conn, token)
            model = self.snapshots.model_of(conn, sha)
            # A note the page left as it was shown is not written, so it is not checked either: one stored
            # before the length limit existed must not block saving the answers beside it.
            changed = {k: v for k, v in notes.items() if baseline is None or v != (baseline[k].note or "")}
            checked = validate(model, answers={k: v for k, v in answers.items() if v is not None}, notes=changed)
            note_of = {**notes, **checked.notes}
            given = {k: checked.answers.get(k) if answers.get(k) is not None else None for k in answers}
            stored = self._entries(conn, aid, ids)
            conflicts: list[Conflict] = []
            if baseline is None:
                writes = {k: Entry(given[k] if k in answers else stored[k].answer,
                                   note_of[k] if k in notes else stored[k].note) for k in ids}
            else:
                writes = {}
                for k in ids:
                    base = baseline[k]
                    mine = Entry(given[k] if k in answers else base.answer, note_of[k] if k in notes else base.note)
                    out, clash = merge(base, mine, stored[k])
                    if clash:
                        conflicts.append(Conflict(k, base.normal(), mine.normal(), stored[k]))
                    elif out is not None:
                        writes[k] = out
            self._write_entries(conn, aid, {k: v.normal() for k, v in writes.items()}, stored)
            if current_step is not None:
                conn.execute(update(S.assessments).where(S.assessments.c.id == aid).values(current_step=current_step))
            revision: dt.datetime = conn.execute(select(S.assessments.c.updated_at).where(S.assessments.c.id == aid)).scalar_one()
            current = {**stored, **{k: v.normal() for k, v in writes.items()}}
        return SaveResult(written=tuple(k for k in ids if k in writes and writes[k].normal() != stored[k]),
                          conflicts=tuple(conflicts), current=current, revision=revision_of(revision))

    def _entries(self, conn: Connection, aid: int, ids: list[str]) -> dict[str, Entry]:
        """The stored answer and note of each of ``ids`` (an empty Entry where there is none)."""
        a, n = S.answers, S.notes
        levels = {r.indicator_id: answer_of(r.level, r.is_na) for r in conn.execute(
            select(a.c.indicator_id, a.c.level, a.c.is_na).where(a.c.assessment_id == aid, a.c.indicator_id.in_(ids)))}
        texts = {r.indicator_id: r.text for r in conn.execute(
            select(n.c.indicator_id, n.c.text).where(n.c.assessment_id == aid, n.c.indicator_id.in_(ids)))}
        return {k: Entry(levels.get(k), texts.get(k, "")) for k in ids}

    def _write_entries(self, conn: Connection, aid: int, writes: dict[str, Entry], stored: dict[str, Entry]) -> None:
        """Write the fields of ``writes`` that differ from ``stored``: upsert a value, delete a None / blank note."""
        now = _now()
        answers = {k: e.answer for k, e in writes.items() if e.answer != stored[k].answer}
        cleared = sorted(k for k, v in answers.items() if v is None)
        if cleared:
            conn.execute(delete(S.answers).where(S.answers.c.assessment_id == aid, S.answers.c.indicator_id.in_(cleared)))
        self.db.upsert(conn, S.answers, ("assessment_id", "indicator_id"), [
            {"assessment_id": aid, "indicator_id": k, "level": None if v == NA else float(v), "is_na": v == NA,
             "updated_at": now}
            for k, v in sorted(answers.items()) if v is not None
        ])
        texts = {k: e.note for k, e in writes.items() if e.note != stored[k].note}
        empty = sorted(k for k, v in texts.items() if not v)
        if empty:
            conn.execute(delete(S.notes).where(S.notes.c.assessment_id == aid, S.notes.c.indicator_id.in_(empty)))
        self.db.upsert(conn, S.notes, ("assessment_id", "indicator_id"), [
            {"assessment_id": aid, "indicator_id": k, "text": v, "updated_at": now} for k, v in sorted(texts.items()) if v
        ])

    def set_targets(self, token: str, targets: Mapping[str, float | None]) -> None:
        """Set the user's own target levels per criterion; None clears one."""
        with self.db.write() as conn:
            aid, sha = self._touch(conn, token)
            checked = validate(self.snapshots.model_of(conn, sha), targets=dict(targets))
            cleared = sorted(k for k, v in targets.items() if v is None)
            if cleared:
                conn.execute(delete(S.targets).where(S.targets.c.assessment_id == aid,
                                                     S.targets.c.criterion_id.in_(cleared)))
            now = _now()
            self.db.upsert(conn, S.targets, ("assessment_id", "criterion_id"), [
                {"assessment_id": aid, "criterion_id": k, "level": float(v), "updated_at": now}
                for k, v in sorted(checked.targets.items())
            ])

    def update_assessment(
        self,
        token: str,
        *,
        organisation: dict[str, Any] | None = None,
        language: str | None = None,
        assessed_at: str | None = None,
        current_step: int | None = None,
    ) -> None:
        """Change the profile, language, date or the questionnaire step; unknown token -> UnknownAssessment."""
        values: dict[str, Any] = {}
        check_step(current_step)
        if current_step is not None:
            values["current_step"] = current_step
        with self.db.write() as conn:
            aid, sha = self._touch(conn, token)
            parts: dict[str, Any] = {}
            if organisation is not None:
                parts["organisation"] = organisation
            if language is not None:
                parts["language"] = language
            if assessed_at is not None:
                parts["assessed_at"] = assessed_at
            if parts:
                checked = validate(self.snapshots.model_of(conn, sha), **parts)
                if organisation is not None:
                    values["organisation"] = json.dumps(checked.organisation, ensure_ascii=False)
                    values["organisation_name"] = org_name(checked.organisation)
                if language is not None:
                    values["language"] = checked.language
                if assessed_at is not None:
                    values["assessed_at"] = checked.assessed_at
            if values:
                conn.execute(update(S.assessments).where(S.assessments.c.id == aid).values(**values))

    def list_assessments(self, organisation_name: str | None = None) -> list[AssessmentSummary]:
        """All assessments, newest first; with ``organisation_name``, only that union's (exact name)."""
        a = S.assessments
        counts = (select(S.answers.c.assessment_id, func.count().label("n"))
                  .group_by(S.answers.c.assessment_id).subquery())
        query = (select(a, func.coalesce(counts.c.n, 0).label("answered"))
                 .outerjoin(counts, counts.c.assessment_id == a.c.id)
                 .order_by(a.c.created_at.desc(), a.c.id.desc()))
        if organisation_name is not None:
            query = query.where(a.c.organisation_name == organisation_name.strip())
        with self.db.read() as conn:
            return [
                AssessmentSummary(
                    token=r.token, model_id=r.model_id, model_version=r.model_version, model_sha256=r.model_sha256,
                    organisation=json.loads(r.organisation), language=r.language, assessed_at=r.assessed_at,
                    created_at=r.created_at, updated_at=r.updated_at, answered=int(r.answered),
                )
                for r in conn.execute(query)
            ]

    def delete_assessment(self, token: str) -> None:
        """Delete an assessment and everything entered in it; an unknown token is ignored."""
        if not is_token(token):
            return
        with self.db.write() as conn:
            aid = conn.scalar(select(S.assessments.c.id).where(S.assessments.c.token == token))
            if aid is None:
                return
            for table in (*S.ASSESSMENT_CHILDREN, S.reviews, S.round_units):  # a unit's assessment leaves its round
                conn.execute(delete(table).where(table.c.assessment_id == aid))
            conn.execute(delete(S.assessments).where(S.assessments.c.id == aid))

    def import_assessment(self, assessment: Assessment, loaded: LoadedModel) -> AssessmentRecord:
        """Store an imported assessment (JSON/Excel) as a new one; all rows or none."""
        checked = parse(assessment.to_dict(), loaded.model)
        with self.db.write() as conn:
            record, aid = self._insert_assessment(conn, loaded, checked)
            self._insert_contents(conn, aid, checked, record.created_at)
        record.answers, record.targets = dict(checked.answers), dict(checked.targets)
        record.notes = kept_notes(checked.notes)
        return record

    def replace_from(self, token: str, assessment: Assessment) -> None:
        """Replace organisation, date, answers, notes and targets with a file's; all or nothing."""
        with self.db.write() as conn:
            aid, sha = self._touch(conn, token)
            checked = parse(assessment.to_dict(), self.snapshots.model_of(conn, sha))
            conn.execute(update(S.assessments).where(S.assessments.c.id == aid).values(
                organisation=json.dumps(checked.organisation, ensure_ascii=False),
                organisation_name=org_name(checked.organisation), assessed_at=checked.assessed_at,
            ))
            for table in S.ASSESSMENT_CHILDREN:
                conn.execute(delete(table).where(table.c.assessment_id == aid))
            self._insert_contents(conn, aid, checked, _now())

    def _insert_contents(self, conn: Connection, aid: int, a: Assessment, now: dt.datetime) -> None:
        self._insert_answers(conn, aid, a, now)
        self._insert_targets(conn, aid, a, now)

    def _insert_answers(self, conn: Connection, aid: int, a: Assessment, now: dt.datetime) -> None:
        rows = [{"assessment_id": aid, "indicator_id": k, "level": None if v == NA else float(v),
                 "is_na": v == NA, "updated_at": now} for k, v in a.answers.items()]
        if rows:
            conn.execute(S.answers.insert(), rows)
        note_rows = [{"assessment_id": aid, "indicator_id": k, "text": v, "updated_at": now}
                     for k, v in kept_notes(a.notes).items()]
        if note_rows:
            conn.execute(S.notes.insert(), note_rows)

    def _insert_targets(self, conn: Connection, aid: int, a: Assessment, now: dt.datetime) -> None:
        rows = [{"assessment_id": aid, "criterion_id": k, "level": float(v), "updated_at": now}
                for k, v in a.targets.items()]
        if rows:
            conn.execute(S.targets.insert(), rows)


