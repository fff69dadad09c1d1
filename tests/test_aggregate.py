"""Workshop aggregation per indicator and the group answer."""

from __future__ import annotations

import pytest

from maturity.aggregate import aggregate, aggregate_values, group_answers, rank_disagreements
from maturity.scoring import score


@pytest.mark.parametrize(
    ("values", "n", "n_na", "mean", "median", "sd", "lo", "hi", "disagree"),
    [
        ([3, 3, 3], 3, 0, 3.0, 3.0, 0.0, 3, 3, False),
        ([1, 3, 3], 3, 0, 7 / 3, 3.0, 0.9428090415820634, 1, 3, False),  # range 2 < 3, sd < 1
        ([1, 3, 5], 3, 0, 3.0, 3.0, 1.632993161855452, 1, 5, True),  # the real split
        ([2, 3, 4], 3, 0, 3.0, 3.0, 0.816496580927726, 2, 4, False),  # neighbours either side
        ([1, 4, 4], 3, 0, 3.0, 4.0, 1.4142135623730951, 1, 4, True),  # range 3
        ([2, 3], 2, 0, 2.5, 2.5, 0.5, 2, 3, False),
        ([1, 5], 2, 0, 3.0, 3.0, 2.0, 1, 5, False),  # n < 3: never flagged
        ([2, 3, 2, 3, "na"], 4, 1, 2.5, 2.5, 0.5, 2, 3, False),
        (["na", "na"], 0, 2, None, None, None, None, None, False),
        ([], 0, 0, None, None, None, None, None, False),
        ([1, 2, 2, 3, 3], 5, 0, 2.2, 2.0, 0.7483314773547882, 1, 3, False),
        ([2, 2, 4, 4], 4, 0, 3.0, 3.0, 1.0, 2, 4, True),  # sd exactly 1.0 = span / 4, range only 2
    ],
)
def test_aggregate_values(values, n, n_na, mean, median, sd, lo, hi, disagree):
    agg = aggregate_values("x", values, [1, 2, 3, 4, 5])
    assert (agg.n, agg.n_na, agg.min, agg.max, agg.disagreement) == (n, n_na, lo, hi, disagree)
    for got, want in ((agg.mean, mean), (agg.median, median), (agg.sd, sd)):
        assert got == (None if want is None else pytest.approx(want))
    assert sum(agg.counts.values()) == n
    assert list(agg.counts) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("levels", "values", "flagged"),
    [
        # five levels (span 4): sd >= 1.0 or range >= 3
        ([1, 2, 3, 4, 5], [2, 2, 4, 4], True),  # sd = 1.0 exactly, range 2
        ([1, 2, 3, 4, 5], [2, 2, 2, 4, 4], False),  # sd 0.98, range 2
        ([1, 2, 3, 4, 5], [2, 5, 5, 5, 5, 5, 5, 5, 5, 5], True),  # sd 0.9, but range 3
        ([1, 2, 3, 4, 5], [2, 4, 4], False),  # sd 0.94, range 2
        # three levels (span 2): sd >= 0.5 or range >= 1.5
        ([1, 2, 3], [1, 2, 3], True),  # range 2
        ([1, 2, 3], [2, 2, 3, 3], True),  # sd 0.5 exactly
        ([1, 2, 3], [2, 2, 2, 3], False),  # sd 0.43, range 1
        ([1, 2, 3], [1, 2, 2, 2, 2, 2, 2, 2, 2, 2], False),  # sd 0.3, range 1
        # four levels (span 3): sd >= 0.75 or range >= 2.25
        ([1, 2, 3, 4], [2, 3, 4], True),  # range 2 < 2.25, but sd 0.816 >= 0.75: a wide split on four levels
        ([1, 2, 3, 4], [2, 3, 3, 3, 4], False),  # sd 0.63, range 2
        ([1, 2, 3, 4], [2, 2, 3, 3], False),  # sd 0.5, range 1
        ([1, 2, 3, 4], [1, 4, 4, 4, 4, 4, 4, 4, 4, 4], True),  # sd 0.9; range 3
        ([1, 2, 3, 4], [2, 2, 2, 2, 2, 4, 4, 4], True),  # sd 0.97
        ([1, 2, 3, 4], [1, 3, 3, 3, 3, 3, 3, 3, 3, 3], False),  # sd 0.6, range 2
        # fewer than three answers: never flagged
        ([1, 2, 3, 4, 5], [1, 5], False),
        ([1, 2, 3, 4, 5], [1, 5, "na", "na"], False),
    ],
)
def test_disagreement_boundaries(levels, values, flagged):
    assert aggregate_values("x", values, levels).disagreement is flagged


