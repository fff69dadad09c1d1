"""The Excel form of maturity-assessment/1: round trip, hand-filled sheets, and bad files named by cell."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from maturity.assessment import Assessment, AssessmentInvalid, read_json
from maturity.model import MaturityModel
from maturity.spreadsheet import COLUMNS, MAX_BYTES, assessment_from_excel, assessment_to_excel


@pytest.fixture
def sample(tiny, root) -> Assessment:
    """tests/frameworks/tiny-assessment.json, with hostile and exotic text added."""
    a = read_json(root / "tests/frameworks/tiny-assessment.json", tiny.model)
    a.notes["leading.model-workers"] = "**粗体** <script>alert(1)</script> =1+1 堃 𠀋 😀\n第二行"
    a.notes["digital.platform"] = "=HYPERLINK(\"http://example.com\")"
    a.organisation["sector"] = "制造业"
    a.targets["leading"] = 4
    a.answers["leading.model-workers"] = 2.5  # workshop means may be fractional
    return a


def edit(raw: bytes, change: Callable[[Workbook], None]) -> bytes:
    """The workbook with ``change`` applied, as a person editing it in Excel would."""
    wb = load_workbook(io.BytesIO(raw))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def errors_of(raw: bytes, model: MaturityModel) -> list[tuple[str, str, str]]:
    """(key, code, English message) of every error, checking each is translated in both languages."""
    with pytest.raises(AssessmentInvalid) as info:
        assessment_from_excel(raw, model)
    out = []
    for e in info.value.errors:
        en, zh = e.message("en"), e.message("zh")
        for text in (en, zh):  # translated, not a bare key
            assert "sheet_error." not in text and "assessment_error." not in text, text
        out.append((e.key, e.code, en))
    return out


def meta_row(wb: Workbook, key: str) -> int:
    for row in wb["meta"].iter_rows(min_row=1):
        if row[0].value == key:
            return row[0].row
    raise AssertionError(key)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_round_trip(tiny, sample, lang):
    raw = assessment_to_excel(sample, tiny.model, lang)
    assert assessment_from_excel(raw, tiny.model) == sample
    assert assessment_from_excel(raw) == sample  # without a model too


def test_layout_is_one_row_per_indicator_with_machine_keys(tiny, sample):
    wb = load_workbook(io.BytesIO(assessment_to_excel(sample, tiny.model, "en")))
    answers = wb["answers"]
    rows = list(answers.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert [r[0] for r in rows[1:]] == [i.id for i in tiny.model.indicators]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["leading.party"][1:] == ("Leading power", "How does the Party committee review union work?", 3,
                                          "Every quarter", "每季度党委会听取工会汇报")
    assert by_id["organising.membership"][3:5] == ("na", "Not applicable")
    assert by_id["digital.platform"][5] == "=HYPERLINK(\"http://example.com\")"
    assert answers["F5"].data_type == "s"  # user text is never a formula
    meta = dict(wb["meta"].iter_rows(min_row=2, values_only=True))
    assert meta["format"] == "maturity-assessment/1"
    assert (meta["model_id"], meta["model_version"]) == ("tiny-example", "1.0")
    assert (meta["organisation.name"], meta["organisation.members"]) == ("某某公司工会", 320)
    assert (meta["assessed_at"], meta["language"]) == ("2026-11-26", "zh")
    assert (meta["target.leading"], meta["target.digital"], meta["target.organising"]) == (4, 3, None)
    zh = load_workbook(io.BytesIO(assessment_to_excel(sample, tiny.model, "zh")))["answers"]
    assert zh["B2"].value == "引领力" and zh["E2"].value == "每季度听取一次"


def test_a_hand_filled_blank_form_is_read(tiny):
    blank = Assessment("tiny-example", "1.0", {"name": "手填工会"}, "2026-11-26")
    raw = assessment_to_excel(blank, tiny.model, "zh")

    def fill(wb: Workbook) -> None:
        ws = wb["answers"]
        ws["D2"], ws["D3"], ws["D4"], ws["D5"] = " 3 ", "３", "N/A", 2.0
        ws["F2"] = 42
        wb["meta"].cell(row=meta_row(wb, "assessed_at"), column=2).value = dt.datetime(2026, 12, 1)
        wb["meta"].cell(row=meta_row(wb, "target.leading"), column=2).value = "4"
        wb["meta"].append(["organisation.members", 88.0])

    got = assessment_from_excel(edit(raw, fill), tiny.model)
    assert got.answers == {"leading.party": 3, "leading.model-workers": 3, "organising.membership": "na",
                           "digital.platform": 2}
    assert got.notes == {"leading.party": "42"}
    assert got.assessed_at == "2026-12-01"
    assert got.targets == {"leading": 4}
    assert got.organisation == {"name": "手填工会", "members": 88}


def test_not_an_xlsx(tiny):
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    for raw in (b"", b"hello", b"%PDF-1.7 ...", b"\xd0\xcf\x11\xe0 old xls", zipped.getvalue()):
        assert [(k, c) for k, c, _ in errors_of(raw, tiny.model)] == [("", "not_xlsx")]


def _rezip(raw: bytes, name: str, data: bytes) -> bytes:
    """The same .xlsx with one part replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, data if info.filename == name else src.read(info.filename))
    return out.getvalue()


