"""Reading the Excel form of ``maturity-assessment/1`` (DESIGN §3b) back; its layout and writer are in
:mod:`maturity.spreadsheet_form` (``assessment_to_excel`` is re-exported here).

Only ``indicator_id``, ``level`` and ``note`` of the ``answers`` sheet are read, found by header, so the
columns for people (question, answer text, 必备项, 佐证材料) may be moved or dropped. Reading goes through
:func:`maturity.assessment.parse`, so a spreadsheet is refused for the same reasons as a JSON file; every
error names the cell (``answers!D7``).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any, ClassVar

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as WorkbookType
from openpyxl.worksheet.worksheet import Worksheet

from .assessment import FORMAT, Assessment, AssessmentError, AssessmentInvalid, parse
from .limits import MAX_SPREADSHEET_BYTES as MAX_BYTES  # the byte limits live in maturity.limits
from .limits import MAX_SPREADSHEET_UNPACKED as MAX_UNPACKED
from .model import MaturityModel
from .scoring import NA
from .spreadsheet_form import ANSWERS, COLUMNS, META, MODEL_COLUMNS, assessment_to_excel  # re-exported

__all__ = [
    "ANSWERS",
    "COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "MAX_UNPACKED",
    "META",
    "META_KEYS",
    "MODEL_COLUMNS",
    "NA_WORDS",
    "REQUIRED_COLUMNS",
    "SheetError",
    "assessment_from_excel",
    "assessment_to_excel",
]

REQUIRED_COLUMNS = ("indicator_id", "level")
META_KEYS = ("format", "model_id", "model_version", "assessed_at", "language")
MAX_ROWS = 5000
NA_WORDS = frozenset({"na", "n/a", "不适用"})
_MAX_COLUMNS = 64


@dataclass(frozen=True)
class SheetError(AssessmentError):
    """A spreadsheet-specific problem; its message lives under ``sheet_error.<code>``."""

    part: ClassVar[str] = "sheet_error"


# -- reading ---------------------------------------------------------------------------


def assessment_from_excel(raw: bytes, model: MaturityModel | None = None) -> Assessment:
    """Read an .xlsx made by :func:`assessment_to_excel` (or filled in by hand) and validate it."""
    if len(raw) > MAX_BYTES:
        raise AssessmentInvalid([AssessmentError("", "too_big", {"limit": MAX_BYTES})])
    reader = _Reader()
    with warnings.catch_warnings():
        # openpyxl warns about Excel features it ignores (extensions, styles); none matter here.
        warnings.simplefilter("ignore")
        wb = _open(raw)
        try:
            # Chart sheets have no cells: they count as missing.
            sheets = {name.strip().lower(): wb[name] for name in wb.sheetnames if hasattr(wb[name], "iter_rows")}
            missing = [name for name in (ANSWERS, META) if name not in sheets]
            if missing:
                found = ", ".join(wb.sheetnames)
                raise AssessmentInvalid([SheetError(name, "missing_sheet", {"sheet": name, "found": found})
                                         for name in missing])
            reader.read_meta(sheets[META])
            reader.read_answers(sheets[ANSWERS])
        except _CORRUPT:  # sheets are parsed lazily, so a damaged one only shows up here
            raise AssessmentInvalid([SheetError("", "damaged")]) from None
        finally:
            wb.close()
    return reader.result(model)


def _open(raw: bytes) -> WorkbookType:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            workbook = "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, zlib.error):  # RuntimeError: encrypted, zip64 v6.4
        raise AssessmentInvalid([SheetError("", "not_xlsx")]) from None
    if unpacked > MAX_UNPACKED:
        raise AssessmentInvalid([SheetError("", "unpacked_too_big", {"limit": MAX_UNPACKED})])
    try:
        # Formulas as written (not their cached results), so that a formula cell is reported, not read as empty.
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors for a zip that is not a sound workbook
        raise AssessmentInvalid([SheetError("", "damaged" if workbook else "not_xlsx")]) from None


# What a damaged sheet raises while it is read (XML parse errors are SyntaxErrors, lxml's too).
_CORRUPT = (SyntaxError, ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile, OSError, EOFError,
            RuntimeError, zlib.error, AttributeError)


class _Reader:
    """Collects the file's data in ``maturity-assessment/1`` shape, and where each key came from."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.org: dict[str, Any] = {}
        self.model_ref: dict[str, Any] = {}
        self.targets: dict[str, Any] = {}
        self.answers: dict[str, Any] = {}
        self.notes: dict[str, str] = {}
        self.errors: list[AssessmentError] = []
        # JSON key -> (cell naming the item, cell holding its value)
        self.where: dict[str, tuple[str, str]] = {}
        self.row_ids: dict[int, str] = {}  # answers row -> indicator id, to name a formula cell's question
        self.note_letter = ""

    def read_meta(self, ws: Worksheet) -> None:
        rows = _rows(ws, 2, self.errors)
        if rows and _text(rows[0][1][0]).strip().lower() == "key":
            rows = rows[1:]
        seen: dict[str, int] = {}
        for r, (key_cell, value) in rows:
            key = _text(key_cell).strip()
            if not key:
                if not _blank(value):
                    self.errors.append(SheetError(f"{META}!A{r}", "missing_key"))
                continue
            if key in seen:
                self.errors.append(SheetError(f"{META}!A{r}", "duplicate_key", {"key": key, "first": f"A{seen[key]}"}))
                continue
            seen[key] = r
            self._meta_value(key, value, r)
        for key in ("format", "model_id", "model_version"):
            if key not in seen:
                self.errors.append(SheetError(META, "missing_meta", {"key": key}))

    def _meta_value(self, key: str, value: Any, r: int) -> None:
        cells = (f"{META}!A{r}", f"{META}!B{r}")
        if key in ("format", "model_id", "model_version") and _blank(value):
            self.errors.append(SheetError(cells[1], "missing_meta", {"key": key}))
        elif key in ("format", "language"):
            self.data[key] = _text(value).strip() if not _blank(value) else None
            self.where[key] = cells
        elif key in ("model_id", "model_version"):
            self.model_ref[key.removeprefix("model_")] = _text(value).strip()
            self.where[f"model.{key.removeprefix('model_')}"] = cells
            self.where["model"] = cells
        elif key == "assessed_at":
            if not _blank(value):
                self.data["assessed_at"] = value.date().isoformat() if isinstance(value, dt.datetime) else (
                    value.isoformat() if isinstance(value, dt.date) else _text(value).strip())
            self.where[key] = cells
        elif key.startswith("organisation.") and len(key) > len("organisation."):
            name = key.removeprefix("organisation.")
            if not _blank(value):
                self.org[name] = _scalar(value)
            self.where[f"organisation.{name}"] = cells
        elif key.startswith("target.") and len(key) > len("target."):
            name = key.removeprefix("target.")
            level = self._level(value, cells[1])
            if level is not None and level is not _BAD:
                self.targets[name] = level
            self.where[f"targets.{name}"] = cells
        else:
            valid = ", ".join([*META_KEYS, "organisation.<…>", "target.<…>"])
            self.errors.append(SheetError(cells[0], "unknown_meta_key", {"key": key, "valid": valid}))

    def read_answers(self, ws: Worksheet) -> None:
        rows = iter(_rows(ws, _MAX_COLUMNS, self.errors))
        header = next(rows, None)
        names = [_text(v).strip().lower() for v in header[1]] if header else []
        col = {name: i for i, name in reversed(list(enumerate(names))) if name}
        lacking = [name for name in REQUIRED_COLUMNS if name not in col]
        if lacking:
            self.errors.append(AssessmentError(ANSWERS, "excel_columns", {"columns": ", ".join(REQUIRED_COLUMNS)}))
            return
        id_col, level_col = col["indicator_id"], col["level"]
        note_col = col.get("note")
        self.note_letter = get_column_letter(note_col + 1) if note_col is not None else ""
        first: dict[str, int] = {}
        for r, values in rows:
            ident = _text(values[id_col]).strip()
            level_cell = f"{ANSWERS}!{get_column_letter(level_col + 1)}{r}"
            note = values[note_col] if note_col is not None else None
            if not ident:
                if not (_blank(values[level_col]) and _blank(note)):
                    self.errors.append(SheetError(f"{ANSWERS}!{get_column_letter(id_col + 1)}{r}", "missing_id"))
                continue
            id_cell = f"{ANSWERS}!{get_column_letter(id_col + 1)}{r}"
            if ident in first:
                self.errors.append(SheetError(id_cell, "duplicate_id", {"id": ident, "first": first[ident]}))
                continue
            first[ident] = r
            self.row_ids[r] = ident
            level = self._level(values[level_col], level_cell)
            if level is not None and level is not _BAD:
                self.answers[ident] = level
            self.where[f"answers.{ident}"] = (id_cell, level_cell)
            if not _blank(note):
                self.notes[ident] = note if isinstance(note, str) else _text(note)
                note_ref = f"{ANSWERS}!{get_column_letter(note_col + 1)}{r}" if note_col is not None else id_cell
                self.where[f"notes.{ident}"] = (id_cell, note_ref)

    def _level(self, value: Any, cell: str) -> Any:
        """A number, "na", None for an empty cell, or _BAD after recording an error."""
        if _blank(value):
            return None
        if isinstance(value, str):
            word = value.strip()
            if word.lower() in NA_WORDS:
                return NA
            try:
                number = float(word)  # also reads "3", " 3 " and full-width "３"
            except ValueError:
                self.errors.append(SheetError(cell, "bad_level", {"value": word}))
                return _BAD
            value = number
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.errors.append(SheetError(cell, "bad_level", {"value": _text(value)}))
            return _BAD
        return int(value) if float(value).is_integer() else float(value)

    def result(self, model: MaturityModel | None) -> Assessment:
        data: dict[str, Any] = {k: v for k, v in self.data.items() if v is not None}
        data.setdefault("format", FORMAT)  # a missing format row is already reported as missing_meta
        data["model"] = self.model_ref
        data.update(organisation=self.org, answers=self.answers, notes=self.notes, targets=self.targets)
        errors = [self._question_of(e) for e in self.errors]
        try:
            assessment = parse(data, model)
        except AssessmentInvalid as exc:
            errors += [self._locate(e) for e in exc.errors]
        else:
            if not errors:
                return assessment
        unique = list({(e.key, e.code, repr(e.params)): e for e in errors}.values())
        raise AssessmentInvalid(unique)

    def _question_of(self, error: AssessmentError) -> AssessmentError:
        """A formula cell of the answers sheet, tied to the question of its row."""
        match = _CELL.fullmatch(error.key)
        if error.code != "formula" or match is None or match[1] != ANSWERS:
            return error
        ident = self.row_ids.get(int(match[3]))
        if ident is None:
            return error
        kind = "notes" if match[2] == self.note_letter else "answers"
        return SheetError(error.key, error.code, error.params, item=f"{kind}.{ident}")

    def _locate(self, error: AssessmentError) -> AssessmentError:
        """The same error, keyed by the cell it came from (the id cell when the id itself is wrong)."""
        cells = self.where.get(error.key)
        if cells is None:
            return AssessmentError(META if error.key in ("format", "model") else error.key, error.code, error.params)
        naming = error.code in ("unknown_indicator", "unknown_criterion")
        return AssessmentError(cells[0] if naming else cells[1], error.code, error.params, item=error.key)


