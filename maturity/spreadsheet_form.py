"""The Excel form of ``maturity-assessment/1`` as written (DESIGN §3b): one row per indicator.

Sheet ``answers``: columns ``indicator_id, criterion, question, level, answer_text, note``, then, where the
model has any, ``essential`` (its 必备项 marked) and ``evidence`` (the 佐证材料 a reviewer asks for).
Only ``indicator_id``, ``level`` and ``note`` are read back, by header (:mod:`maturity.spreadsheet`);
the others are for people. Sheet ``meta``: ``key, value`` rows — ``format``, ``model_id``,
``model_version``, ``organisation.<field>``, ``assessed_at``, ``language`` and ``target.<criterion id>``.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .assessment import FORMAT, Assessment
from .cells import put_cell
from .i18n import t
from .model import Indicator, MaturityModel
from .scoring import NA

__all__ = ["ANSWERS", "COLUMNS", "META", "MODEL_COLUMNS", "assessment_to_excel", "form_columns"]

ANSWERS, META = "answers", "meta"
COLUMNS = ("indicator_id", "criterion", "question", "level", "answer_text", "note")
MODEL_COLUMNS = ("essential", "evidence")  # after the note, so the columns people fill keep their letters
_WIDTHS = {"indicator_id": 24, "criterion": 14, "question": 48, "level": 8, "answer_text": 48, "note": 40,
           "essential": 12, "evidence": 36}


def form_columns(model: MaturityModel) -> tuple[str, ...]:
    """The answers sheet's columns for ``model``: ``COLUMNS``, then those of ``MODEL_COLUMNS`` it has content for."""
    extra = [("essential", bool(model.essentials)), ("evidence", any(i.evidence for i in model.indicators))]
    return COLUMNS + tuple(name for name, present in extra if present)


def assessment_to_excel(assessment: Assessment, model: MaturityModel, lang: str) -> bytes:
    """The assessment as an .xlsx file (answers and meta sheets), texts in ``lang``."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = ANSWERS
    columns = form_columns(model)
    _header(ws, columns, lang)
    row = 2
    written: set[str] = set()
    essential_rows: list[int] = []
    for ind in model.indicators:
        value = assessment.answers.get(ind.id)
        cells = [ind.id, model.t(model.criterion_of[ind.id].name, lang), model.t(ind.question, lang),
                 value, _answer_text(model, ind.answers, value, lang), assessment.notes.get(ind.id)]
        _put_row(ws, row, cells + [_model_cell(model, ind, name, lang) for name in columns[len(COLUMNS):]])
        if ind.essential:
            essential_rows.append(row)
        written.add(ind.id)
        row += 1
    # Answers for ids the model does not know (a mismatched file) are kept, not dropped.
    for ident in [*assessment.answers, *assessment.notes]:
        if ident not in written:
            _put_row(ws, row, [ident, None, None, assessment.answers.get(ident), None, assessment.notes.get(ident)])
            written.add(ident)
            row += 1
    levels = [str(s.level) for s in model.scale]
    # A warning, not a stop: workshop means such as 2.5 are valid levels too. A 必备项 is never N/A: its
    # rows get a list without na (the two lists never cover the same cell).
    last = max(row - 1, 2)
    others = [r for r in range(2, last + 1) if r not in essential_rows]
    for choices, rows_of in (([*levels, NA], others), (levels, essential_rows)):
        if rows_of:
            check = _level_check(choices)
            for cell_range in _column_runs("D", rows_of):
                check.add(cell_range)
            ws.add_data_validation(check)
    ws.freeze_panes = "A2"

    meta = wb.create_sheet(META)
    _header(meta, ("key", "value"), lang)
    rows: list[tuple[str, Any]] = [
        ("format", FORMAT), ("model_id", assessment.model_id), ("model_version", assessment.model_version),
        *((f"organisation.{k}", v) for k, v in assessment.organisation.items()),
        ("assessed_at", assessment.assessed_at), ("language", assessment.language),
        *((f"target.{c.id}", assessment.targets.get(c.id)) for c in model.criteria),
        *((f"target.{k}", v) for k, v in assessment.targets.items() if k not in model.criterion_by_id),
    ]
    for i, (key, value) in enumerate(rows, start=2):
        _put_row(meta, i, [key, value])
    meta.column_dimensions["A"].width = 28
    meta.column_dimensions["B"].width = 40
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _column_runs(column: str, rows: list[int]) -> list[str]:
    """Cell ranges of ``column`` covering ``rows`` (ascending): [2, 3, 4, 7] -> ["D2:D4", "D7:D7"]."""
    runs: list[list[int]] = []
    for r in rows:
        if runs and r == runs[-1][1] + 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    return [f"{column}{a}:{column}{b}" for a, b in runs]


def _level_check(choices: list[str]) -> DataValidation:
    return DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True,
                          showErrorMessage=True, errorStyle="warning")


def _model_cell(model: MaturityModel, ind: Indicator, column: str, lang: str) -> str | None:
    """What the model says of a question for people filling the form: its 必备项 mark, its 佐证材料 one a line."""
    if column == "essential":
        return t("essential.label", lang) if ind.essential else None
    return "\n".join(f"• {model.t(e, lang)}" for e in ind.evidence) or None


def _header(ws: Worksheet, names: tuple[str, ...], lang: str) -> None:
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row=1, column=col, value=name)
        cell.font = Font(bold=True)
        # The header is the machine key; the comment says what it means, in the user's language.
        cell.comment = Comment(t(f"spreadsheet.column.{name}", lang), "maturity")
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS.get(name, 16)


def _put_row(ws: Worksheet, row: int, values: list[Any]) -> None:
    for col, value in enumerate(values, start=1):
        # the guarded writer: user text (names, notes) stays text, never a formula
        put_cell(ws, row, col, value, wrap=isinstance(value, str) and (len(value) > 30 or "\n" in value))


def _answer_text(model: MaturityModel, answers: dict[int, dict[str, str]], value: Any, lang: str) -> str | None:
    if value == NA:
        return t("spreadsheet.na", lang)
    if isinstance(value, (int, float)) and float(value).is_integer() and int(value) in answers:
        return model.t(answers[int(value)], lang)
    return None
