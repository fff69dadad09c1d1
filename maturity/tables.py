"""Tables the pages show and export, built from the core's results (Streamlit-free).

- roadmap: :func:`roadmap_rows` → :func:`filter_roadmap` → :func:`roadmap_frame`
- history: :class:`HistoryEntry` → :func:`filter_history`, :func:`history_frame`, :func:`index_series`,
  :func:`default_pair`
- compare: :func:`compare` → :func:`criteria_delta_frame`, :func:`indicator_delta_frame`
- the model as a document: :func:`scale_frame`, :func:`answers_frame`, :func:`actions_frame`
- files: :func:`csv_bytes`, :func:`xlsx_bytes`, :func:`export_filename`, :func:`read_upload`

Frames carry translated column headers (``<page>.col.*`` strings of locales/pages.*.yaml); numbers
are formatted with :func:`maturity.explain.fmt_index`/``fmt_level`` as everywhere else.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .advice import Roadmap
from .assessment import Assessment, AssessmentError, AssessmentInvalid, parse_bytes
from .explain import fmt_index, fmt_level
from .i18n import t
from .loader import LoadedModel
from .model import Criterion, Indicator, MaturityModel
from .scoring import NA, Answer, Result
from .spreadsheet import assessment_from_excel

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UP, DOWN, SAME, CHANGED = "↑", "↓", "=", "≠"


def _join(names: Sequence[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(names)


def _level_name(model: MaturityModel, level: int, lang: str) -> str:
    return model.t(model.levels[level].name, lang) if level in model.levels else str(level)


# ---------------------------------------------------------------- roadmap


@dataclass(frozen=True)
class RoadmapRow:
    """One roadmap action with every text resolved in one language."""

    horizon: str
    criterion_id: str
    criterion: str
    from_level: int
    from_name: str
    to_level: int
    to_name: str
    title: str
    detail: str
    owner: str
    effort: str | None
    tags: tuple[str, ...]
    tag_names: tuple[str, ...]


def roadmap_rows(model: MaturityModel, plan: Roadmap, lang: str) -> list[RoadmapRow]:
    """The roadmap's items in its own order (quick, mid, long), texts in ``lang``."""
    rows = []
    for item in plan.items:
        action = item.action
        to_level = min(item.from_level + 1, model.lmax)
        rows.append(RoadmapRow(
            horizon=action.horizon,
            criterion_id=item.criterion_id,
            criterion=model.t(model.criterion_by_id[item.criterion_id].name, lang),
            from_level=item.from_level,
            from_name=_level_name(model, item.from_level, lang),
            to_level=to_level,
            to_name=_level_name(model, to_level, lang),
            title=model.t(action.title, lang),
            detail=model.t(action.detail, lang),
            owner=model.t(action.owner, lang),
            effort=action.effort,
            tags=tuple(action.tags),
            tag_names=tuple(model.t(model.tag_by_id[x].name, lang) for x in action.tags if x in model.tag_by_id),
        ))
    return rows


def filter_roadmap(
    rows: Sequence[RoadmapRow], tags: Collection[str] = (), criteria: Collection[str] = ()
) -> list[RoadmapRow]:
    """Rows carrying any of ``tags`` and belonging to any of ``criteria``; an empty filter keeps all."""
    return [
        r for r in rows
        if (not tags or set(r.tags) & set(tags)) and (not criteria or r.criterion_id in criteria)
    ]


def horizon_label(horizon: str, lang: str) -> str:
    """'近期（0–3 个月）' and the like."""
    return t(f"roadmap.horizon.{horizon}", lang)


def effort_label(effort: str | None, lang: str) -> str:
    """'低' / 'low', or a dash when the model gives none."""
    return "—" if effort is None else t(f"roadmap.effort.{effort}", lang)


def roadmap_frame(rows: Sequence[RoadmapRow], lang: str) -> pd.DataFrame:
    """The roadmap as one table (shown and exported), one row per action."""
    columns = ("horizon", "criterion", "step", "action", "detail", "owner", "effort", "tags")
    data = [
        {
            "horizon": horizon_label(r.horizon, lang),
            "criterion": r.criterion,
            "step": f"{r.from_name} → {r.to_name}",
            "action": r.title,
            "detail": r.detail,
            "owner": r.owner,
            "effort": effort_label(r.effort, lang),
            "tags": _join(r.tag_names, lang),
        }
        for r in rows
    ]
    return _frame(data, columns, lang, "roadmap")


def _frame(data: list[dict[str, Any]], columns: Sequence[str], lang: str, part: str) -> pd.DataFrame:
    """A frame whose headers are the ``<part>.col.<column>`` strings in ``lang``."""
    frame = pd.DataFrame(data, columns=list(columns))
    return frame.rename(columns={c: t(f"{part}.col.{c}", lang) for c in columns})


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
        stage="—" if result.stage is None else _level_name(model, result.stage, lang),
        answered=result.answered, total=result.total,
    )


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
    return _frame(data, columns, lang, "history")


def index_series(entries: Sequence[HistoryEntry], lang: str) -> pd.DataFrame:
    """Overall index over time of every union with two or more scored assessments: date, union, index rows.

    Dates stay ISO text, so the chart's axis reads the same in every language; a union with one
    point would draw no line, so it is left out.
    """
    points = sorted((e for e in entries if e.index is not None), key=lambda e: (e.assessed_at, e.created_at))
    per_union: dict[str, list[HistoryEntry]] = {}
    for e in points:
        per_union.setdefault(e.organisation, []).append(e)
    rows = [
        {"date": e.assessed_at, "union": name, "index": round(e.index or 0.0, 1)}
        for name, items in per_union.items() if len(items) >= 2
        for e in {x.assessed_at: x for x in items}.values()  # the latest of a day wins
    ]
    frame = pd.DataFrame(rows, columns=["date", "union", "index"])
    names = {"date": "assessed_at", "union": "organisation", "index": "index"}
    return frame.rename(columns={c: t(f"history.col.{n}", lang) for c, n in names.items()})


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
    level = float(value)
    if level.is_integer() and int(level) in model.levels:
        return f"{int(level)} {_level_name(model, int(level), lang)}"
    return f"{level:g}"


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
    return _frame(data, columns, lang, "history")