_BAD = object()
_CELL = re.compile(r"(\w+)!([A-Z]+)(\d+)")


def _rows(ws: Worksheet, width: int, errors: list[AssessmentError]) -> list[tuple[int, list[Any]]]:
    """Row number and cell values (padded to ``width``), at most MAX_ROWS rows."""
    out: list[tuple[int, list[Any]]] = []
    for r, cells in enumerate(ws.iter_rows(min_row=1, max_col=width), start=1):
        if r > MAX_ROWS:
            errors.append(SheetError(ws.title, "too_many_rows", {"limit": MAX_ROWS}))
            break
        values = [_value(ws, r, c, cell, errors) for c, cell in enumerate(cells, start=1)]
        out.append((r, [*values, *([None] * (width - len(values)))]))
    return out


def _value(ws: Worksheet, r: int, c: int, cell: Any, errors: list[AssessmentError]) -> Any:
    """A cell's value; a formula is reported (we never compute one) and reads as empty."""
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f":
        formula = value if isinstance(value, str) else getattr(value, "text", None) or "="
        errors.append(SheetError(f"{ws.title}!{get_column_letter(c)}{r}", "formula",
                                 {"formula": formula if len(formula) <= 40 else formula[:39] + "…"}))
        return None
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _scalar(value: Any) -> Any:
    """An organisation field: text as typed, whole numbers as int (Excel may hand back 320.0)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return _text(value)
    return value
