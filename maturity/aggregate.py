"""Workshop aggregation: many participants' answers -> distribution, spread, group answer."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import MaturityModel
from .scoring import NA, Answer

__all__ = [
    "DISAGREE_MIN_N",
    "DISAGREE_RANGE",
    "DISAGREE_SD",
    "IndicatorAggregate",
    "aggregate",
    "aggregate_values",
    "group_answers",
]

DISAGREE_MIN_N = 3
DISAGREE_RANGE = 2
DISAGREE_SD = 1.0


@dataclass(frozen=True)
class IndicatorAggregate:
    """Distribution of one indicator's answers across participants."""

    indicator_id: str
    n: int
    n_na: int
    counts: dict[int, int]
    mean: float | None
    median: float | None
    sd: float | None
    min: float | None
    max: float | None
    disagreement: bool
    consensus: int | None
    note: str | None = None  # the facilitator's note on the consensus, shown beside it after reveal

    @property
    def group_answer(self) -> Answer | None:
        """The consensus level where recorded, else the mean; "na" if all said N/A."""
        if self.consensus is not None:
            return self.consensus
        if self.mean is not None:
            return self.mean
        return NA if self.n_na else None


def aggregate_values(
    indicator_id: str,
    values: Iterable[Answer | None],
    levels: Iterable[int],
    consensus: int | None = None,
) -> IndicatorAggregate:
    """n, N/A count, count per level, mean, median, population sd, min, max, disagreement."""
    nums: list[float] = []
    n_na = 0
    for v in values:
        if v is None:
            continue
        if v == NA:
            n_na += 1
        else:
            nums.append(float(v))
    counts = {level: 0 for level in levels}
    for v in nums:
        if v.is_integer() and int(v) in counts:
            counts[int(v)] += 1
    n = len(nums)
    if n == 0:
        return IndicatorAggregate(indicator_id, 0, n_na, counts, None, None, None, None, None, False, consensus)
    mean = statistics.fmean(nums)
    sd = statistics.pstdev(nums, mu=mean)
    lo, hi = min(nums), max(nums)
    disagree = n >= DISAGREE_MIN_N and (hi - lo >= DISAGREE_RANGE or sd >= DISAGREE_SD)
    return IndicatorAggregate(
        indicator_id, n, n_na, counts, mean, statistics.median(nums), sd, lo, hi, disagree, consensus
    )


def aggregate(
    model: MaturityModel,
    responses: Iterable[Mapping[str, Answer]],
    consensus: Mapping[str, int] | None = None,
) -> dict[str, IndicatorAggregate]:
    """Aggregate every indicator of ``model`` over participants' answer mappings."""
    consensus = consensus or {}
    columns: dict[str, list[Answer]] = {i.id: [] for i in model.indicators}
    for answers in responses:
        for ind_id, value in answers.items():
            column = columns.get(ind_id)
            if column is not None and value is not None:
                column.append(value)
    levels = [s.level for s in model.scale]
    return {
        ind_id: aggregate_values(ind_id, column, levels, consensus.get(ind_id))
        for ind_id, column in columns.items()
    }


def group_answers(aggregates: Mapping[str, IndicatorAggregate]) -> dict[str, Answer]:
    """The group's answers for scoring: consensus where recorded, else the mean."""
    out: dict[str, Answer] = {}
    for ind_id, agg in aggregates.items():
        answer = agg.group_answer
        if answer is not None:
            out[ind_id] = answer
    return out
