"""Tables the pages show and export, built from the core's results (Streamlit-free).

- roadmap: :func:`roadmap_rows` → :func:`filter_roadmap` → :func:`roadmap_frame`
- history and compare: see :mod:`maturity.compare`
- the model as a document: :func:`scale_frame`, :func:`answers_frame`, :func:`actions_frame`
- files: :func:`workshop_answers_frame`; :func:`csv_bytes`, :func:`xlsx_bytes` (through the guarded
  writer :mod:`maturity.cells`), :func:`export_filename`, :func:`read_upload`

Frames carry translated column headers (``<page>.col.*`` strings of locales/pages.*.yaml); numbers
are formatted with :mod:`maturity.display` as everywhere else.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .advice import Roadmap
from .assessment import Assessment, AssessmentError, AssessmentInvalid, parse_bytes
from .cells import csv_cell, put_cell
from .display import join_names, level_name_or_number, stars
from .i18n import t
from .limits import MAX_IMPORT_BYTES as MAX_UPLOAD_BYTES  # the byte limits live in maturity.limits
from .loader import LoadedModel
from .model import Criterion, Indicator, MaturityModel
from .scoring import NA
from .spreadsheet import assessment_from_excel

__all__ = [
    "CHANGED",
    "DOWN",
    "MAX_UPLOAD_BYTES",
    "SAME",
    "UP",
    "RoadmapRow",
    "actions_frame",
    "answers_frame",
    "csv_bytes",
    "effort_label",
    "export_filename",
    "filter_roadmap",
    "frame_with_headers",
    "horizon_label",
    "read_upload",
    "roadmap_frame",
    "roadmap_rows",
    "scale_frame",
    "workshop_answers_frame",
    "xlsx_bytes",
]

UP, DOWN, SAME, CHANGED = "↑", "↓", "=", "≠"


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
            from_name=level_name_or_number(model, item.from_level, lang),
            to_level=to_level,
            to_name=level_name_or_number(model, to_level, lang),
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
            "tags": join_names(r.tag_names, lang),
        }
        for r in rows
    ]
    return frame_with_headers(data, columns, lang, "roadmap")


def frame_with_headers(data: list[dict[str, Any]], columns: Sequence[str], lang: str, part: str) -> pd.DataFrame:
    """A frame whose headers are the ``<part>.col.<column>`` strings in ``lang``."""
    frame = pd.DataFrame(data, columns=list(columns))
    return frame.rename(columns={c: t(f"{part}.col.{c}", lang) for c in columns})


# ---------------------------------------------------------------- the model as a document


def scale_frame(model: MaturityModel, lang: str) -> pd.DataFrame:
    """The scale: level, stars, name and what the level means."""
    data = [
        {"level": s.level, "stars": stars(model, s.level), "name": model.t(s.name, lang),
         "description": model.t(s.description, lang)}
        for s in model.scale
    ]
    return frame_with_headers(data, ("level", "stars", "name", "description"), lang, "models")


def answers_frame(model: MaturityModel, indicator: Indicator, lang: str) -> pd.DataFrame:
    """An indicator's anchored answer for every level."""
    data = [
        {"level": s.level, "name": model.t(s.name, lang), "answer": model.t(indicator.answers.get(s.level), lang)}
        for s in model.scale
    ]
    return frame_with_headers(data, ("level", "name", "answer"), lang, "models")


def actions_frame(model: MaturityModel, criterion: Criterion, lang: str) -> pd.DataFrame:
    """A criterion's actions by the level they lift it from."""
    data = [
        {
            "step": f"{level_name_or_number(model, level, lang)} → {level_name_or_number(model, min(level + 1, model.lmax), lang)}",
            "action": model.t(a.title, lang), "detail": model.t(a.detail, lang),
            "horizon": horizon_label(a.horizon, lang), "owner": model.t(a.owner, lang),
            "effort": effort_label(a.effort, lang),
            "tags": join_names([model.t(model.tag_by_id[x].name, lang) for x in a.tags if x in model.tag_by_id], lang),
        }
        for level in sorted(criterion.actions)
        for a in criterion.actions[level]
    ]
    return frame_with_headers(data, ("step", "action", "detail", "horizon", "owner", "effort", "tags"), lang, "models")


# ---------------------------------------------------------------- files


def workshop_answers_frame(model: MaturityModel, rows: Sequence[dict[str, Any]], lang: str) -> pd.DataFrame:
    """A workshop's raw answers (``WorkshopService.export_rows``) as a table: who, criterion, question, level."""
    data = [
        {
            "participant": r["participant"],
            "criterion": model.t(model.criterion_of[r["indicator_id"]].name, lang),
            "indicator": r["indicator_id"],
            "question": model.t(model.indicator_by_id[r["indicator_id"]].question, lang),
            "level": t("wshost.na", lang) if r["level"] == NA else r["level"],
        }
        for r in rows
        if r["indicator_id"] in model.indicator_by_id
    ]
    columns = ("participant", "criterion", "indicator", "question", "level")
    frame = pd.DataFrame(data, columns=list(columns))
    return frame.rename(columns={c: t(f"wshost.col_{c}", lang) for c in columns})


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as UTF-8 with a BOM, so Excel opens Chinese text correctly; cells never start a formula.

    Rows end in CRLF (RFC 4180), so a field holding a CR or LF is quoted and stays one field.
    """
    safe = frame.map(csv_cell)
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    """One sheet with a bold header; text stays text (a cell starting with '=' is not a formula)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet[:31]
    for col, name in enumerate(frame.columns, start=1):
        put_cell(ws, 1, col, str(name))
        ws.cell(row=1, column=col).font = Font(bold=True)
        width = max([len(str(name)), *(len(str(v)) for v in frame.iloc[:, col - 1])], default=8)
        ws.column_dimensions[get_column_letter(col)].width = min(60, max(8, 1.6 * width))
    for r, values in enumerate(frame.itertuples(index=False), start=2):
        for col, value in enumerate(values, start=1):
            if isinstance(value, float) and pd.isna(value):
                continue
            put_cell(ws, r, col, value, wrap=True)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_filename(organisation: str, kind: str, date: str, ext: str, lang: str = "zh") -> str:
    """'某某公司工会-路线图-2026-11-26.csv': the one naming of downloads (``filenames.download_name``)."""
    from .filenames import download_name  # the rules live there, shared with the PDF's name

    return download_name(organisation, kind, date, ext, lang)


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
                    raise AssessmentInvalid(full.errors, loaded.model) from None
        raise exc from None
    same_id = [c for c in candidates if c.model.id == free.model_id]
    if not same_id:
        raise AssessmentInvalid([AssessmentError("model.id", "model_not_found", {"id": free.model_id})])
    loaded = next((c for c in same_id if c.model.version == free.model_version), same_id[0])
    try:
        return read(raw, loaded.model), loaded
    except AssessmentInvalid as full:
        raise AssessmentInvalid(full.errors, loaded.model) from None
