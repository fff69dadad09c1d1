"""The Excel form with 必备项 and 佐证材料: the essential and evidence columns, no na for a 必备项, the import as before;
a model without either gets the six columns it always had."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from maturity.assessment import Assessment
from maturity.i18n import t
from maturity.loader import LoadedModel, load_model
from maturity.scoring import NA, Answer
from maturity.spreadsheet import COLUMNS, assessment_from_excel, assessment_to_excel
from maturity.spreadsheet_form import _column_runs, form_columns
from tests.conftest import TEST_FRAMEWORKS


@pytest.fixture(scope="module")
def essential() -> LoadedModel:
    """tests/frameworks/essential.yaml: 必备项 in two criteria, evidence lists."""
    return load_model(TEST_FRAMEWORKS / "essential.yaml")


@pytest.fixture
def filled(essential) -> Assessment:
    m = essential.model
    answers: dict[str, Answer] = {i.id: 4 for i in m.indicators}
    answers.update({"organising.funds": 1, "serving.studio": NA})
    return Assessment(model_id=m.id, model_version=m.version, organisation={"name": "某某公司工会"},
                      assessed_at="2026-03-01", answers=answers, notes={"organising.funds": "=行政欠缴两个月"},
                      targets={"organising": 3})


def sheet(raw: bytes):
    return load_workbook(io.BytesIO(raw))["answers"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_form_has_essential_and_evidence_columns(essential, filled, lang):
    m = essential.model
    ws = sheet(assessment_to_excel(filled, m, lang))
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (*COLUMNS, "essential", "evidence")
    assert ws["H1"].comment.text == t("spreadsheet.column.evidence", lang)
    assert ws["G1"].comment.text == t("spreadsheet.column.essential", lang)
    by_id = {r[0]: r for r in rows[1:]}
    label = t("essential.label", lang)
    assert [i for i, r in by_id.items() if r[6] == label] == ["organising.funds", "organising.membership",
                                                               "serving.rights"]
    assert all(r[6] is None for i, r in by_id.items() if not m.indicator_by_id[i].essential)
    funds = [m.t(e, lang) for e in m.indicator_by_id["organising.funds"].evidence]
    assert by_id["organising.funds"][7] == f"• {funds[0]}\n• {funds[1]}"
    assert by_id["organising.congress"][7] == f"• {m.t(m.indicator_by_id['organising.congress'].evidence[0], lang)}"
    assert by_id["serving.warmth"][7] is None
    assert by_id["organising.funds"][3:6] == (1, m.t(m.indicator_by_id["organising.funds"].answers[1], lang),
                                              "=行政欠缴两个月")
    assert ws["F2"].data_type == "s"  # a note stays text, never a formula


def test_essential_rows_offer_no_na(essential, filled):
    ws = sheet(assessment_to_excel(filled, essential.model, "zh"))
    rules = {dv.formula1: dv.sqref for dv in ws.data_validations.dataValidation}
    assert set(rules) == {'"1,2,3,4,5,na"', '"1,2,3,4,5"'}
    for r in range(2, ws.max_row + 1):
        iid = ws.cell(row=r, column=1).value
        cell = f"D{r}"
        if essential.model.indicator_by_id[iid].essential:
            assert cell in rules['"1,2,3,4,5"'] and cell not in rules['"1,2,3,4,5,na"'], iid
        else:
            assert cell in rules['"1,2,3,4,5,na"'] and cell not in rules['"1,2,3,4,5"'], iid


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_import_reads_the_form_as_before(essential, filled, lang):
    raw = assessment_to_excel(filled, essential.model, lang)
    assert assessment_from_excel(raw, essential.model) == filled
    assert assessment_from_excel(raw) == filled


def test_import_ignores_what_people_write_in_the_model_columns(essential, filled):
    wb = load_workbook(io.BytesIO(assessment_to_excel(filled, essential.model, "zh")))
    ws = wb["answers"]
    ws["G3"] = "不是必备项"
    ws["H3"] = "另附照片"
    ws.delete_cols(7)  # and the essential column gone altogether
    out = io.BytesIO()
    wb.save(out)
    assert assessment_from_excel(out.getvalue(), essential.model) == filled


def test_a_model_without_essentials_or_evidence_keeps_its_six_columns(tiny):
    m = tiny.model
    assert form_columns(m) == COLUMNS
    a = Assessment(model_id=m.id, model_version=m.version, answers={m.indicators[0].id: 2})
    ws = sheet(assessment_to_excel(a, m, "zh"))
    assert next(ws.iter_rows(values_only=True)) == COLUMNS
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == [f"D2:D{ws.max_row}"]


@pytest.mark.parametrize(("rows", "runs"), [([2], ["D2:D2"]), ([2, 3, 4, 7], ["D2:D4", "D7:D7"]),
                                            ([3, 5, 6], ["D3:D3", "D5:D6"])])
def test_column_runs(rows, runs):
    assert _column_runs("D", rows) == runs
