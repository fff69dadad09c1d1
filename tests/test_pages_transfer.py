"""The import/export page: exports of the open assessment; imports that are all or nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from maturity import schema as S
from maturity.assessment import Assessment
from maturity.spreadsheet import assessment_to_excel
from maturity.store import Store
from tests import helpers
from tests.helpers import HOSTILE

JSON_MIME = "application/json"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def good_file(root) -> dict:
    """The documented tiny assessment file, decoded."""
    return json.loads((root / "tests/frameworks/tiny-assessment.json").read_text(encoding="utf-8"))


def open_page(root, token: str | None = None, lang: str = "zh") -> AppTest:
    return helpers.open_page(root, "transfer", lang, token)


def upload(at: AppTest, name: str, raw: bytes, mime: str = JSON_MIME) -> AppTest:
    return at.file_uploader[0].set_value((name, raw, mime)).run()


def counts(store: Store) -> tuple[int, int, int, int]:
    """Rows of assessments, answers, notes and targets."""
    with store.engine.connect() as conn:
        return tuple(conn.scalar(select(func.count()).select_from(t))
                     for t in (S.assessments, S.answers, S.notes, S.targets))  # type: ignore[return-value]


def existing(store: Store, tiny, name: str = "原工会"):
    record = store.create_assessment(tiny, {"name": name}, assessed_at="2025-01-01")
    store.save_answers(record.token, {"leading.party": 1, "digital.platform": 2}, {"leading.party": "旧备注"})
    return record


@pytest.mark.parametrize(("lang", "title"), [("zh", "导入导出"), ("en", "Import and export")])
def test_renders_in_both_languages(root, store, tiny, lang, title):
    at = open_page(root, existing(store, tiny).token, lang)
    assert not at.exception
    assert at.title[0].value == title
    assert len(at.get("download_button")) == 3  # JSON, Excel and the bundle with its evidence


def test_renders_without_an_open_assessment(root, store):
    at = open_page(root)
    assert not at.exception
    assert "还没有打开的自评" in at.info[0].value
    assert not at.get("download_button") and at.file_uploader


def test_bad_json_lists_every_error_and_changes_nothing(root, store, tiny, good_file):
    record = existing(store, tiny)
    before = counts(store)
    good_file["answers"] = {"no.such.indicator": 2, "leading.party": 9, "digital.platform": 1}
    at = upload(open_page(root, record.token), "坏文件.json", json.dumps(good_file, ensure_ascii=False).encode())
    assert not at.exception
    assert "2 处问题" in at.error[0].value
    shown = at.code[0].value
    # the chair's words: the question's number and text, not the internal id
    assert "题目 id“no.such.indicator”：模型中没有这个指标 id" in shown
    assert "1.1 党组织如何听取工会工作汇报？：等级 9 超出量表范围（1–4）" in shown
    assert "answers." not in shown
    assert not at.button  # nothing to confirm
    assert counts(store) == before
    assert store.get_assessment(record.token).answers == {"leading.party": 1, "digital.platform": 2}


def test_unknown_model_and_broken_json(root, store, tiny, good_file):
    before = counts(store)
    good_file["model"] = {"id": "no-such-model", "version": "1"}
    at = upload(open_page(root, lang="en"), "x.json", json.dumps(good_file).encode())
    assert at.code[0].value == "Model id: no model with id 'no-such-model' was found"
    at = upload(at, "x.json", b"{not json")
    assert "JSON" in at.code[0].value
    assert not at.exception and counts(store) == before


def test_good_import_creates_an_assessment_with_the_files_answers(root, store, tiny, good_file):
    at = upload(open_page(root), "好文件.json", json.dumps(good_file, ensure_ascii=False).encode())
    assert not at.exception
    assert "检查通过" in at.success[0].value
    at.button(key="transfer_go_new").click().run()
    assert not at.exception
    assert "已导入为新的自评" in at.success[0].value
    token = at.session_state["token"]
    record = store.get_assessment(token)
    assert record.answers == good_file["answers"]
    assert record.notes == good_file["notes"] and record.targets == good_file["targets"]
    assert record.organisation == good_file["organisation"]
    assert not at.file_uploader[0].value  # a fresh uploader: no second import by accident
    assert len(at.get("download_button")) == 3  # the new one is open and can be exported


def test_replace_needs_confirmation_and_replaces_everything(root, store, tiny, good_file):
    record = existing(store, tiny)
    before = counts(store)
    at = upload(open_page(root, record.token), "x.json", json.dumps(good_file, ensure_ascii=False).encode())
    at.radio(key="transfer_mode").set_value("replace").run()
    assert at.button(key="transfer_go_replace").disabled
    at.checkbox(key="transfer_confirm").check().run()
    at.button(key="transfer_go_replace").click().run()
    assert not at.exception
    assert "已用文件内容覆盖" in at.success[0].value
    after = store.get_assessment(record.token)
    assert after.answers == good_file["answers"] and after.notes == good_file["notes"]
    assert after.organisation["name"] == "某某公司工会" and after.assessed_at == "2026-11-26"
    assert counts(store)[0] == before[0]  # no new assessment


def test_excel_round_trip(root, store, tiny):
    a = Assessment("tiny-example", "1.0", {"name": "表格工会"}, "2026-02-02", "zh",
                   {"leading.party": 4, "digital.platform": "na"}, {"digital.platform": "在建"}, {})
    at = upload(open_page(root), "表格.xlsx", assessment_to_excel(a, tiny.model, "zh"), XLSX_MIME)
    at.button(key="transfer_go_new").click().run()
    record = store.get_assessment(at.session_state["token"])
    assert record.answers == a.answers and record.notes == a.notes


def test_hostile_union_name_is_shown_literally(root, store, tiny, good_file):
    at = open_page(root, existing(store, tiny, HOSTILE).token)
    assert "<script>" not in " ".join(m.value for m in at.markdown)
    good_file["organisation"]["name"] = HOSTILE
    at = upload(at, "x.json", json.dumps(good_file, ensure_ascii=False).encode())
    assert HOSTILE in [t.value for t in at.text]
    assert not at.exception


def _formula_sheet(tiny) -> bytes:
    import io

    from openpyxl import load_workbook

    a = Assessment("tiny-example", "1.0", {"name": "表格工会"}, "2026-02-02", "zh", {"leading.party": 4}, {}, {})
    wb = load_workbook(io.BytesIO(assessment_to_excel(a, tiny.model, "zh")))
    wb["answers"]["D2"] = "=2+1"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


HOSTILE_IMPORTS = {
    "3,000 deep": (lambda f, tiny: b'{"a": ' + b"[" * 3000 + b"]" * 3000 + b"}", JSON_MIME,
                   "第 1 行第 70 列：嵌套层数超过 64 层"),
    "5,000 digits": (lambda f, tiny: json.dumps({**f, "organisation": {"name": "工会", "members": 0}}).replace(
        '"members": 0', '"members": ' + "9" * 5000).encode(), JSON_MIME, "的数字超过 64 位"),
    "duplicate key": (lambda f, tiny: json.dumps(f, ensure_ascii=False).replace(
        '"answers": {', '"answers": {"leading.party": 1, ', 1).encode(), JSON_MIME, "键“leading.party”在同一个对象中出现了两次"),
    "600,000-character name": (lambda f, tiny: json.dumps({**f, "organisation": {"name": "长" * 600_000}},
                                                          ensure_ascii=False).encode(), JSON_MIME,
                               "工会名称：共 600000 个字符，超过上限 120 个字符"),
    "long note": (lambda f, tiny: json.dumps({**f, "notes": {"leading.party": "记" * 2001}}, ensure_ascii=False)
                  .encode(), JSON_MIME, "1.1 党组织如何听取工会工作汇报？（备注）：共 2001 个字符，超过上限 2000 个字符"),
    "formula cell": (lambda f, tiny: _formula_sheet(tiny), XLSX_MIME,
                     "1.1 党组织如何听取工会工作汇报？（answers!D2）：此单元格是公式（=2+1）"),
}


@pytest.mark.parametrize(("make", "mime", "shown"), list(HOSTILE_IMPORTS.values()), ids=list(HOSTILE_IMPORTS))
def test_hostile_imports_get_a_located_message_and_change_nothing(root, store, tiny, good_file, make, mime, shown):
    before = counts(store)
    name = "x.xlsx" if mime == XLSX_MIME else "x.json"
    at = upload(open_page(root), name, make(good_file, tiny), mime)
    assert not at.exception
    assert "处问题" in at.error[0].value
    assert shown in at.code[0].value, at.code[0].value
    assert not at.button and counts(store) == before


def test_errors_read_as_questions_in_english_too(root, store, tiny, good_file):
    good_file["answers"]["leading.party"] = 9
    at = upload(open_page(root, lang="en"), "x.json", json.dumps(good_file).encode())
    assert at.code[0].value == ("1.1 How does the Party committee review union work?: "
                                "level 9 is outside the scale (1–4)")
