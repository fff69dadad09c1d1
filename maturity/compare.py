"""History and comparison tables: assessments over time, two assessments side by side (Streamlit-free).

- history: :class:`HistoryEntry` → :func:`filter_history`, :func:`history_frame`, :func:`index_points`,
  :func:`index_series`, :func:`option_labels`, :func:`default_pair`
- compare: :func:`compare` → :func:`criteria_delta_frame`, :func:`indicator_delta_frame`
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from .display import fmt_index, fmt_level, level_label, level_name_or_number
from .i18n import t
from .model import MaturityModel
from .scoring import NA, Answer, Result, score
from .tables import CHANGED, DOWN, SAME, UP, frame_with_headers

if TYPE_CHECKING:
    from .store import AssessmentRecord, AssessmentSummary, Store

__all__ = [
    "Comparison",
    "CriterionDelta",
    "History",
    "HistoryEntry",
    "IndicatorDelta",
    "Scored",
    "compare",
    "criteria_delta_frame",
    "default_pair",
    "filter_history",
    "history_entry",
    "history_frame",
    "index_points",
    "index_series",
    "indicator_delta_frame",
    "load_history",
    "option_labels",
    "signed",
]

# ---------------------------------------------------------------- history


@dataclass(frozen=True)
class HistoryEntry:
    """One stored assessment with its overall score, for the history list and chart."""

    token: str
    organisation: str
    assessed_at: str
    created_at: dt.datetime
    model_id: str
    model_version: str
    model_title: str
    index: float | None
    stage: str
    answered: int
    total: int


def history_entry(
    token: str, organisation: str, assessed_at: str, created_at: dt.datetime, model: MaturityModel,
    result: Result, lang: str,
) -> HistoryEntry:
    """A history line from an assessment's scores."""
    return HistoryEntry(
        token=token, organisation=organisation, assessed_at=assessed_at, created_at=created_at,
        model_id=model.id, model_version=model.version, model_title=model.t(model.title, lang),
        index=result.overall.index,
        stage="—" if result.stage is None else level_name_or_number(model, result.stage, lang),
        answered=result.answered, total=result.total,
    )


@dataclass(frozen=True)
class Scored:
    """One stored assessment with the model it was answered against and its scores."""

    record: AssessmentRecord
    model: MaturityModel
    result: Result


@dataclass(frozen=True)
class History:
    """The scored history: its lines, each line's scores by token, and how many could not be read."""

    entries: list[HistoryEntry]
    scored: dict[str, Scored]
    skipped: int


def load_history(store: Store, summaries: Sequence[AssessmentSummary], lang: str, unnamed: str) -> History:
    """Score every assessment of ``summaries`` in a fixed number of queries, whatever their number.

    An assessment deleted meanwhile, or whose model snapshot is missing, is counted in ``skipped``;
    ``unnamed`` names a line whose union has no name.
    """
    records = store.get_assessments([s.token for s in summaries])
    models = store.get_model_snapshots(sorted({s.model_sha256 for s in summaries}))
    entries: list[HistoryEntry] = []
    scored: dict[str, Scored] = {}
    for s in summaries:
        record, loaded = records.get(s.token), models.get(s.model_sha256)
        if record is None or loaded is None:
            continue
        result = score(loaded.model, record.answers, record.targets)
        scored[s.token] = Scored(record, loaded.model, result)
        entries.append(history_entry(s.token, str(s.organisation.get("name") or unnamed), s.assessed_at,
                                     s.created_at, loaded.model, result, lang))
    return History(entries=entries, scored=scored, skipped=len(summaries) - len(entries))


def filter_history(entries: Sequence[HistoryEntry], query: str) -> list[HistoryEntry]:
    """Entries whose union name contains ``query`` (case- and width-insensitive); blank keeps all."""
    needle = _fold(query)
    return [e for e in entries if needle in _fold(e.organisation)] if needle else list(entries)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().casefold()


def history_frame(entries: Sequence[HistoryEntry], lang: str) -> pd.DataFrame:
    """The list of assessments: union, date, model, overall index, stage, answered."""
    columns = ("organisation", "assessed_at", "model", "index", "stage", "answered")
    data = [
        {
            "organisation": e.organisation,
            "assessed_at": e.assessed_at,
            "model": f"{e.model_title} {e.model_version}",
            "index": fmt_index(e.index),
            "stage": e.stage,
            "answered": f"{e.answered}/{e.total}",
        }
        for e in entries
    ]
    return frame_with_headers(data, columns, lang, "history")


