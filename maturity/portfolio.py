"""The portfolio (汇总看板) of a round: every unit scored, 自评 and 复评, and the tables a 上级工会 reads.

:func:`build` scores each unit of a :class:`maturity.round_types.RoundData` once (its own answers,
and with the reviewed levels if it has any, and its namesake in the round this one follows), for the
whole round or for one subtree of the hierarchy. The frame functions below turn that into what the
page, the Excel export and the portfolio PDF show: the heatmap of units × criteria, the ranking, the
stages, the criteria weakest across the units, the 必备项 unmet, the trend, the roll-ups per 上级单位
and the gap between 自评 and 复评. Headers are translated (``portfolio.col.*``); names stay as typed.
"""

from __future__ import annotations

import io
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from .display import level_name, stars
from .i18n import t
from .model import MaturityModel
from .round_types import RoundData, Unit, ancestors, subtree
from .scoring import Answer, Result, score

__all__ = [
    "Basis",
    "Portfolio",
    "ScoreMemo",
    "UnitScore",
    "build",
    "essential_frame",
    "excel_bytes",
    "heatmap_frame",
    "parents",
    "progress_frame",
    "ranking_frame",
    "review_gap_frame",
    "rollup_frame",
    "stage_counts",
    "stage_frame",
    "trend_frame",
    "weakest_frame",
]

Basis = Literal["self", "reviewed"]


@dataclass(frozen=True)
class UnitScore:
    """One unit: its own result (None before it answers), the reviewed one (None without reviews), last round's."""

    unit: Unit
    own: Result | None
    reviewed: Result | None
    previous: Result | None

    def result(self, basis: Basis) -> Result | None:
        """The result on ``basis``; 复评 falls back to 自评 where nothing was reviewed."""
        return (self.reviewed or self.own) if basis == "reviewed" else self.own


@dataclass(frozen=True)
class Portfolio:
    """The scored units of a round (or of a subtree of it), in round order."""

    model: MaturityModel
    units: list[UnitScore]
    root: str | None = None  # the subtree's top, or None for the whole round
    has_previous: bool = False

    @property
    def answered(self) -> list[UnitScore]:
        return [u for u in self.units if u.own is not None]

    @property
    def has_reviews(self) -> bool:
        return any(u.reviewed is not None for u in self.units)


ScoreMemo = dict[tuple[object, ...], Result]
"""Results by (model sha256, answers, targets), kept by a caller between builds (see :func:`build`)."""

_MEMO_LIMIT = 20_000  # answer sets a memo keeps before it starts again (a few MB)


def build(data: RoundData, root: str | None = None, *, memo: ScoreMemo | None = None) -> Portfolio:
    """Score the round's units (under ``root`` when given): each answer set once.

    With ``memo`` (a dict the caller keeps), an answer set scored by an earlier build is not scored again:
    when one unit of 500 saves, the next build scores that one unit.
    """
    memo = {} if memo is None else memo
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    model = data.loaded.model

    def scored(loaded_sha: str, m: MaturityModel, answers: Mapping[str, Answer], targets: Mapping[str, float] | None
               ) -> Result:
        key = (loaded_sha, tuple(sorted(answers.items())), tuple(sorted((targets or {}).items())))
        found = memo.get(key)
        if found is None:
            found = memo[key] = score(m, answers, targets)
        return found

    units = subtree(data.units, root) if root else list(data.units)
    before: dict[str, Result] = {}
    if data.previous is not None:
        prev = data.previous.loaded
        for u in data.previous.units:
            rec = data.previous.records.get(u.token)
            if rec is not None and rec.answers:
                before[u.name] = scored(prev.sha256, prev.model, rec.answers, rec.targets)
    sha = data.loaded.sha256
    out: list[UnitScore] = []
    for u in units:
        rec = data.records.get(u.token)
        own = scored(sha, model, rec.answers, rec.targets) if rec is not None and rec.answers else None
        reviewed = None
        if own is not None and data.reviews.get(u.token):
            reviewed = scored(sha, model, data.reviewed_answers(u.token), rec.targets if rec else None)
        out.append(UnitScore(u, own, reviewed, before.get(u.name)))
    return Portfolio(model, out, root, data.previous is not None)


