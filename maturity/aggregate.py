"""Workshop aggregation: many participants' answers -> distribution, spread, group answer."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import MaturityModel
from .scoring import NA, Answer

__all__ = [
    "DISAGREE_MIN_N",
    "DISAGREE_RANGE_SHARE",
    "DISAGREE_SD_SHARE",
    "IndicatorAggregate",
    "aggregate",
    "aggregate_values",
    "disagrees",
    "group_answers",
    "rank_disagreements",
]

# DESIGN §4: relative to the scale's span, so that a neighbour either side (2/3/4 on five levels)
# is not a split and 1/3/5 is; on five levels sd >= 1.0 or a range of 3.
DISAGREE_MIN_N = 3
DISAGREE_SD_SHARE = 0.25  # population sd >= span / 4
DISAGREE_RANGE_SHARE = 0.75  # max - min >= 3 span / 4
_EPS = 1e-9  # float noise: an sd of exactly span / 4 must not come out a hair below it


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


def disagrees(n: int, sd: float, spread: float, span: float) -> bool:
    """DESIGN §4: n >= 3 and (sd >= span / 4 or max - min >= 3 span / 4)."""
    if n < DISAGREE_MIN_N or span <= 0:
        return False
    return sd >= DISAGREE_SD_SHARE * span - _EPS or spread >= DISAGREE_RANGE_SHARE * span - _EPS


def aggregate_values(
    indicator_id: str,
    values: Iterable[Answer | None],
    levels: Iterable[int],
    consensus: int | None = None,
    note: str | None = None,
) -> IndicatorAggregate:
    """n, N/A count, count per level, mean, median, population sd, min, max, disagreement (on the span of ``levels``)."""
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
    span = float(max(counts) - min(counts)) if counts else 0.0
    for v in nums:
        if v.is_integer() and int(v) in counts:
            counts[int(v)] += 1
    n = len(nums)
    if n == 0:
        return IndicatorAggregate(indicator_id, 0, n_na, counts, None, None, None, None, None, False, consensus, note)
    mean = statistics.fmean(nums)
    sd = statistics.pstdev(nums, mu=mean)
    lo, hi = min(nums), max(nums)
    return IndicatorAggregate(
        indicator_id, n, n_na, counts, mean, statistics.median(nums), sd, lo, hi,
        disagrees(n, sd, hi - lo, span), consensus, note,
    )


def aggregate(
    model: MaturityModel,
    responses: Iterable[Mapping[str, Answer]],
    consensus: Mapping[str, int] | None = None,
    notes: Mapping[str, str] | None = None,
) -> dict[str, IndicatorAggregate]:
    """Aggregate every indicator of ``model`` over participants' answer mappings."""
    consensus = consensus or {}
    notes = notes or {}
    columns: dict[str, list[Answer]] = {i.id: [] for i in model.indicators}
    for answers in responses:
        for ind_id, value in answers.items():
            column = columns.get(ind_id)
            if column is not None and value is not None:
                column.append(value)
    levels = [s.level for s in model.scale]
    return {
        ind_id: aggregate_values(ind_id, column, levels, consensus.get(ind_id), notes.get(ind_id))
        for ind_id, column in columns.items()
    }


def rank_disagreements(model: MaturityModel, aggregates: Mapping[str, IndicatorAggregate]) -> list[str]:
    """The flagged indicators to discuss first: the widest split (sd, then range) first, ties in model order."""
    order = {ind.id: n for n, ind in enumerate(model.indicators)}
    flagged = [a for a in aggregates.values() if a.disagreement]
    flagged.sort(key=lambda a: (-(a.sd or 0.0), -((a.max or 0.0) - (a.min or 0.0)),
                                order.get(a.indicator_id, len(order)), a.indicator_id))
    return [a.indicator_id for a in flagged]


def group_answers(aggregates: Mapping[str, IndicatorAggregate]) -> dict[str, Answer]:
    """The group's answers for scoring: consensus where recorded, else the mean."""
    out: dict[str, Answer] = {}
    for ind_id, agg in aggregates.items():
        answer = agg.group_answer
        if answer is not None:
            out[ind_id] = answer
    return out