def index_points(entries: Sequence[HistoryEntry]) -> list[dict[str, object]]:
    """Overall index over time of every union with two or more scored assessments: date, union, index rows.

    Dates stay ISO text, so the chart's axis reads the same in every language; a union with one
    point would draw no line, so it is left out.
    """
    points = sorted((e for e in entries if e.index is not None), key=lambda e: (e.assessed_at, e.created_at))
    per_union: dict[str, list[HistoryEntry]] = {}
    for e in points:
        per_union.setdefault(e.organisation, []).append(e)
    return [
        {"date": e.assessed_at, "union": name, "index": round(e.index or 0.0, 1)}
        for name, items in per_union.items() if len(items) >= 2
        for e in {x.assessed_at: x for x in items}.values()  # the latest of a day wins
    ]


def index_series(entries: Sequence[HistoryEntry], lang: str) -> pd.DataFrame:
    """:func:`index_points` as a table with translated headers."""
    frame = pd.DataFrame(index_points(entries), columns=["date", "union", "index"])
    names = {"date": "assessed_at", "union": "organisation", "index": "index"}
    return frame.rename(columns={c: t(f"history.col.{n}", lang) for c, n in names.items()})


def option_labels(entries: Sequence[HistoryEntry], lang: str) -> dict[str, str]:
    """A selector label per token: date, overall index, union (the long part last, so nothing vital is cut off).

    Two assessments of one union on one day are numbered in the order they were made; the
    model's title is added only when the list holds more than one model.
    """
    by_day: dict[tuple[str, str], list[HistoryEntry]] = {}
    for e in sorted(entries, key=lambda e: e.created_at):
        by_day.setdefault((e.organisation, e.assessed_at), []).append(e)
    several_models = len({(e.model_id, e.model_title) for e in entries}) > 1
    labels = {}
    for same_day in by_day.values():
        for n, e in enumerate(same_day, start=1):
            nth = t("friction.history_nth", lang, n=n) if len(same_day) > 1 else ""
            label = t("history.option", lang, date=e.assessed_at, nth=nth, index=fmt_index(e.index),
                      name=e.organisation)
            labels[e.token] = f"{label} · {e.model_title}" if several_models else label
    return labels


def default_pair(entries: Sequence[HistoryEntry]) -> tuple[int, int]:
    """Positions (old, new) to compare first: the newest entry and the one before it of the same union."""
    if len(entries) < 2:
        return 0, 0
    same = [k for k in range(1, len(entries)) if entries[k].organisation == entries[0].organisation]
    return (same[0] if same else 1), 0


# ---------------------------------------------------------------- compare


@dataclass(frozen=True)
class CriterionDelta:
    """One criterion present in both assessments (matched by id), or the overall score (id '')."""

    criterion_id: str
    name: str
    old_index: float | None
    new_index: float | None
    old_level: float | None
    new_level: float | None

    @property
    def delta_index(self) -> float | None:
        """New minus old index, or None when either is undefined."""
        if self.old_index is None or self.new_index is None:
            return None
        return self.new_index - self.old_index

    @property
    def delta_level(self) -> float | None:
        """New minus old level, or None when either is undefined."""
        if self.old_level is None or self.new_level is None:
            return None
        return self.new_level - self.old_level


@dataclass(frozen=True)
class IndicatorDelta:
    """One indicator present in both assessments (matched by id): the old and the new answer."""

    indicator_id: str
    criterion: str
    question: str
    old: Answer | None
    new: Answer | None
    old_text: str
    new_text: str

    @property
    def change(self) -> str:
        """↑ / ↓ for a level that rose or fell, = for the same answer, ≠ for any other change."""
        if self.old == self.new:
            return SAME
        if _is_level(self.old) and _is_level(self.new):
            return UP if float(self.new) > float(self.old) else DOWN  # type: ignore[arg-type]
        return CHANGED


def _is_level(value: Answer | None) -> bool:
    return value is not None and value != NA


@dataclass(frozen=True)
class Comparison:
    """Two assessments side by side, matched by criterion and indicator id."""

    same_model: bool
    same_version: bool
    overall: CriterionDelta
    criteria: tuple[CriterionDelta, ...]
    indicators: tuple[IndicatorDelta, ...]
    unmatched_criteria: int
    unmatched_indicators: int