def parents(data: RoundData) -> list[str]:
    """Every 上级单位 that has units under it (units and names above them), in round order: the subtree choices."""
    seen: list[str] = []
    parent_of = {u.name: u.parent for u in data.units}
    for u in data.units:
        for p in reversed(ancestors(u.name, parent_of)):
            if p not in seen:
                seen.append(p)
    return seen


# ---------------------------------------------------------------- frames


def _c(key: str, lang: str, **params: object) -> str:
    return t(f"portfolio.col.{key}", lang, **params)


def _crit_names(model: MaturityModel, lang: str) -> list[tuple[str, str]]:
    return [(c.id, model.t(c.name, lang)) for c in model.criteria]


def _index(r: Result | None) -> float | None:
    return None if r is None or r.overall.index is None else round(r.overall.index, 1)


def _level(r: Result | None, cid: str) -> float | None:
    if r is None:
        return None
    c = r.criteria[cid]
    value = c.effective_level if c.effective_level is not None else c.score.level
    return None if value is None else round(value, 2)


def progress_frame(units: Sequence[Unit], lang: str) -> pd.DataFrame:
    """Who has not started, who is part-way (how many questions), who is done."""
    rows = [{_c("unit", lang): u.name, _c("parent", lang): u.parent or "",
             _c("status", lang): t(f"round_status.{u.status}", lang, answered=u.answered, total=u.total),
             _c("answered", lang): u.answered, _c("total", lang): u.total,
             _c("updated", lang): u.updated_at.strftime("%Y-%m-%d %H:%M") if u.updated_at else "",
             _c("contact", lang): u.contact or ""} for u in units]
    return pd.DataFrame(rows, columns=[_c(k, lang) for k in ("unit", "parent", "status", "answered", "total",
                                                               "updated", "contact")])


def heatmap_frame(p: Portfolio, lang: str, basis: Basis = "self") -> pd.DataFrame:
    """Units × criteria: the criterion level (capped by 必备项 where the model has them), with the overall index."""
    names = _crit_names(p.model, lang)
    rows = []
    for s in p.answered:
        r = s.result(basis)
        rows.append({_c("unit", lang): s.unit.name, _c("parent", lang): s.unit.parent or "",
                     **{name: _level(r, cid) for cid, name in names}, _c("index", lang): _index(r)})
    return pd.DataFrame(rows, columns=[_c("unit", lang), _c("parent", lang), *(n for _, n in names), _c("index", lang)])


def ranking_frame(p: Portfolio, lang: str, by: str | None = None, basis: Basis = "self") -> pd.DataFrame:
    """Units ranked by the overall index, or by one criterion's level (``by`` = its id); ties share a rank."""
    model = p.model
    scored = []
    for s in p.answered:
        r = s.result(basis)
        value = _index(r) if by is None else _level(r, by)
        scored.append((s, r, value))
    scored.sort(key=lambda x: (x[2] is None, -(x[2] or 0.0), x[0].unit.position))
    rows, rank, last = [], 0, object()
    for n, (s, r, value) in enumerate(scored, start=1):
        if value != last:
            rank, last = n, value
        rows.append({_c("rank", lang): rank, _c("unit", lang): s.unit.name, _c("parent", lang): s.unit.parent or "",
                     (_c("index", lang) if by is None else model.t(model.criterion_by_id[by].name, lang)): value,
                     _c("stage", lang): _stage_text(model, r, lang),
                     _c("coverage", lang): f"{s.unit.answered}/{s.unit.total}"})
    return pd.DataFrame(rows)


def _stage_text(model: MaturityModel, r: Result | None, lang: str) -> str:
    if r is None or r.stage is None:
        return ""
    return f"{stars(model, r.stage)} {level_name(model, r.stage, lang)}".strip()


def stage_counts(p: Portfolio, basis: Basis = "self") -> list[tuple[int | None, int]]:
    """(stage, units) for each level of the scale, lowest first, then (None, units with no stage yet)."""
    counts: dict[int, int] = {lv.level: 0 for lv in p.model.scale}
    none = 0
    for s in p.units:
        r = s.result(basis)
        if r is None or r.stage is None:
            none += 1
        else:
            counts[r.stage] = counts.get(r.stage, 0) + 1
    return [*((level, n) for level, n in counts.items()), (None, none)]


