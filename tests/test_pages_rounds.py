"""The pages of a round (issue 13): create from typed units, progress and links, portfolio, 上级复评; isolation."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from maturity.round_types import UnitSpec
from maturity.rounds import RoundService
from tests.test_pages_history import everything_shown

UNITS = [UnitSpec("集团公司工会"), UnitSpec("第一分公司工会", "集团公司工会", 860, "张三"),
         UnitSpec("一车间分会", "第一分公司工会"), UnitSpec("第二分公司工会", "集团公司工会")]


def open_with(root, page: str, lang: str = "zh", **params: str) -> AppTest:
    at = AppTest.from_file(str(root / "app.py"), default_timeout=90)
    at.query_params["lang"] = lang
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    return at.switch_page(f"pages/{page}.py").run()


def _param(at: AppTest, name: str) -> str:
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def _round(store, tiny, units=UNITS):
    svc = RoundService(store)
    rnd, key = svc.create(store.get_model_snapshot(store.save_model_snapshot(tiny)), "2026 年度品牌工会建设自评", units,
                          deadline="2026-12-31")
    return svc, rnd, key


def test_an_organiser_creates_a_round_from_typed_units(root, store):
    at = open_with(root, "rounds")
    assert not at.exception and at.title[0].value == "测评批次"
    at.text_input(key="round_title").input("2026 年度自评")
    at.text_area(key="round_new_text").input("集团公司工会\n第一分公司工会，集团公司工会，860，张三\n一车间分会,第一分公司工会")
    at.run()
    assert any("已读取 3 个单位" in c.value for c in at.caption)
    [go] = [b for b in at.button if b.label == "创建批次并生成链接"]
    at = go.click().run()
    assert not at.exception, at.exception
    code, key = _param(at, "r"), _param(at, "k")
    units = RoundService(store).units(code, key)
    assert [u.name for u in units] == ["集团公司工会", "第一分公司工会", "一车间分会"]
    assert units[1].parent == "集团公司工会" and units[1].members == 860
    shown = everything_shown(at)
    assert all(u.token in shown for u in units)  # the links to send out
    assert any("已创建" in s.value for s in at.success)


def test_a_bad_typed_list_lists_every_problem_and_creates_nothing(root, store):
    at = open_with(root, "rounds")
    at.text_input(key="round_title").input("批次")
    at.text_area(key="round_new_text").input("甲,乙\n乙,甲\n甲\n丙,,很多")
    at.run()
    assert not at.exception
    assert any("3 处问题" in e.value for e in at.error)
    text = everything_shown(at)
    assert "第 3 行" in text and "循环" in text and "很多" in text
    [go] = [b for b in at.button if b.label == "创建批次并生成链接"]
    assert go.disabled
    with store.db.read() as conn:
        from sqlalchemy import text as sql

        assert conn.scalar(sql("SELECT count(*) FROM rounds")) == 0


def test_progress_and_the_list_of_links_of_the_units_not_done(root, store, tiny):
    svc, rnd, key = _round(store, tiny)
    units = svc.units(rnd.code, key)
    store.save_answers(units[0].token, {i.id: 3 for i in tiny.model.indicators})
    store.save_answers(units[1].token, {"leading.party": 2})
    at = open_with(root, "rounds", r=rnd.code, k=key)
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"单位总数": "4", "未开始": "2", "进行中": "1", "已完成": "1"}
    chase = [c.value for c in at.code if "请以下单位" in c.value]
    assert len(chase) == 1 and units[0].token not in chase[0]
    assert all(u.token in chase[0] for u in units[1:]) and "2026-12-31" in chase[0]
    assert at.get("imgs") or at.get("image")  # a unit's QR code


def test_a_wrong_round_key_shows_nothing_of_the_round(root, store, tiny):
    _, rnd, key = _round(store, tiny)
    for page in ("rounds", "portfolio", "review"):
        at = open_with(root, page, r=rnd.code, k=key[:-2] + "xx")
        assert not at.exception
        assert any("批次密钥不正确" in e.value for e in at.error)
        shown = everything_shown(at)
        assert "集团公司工会" not in shown and rnd.title not in shown


def test_the_portfolio_page_shows_every_tab_and_downloads(root, store, tiny):
    svc, rnd, key = _round(store, tiny)
    for u, lv in zip(svc.units(rnd.code, key), (4, 3, 2, 1), strict=True):
        store.save_answers(u.token, {i.id: lv for i in tiny.model.indicators})
    at = open_with(root, "portfolio", r=rnd.code, k=key)
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["已作答单位"] == "4"
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")  # the heatmap, the default view
    heat = at.dataframe[0].value
    assert list(heat["单位"]) == [u.name for u in UNITS] and list(heat["引领力"]) == [4.0, 3.0, 2.0, 1.0]
    for view in ("ranking", "stages", "invest", "rollup", "trend", "review", "unit"):
        at.segmented_control(key="port_view").set_value(view).run()
        assert not at.exception, (view, at.exception)
        if view == "ranking":
            ranked = at.dataframe[0].value
            assert list(ranked.columns)[:2] == ["名次", "单位"] and ranked["单位"].iloc[0] == "集团公司工会"
    at.segmented_control(key="port_view").set_value("heatmap").run()
    at.selectbox(key="port_root").set_value("第一分公司工会").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["单位数"] == "2"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_review_saves_a_level_and_reason_and_the_unit_keeps_its_answer(root, store, tiny, lang):
    svc, rnd, key = _round(store, tiny)
    unit = svc.units(rnd.code, key)[1]
    store.save_answers(unit.token, {i.id: 4 for i in tiny.model.indicators}, {"leading.party": "每季度汇报"})
    at = open_with(root, "review", lang, r=rnd.code, k=key)
    assert not at.exception, at.exception
    assert "每季度汇报" in everything_shown(at)
    at.selectbox(key=f"rv_{unit.id}_leading.party").set_value(2)
    at.text_input(key=f"rr_{unit.id}_leading.party").input("<b>纪要</b>只见到一次")
    [save] = [b for b in at.button if b.label in ("保存本准则的复评", "Save the reviews of this criterion")]
    at = save.click().run()
    assert not at.exception, at.exception
    got = svc.reviews_of(unit.token)
    assert got["leading.party"].level == 2 and got["leading.party"].reason == "<b>纪要</b>只见到一次"
    assert store.get_assessment(unit.token).answers["leading.party"] == 4
    results = open_with(root, "results", lang, a=unit.token)
    assert not results.exception, results.exception
    shown = everything_shown(results)
    assert "纪要" in shown and ("上级复评结果" in shown or "Review by the higher-level union" in shown)


def test_shared_mode_a_unit_sees_only_its_own_and_another_organiser_nothing(root, store, tiny, monkeypatch):
    monkeypatch.setenv("MATURITY_MODE", "shared")
    monkeypatch.setenv("MATURITY_ADMIN_KEY", "admin-key-for-tests-1234")
    svc, rnd, key = _round(store, tiny)
    a, b = svc.units(rnd.code, key)[1:3]
    store.save_answers(a.token, {"leading.party": 3}, {"leading.party": "甲的备注"})
    store.save_answers(b.token, {"leading.party": 1}, {"leading.party": "乙的秘密备注"})
    _, other, other_key = _round(store, tiny, [UnitSpec("别的区工会")])
    # nobody: the listing pages are locked, the round pages ask for a round
    for page in ("history", "rounds", "portfolio", "review"):
        at = open_with(root, page)
        shown = everything_shown(at)
        assert not at.exception and "乙的秘密备注" not in shown and b.token not in shown and "一车间分会" not in shown
    # unit A: its own pages show its own, never B's nor the round's
    for page in ("questionnaire", "results", "roadmap", "history", "rounds", "portfolio"):
        at = open_with(root, page, a=a.token)
        shown = everything_shown(at)
        assert not at.exception, (page, at.exception)
        assert "乙的秘密备注" not in shown and b.token not in shown and key not in shown
    # the organiser of another round: its own round only
    for page in ("rounds", "portfolio", "review"):
        at = open_with(root, page, r=other.code, k=other_key)
        shown = everything_shown(at)
        assert not at.exception and (page != "rounds" or "别的区工会" in shown)
        assert "一车间分会" not in shown and a.token not in shown and "乙的秘密备注" not in shown
        mixed = open_with(root, page, r=rnd.code, k=other_key)  # its key on our round
        assert any("批次密钥不正确" in e.value for e in mixed.error)