def _answer_text(model: MaturityModel, value: Answer | None, lang: str) -> str:
    if value is None:
        return t("history.unanswered", lang)
    if value == NA:
        return t("history.na", lang)
    return level_label(model, float(value), lang)


def compare(
    old_model: MaturityModel, old_result: Result, old_answers: Mapping[str, Answer],
    new_model: MaturityModel, new_result: Result, new_answers: Mapping[str, Answer], lang: str,
) -> Comparison:
    """What changed from the old assessment to the new one, in the new model's order and names."""
    criteria = tuple(
        CriterionDelta(
            criterion_id=c.id, name=new_model.t(c.name, lang),
            old_index=old_result.criteria[c.id].score.index, new_index=new_result.criteria[c.id].score.index,
            old_level=old_result.criteria[c.id].score.level, new_level=new_result.criteria[c.id].score.level,
        )
        for c in new_model.criteria if c.id in old_model.criterion_by_id
    )
    indicators = tuple(
        IndicatorDelta(
            indicator_id=i.id, criterion=new_model.t(new_model.criterion_of[i.id].name, lang),
            question=new_model.t(i.question, lang), old=old_answers.get(i.id), new=new_answers.get(i.id),
            old_text=_answer_text(old_model, old_answers.get(i.id), lang),
            new_text=_answer_text(new_model, new_answers.get(i.id), lang),
        )
        for i in new_model.indicators if i.id in old_model.indicator_by_id
    )
    all_criteria = {c.id for c in old_model.criteria} | {c.id for c in new_model.criteria}
    all_indicators = {i.id for i in old_model.indicators} | {i.id for i in new_model.indicators}
    overall = CriterionDelta(
        criterion_id="", name=t("history.overall", lang),
        old_index=old_result.overall.index, new_index=new_result.overall.index,
        old_level=old_result.overall.level, new_level=new_result.overall.level,
    )
    return Comparison(
        same_model=old_model.id == new_model.id,
        same_version=old_model.id == new_model.id and old_model.version == new_model.version,
        overall=overall,
        criteria=criteria,
        indicators=indicators,
        unmatched_criteria=len(all_criteria) - len(criteria),
        unmatched_indicators=len(all_indicators) - len(indicators),
    )


def signed(delta: float | None) -> str:
    """A change as shown: '↑ +12.5', '↓ −3.0', '= 0.0', or a dash when undefined."""
    if delta is None:
        return "—"
    shown = round(delta, 1)
    if shown > 0:
        return f"{UP} +{shown:.1f}"
    if shown < 0:
        return f"{DOWN} −{-shown:.1f}"
    return f"{SAME} 0.0"


def criteria_delta_frame(cmp: Comparison, lang: str) -> pd.DataFrame:
    """Per criterion: old and new index and level, and the change of each."""
    columns = ("criterion", "old_index", "new_index", "delta_index", "old_level", "new_level", "delta_level")
    data = [
        {
            "criterion": d.name,
            "old_index": fmt_index(d.old_index), "new_index": fmt_index(d.new_index),
            "delta_index": signed(d.delta_index),
            "old_level": fmt_level(d.old_level), "new_level": fmt_level(d.new_level),
            "delta_level": signed(d.delta_level),
        }
        for d in cmp.criteria
    ]
    return frame_with_headers(data, columns, lang, "history")


def indicator_delta_frame(cmp: Comparison, lang: str, changed_only: bool = False,
                          marks: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Per indicator: the old answer → the new one, with ↑ ↓ = ≠.

    With ``marks`` (indicator id -> how its question changed between model versions, "" when it did
    not; see :func:`maturity.versions.change_marks`) a column shows them, and ``changed_only`` keeps
    a changed question even where its answer stayed the same.
    """
    columns: tuple[str, ...] = ("criterion", "question", "change", "old_answer", "new_answer")
    if marks is not None:
        columns = ("criterion", "question", "question_change", "change", "old_answer", "new_answer")
    marks = marks or {}
    data = [
        {"criterion": d.criterion, "question": d.question, "old_answer": d.old_text, "new_answer": d.new_text,
         "change": d.change, "question_change": marks.get(d.indicator_id, "")}
        for d in cmp.indicators if not changed_only or d.change != SAME or marks.get(d.indicator_id)
    ]
    return frame_with_headers(data, columns, lang, "history")