def stage_frame(p: Portfolio, lang: str, basis: Basis = "self") -> pd.DataFrame:
    """How many units stand at each stage (with its stars), lowest first, and how many have none yet."""
    model = p.model
    pairs = stage_counts(p, basis)
    counts = {level: n for level, n in pairs if level is not None}
    none = pairs[-1][1]
    rows = [{_c("stage", lang): f"{lv.level} {level_name(model, lv.level, lang)}".strip(), _c("stars", lang): stars(model, lv.level),
             _c("units", lang): counts[lv.level]} for lv in model.scale]
    rows.append({_c("stage", lang): _c("no_stage", lang), _c("stars", lang): "", _c("units", lang): none})
    return pd.DataFrame(rows)


def weakest_frame(p: Portfolio, lang: str, basis: Basis = "self") -> pd.DataFrame:
    """The criteria weakest across the units (where to invest): mean level, mean gap to target, units below target."""
    model = p.model
    rows = []
    for crit in model.criteria:
        levels, gaps, below = [], [], 0
        for s in p.answered:
            r = s.result(basis)
            if r is None:
                continue
            c = r.criteria[crit.id]
            lv = _level(r, crit.id)
            if lv is not None:
                levels.append(lv)
            if c.gap is not None:
                gaps.append(c.gap)
                below += c.gap > 1e-9
        rows.append({"_gap": statistics.fmean(gaps) * crit.weight if gaps else -1.0,
                     _c("criterion", lang): model.t(crit.name, lang),
                     _c("group", lang): model.t(model.group_of[crit.id].name, lang),
                     _c("mean_level", lang): round(statistics.fmean(levels), 2) if levels else None,
                     _c("lowest", lang): min(levels) if levels else None,
                     _c("mean_gap", lang): round(statistics.fmean(gaps), 2) if gaps else None,
                     _c("below_target", lang): below, _c("units", lang): len(levels)})
    frame = pd.DataFrame(rows).sort_values("_gap", ascending=False, kind="stable")
    return frame.drop(columns="_gap").reset_index(drop=True)


def essential_frame(p: Portfolio, lang: str, basis: Basis = "self") -> pd.DataFrame:
    """Every 必备项 a unit answered below its criterion's level (it holds the stage down), or left unanswered."""
    model = p.model
    rows = []
    for s in p.answered:
        r = s.result(basis)
        if r is None:
            continue
        for crit in model.criteria:
            c = r.criteria[crit.id]
            for cap in c.caps:
                rows.append({_c("unit", lang): s.unit.name, _c("parent", lang): s.unit.parent or "",
                             _c("criterion", lang): model.t(crit.name, lang),
                             _c("essential", lang): model.t(model.indicator_by_id[cap.indicator_id].question, lang),
                             _c("answer", lang): cap.answer, _c("holds_at", lang): cap.level,
                             _c("without", lang): c.uncapped})
            for ind in c.essential_missing:
                rows.append({_c("unit", lang): s.unit.name, _c("parent", lang): s.unit.parent or "",
                             _c("criterion", lang): model.t(crit.name, lang),
                             _c("essential", lang): model.t(model.indicator_by_id[ind].question, lang),
                             _c("answer", lang): _c("unanswered", lang), _c("holds_at", lang): None,
                             _c("without", lang): c.uncapped})
    return pd.DataFrame(rows, columns=[_c(k, lang) for k in ("unit", "parent", "criterion", "essential", "answer",
                                                               "holds_at", "without")])


def trend_frame(p: Portfolio, lang: str) -> pd.DataFrame:
    """Each unit answered in both rounds: the index then and now, and the change (who improved, who fell)."""
    rows = []
    for s in p.answered:
        if s.previous is None:
            continue
        then, now = _index(s.previous), _index(s.own)
        delta = None if then is None or now is None else round(now - then, 1)
        rows.append({_c("unit", lang): s.unit.name, _c("parent", lang): s.unit.parent or "",
                     _c("before", lang): then, _c("now", lang): now, _c("change", lang): delta})
    frame = pd.DataFrame(rows, columns=[_c(k, lang) for k in ("unit", "parent", "before", "now", "change")])
    return frame.sort_values(_c("change", lang), ascending=False, kind="stable", na_position="last").reset_index(drop=True)