@pytest.mark.parametrize(
    ("part", "data", "code"),
    [
        ("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row r='1'><c r='A1'>", "damaged"),
        ("xl/worksheets/sheet2.xml", b"garbage", "damaged"),
        ("xl/workbook.xml", b"garbage", "damaged"),
        ("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row r='1'><c r='A1' t='n'><v>x</v></c></row>", "damaged"),
    ],
)
def test_a_damaged_workbook_gets_a_message_not_an_exception(tiny, sample, part, data, code):
    raw = _rezip(assessment_to_excel(sample, tiny.model, "zh"), part, data)
    assert [(k, c) for k, c, _ in errors_of(raw, tiny.model)] == [("", code)]


def test_files_over_5_mb_are_refused(tiny):
    assert errors_of(b"x" * (MAX_BYTES + 1), tiny.model)[0][:2] == ("", "too_big")


def test_a_zip_bomb_is_refused(tiny):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    assert len(bomb.getvalue()) < MAX_BYTES
    assert errors_of(bomb.getvalue(), tiny.model)[0][:2] == ("", "unpacked_too_big")


def _set(cell: str, value: Any, sheet: str = "answers") -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        wb[sheet][cell] = value
    return change


def _set_meta(key: str, value: Any) -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        wb["meta"].cell(row=meta_row(wb, key), column=2).value = value
    return change


def _delete_column(wb: Workbook) -> None:
    wb["answers"].delete_cols(4)


def _delete_meta(wb: Workbook) -> None:
    del wb["meta"]


# Row 2 is leading.party (allow_na: false); row 3 leading.model-workers.
@pytest.mark.parametrize(
    ("change", "key", "code", "fragment"),
    [
        (_delete_column, "answers", "excel_columns", "indicator_id, level"),
        (_delete_meta, "meta", "missing_sheet", "'meta' is missing"),
        (_set("A3", "leading.nope"), "answers!A3", "unknown_indicator", "no indicator with this id"),
        (_set("D2", 9), "answers!D2", "off_scale", "outside the scale (1–4)"),
        (_set("D2", "三"), "answers!D2", "bad_level", "'三' is not a level"),
        (_set("D3", True), "answers!D3", "bad_level", "is not a level"),
        (_set("D2", "na"), "answers!D2", "na_not_allowed", "cannot be answered N/A"),
        (_set("A3", "leading.party"), "answers!A3", "duplicate_id", "appears twice (first in row 2)"),
        (_set("A3", None), "answers!A3", "missing_id", "without an indicator id"),
        (_set_meta("target.leading", "高"), "meta!B", "bad_level", "'高' is not a level"),
        (_set_meta("target.leading", 5), "meta!B", "off_scale", "outside the scale"),
        (_set_meta("organisation.members", "很多"), "meta!B", "not_int", "whole number"),
        (_set_meta("model_id", "other-model"), "meta!B", "wrong_model", "is for model 'other-model'"),
        (_set_meta("model_version", None), "meta!B", "missing_meta", "'model_version' is missing"),
        (_set_meta("assessed_at", "26/11/2026"), "meta!B", "bad_date", "not a date"),
        (_set_meta("format", "maturity-assessment/0"), "meta!B", "bad_format", "not supported"),
        (_set("A30", "colour", "meta"), "meta!A30", "unknown_meta_key", "unknown key 'colour'"),
    ],
)
def test_bad_sheets_name_the_cell(tiny, sample, change, key, code, fragment):
    raw = edit(assessment_to_excel(sample, tiny.model, "zh"), change)
    found = errors_of(raw, tiny.model)
    assert any(k.startswith(key) and c == code and fragment in m for k, c, m in found), found


