"""The stored forms of an assessment (a record, a summary line) and the checks and conversions between rows and values.

Everything the store writes goes through :func:`validate` (the file validator of
:mod:`maturity.assessment`), so the store refuses what an import would refuse.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row

from .assessment import FORMAT, Assessment, AssessmentError, AssessmentInvalid, parse
from .limits import MAX_LANGUAGE
from .model import MaturityModel
from .revisions import Entry
from .scoring import NA, Answer

__all__ = [
    "AssessmentRecord",
    "AssessmentSummary",
    "answer_of",
    "check_step",
    "clean_note",
    "kept_notes",
    "number",
    "org_name",
    "record_of",
    "revision_of",
    "validate",
]


@dataclass
class AssessmentRecord:
    """One stored assessment with everything entered so far."""

    token: str
    model_id: str
    model_version: str
    model_sha256: str
    organisation: dict[str, Any]
    language: str
    assessed_at: str
    created_at: dt.datetime
    updated_at: dt.datetime
    current_step: int = 0
    answers: dict[str, Answer] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    targets: dict[str, float] = field(default_factory=dict)
    # Opened by its read-only view link: ``token`` is then the view token (never the edit token), and the
    # store refuses every write with it.
    read_only: bool = False

    @property
    def revision(self) -> str:
        """Changes with every write to the assessment (its answers, notes, targets, profile or step)."""
        return revision_of(self.updated_at)

    def entry(self, indicator_id: str) -> Entry:
        """The stored answer and note of one question (the baseline a page shows)."""
        return Entry(self.answers.get(indicator_id), self.notes.get(indicator_id, ""))

    def to_assessment(self) -> Assessment:
        """The ``maturity-assessment/1`` form of this record (for export and scoring)."""
        return Assessment(
            model_id=self.model_id,
            model_version=self.model_version,
            organisation=dict(self.organisation),
            assessed_at=self.assessed_at,
            language=self.language,
            answers=dict(self.answers),
            notes=dict(self.notes),
            targets=dict(self.targets),
        )


@dataclass(frozen=True)
class AssessmentSummary:
    """One line of the history / portfolio list."""

    token: str
    model_id: str
    model_version: str
    model_sha256: str
    organisation: dict[str, Any]
    language: str
    assessed_at: str
    created_at: dt.datetime
    updated_at: dt.datetime
    answered: int  # answers given, N/A included


def number(level: float) -> float:
    """Whole levels come back as ``int``, like :func:`maturity.assessment.parse` returns them."""
    return int(level) if float(level).is_integer() else float(level)


def answer_of(level: float | None, is_na: bool) -> Answer:
    return NA if is_na or level is None else number(level)


def clean_note(note: str) -> str:
    # PostgreSQL refuses NUL in text; it is never meaningful in a note, so drop it on every dialect alike.
    return note.replace("\x00", "")


def kept_notes(notes: Mapping[str, str]) -> dict[str, str]:
    """Notes worth a row: blank ones mean "no note"."""
    return {k: clean_note(v) for k, v in notes.items() if clean_note(v).strip()}


def org_name(org: Mapping[str, Any]) -> str:
    return str(org.get("name") or "").strip()[:500]


def record_of(row: Row[Any], answers: dict[str, Answer], notes: dict[str, str],
            targets: dict[str, float], view_token: str | None = None) -> AssessmentRecord:
    """The record of an assessment row; given ``view_token``, a read-only record that carries only that token."""
    return AssessmentRecord(
        token=view_token or row.token, read_only=view_token is not None, model_id=row.model_id, model_version=row.model_version,
        model_sha256=row.model_sha256, organisation=json.loads(row.organisation), language=row.language,
        assessed_at=row.assessed_at, created_at=row.created_at, updated_at=row.updated_at,
        current_step=row.current_step, answers=answers, notes=notes, targets=targets,
    )


def check_step(step: int | None) -> None:
    if step is not None and (isinstance(step, bool) or not isinstance(step, int) or step < 0):
        raise ValueError("current_step must be a whole number of 0 or more")


def revision_of(updated_at: dt.datetime) -> str:
    """An assessment's revision: its updated_at, which every write bumps (no extra column needed)."""
    return updated_at.isoformat(timespec="microseconds")


def validate(model: MaturityModel, **parts: Any) -> Assessment:
    """Check parts of an assessment with the file validator, so the store and imports agree."""
    language = parts.get("language")
    if isinstance(language, str) and len(language) > MAX_LANGUAGE:
        raise AssessmentInvalid([AssessmentError("language", "not_text")])
    return parse({"format": FORMAT, "model": {"id": model.id, "version": model.version}, **parts}, model)
