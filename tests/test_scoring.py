"""Scoring formulas of DESIGN §4, checked against hand-computed tables."""

from __future__ import annotations

import pytest

from maturity.scoring import achieved_level, indicator_value, score

# (levels, {criterion: [(indicator, weight)]}, answers, criterion -> (S, level, achieved))
CRITERION_CASES = [
    pytest.param([1, 2, 3, 4, 5], {"c": [("a", 1), ("b", 1)]}, {"a": 3, "b": 5}, {"c": (0.75, 4.0, 4)}, id="plain"),
    pytest.param([1, 2, 3, 4, 5], {"c": [("a", 1), ("b", 1)]}, {"a": 3, "b": "na"}, {"c": (0.5, 3.0, 3)}, id="na-left-out"),
    pytest.param([1, 2, 3, 4, 5], {"c": [("a", 1), ("b", 1)]}, {"a": 2}, {"c": (0.25, 2.0, 2)}, id="missing-left-out"),
    pytest.param([1, 2, 3, 4, 5], {"c": [("a", 1), ("b", 1)]}, {}, {"c": (None, None, None)}, id="none-answered"),
    pytest.param([1, 2, 3, 4, 5], {"c": [("a", 1), ("b", 1)]}, {"a": "na", "b": "na"}, {"c": (None, None, None)},
                 id="all-na"),
    pytest.param([1, 2, 3, 4, 5], {"c": [("a", 1), ("b", 3)]}, {"a": 1, "b": 5}, {"c": (0.75, 4.0, 4)}, id="weights"),
    pytest.param([1, 2, 3, 4, 5], {"c": [("a", 1)]}, {"a": 2.5}, {"c": (0.375, 2.5, 2)}, id="fractional"),
    pytest.param([0, 1, 2], {"c": [("a", 1), ("b", 1)]}, {"a": 1, "b": 2}, {"c": (0.75, 1.5, 1)}, id="3-level-from-0"),
    pytest.param(list(range(1, 11)), {"c": [("a", 1)]}, {"a": 7}, {"c": (6 / 9, 7.0, 7)}, id="10-level-tolerance"),
    pytest.param(list(range(1, 11)), {"c": [("a", 2), ("b", 1)]}, {"a": 10, "b": 1}, {"c": (2 / 3, 7.0, 7)},
                 id="10-level-weighted"),
]


@pytest.mark.parametrize(("levels", "criteria", "answers", "expected"), CRITERION_CASES)
def test_criterion_scores(model_factory, levels, criteria, answers, expected):
    model = model_factory(levels, criteria).model
    result = score(model, answers)
    for cid, (s, level, achieved) in expected.items():
        got = result.criteria[cid]
        if s is None:
            assert got.score.value is None and got.score.index is None and got.achieved is None
            continue
        assert got.score.value == pytest.approx(s)
        assert got.score.index == pytest.approx(100 * s)
        assert got.score.level == pytest.approx(level)
        assert got.achieved == achieved


def test_indicator_value_and_tolerance():
    assert indicator_value(3, 1, 5) == 0.5
    assert indicator_value(0, 0, 2) == 0.0
    assert achieved_level(2.9999999999) == 3
    assert achieved_level(2.99) == 2
    assert achieved_level(None) is None


def test_group_and_overall_weight_criteria(model_factory):
    model = model_factory([1, 2, 3, 4, 5], {"x:2": [("x1", 1)], "y:1": [("y1", 1)], "z:1": [("z1", 1)]}).model
    result = score(model, {"x1": 5, "y1": 1})  # z undefined: left out of the mean
    assert result.overall.value == pytest.approx((2 * 1.0 + 1 * 0.0) / 3)
    assert result.groups["g"].value == pytest.approx(2 / 3)
    assert [t.id for t in result.overall.terms] == ["x", "y"]
    assert result.stage == 1  # weakest link: y achieved 1
    assert result.coverage == pytest.approx(2 / 3)


def test_coverage_counts_na_and_low_confidence(model_factory):
    model = model_factory([1, 2, 3, 4, 5], {"c": [("a", 1), ("b", 1), ("d", 1), ("e", 1)]}).model
    result = score(model, {"a": 4, "b": "na", "d": "na"})
    c = result.criteria["c"]
    assert (c.answered, c.na, c.total) == (3, 2, 4)
    assert c.low_confidence  # 1 of 4 answered non-N/A < half
    assert result.coverage == pytest.approx(0.75)
    result = score(model, {"a": 4, "b": 3})
    assert not result.criteria["c"].low_confidence  # 2 of 4 is not fewer than half


@pytest.mark.parametrize(
    ("extra", "crit", "targets", "answers", "target", "source", "gap"),
    [
        ({}, "c", {}, {"a": 2}, 3.0, "next", 1.0),  # achieved 2 -> target 3
        ({}, "c", {}, {"a": 5}, 5.0, "next", 0.0),  # capped at Lmax
        ({"target_level": "4"}, "c", {}, {"a": 2}, 4.0, "model", 2.0),
        ({"target_level": "4"}, "c", {"c": 5}, {"a": 3}, 5.0, "user", 2.0),
        ({"target_level": "2"}, "c", {}, {"a": 4}, 2.0, "model", 0.0),  # above target: no negative gap
        ({}, "c", {}, {"a": 2.5}, 3.0, "next", 0.5),
    ],
)
def test_targets_and_gaps(model_factory, extra, crit, targets, answers, target, source, gap):
    model = model_factory([1, 2, 3, 4, 5], {crit: [("a", 1)]}, **extra).model
    c = score(model, answers, targets).criteria[crit]
    assert (c.target, c.target_source) == (target, source)
    assert c.gap == pytest.approx(gap)
    assert c.priority == pytest.approx(gap * c.weight)


def test_criterion_target_overrides_model(tiny):
    result = score(tiny.model, {"leading.party": 2, "organising.membership": 2})
    assert result.criteria["leading"].target_source == "criterion"
    assert result.criteria["leading"].target == 4
    assert result.criteria["organising"].target_source == "model"


def test_priorities_by_gap_times_weight_ties_in_model_order(model_factory):
    model = model_factory([1, 2, 3, 4, 5], {"p:1": [("p1", 1)], "q:2": [("q1", 1)], "r:1": [("r1", 1)],
                                             "s:1": [("s1", 1)]}, target_level="5").model
    result = score(model, {"p1": 3, "q1": 4, "r1": 3, "s1": 5})
    # gaps p=2, q=1 (x2 = 2), r=2, s=0: all ties of priority 2 in model order, s left out
    assert result.priorities == ("p", "q", "r")


def test_tags_score_over_tagged_indicators(tiny):
    result = score(tiny.model, {"leading.party": 4, "leading.model-workers": 1, "organising.membership": 2,
                                "digital.platform": 1})
    ws = result.tags["work-system"]
    # leading.party (w2, s=1) and organising.membership (w1, s=1/3)
    assert ws.value == pytest.approx((2 * 1 + 1 / 3) / 3)
    assert result.tags["comms-system"].value == pytest.approx(0.0)
