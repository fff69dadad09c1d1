"""The units of a round as Excel: a template to fill in, reading it back, and the sheet of links to send out.

Reading finds its columns by header (单位名称 / name, 上级单位 / parent, 会员人数 / members,
联系人 / contact; in either language, in any order), reports every problem with its cell
("B7") and changes nothing when there is one: :class:`maturity.round_types.UnitsInvalid`.
Typed text goes into cells as text, never as a formula (:func:`maturity.cells.put_cell`).
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .cells import put_cell
from .i18n import t
from .limits import MAX_SPREADSHEET_BYTES, MAX_SPREADSHEET_UNPACKED
from .round_types import MAX_UNITS, Round, Unit, UnitProblem, UnitsInvalid, UnitSpec, check_units, unit_link

__all__ = [
    "COLUMNS",
    "SHEET",
    "links_to_excel",
    "template_excel",
    "units_from_excel",
    "units_from_text",
]

SHEET = "units"  # the sheet read; a workbook with one sheet is read whatever its name
COLUMNS = ("name", "parent", "members", "contact")
_HEADERS = {  # what a header may say, lower-cased, without spaces
    "name": {"name", "unit", "单位名称", "单位", "名称", "工会名称"},
    "parent": {"parent", "parentunit", "上级单位", "上级", "上级工会"},
    "members": {"members", "会员人数", "会员数", "人数"},
    "contact": {"contact", "联系人", "联系方式"},
}
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def template_excel(lang: str = "zh") -> bytes:
    """An empty unit list with its headers, an example hierarchy and a sheet that explains the columns."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    for c, column in enumerate(COLUMNS, start=1):
        put_cell(ws, 1, c, t(f"unit_sheet.header.{column}", lang))
        ws.cell(row=1, column=c).font = Font(bold=True)
        ws.cell(row=1, column=c).fill = _HEAD_FILL
        ws.column_dimensions[get_column_letter(c)].width = (30, 30, 12, 28)[c - 1]
    for r, row in enumerate(_example(lang), start=2):
        for c, value in enumerate(row, start=1):
            put_cell(ws, r, c, value)
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet(t("unit_sheet.help_sheet", lang))
    help_ws.column_dimensions["A"].width = 100
    for r, key in enumerate(("intro", "name", "parent", "members", "contact", "rows"), start=1):
        put_cell(help_ws, r, 1, t(f"unit_sheet.help.{key}", lang, limit=MAX_UNITS), wrap=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _example(lang: str) -> list[list[Any]]:
    group, first = t("unit_sheet.example.group", lang), t("unit_sheet.example.first", lang)
    return [[group, None, 5200, t("unit_sheet.example.contact", lang)], [first, group, 860, None],
            [t("unit_sheet.example.workshop", lang), first, 120, None], [t("unit_sheet.example.second", lang), group, 640, None]]


def units_from_excel(raw: bytes) -> list[UnitSpec]:
    """The units of a filled-in template; every problem at once (UnitsInvalid), nothing half read."""
    if len(raw) > MAX_SPREADSHEET_BYTES:
        raise UnitsInvalid([UnitProblem(0, "", "file_too_big", {"limit": MAX_SPREADSHEET_BYTES // (1024 * 1024)})])
    rows = _read_rows(raw)
    problems: list[UnitProblem] = []
    header_at = next((n for n, row in enumerate(rows) if any(_column_of(v) for v in row)), None)
    if header_at is None:
        raise UnitsInvalid([UnitProblem(0, "", "no_header")])
    where: dict[str, int] = {}
    for c, value in enumerate(rows[header_at]):
        column = _column_of(value)
        if column and column not in where:
            where[column] = c
    if "name" not in where:
        raise UnitsInvalid([UnitProblem(0, "", "no_name_column")])
    specs: list[UnitSpec] = []
    excel_rows: list[int] = []
    for n, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        cells = {k: row[c] if c < len(row) else None for k, c in where.items()}
        if all(_blank(v) for v in cells.values()):
            continue  # an empty line between units
        members = cells.get("members")
        number: int | None = None
        if not _blank(members):
            number = _whole(members)
            if number is None:
                problems.append(UnitProblem(n, "members", "bad_members", {"value": _text(members)[:40], "max": 10_000_000},
                                            cell=f"{get_column_letter(where['members'] + 1)}{n}"))
        specs.append(UnitSpec(name=_text(cells.get("name")), parent=_text(cells.get("parent")) or None,
                              members=number, contact=_text(cells.get("contact")) or None))
        excel_rows.append(n)
    cleaned, found = check_units(specs)
    for p in found:  # the unit's number becomes its Excel cell
        if p.row and p.column in where:
            n = excel_rows[p.row - 1]
            first = p.params.get("first")
            params = {**p.params, "first": excel_rows[first - 1]} if isinstance(first, int) and first > 0 else p.params
            problems.append(UnitProblem(n, p.column, p.code, params, cell=f"{get_column_letter(where[p.column] + 1)}{n}"))
        elif not (p.code == "bad_members" and p.row):  # already reported with its cell above
            problems.append(p)
    if problems:
        raise UnitsInvalid(sorted(problems, key=lambda p: (p.row, COLUMNS.index(p.column) if p.column in COLUMNS else 9)))
    return cleaned


def units_from_text(text: str) -> list[UnitSpec]:
    """Units typed one per line: ``名称，上级单位，会员人数，联系人`` (commas of either width or tabs; only the name
    is needed). Every problem at once, by line (UnitsInvalid); blank lines are skipped."""
    specs: list[UnitSpec] = []
    lines: list[int] = []
    problems: list[UnitProblem] = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in re.split(r"[,，\t]", line, maxsplit=3)]
        parts += [""] * (4 - len(parts))
        members: int | None = None
        if parts[2]:
            members = _whole(parts[2])
            if members is None:
                problems.append(UnitProblem(n, "members", "bad_members", {"value": parts[2][:40], "max": 10_000_000},
                                            cell=_line(n)))
        specs.append(UnitSpec(parts[0], parts[1] or None, members, parts[3] or None))
        lines.append(n)
    cleaned, found = check_units(specs)
    for p in found:
        if p.row:
            first = p.params.get("first")
            params = {**p.params, "first": lines[first - 1]} if isinstance(first, int) and first > 0 else p.params
            problems.append(UnitProblem(lines[p.row - 1], p.column, p.code, params, cell=_line(lines[p.row - 1])))
        else:
            problems.append(p)
    if problems:
        raise UnitsInvalid(sorted(problems, key=lambda p: p.row))
    return cleaned


def _line(n: int) -> str:
    """Where a typed unit is: its line number, as the problem's place ('#3' is said "第 3 行")."""
    return f"#{n}"


def _read_rows(raw: bytes) -> list[list[Any]]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, zlib.error):
        raise UnitsInvalid([UnitProblem(0, "", "not_xlsx")]) from None
    if unpacked > MAX_SPREADSHEET_UNPACKED:
        raise UnitsInvalid([UnitProblem(0, "", "not_xlsx")])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds of errors for a zip that is not a sound workbook
            raise UnitsInvalid([UnitProblem(0, "", "not_xlsx")]) from None
        try:
            sheets = [wb[name] for name in wb.sheetnames if hasattr(wb[name], "iter_rows")]
            named = [s for s in sheets if s.title.strip().lower() in (SHEET, "单位名单")]
            ws = named[0] if named else (sheets[0] if sheets else None)
            if ws is None:
                raise UnitsInvalid([UnitProblem(0, "", "no_header")])
            rows: list[list[Any]] = []
            for r, cells in enumerate(ws.iter_rows(max_col=16, values_only=True), start=1):
                if r > MAX_UNITS + 20:
                    raise UnitsInvalid([UnitProblem(0, "", "too_many", {"limit": MAX_UNITS, "n": f"> {MAX_UNITS}"})])
                rows.append(list(cells))
            return rows
        except UnitsInvalid:
            raise
        except Exception:
            raise UnitsInvalid([UnitProblem(0, "", "not_xlsx")]) from None
        finally:
            wb.close()


def _column_of(value: Any) -> str | None:
    key = _text(value).lower().replace(" ", "").replace("\u3000", "").rstrip("*＊")
    key = key.split("（")[0].split("(")[0]
    return next((c for c, names in _HEADERS.items() if key in names), None)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    text = _text(value).replace(",", "").replace("，", "")
    return int(text) if text.isdigit() else None


def links_to_excel(rnd: Round, units: Sequence[Unit], site: str, lang: str = "zh") -> bytes:
    """The sheet to send out: each unit with its private link, its progress and the deadline."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = t("unit_sheet.links_sheet", lang)
    heads = ("name", "parent", "contact", "status", "link")
    for c, key in enumerate(heads, start=1):
        put_cell(ws, 1, c, t(f"unit_sheet.links.{key}", lang))
        ws.cell(row=1, column=c).font = Font(bold=True)
        ws.cell(row=1, column=c).fill = _HEAD_FILL
        ws.column_dimensions[get_column_letter(c)].width = (30, 30, 24, 16, 80)[c - 1]
    for r, u in enumerate(units, start=2):
        status = t(f"round_status.{u.status}", lang, answered=u.answered, total=u.total)
        for c, value in enumerate((u.name, u.parent, u.contact, status, unit_link(site, u.token, lang)), start=1):
            put_cell(ws, r, c, value)
    put_cell(ws, len(units) + 3, 1, t("unit_sheet.links.footer", lang, title=rnd.title,
                                          deadline=rnd.deadline or t("unit_sheet.links.no_deadline", lang)))
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
