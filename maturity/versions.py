"""Old assessments and new model versions: which questions changed, and carrying an assessment over.

- :func:`question_changes` classifies every indicator id of two models (usually two versions of one
  model id) as same, changed, new or gone; pure.
- :func:`is_newer` orders two version strings ("2026.1" after "2025.1", "1.10" after "1.9").
- :func:`carry_over` makes a new assessment against the new model from an old one: the answers and
  notes of unchanged questions copied, the rest left open, the old assessment untouched.
- :func:`change_marks` names, per indicator in both models, how its question changed, and
  :func:`changes_frame` lists the new, changed or gone questions (for the history page).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from .assessment import Assessment
from .display import join_names
from .errors import ReadOnlyLink, UnknownAssessment
from .i18n import t
from .model import Indicator, MaturityModel
from .scoring import NA, Answer
from .tables import frame_with_headers

if TYPE_CHECKING:
    from .loader import LoadedModel
    from .store import AssessmentRecord, Store

__all__ = [
    "PARTS",
    "QuestionChanges",
    "carried_answers",
    "carry_over",
    "change_marks",
    "changes_frame",
    "is_newer",
    "question_changes",
]

# What can differ between two versions of one question, in the order a reader is told.
PARTS = ("criterion", "question", "answers", "scale")


@dataclass(frozen=True)
class QuestionChanges:
    """Every indicator id of an old and a new model, each in exactly one of same, changed, new, gone.

    ``same``, ``changed`` and ``new`` are in the new model's order, ``gone`` in the old one's;
    ``moved`` (a subset of ``changed``) holds the ids whose criterion id differs; ``parts`` names,
    per changed id, which of :data:`PARTS` differ.
    """

    same: tuple[str, ...]
    changed: tuple[str, ...]
    new: tuple[str, ...]
    gone: tuple[str, ...]
    moved: tuple[str, ...] = ()
    parts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def identical(self) -> bool:
        """True when no question is new, changed or gone."""
        return not (self.changed or self.new or self.gone)


def _words(text: str) -> str:
    # Re-wrapping a folded YAML block changes no meaning: runs of whitespace count as one space.
    return " ".join(text.split())


def _same_text(old_model: MaturityModel, old: dict[str, str] | None, new_model: MaturityModel,
               new: dict[str, str] | None, languages: list[str]) -> bool:
    return all(_words(old_model.t(old, lang)) == _words(new_model.t(new, lang)) for lang in languages)


def _scale_differs(old: MaturityModel, new: MaturityModel, languages: list[str]) -> bool:
    if [s.level for s in old.scale] != [s.level for s in new.scale]:
        return True
    return not all(_same_text(old, a.name, new, b.name, languages) for a, b in zip(old.scale, new.scale, strict=True))


def _parts(old: MaturityModel, o: Indicator, new: MaturityModel, n: Indicator, languages: list[str],
           scale_differs: bool) -> tuple[str, ...]:
    differs = {
        "criterion": old.criterion_of[o.id].id != new.criterion_of[n.id].id,
        "question": not _same_text(old, o.question, new, n.question, languages),
        "answers": set(o.answers) != set(n.answers)
        or not all(_same_text(old, o.answers[lv], new, n.answers[lv], languages) for lv in o.answers),
        "scale": scale_differs,
    }
    return tuple(p for p in PARTS if differs[p])


def question_changes(old: MaturityModel, new: MaturityModel) -> QuestionChanges:
    """Classify every indicator id of ``old`` and ``new`` (matched by id).

    An id in both is **same** when all of these hold, else **changed**:

    - it belongs to a criterion of the same id in both (else it is also **moved**);
    - its question text is the same in every language of either model;
    - it has an answer for the same levels, each answer text the same in every language;
    - the two scales have the same levels (same numbers, hence the same count) with the same
      names in every language.

    A text is read in each language as the page shows it (a missing translation falls back to the
    model's default language), and runs of whitespace count as one space. Not compared, because
    they do not change what an answer says: help, evidence, weights, tags, ``allow_na`` and
    ``essential`` (an N/A answer the new question refuses is left out by :func:`carried_answers`),
    the scale's descriptions and values, and criterion names.
    """
    languages = list(dict.fromkeys([*old.languages, *new.languages]))
    scale_differs = _scale_differs(old, new, languages)
    same: list[str] = []
    changed: list[str] = []
    parts: dict[str, tuple[str, ...]] = {}
    for n in new.indicators:
        o = old.indicator_by_id.get(n.id)
        if o is None:
            continue
        found = _parts(old, o, new, n, languages, scale_differs)
        if found:
            changed.append(n.id)
            parts[n.id] = found
        else:
            same.append(n.id)
    return QuestionChanges(
        same=tuple(same),
        changed=tuple(changed),
        new=tuple(i.id for i in new.indicators if i.id not in old.indicator_by_id),
        gone=tuple(i.id for i in old.indicators if i.id not in new.indicator_by_id),
        moved=tuple(k for k in changed if "criterion" in parts[k]),
        parts=parts,
    )


_PIECES = re.compile(r"\d+|\D+")


def _version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    # Numbers compare as numbers ("1.10" after "1.9"); a number sorts before text at the same place.
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in _PIECES.findall(version.strip()))


def is_newer(version: str, than: str) -> bool:
    """True when ``version`` sorts after ``than`` (digit runs compared as numbers)."""
    return _version_key(version) > _version_key(than)


def carried_answers(record: AssessmentRecord, new: MaturityModel, changes: QuestionChanges
                    ) -> tuple[dict[str, Answer], dict[str, str], dict[str, float]]:
    """The answers, notes and targets of ``record`` a carried-over assessment keeps.

    Answers and notes of ``same`` questions only (an N/A the new question refuses is left out,
    its note kept); targets of criteria whose id the new model has, at a level on its scale.
    """
    same = set(changes.same)
    answers = {k: v for k, v in record.answers.items()
               if k in same and (v != NA or new.indicator_by_id[k].allow_na)}
    notes = {k: v for k, v in record.notes.items() if k in same}
    targets = {k: v for k, v in record.targets.items()
               if k in new.criterion_by_id and new.lmin <= v <= new.lmax}
    return answers, notes, targets


def carry_over(store: Store, token: str, new_loaded: LoadedModel, *, assessed_at: str | None = None
               ) -> AssessmentRecord:
    """A new assessment against ``new_loaded`` made from the assessment ``token``, in one transaction.

    Same organisation profile and language; the answers, notes and targets of
    :func:`carried_answers`; new and changed questions left open; dated ``assessed_at`` (default
    today). The old assessment is not written to. Unknown token -> :class:`UnknownAssessment`; a view token ->
    :class:`ReadOnlyLink`;
    a new model of another id -> ValueError.
    """
    record = store.get_assessment(token)
    if record is None:
        raise UnknownAssessment(token)
    if record.read_only:  # a view link carries nothing over: the owner decides what is made of the self-check
        raise ReadOnlyLink(token)
    old_loaded = store.get_model_snapshot(record.model_sha256)
    if old_loaded is None:  # the foreign key makes this impossible short of manual edits
        raise LookupError(f"model snapshot {record.model_sha256} is missing")
    new = new_loaded.model
    if new.id != record.model_id:
        raise ValueError(f"cannot carry an assessment of {record.model_id!r} over to {new.id!r}")
    answers, notes, targets = carried_answers(record, new, question_changes(old_loaded.model, new))
    fresh = Assessment(model_id=new.id, model_version=new.version, organisation=dict(record.organisation),
                       language=record.language, answers=answers, notes=notes, targets=targets)
    if assessed_at is not None:
        fresh.assessed_at = assessed_at
    # import_assessment writes the assessment row and all its answers, notes and targets in one transaction.
    return store.import_assessment(fresh, new_loaded)


def change_marks(changes: QuestionChanges, lang: str) -> dict[str, str]:
    """Per indicator id in both models: "" when unchanged, else what changed ("已修改：题干、答案描述")."""
    marks = {k: "" for k in changes.same}
    for k in changes.changed:
        marks[k] = t("versions.mark", lang, parts=join_names((t(f"versions.part.{p}", lang) for p in changes.parts[k]), lang))
    return marks


def changes_frame(changes: QuestionChanges, old: MaturityModel, new: MaturityModel, kind: str, lang: str
                  ) -> pd.DataFrame:
    """The questions of one kind (``new``, ``changed`` or ``gone``): criterion and question, and what changed.

    Gone questions are named as the old model words them, the others as the new one does.
    """
    ids: tuple[str, ...] = getattr(changes, kind)
    model = old if kind == "gone" else new
    columns = ("criterion", "question", "what_changed") if kind == "changed" else ("criterion", "question")
    marks = change_marks(changes, lang) if kind == "changed" else {}
    data = [
        {"criterion": model.t(model.criterion_of[k].name, lang), "question": model.t(model.indicator_by_id[k].question, lang),
         "what_changed": marks.get(k, "")}
        for k in ids
    ]
    return frame_with_headers(data, columns, lang, "versions")
