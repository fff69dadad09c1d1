"""The roadmap page shows the core's roadmap of the open assessment, filtered, with exports."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from maturity import tables
from maturity.advice import roadmap
from maturity.scoring import NA, score
from maturity.store import Store
from pages._ui import escape_md
from tests import helpers
from tests.helpers import HOSTILE

ANSWERS = {"leading.party": 1, "leading.model-workers": 2, "organising.membership": NA, "digital.platform": 1}


def open_page(root, token: str | None, lang: str = "zh") -> AppTest:
    return helpers.open_page(root, "roadmap", lang, token)


def new_assessment(store: Store, tiny, answers=ANSWERS, targets=None, name="某某公司工会"):
    record = store.create_assessment(tiny, {"name": name}, assessed_at="2026-03-01")
    if answers:
        store.save_answers(record.token, answers)
    if targets:
        store.set_targets(record.token, targets)
    return record


@pytest.mark.parametrize(("lang", "title", "quick"), [("zh", "改进路线图", "近期（0–3 个月）"),
                                                      ("en", "Improvement roadmap", "Near term (0–3 months)")])
def test_renders_in_both_languages(root, store, tiny, lang, title, quick):
    at = open_page(root, new_assessment(store, tiny).token, lang)
    assert not at.exception
    assert at.title[0].value == title
    assert at.tabs[0].label.startswith(quick)
    assert len(at.get("download_button")) == 2


def test_items_equal_the_core_roadmap(root, store, tiny):
    record = new_assessment(store, tiny, targets={"digital": 4})
    at = open_page(root, record.token)
    plan = roadmap(tiny.model, score(tiny.model, ANSWERS, {"digital": 4}))
    expected = [i.action.title["zh"] for i in plan.items]
    assert len(expected) == 4
    table = at.dataframe[0].value
    assert list(table["工作事项"]) == expected
    assert list(table["等级提升"]) == [
        f"{tiny.model.levels[i.from_level].name['zh']} → {tiny.model.levels[i.from_level + 1].name['zh']}"
        for i in plan.items
    ]
    cards = [m.value for m in at.markdown if m.value.startswith("**")]
    assert cards == [f"**{escape_md(t)}**" for t in expected]


def test_filters_by_tag_and_criterion(root, store, tiny):
    at = open_page(root, new_assessment(store, tiny).token)
    at.multiselect(key="rm_tags").set_value(["comms-system"]).run()
    assert list(at.dataframe[0].value["工作事项"]) == ["打造劳模工匠宣传品牌"]
    at.multiselect(key="rm_tags").set_value([]).run()
    at.multiselect(key="rm_criteria").set_value(["digital"]).run()
    assert list(at.dataframe[0].value["工作事项"]) == ["开通工会公众号"]
    at.multiselect(key="rm_tags").set_value(["comms-system"]).run()
    assert at.dataframe[0].value.empty
    assert "没有符合筛选条件" in at.warning[0].value
    assert not at.exception


def test_nothing_answered_gets_a_friendly_message(root, store, tiny):
    at = open_page(root, new_assessment(store, tiny, answers={}).token, "en")
    assert not at.exception
    assert "fill in the questionnaire" in at.info[0].value
    assert not at.get("download_button")


def test_no_gaps_gets_a_friendly_message(root, store, tiny):
    top = {i.id: 4 for i in tiny.model.indicators}
    at = open_page(root, new_assessment(store, tiny, answers=top).token)
    assert not at.exception
    assert "没有需要补齐的差距" in at.success[0].value


def test_without_an_open_assessment_points_to_start(root, store):
    at = open_page(root, None)
    assert not at.exception
    assert at.info and not at.dataframe


def test_hostile_union_name_is_shown_literally(root, store, tiny):
    at = open_page(root, new_assessment(store, tiny, name=HOSTILE).token)
    assert not at.exception
    assert f"#### {escape_md(HOSTILE)}" in [m.value for m in at.markdown]
    assert not any("<script>" in m.value for m in at.markdown)


def test_export_builders_match_the_table(root, store, tiny):
    """Download bytes cannot be read through AppTest; the page hands the shown frame to these builders."""
    at = open_page(root, new_assessment(store, tiny).token)
    frame = at.dataframe[0].value
    raw = tables.csv_bytes(frame)
    assert raw.startswith(b"\xef\xbb\xbf") and "建立党委定期听取工会汇报制度".encode() in raw
    name = tables.export_filename("某某公司工会", "改进路线图", "2026-03-01", "csv")
    assert name == "某某公司工会-改进路线图-2026-03-01.csv"