def test_every_bad_cell_is_reported_at_once(tiny, sample):
    def change(wb: Workbook) -> None:
        wb["answers"]["D2"], wb["answers"]["D3"], wb["answers"]["A5"] = "三", 9, "nope"

    found = {(k, c) for k, c, _ in errors_of(edit(assessment_to_excel(sample, tiny.model, "zh"), change), tiny.model)}
    assert {("answers!D2", "bad_level"), ("answers!D3", "off_scale"), ("answers!A5", "unknown_indicator")} <= found


def test_messages_in_chinese_name_the_cell(tiny, sample):
    raw = edit(assessment_to_excel(sample, tiny.model, "zh"), _set("D2", "三"))
    with pytest.raises(AssessmentInvalid) as info:
        assessment_from_excel(raw, tiny.model)
    assert info.value.errors[0].message("zh").startswith("answers!D2: “三”不是等级")


@pytest.mark.parametrize(
    ("cell", "formula", "sheet"),
    [("D2", "=1+2", "answers"), ("F3", '=HYPERLINK("http://x/?"&A1,"open")', "answers"), ("B2", "=A1", "meta")],
)
def test_formula_cells_are_reported_not_dropped(tiny, sample, cell, formula, sheet):
    found = errors_of(edit(assessment_to_excel(sample, tiny.model, "zh"), _set(cell, formula, sheet)), tiny.model)
    assert (f"{sheet}!{cell}", "formula") in {(k, c) for k, c, _ in found}, found


def test_a_formula_is_named_in_chinese(tiny, sample):
    raw = edit(assessment_to_excel(sample, tiny.model, "zh"), _set("D2", "=SUM(1,2)"))
    with pytest.raises(AssessmentInvalid) as info:
        assessment_from_excel(raw, tiny.model)
    assert info.value.errors[0].message("zh") == ("answers!D2: 此单元格是公式（=SUM(1,2)），本工具不计算公式："
                                                  "请填入数值或文字")


def test_text_that_looks_like_a_formula_stays_text(tiny, sample):
    back = assessment_from_excel(assessment_to_excel(sample, tiny.model, "zh"), tiny.model)
    assert back.notes["digital.platform"] == "=HYPERLINK(\"http://example.com\")"


def test_over_long_values_name_their_cell_and_the_question(tiny, sample):
    from maturity.assessment import MAX_NOTE, describe

    def change(wb: Workbook) -> None:
        wb["answers"]["F2"] = "长" * (MAX_NOTE + 1)
        wb["meta"].cell(row=meta_row(wb, "organisation.name"), column=2).value = "名" * 600

    with pytest.raises(AssessmentInvalid) as info:
        assessment_from_excel(edit(assessment_to_excel(sample, tiny.model, "zh"), change), tiny.model)
    shown = sorted(describe(e, tiny.model, "zh") for e in info.value.errors)
    assert shown[0].startswith("1.1 党组织如何听取工会工作汇报？（备注）（answers!F2）：共 2001 个字符，超过上限 2000 个字符")
    assert shown[1].startswith("工会名称（meta!B")
    assert all(e.code == "too_long" for e in info.value.errors)


def test_a_zip_version_python_cannot_read_is_a_message(tiny, sample):
    # found by the fuzz test: zipfile raises NotImplementedError for "version needed to extract" 6.4
    raw = bytearray(assessment_to_excel(sample, tiny.model, "zh"))
    central = raw.index(b"PK\x01\x02")
    raw[central + 6] = 64
    with pytest.raises(AssessmentInvalid) as info:
        assessment_from_excel(bytes(raw), tiny.model)
    assert info.value.errors[0].code in ("not_xlsx", "damaged")