def rollup_frame(p: Portfolio, lang: str, basis: Basis = "self") -> pd.DataFrame:
    """Per 上级单位 (each level of the hierarchy): how many units under it and their mean per criterion."""
    names = _crit_names(p.model, lang)
    parent_of = {s.unit.name: s.unit.parent for s in p.units}
    under: dict[str, list[UnitScore]] = {}
    for s in p.answered:
        for up in ancestors(s.unit.name, parent_of):
            under.setdefault(up, []).append(s)
    rows = []
    for up, members in under.items():
        results = [s.result(basis) for s in members]
        row: dict[str, object] = {_c("parent", lang): up, _c("units", lang): len(members)}
        for cid, name in names:
            vals = [v for v in (_level(r, cid) for r in results) if v is not None]
            row[name] = round(statistics.fmean(vals), 2) if vals else None
        idx = [v for v in (_index(r) for r in results) if v is not None]
        row[_c("index", lang)] = round(statistics.fmean(idx), 1) if idx else None
        rows.append(row)
    return pd.DataFrame(rows, columns=[_c("parent", lang), _c("units", lang), *(n for _, n in names), _c("index", lang)])


def review_gap_frame(p: Portfolio, lang: str) -> pd.DataFrame:
    """自评 vs 复评 per reviewed unit, largest gap first: a unit far above its review is worth a visit."""
    rows = []
    for s in p.answered:
        if s.reviewed is None:
            continue
        own, rev = _index(s.own), _index(s.reviewed)
        rows.append({_c("unit", lang): s.unit.name, _c("parent", lang): s.unit.parent or "",
                     _c("self", lang): own, _c("reviewed", lang): rev,
                     _c("review_gap", lang): None if own is None or rev is None else round(own - rev, 1)})
    frame = pd.DataFrame(rows, columns=[_c(k, lang) for k in ("unit", "parent", "self", "reviewed", "review_gap")])
    return frame.sort_values(_c("review_gap", lang), ascending=False, kind="stable").reset_index(drop=True)


def excel_bytes(p: Portfolio, lang: str, title: str, basis: Basis = "self") -> bytes:
    """Everything the portfolio shows, one sheet each, in one workbook (text stays text, never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from .cells import put_cell

    sheets: Sequence[tuple[str, pd.DataFrame]] = [
        ("progress", progress_frame([s.unit for s in p.units], lang)), ("heatmap", heatmap_frame(p, lang, basis)),
        ("ranking", ranking_frame(p, lang, basis=basis)), ("stages", stage_frame(p, lang, basis)),
        ("weakest", weakest_frame(p, lang, basis)), ("essential", essential_frame(p, lang, basis)),
        ("rollup", rollup_frame(p, lang, basis)),
        *([("trend", trend_frame(p, lang))] if p.has_previous else []),
        *([("review", review_gap_frame(p, lang))] if p.has_reviews else []),
    ]
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for key, frame in sheets:
        ws = wb.create_sheet(t(f"portfolio.sheet.{key}", lang)[:31])
        put_cell(ws, 1, 1, f"{title} — {t(f'portfolio.sheet.{key}', lang)}")
        ws.cell(row=1, column=1).font = Font(bold=True, size=12)
        for col, name in enumerate(frame.columns, start=1):
            put_cell(ws, 2, col, str(name))
            ws.cell(row=2, column=col).font = Font(bold=True)
            width = max([len(str(name)), *(len(str(v)) for v in frame.iloc[:, col - 1])], default=8)
            ws.column_dimensions[get_column_letter(col)].width = min(50, max(8, 1.5 * width))
        for r, values in enumerate(frame.itertuples(index=False), start=3):
            for col, value in enumerate(values, start=1):
                if value is None or (isinstance(value, float) and pd.isna(value)):
                    continue
                put_cell(ws, r, col, value.item() if hasattr(value, "item") else value)
        ws.freeze_panes = "B3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

