"""The units of a round as Excel (issue 13): the template reads back, a bad sheet lists every cell at fault."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from maturity.round_types import Round, Unit, UnitsInvalid, round_link, unit_link
from maturity.unit_sheet import links_to_excel, template_excel, units_from_excel
from pages._registry import page_url


def _sheet(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_template_reads_back_as_its_example_hierarchy(lang):
    units = units_from_excel(template_excel(lang))
    assert len(units) == 4 and units[0].parent is None and units[1].parent == units[0].name
    assert units[2].parent == units[1].name and units[0].members == 5200


def test_headers_in_any_order_and_language_and_blank_lines_between():
    raw = _sheet([["联系人", "上级单位", "单位名称 *"], [None, None, "集团工会"], [], ["李四", "集团工会", "分公司工会"]])
    units = units_from_excel(raw)
    assert [(u.name, u.parent, u.contact) for u in units] == [("集团工会", None, None), ("分公司工会", "集团工会", "李四")]
    assert units_from_excel(_sheet([["Name", "Members"], ["A union", 12.0]]))[0].members == 12


def test_a_bad_sheet_lists_every_cell_at_fault():
    raw = _sheet([["单位名称", "上级单位", "会员人数"],
                  ["甲工会", "乙工会", "很多"],
                  ["乙工会", "甲工会", 10],
                  [None, "甲工会", 3],
                  ["甲工会", None, -1],
                  ["=HYPERLINK(\"x\")", None, None]])
    with pytest.raises(UnitsInvalid) as err:
        units_from_excel(raw)
    lines = err.value.describe("zh")
    text = "\n".join(lines)
    assert "单元格 C2" in text and "很多" in text  # members not a number
    assert "单元格 A4" in text and "缺少单位名称" in text
    assert "单元格 A5" in text and "重复" in text
    assert "单元格 C5" in text
    assert "循环" in text
    assert all("unit_problem" not in line for line in err.value.describe("en"))
    assert len(lines) == 5


@pytest.mark.parametrize("raw", [b"", b"not a zip", b"PK\x03\x04broken", _sheet([["x", "y"], [1, 2]]),
                                 _sheet([["上级单位"], ["甲"]])])
def test_what_is_no_unit_sheet_is_refused_with_a_message(raw):
    with pytest.raises(UnitsInvalid) as err:
        units_from_excel(raw)
    assert err.value.describe("zh") and all("unit_problem." not in x for x in err.value.describe("zh"))


def test_the_links_sheet_has_each_units_link_and_never_a_formula():
    rnd = Round(1, "abcdefgh1234", "2026 年度自评", "0" * 64, "2026-12-31", "zh", dt.datetime.now(dt.UTC))
    units = [Unit(1, 1, "=cmd|' /C calc'!A0", None, None, "+86 138", 0, "t" * 24, 3, 10),
             Unit(2, 1, "乙工会", "集团", 5, None, 1, "u" * 24, 0, 10)]
    wb = load_workbook(io.BytesIO(links_to_excel(rnd, units, "https://gh.example.cn", "zh")))
    ws = wb.active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == "=cmd|' /C calc'!A0" and ws["A2"].data_type == "s"
    assert rows[1][4] == unit_link("https://gh.example.cn", "t" * 24, "zh") and "进行中（3/10 题）" in rows[1]
    assert rows[2][3] == "未开始"
    assert any("2026-12-31" in str(c) for r in rows for c in r if c)


def test_the_links_go_to_the_pages_the_registry_names():
    assert unit_link("https://x.cn/", "t" * 20, "en") == "https://x.cn" + page_url("questionnaire", a="t" * 20, lang="en")
    assert round_link("https://x.cn", "abcdefgh", "KEY", "zh") == "https://x.cn" + page_url(
        "rounds", r="abcdefgh", k="KEY", lang="zh")
