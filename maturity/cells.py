"""The one guarded writer of spreadsheet cells, for every CSV and Excel file the app writes.

A cell a spreadsheet would read as a formula (OWASP "CSV injection") never leaves as one:

- CSV: a text starting with ``= + - @``, a tab, CR or LF (also the full-width ``＝＋－＠``, which
  Chinese input methods type and Excel takes as formula starts), also after leading spaces, gets a
  leading apostrophe (:func:`csv_cell`).
- Excel: every text is stored as a string cell, never a formula; a risky one is also marked
  "quote prefix", so editing it in Excel keeps it text (:func:`put_cell`). The text itself is kept
  unchanged, so a file the app wrote reads back exactly.

Numbers stay numbers: a negative number is a value, not typed text.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "FORMULA_START",
    "csv_cell",
    "put_cell",
    "risky",
]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def risky(text: str) -> bool:
    """True when a spreadsheet could take ``text`` for a formula."""
    return text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START)


def csv_cell(value: Any) -> Any:
    """``value`` as it may go into a CSV cell: risky text gets a leading apostrophe, the rest is unchanged."""
    if isinstance(value, str) and risky(value):
        return "'" + value
    return value


def put_cell(ws: Worksheet, row: int, column: int, value: Any, *, wrap: bool = False) -> None:
    """Write one Excel cell: text as a string (never a formula), other values as they are; None leaves it empty."""
    if value is None:
        return
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # openpyxl takes a str starting with "=" for a formula; this one is text
        if risky(value):
            cell.quotePrefix = True
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    else:
        cell.value = value
