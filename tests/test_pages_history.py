"""The history page lists assessments (behind the admin key in shared mode) and compares two of them."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from maturity.scoring import NA, score
from maturity.store import Store
from tests import helpers
from tests.helpers import HOSTILE

ADMIN_KEY = "k3y-Only-For-Tests-7fa9c2"
OLD = {"leading.party": 1, "leading.model-workers": 2, "organising.membership": 2, "digital.platform": 3}
NEW = {"leading.party": 3, "leading.model-workers": 2, "organising.membership": NA, "digital.platform": 4}


def add(store: Store, loaded, name: str, date: str, answers: dict):
    record = store.create_assessment(loaded, {"name": name}, assessed_at=date)
    store.save_answers(record.token, answers)
    return record


def open_page(root, lang: str = "zh") -> AppTest:
    return helpers.open_page(root, "history", lang)


def everything_shown(at: AppTest) -> str:
    """Every element's content (protobuf text and table values) on the page, for leak checks."""
    out: list[str] = []

    def walk(node) -> None:
        if getattr(node, "proto", None) is not None:
            out.append(str(node.proto))
        if getattr(node, "type", "") == "dataframe":
            out.append(node.value.to_string())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


@pytest.mark.parametrize(("lang", "title"), [("zh", "历史记录与对比"), ("en", "History and comparison")])
def test_renders_in_both_languages(root, store, tiny, lang, title):
    add(store, tiny, "甲工会", "2025-01-10", OLD)
    add(store, tiny, "甲工会", "2025-09-10", NEW)
    at = open_page(root, lang)
    assert not at.exception
    assert at.title[0].value == title
    assert len(at.dataframe[0].value) == 2
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")  # line chart and radar


def test_empty_database(root, store):
    at = open_page(root)
    assert not at.exception
    assert "还没有保存的自评记录" in at.info[0].value


def test_compare_table_deltas_equal_the_core(root, store, tiny):
    add(store, tiny, "甲工会", "2025-01-10", OLD)
    add(store, tiny, "甲工会", "2025-09-10", NEW)
    at = open_page(root)
    m = tiny.model
    old, new = score(m, OLD), score(m, NEW)
    table = at.dataframe[1].value.set_index("准则")
    for crit in m.criteria:
        row = table.loc[crit.name["zh"]]
        o, n = old.criteria[crit.id].score, new.criteria[crit.id].score
        assert row["原指数"] == ("—" if o.index is None else f"{o.index:.1f}")
        assert row["现指数"] == ("—" if n.index is None else f"{n.index:.1f}")
        if o.index is None or n.index is None:
            assert row["指数变化"] == "—"
        else:
            d, dl = round(n.index - o.index, 1), round(n.level - o.level, 1)
            assert row["指数变化"] == (f"↑ +{d:.1f}" if d > 0 else f"↓ −{-d:.1f}" if d < 0 else "= 0.0")
            assert row["等级变化"] == (f"↑ +{dl:.1f}" if dl > 0 else f"↓ −{-dl:.1f}" if dl < 0 else "= 0.0")
    assert table.loc["引领力", "指数变化"].startswith("↑")
    assert table.loc["组织力", "指数变化"] == "—"  # N/A now: undefined, no delta
    answers = at.dataframe[2].value.set_index("题目")
    assert list(answers.loc["党组织如何听取工会工作汇报？", ["原答案", "现答案", "变化"]]) == ["1 起步", "3 体系", "↑"]
    assert answers.loc["入会率是多少？", "现答案"] == "不适用"
    at.toggle(key="history_changed_only").set_value(True).run()
    assert len(at.dataframe[2].value) == 3
    delta = next(m for m in at.metric if m.label == "综合指数")
    assert delta.value == f"{new.overall.index:.1f}"


def test_line_chart_and_filter(root, store, tiny):
    add(store, tiny, "甲工会", "2025-01-10", OLD)
    add(store, tiny, "甲工会", "2025-09-10", NEW)
    add(store, tiny, "乙工会", "2025-05-10", OLD)
    at = open_page(root)
    assert any(s.value == "综合指数变化" for s in at.subheader)
    at.text_input(key="history_filter").input("乙").run()
    assert list(at.dataframe[0].value["工会名称"]) == ["乙工会"]
    assert "至少要有两份记录" in at.info[0].value
    at.text_input(key="history_filter").input("丙").run()
    assert "没有名称相符" in at.warning[0].value
    assert not at.exception


def test_different_models_are_named_and_matched_by_id(root, store, tiny, model_factory):
    other = model_factory([1, 2, 3, 4], {"leading": [("leading.party", 1), ("leading.other", 1)]})
    add(store, other, "甲工会", "2025-01-10", {"leading.party": 2, "leading.other": 2})
    add(store, tiny, "甲工会", "2025-09-10", NEW)
    at = open_page(root)
    assert not at.exception
    assert "不是同一个模型" in at.warning[0].value
    assert list(at.dataframe[1].value["准则"]) == ["引领力"]
    assert list(at.dataframe[2].value["题目"]) == ["党组织如何听取工会工作汇报？"]


def test_open_sets_the_open_assessment(root, store, tiny):
    add(store, tiny, "甲工会", "2025-01-10", OLD)
    newest = add(store, tiny, "甲工会", "2025-09-10", NEW)
    at = open_page(root)
    at.button(key="history_open_go").click().run()
    assert at.session_state["token"] == newest.token
    assert at.query_params["a"] == newest.token


def test_hostile_union_name_is_shown_literally(root, store, tiny):
    add(store, tiny, HOSTILE, "2025-01-10", OLD)
    at = open_page(root)
    assert not at.exception
    assert list(at.dataframe[0].value["工会名称"]) == [HOSTILE]
    assert not any("<script>" in m.value for m in at.markdown)


def test_shared_mode_needs_the_admin_key(root, store, tiny, monkeypatch):
    monkeypatch.setenv("MATURITY_MODE", "shared")
    monkeypatch.setenv("MATURITY_ADMIN_KEY", ADMIN_KEY)
    add(store, tiny, "甲工会", "2025-01-10", OLD)
    at = open_page(root)
    assert not at.exception
    assert not at.dataframe and "甲工会" not in everything_shown(at)
    assert ADMIN_KEY not in everything_shown(at)

    at.text_input(key="history_key").input("wrong-key")  # a form: typed and submitted in one run
    at.form_submit_button[0].click().run()
    assert not at.dataframe and "密钥不正确" in at.error[0].value
    assert "wrong-key" not in everything_shown(at)

    at.text_input(key="history_key").input(ADMIN_KEY)
    at.form_submit_button[0].click().run()
    assert not at.exception
    assert list(at.dataframe[0].value["工会名称"]) == ["甲工会"]
    assert ADMIN_KEY not in everything_shown(at)
    assert at.session_state["history_key"] == ""

    at.button[0].click().run()  # leave the admin view
    assert not at.dataframe


def test_shared_mode_without_a_configured_key_stays_closed(root, store, tiny, monkeypatch):
    monkeypatch.setenv("MATURITY_MODE", "shared")
    add(store, tiny, "甲工会", "2025-01-10", OLD)
    at = open_page(root, "en")
    at.text_input(key="history_key").input("anything")
    at.form_submit_button[0].click().run()
    assert not at.exception and not at.dataframe
