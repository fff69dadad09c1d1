"""Workshop aggregation per indicator and the group answer."""

from __future__ import annotations

import pytest

from maturity.aggregate import aggregate, aggregate_values, group_answers
from maturity.scoring import score


@pytest.mark.parametrize(
    ("values", "n", "n_na", "mean", "median", "sd", "lo", "hi", "disagree"),
    [
        ([3, 3, 3], 3, 0, 3.0, 3.0, 0.0, 3, 3, False),
        ([1, 3, 3], 3, 0, 7 / 3, 3.0, 0.9428090415820634, 1, 3, True),  # range 2
        ([2, 3], 2, 0, 2.5, 2.5, 0.5, 2, 3, False),
        ([1, 5], 2, 0, 3.0, 3.0, 2.0, 1, 5, False),  # n < 3: never flagged
        ([2, 3, 2, 3, "na"], 4, 1, 2.5, 2.5, 0.5, 2, 3, False),
        (["na", "na"], 0, 2, None, None, None, None, None, False),
        ([], 0, 0, None, None, None, None, None, False),
        ([1, 2, 2, 3, 3], 5, 0, 2.2, 2.0, 0.7483314773547882, 1, 3, True),
    ],
)
def test_aggregate_values(values, n, n_na, mean, median, sd, lo, hi, disagree):
    agg = aggregate_values("x", values, [1, 2, 3, 4, 5])
    assert (agg.n, agg.n_na, agg.min, agg.max, agg.disagreement) == (n, n_na, lo, hi, disagree)
    for got, want in ((agg.mean, mean), (agg.median, median), (agg.sd, sd)):
        assert got == (None if want is None else pytest.approx(want))
    assert sum(agg.counts.values()) == n
    assert list(agg.counts) == [1, 2, 3, 4, 5]


def test_disagreement_boundaries():
    # population sd can only reach 1.0 when the range is at least 2, so the range rule decides here
    assert aggregate_values("x", [1, 1, 3, 3], [1, 2, 3]).sd == pytest.approx(1.0)
    assert aggregate_values("x", [1, 1, 3, 3], [1, 2, 3]).disagreement
    assert not aggregate_values("x", [2, 3] * 5, [1, 2, 3]).disagreement
    assert aggregate_values("x", [1, 2, 3], [1, 2, 3]).disagreement


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