def test_the_scale_decides_not_fixed_numbers():
    # the same answers: a split on three levels, ordinary on seven
    assert aggregate_values("x", [1, 2, 3], [1, 2, 3]).disagreement
    assert not aggregate_values("x", [1, 2, 3], range(1, 8)).disagreement
    assert aggregate_values("x", [1, 4, 7], range(1, 8)).disagreement
    # a one-level scale has no span: nothing can be a split
    assert not aggregate_values("x", [1, 1, 1], [1]).disagreement


def test_the_issue_example_three_people_only_the_real_split_is_flagged(model_factory):
    """Issue 10: with 2/3/4 on six of eight questions the old rule flagged six; now only the 1/3/5 split."""
    model = model_factory([1, 2, 3, 4, 5], {"c": [(f"q{n}", 1) for n in range(1, 9)]}).model
    people = [{f"q{n}": level for n in range(1, 9)} for level in (2, 3, 4)]
    people[0]["q7"], people[2]["q7"] = 1, 5  # the real split: 1/3/5
    people[0]["q8"] = people[2]["q8"] = 3  # everybody agrees
    aggs = aggregate(model, people)
    two_three_four = [k for k, a in aggs.items() if (a.min, a.max) == (2, 4)]
    assert len(two_three_four) == 6 and not any(aggs[k].disagreement for k in two_three_four)
    assert [k for k, a in aggs.items() if a.disagreement] == ["q7"]
    assert rank_disagreements(model, aggs) == ["q7"]


def test_rank_disagreements_widest_split_first_then_range_then_model_order(model_factory):
    model = model_factory([1, 2, 3, 4, 5], {"c": [(f"q{n}", 1) for n in range(1, 6)]}).model
    columns = {
        "q1": [1, 4, 4, 4],  # sd 1.30, range 3
        "q2": [3, 3, 3, 3],  # agreement: never listed
        "q3": [1, 1, 5, 5],  # sd 2.0: the widest split, listed first
        "q4": [4, 1, 4, 4],  # the same as q1: after it, in model order
        "q5": [2, 2, 5, 5],  # sd 1.5, range 3
    }
    people = [{k: v[n] for k, v in columns.items()} for n in range(4)]
    aggs = aggregate(model, people)
    assert rank_disagreements(model, aggs) == ["q3", "q5", "q1", "q4"]
    # equal sd (1.0): the wider range first
    people = [{"q1": v} for v in (2, 2, 4, 4, 4, 4, 2, 2)] + [{"q2": v} for v in (1, 3, 3, 3, 3, 3, 3, 5)]
    aggs = aggregate(model, people)
    assert aggs["q1"].sd == pytest.approx(1.0) and aggs["q2"].sd == pytest.approx(1.0)
    assert rank_disagreements(model, aggs) == ["q2", "q1"]  # range 4 before range 2
    assert rank_disagreements(model, {}) == []


def test_notes_ride_along_with_the_consensus(tiny):
    aggs = aggregate(tiny.model, [{"leading.party": 2}], consensus={"leading.party": 3},
                     notes={"leading.party": "按工会主席意见"})
    assert aggs["leading.party"].note == "按工会主席意见" and aggs["leading.party"].group_answer == 3
    assert aggs["digital.platform"].note is None


def test_group_answers_use_consensus_then_mean(tiny):
    model = tiny.model
    responses = [
        {"leading.party": 2, "digital.platform": "na"},
        {"leading.party": 4, "digital.platform": "na"},
        {"leading.party": 3, "leading.model-workers": 1},
    ]
    aggs = aggregate(model, responses, consensus={"leading.model-workers": 2})
    answers = group_answers(aggs)
    assert answers == {"leading.party": 3.0, "leading.model-workers": 2, "digital.platform": "na"}
    assert aggs["leading.party"].counts == {1: 0, 2: 1, 3: 1, 4: 1}
    result = score(model, answers)
    assert result.criteria["leading"].score.value == pytest.approx((2 * 2 / 3 + 1 / 3) / 3)
    assert result.criteria["digital"].score.value is None