def indicator_delta_frame(cmp: Comparison, lang: str, changed_only: bool = False) -> pd.DataFrame:
    """Per indicator: the old answer → the new one, with ↑ ↓ = ≠."""
    columns = ("criterion", "question", "change", "old_answer", "new_answer")
    data = [
        {"criterion": d.criterion, "question": d.question, "old_answer": d.old_text, "new_answer": d.new_text,
         "change": d.change}
        for d in cmp.indicators if not changed_only or d.change != SAME
    ]
    return _frame(data, columns, lang, "history")


# ---------------------------------------------------------------- the model as a document


def scale_frame(model: MaturityModel, lang: str) -> pd.DataFrame:
    """The scale: level, stars, name and what the level means."""
    n = len(model.scale)
    data = [
        {"level": s.level, "stars": "★" * (k + 1) + "☆" * (n - k - 1), "name": model.t(s.name, lang),
         "description": model.t(s.description, lang)}
        for k, s in enumerate(model.scale)
    ]
    return _frame(data, ("level", "stars", "name", "description"), lang, "models")


def answers_frame(model: MaturityModel, indicator: Indicator, lang: str) -> pd.DataFrame:
    """An indicator's anchored answer for every level."""
    data = [
        {"level": s.level, "name": model.t(s.name, lang), "answer": model.t(indicator.answers.get(s.level), lang)}
        for s in model.scale
    ]
    return _frame(data, ("level", "name", "answer"), lang, "models")


def actions_frame(model: MaturityModel, criterion: Criterion, lang: str) -> pd.DataFrame:
    """A criterion's actions by the level they lift it from."""
    data = [
        {
            "step": f"{_level_name(model, level, lang)} → {_level_name(model, min(level + 1, model.lmax), lang)}",
            "action": model.t(a.title, lang), "detail": model.t(a.detail, lang),
            "horizon": horizon_label(a.horizon, lang), "owner": model.t(a.owner, lang),
            "effort": effort_label(a.effort, lang),
            "tags": _join([model.t(model.tag_by_id[x].name, lang) for x in a.tags if x in model.tag_by_id], lang),
        }
        for level in sorted(criterion.actions)
        for a in criterion.actions[level]
    ]
    return _frame(data, ("step", "action", "detail", "horizon", "owner", "effort", "tags"), lang, "models")


# ---------------------------------------------------------------- files

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as UTF-8 with a BOM, so Excel opens Chinese text correctly; cells never start a formula."""
    safe = frame.map(lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return safe.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    """One sheet with a bold header; text stays text (a cell starting with '=' is not a formula)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet[:31]
    for col, name in enumerate(frame.columns, start=1):
        cell = ws.cell(row=1, column=col, value=str(name))
        cell.font = Font(bold=True)
        width = max([len(str(name)), *(len(str(v)) for v in frame.iloc[:, col - 1])], default=8)
        ws.column_dimensions[get_column_letter(col)].width = min(60, max(8, 1.6 * width))
    for r, values in enumerate(frame.itertuples(index=False), start=2):
        for col, value in enumerate(values, start=1):
            if value is None or (isinstance(value, float) and pd.isna(value)):
                continue
            cell = ws.cell(row=r, column=col)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.value = value
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def export_filename(organisation: str, kind: str, date: str, ext: str) -> str:
    """'某某公司工会-路线图-2026-11-26.csv': the union's name (Chinese kept), what, date; safe on every OS."""
    parts = [_UNSAFE.sub("_", p).strip(" ._") for p in (organisation, kind, date)]
    stem = "-".join(p for p in parts if p)[:150] or "export"
    return f"{stem}.{ext}"


def read_upload(raw: bytes, filename: str, candidates: Sequence[LoadedModel]) -> tuple[Assessment, LoadedModel]:
    """Read a JSON or Excel assessment and validate it against its model among ``candidates``.

    The model is the candidate with the file's model id (the same version preferred). Raises
    :class:`AssessmentInvalid` listing every problem; nothing is stored here.
    """
    if len(raw) > MAX_UPLOAD_BYTES:
        raise AssessmentInvalid([AssessmentError("", "too_big", {"limit": MAX_UPLOAD_BYTES})])
    read: Callable[[bytes, MaturityModel | None], Assessment] = (
        assessment_from_excel if filename.lower().endswith(".xlsx") else parse_bytes
    )
    try:
        free = read(raw, None)
    except AssessmentInvalid as exc:
        # The model id is unreadable before the file is valid: the candidate whose check does not
        # complain about the model reference is the one it was made for, and its check lists everything.
        for loaded in candidates:
            try:
                read(raw, loaded.model)
            except AssessmentInvalid as full:
                if not any(e.code in ("wrong_model", "bad_model_ref") for e in full.errors):
                    raise full from None
        raise exc from None
    same_id = [c for c in candidates if c.model.id == free.model_id]
    if not same_id:
        raise AssessmentInvalid([AssessmentError("model.id", "model_not_found", {"id": free.model_id})])
    loaded = next((c for c in same_id if c.model.version == free.model_version), same_id[0])
    return read(raw, loaded.model), loaded
