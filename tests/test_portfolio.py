"""The portfolio of a round (issue 13): every table computed from known answers, 自评 and 复评, trend, subtree."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from maturity import portfolio as P
from maturity.loader import load_model
from maturity.round_types import UnitSpec
from maturity.rounds import RoundService
from maturity.store import Store
from tests.conftest import TEST_FRAMEWORKS

UNITS = [UnitSpec("集团工会"), UnitSpec("甲分公司工会", "集团工会"), UnitSpec("甲一车间分会", "甲分公司工会"),
         UnitSpec("乙分公司工会", "集团工会")]


@pytest.fixture
def rounds(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'p.db'}")
    store.create_schema()
    yield RoundService(store)
    store.dispose()


def _all(tiny, level):
    return {i.id: level for i in tiny.model.indicators}


def test_tables_from_known_answers(rounds, tiny):
    rnd, key = rounds.create(tiny, "批次", UNITS)
    _, a, a1, b = rounds.units(rnd.code, key)
    rounds.store.save_answers(a.token, _all(tiny, 4))
    rounds.store.save_answers(a1.token, _all(tiny, 2))
    rounds.store.save_answers(b.token, {"leading.party": 1})  # part-way
    p = P.build(rounds.data(rnd.code, key))
    assert [s.unit.name for s in p.answered] == ["甲分公司工会", "甲一车间分会", "乙分公司工会"]
    heat = P.heatmap_frame(p, "zh")
    assert list(heat["单位"]) == ["甲分公司工会", "甲一车间分会", "乙分公司工会"]
    assert list(heat["引领力"]) == [4.0, 2.0, 1.0] and heat["综合指数"].iloc[0] == 100.0
    rank = P.ranking_frame(p, "zh")
    assert list(rank["单位"]) == ["甲分公司工会", "甲一车间分会", "乙分公司工会"] and list(rank["名次"]) == [1, 2, 3]
    assert rank["阶段"].iloc[0].startswith("★★★★")
    by_org = P.ranking_frame(p, "zh", by="organising")
    assert list(by_org["单位"])[:2] == ["甲分公司工会", "甲一车间分会"]
    stages = P.stage_frame(p, "zh")
    # levels 1–4, then "no stage": 乙 stands at 1 (its one answered criterion), 集团 has not answered
    assert list(stages["单位数"]) == [1, 1, 0, 1, 1]
    weakest = P.weakest_frame(p, "zh")
    assert weakest["未达目标单位数"].sum() > 0 and len(weakest) == len(tiny.model.criteria)
    roll = P.rollup_frame(p, "zh")
    row = roll[roll["上级单位"] == "甲分公司工会"].iloc[0]
    assert row["单位数"] == 1 and row["引领力"] == 2.0
    top = roll[roll["上级单位"] == "集团工会"].iloc[0]
    assert top["单位数"] == 3 and top["引领力"] == pytest.approx((4 + 2 + 1) / 3, abs=0.01)
    progress = P.progress_frame([s.unit for s in p.units], "zh")
    assert progress["进度"].iloc[0] == "未开始" and "进行中（1/" in list(progress["进度"])[3]


def test_a_subtree_of_any_depth(rounds, tiny):
    rnd, key = rounds.create(tiny, "批次", UNITS)
    for u in rounds.units(rnd.code, key):
        rounds.store.save_answers(u.token, _all(tiny, 3))
    data = rounds.data(rnd.code, key)
    assert P.parents(data) == ["集团工会", "甲分公司工会"]
    sub = P.build(data, root="甲分公司工会")
    assert [s.unit.name for s in sub.units] == ["甲分公司工会", "甲一车间分会"]


def test_review_and_the_gap_between_self_and_review(rounds, tiny):
    rnd, key = rounds.create(tiny, "批次", UNITS[:2])
    _, a = rounds.units(rnd.code, key)
    rounds.store.save_answers(a.token, _all(tiny, 4))
    rounds.set_reviews(rnd.code, key, a.token, {i.id: (2, "佐证不足") for i in tiny.model.indicators})
    p = P.build(rounds.data(rnd.code, key))
    gap = P.review_gap_frame(p, "zh")
    assert gap["自评指数"].iloc[0] == 100.0 and gap["复评指数"].iloc[0] == pytest.approx(100 / 3, abs=0.1)
    assert gap["自评高出复评"].iloc[0] == pytest.approx(66.7, abs=0.1)
    assert P.heatmap_frame(p, "zh", "reviewed")["引领力"].iloc[0] == 2.0
    assert P.heatmap_frame(p, "zh", "self")["引领力"].iloc[0] == 4.0


def test_trend_between_two_rounds_of_the_same_units(rounds, tiny):
    first, k1 = rounds.create(tiny, "2025", UNITS[1:])
    for u, lv in zip(rounds.units(first.code, k1), (2, 3, 4), strict=True):
        rounds.store.save_answers(u.token, _all(tiny, lv))
    second, k2 = rounds.create(tiny, "2026", UNITS[1:], follows=(first.code, k1))
    for u, lv in zip(rounds.units(second.code, k2), (4, 3, 1), strict=True):
        rounds.store.save_answers(u.token, _all(tiny, lv))
    trend = P.trend_frame(P.build(rounds.data(second.code, k2)), "zh")
    assert list(trend["单位"]) == ["甲分公司工会", "甲一车间分会", "乙分公司工会"]  # most improved first
    assert list(trend["变化"]) == [pytest.approx(66.7, abs=0.1), 0.0, -100.0]


def test_essential_items_unmet_across_units(rounds):
    model = load_model(TEST_FRAMEWORKS / "essential.yaml")
    rnd, key = rounds.create(model, "批次", UNITS[:2])
    _, a = rounds.units(rnd.code, key)
    answers = {i.id: 5 for i in model.model.indicators}
    answers["organising.funds"] = 2
    rounds.store.save_answers(a.token, answers)
    frame = P.essential_frame(P.build(rounds.data(rnd.code, key)), "zh")
    assert len(frame) == 1 and frame["单位"].iloc[0] == "甲分公司工会" and frame["限定等级"].iloc[0] == 2
    assert frame["不计必备项时的等级"].iloc[0] > 2


def test_the_excel_export_holds_every_table_and_no_formula(rounds, tiny):
    rnd, key = rounds.create(tiny, "批次", [UnitSpec("=1+1 工会"), UnitSpec("乙")])
    u, _ = rounds.units(rnd.code, key)
    rounds.store.save_answers(u.token, _all(tiny, 3))
    rounds.set_reviews(rnd.code, key, u.token, {"leading.party": (2, "")})
    wb = load_workbook(io.BytesIO(P.excel_bytes(P.build(rounds.data(rnd.code, key)), "zh", "2026 年度")))
    assert wb.sheetnames == ["进度", "热力图", "排名", "阶段分布", "薄弱准则", "必备项未达标", "按上级单位汇总", "自评与复评"]
    ws = wb["热力图"]
    assert ws["A3"].value == "=1+1 工会" and ws["A3"].data_type == "s"
    assert str(ws["A1"].value).startswith("2026 年度")


def test_a_memo_scores_only_what_changed_and_gives_the_same_portfolio(rounds, tiny, monkeypatch):
    rnd, key = rounds.create(tiny, "批次", UNITS)
    _, a, a1, b = rounds.units(rnd.code, key)
    for unit, level in ((a, 4), (a1, 2), (b, 3)):
        rounds.store.save_answers(unit.token, _all(tiny, level))
    calls: list[int] = []
    real = P.score

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(P, "score", counted)
    memo: P.ScoreMemo = {}
    first = P.build(rounds.data(rnd.code, key), memo=memo)
    assert len(calls) == 3
    rounds.store.save_answers(a1.token, {"leading.party": 1})  # one unit of three changes
    second = P.build(rounds.data(rnd.code, key), memo=memo)
    assert len(calls) == 4  # only that unit scored again
    fresh = P.build(rounds.data(rnd.code, key))
    assert [s.own for s in second.units] == [s.own for s in fresh.units]
    assert [s.own for s in second.units] != [s.own for s in first.units]


def test_the_heatmap_spec_without_walking_its_rows_is_the_same_spec(rounds, tiny):
    from maturity import charts

    chart = charts.portfolio_heatmap(tiny.model, [("甲", [4.0, None, 2.5, 3.0, 1.0, 2.0, 5.0, 3.0][:len(tiny.model.criteria)])],
                                     "zh")
    assert charts.spec_of(chart) == chart.to_dict(validate=False)
    assert chart.datasets  # the chart keeps its rows
