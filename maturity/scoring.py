"""Pure scoring: answers -> indicator, criterion, group, tag and overall scores (DESIGN §4).

An answer is a level (a number; workshop means may be fractional), ``"na"``, or
absent. N/A and absent answers are left out of every sum.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from .model import MaturityModel

__all__ = [
    "EPS",
    "NA",
    "Answer",
    "Cap",
    "CriterionResult",
    "Result",
    "Score",
    "Term",
    "achieved_level",
    "indicator_value",
    "is_answered",
    "score",
    "weighted_mean",
]

NA: Literal["na"] = "na"
Answer = float | int | Literal["na"]
EPS = 1e-9


@dataclass(frozen=True)
class Term:
    """One weighted term of a weighted mean: what, its value in [0, 1], its weight."""

    id: str
    value: float
    weight: float


@dataclass(frozen=True)
class Score:
    """A weighted mean ``S`` in [0, 1] (None when nothing was answered) and its terms."""

    value: float | None
    terms: tuple[Term, ...]
    lmin: int
    lmax: int

    @property
    def index(self) -> float | None:
        """``100 · S``."""
        return None if self.value is None else 100.0 * self.value

    @property
    def level(self) -> float | None:
        """``Lmin + S (Lmax - Lmin)``."""
        return None if self.value is None else self.lmin + self.value * (self.lmax - self.lmin)


@dataclass(frozen=True)
class Cap:
    """A 必备项 answered below its criterion's level: the criterion's achieved level is at most ``floor(answer)``."""

    indicator_id: str
    answer: float
    level: int  # floor(answer): the highest achieved level this 必备项 allows


@dataclass(frozen=True)
class CriterionResult:
    """Score, level, coverage, target, gap and priority of one criterion.

    With 必备项 (essential indicators), ``achieved`` is ``min(floor(level_c), floor(a_i))`` over the answered
    ones and the gap is measured from ``min(level_c, a_i)``; ``uncapped`` is ``floor(level_c)`` alone, ``caps``
    the 必备项 that lowered it (lowest first) and ``essential_missing`` those not answered (low confidence).
    """

    id: str
    group_id: str
    weight: float
    score: Score
    achieved: int | None
    answered: int
    na: int
    total: int
    low_confidence: bool
    target: float | None
    target_source: Literal["user", "criterion", "model", "next", "none"]
    gap: float | None
    priority: float | None
    uncapped: int | None = None
    effective_level: float | None = None  # min(level_c, a_i) over the answered 必备项; level_c when there are none
    caps: tuple[Cap, ...] = ()
    essential_missing: tuple[str, ...] = ()

    @property
    def capped(self) -> bool:
        """True when a 必备项 holds the achieved level below ``floor(level_c)``."""
        return bool(self.caps)


@dataclass(frozen=True)
class Result:
    """The whole scoring of one set of answers against one model."""

    criteria: dict[str, CriterionResult]
    groups: dict[str, Score]
    tags: dict[str, Score]
    overall: Score
    stage: int | None
    coverage: float
    answered: int
    total: int
    priorities: tuple[str, ...] = field(default=())
    indicator_values: dict[str, float] = field(default_factory=dict)


def indicator_value(answer: float, lmin: int, lmax: int, values: Mapping[int, float] | None = None) -> float:
    """``s = (a - Lmin) / (Lmax - Lmin)``, clamped to [0, 1]; where the scale gives values, ``s = value(a)``,
    interpolated linearly between the two levels either side of a fractional answer (a workshop mean)."""
    a = min(float(lmax), max(float(lmin), float(answer)))
    if not values:
        return (a - lmin) / (lmax - lmin)
    below = min(math.floor(a + EPS), lmax)
    if abs(a - below) <= EPS or below == lmax:
        return values[below]
    return values[below] + (a - below) * (values[below + 1] - values[below])


def weighted_mean(terms: tuple[Term, ...]) -> float | None:
    """``Σ w v / Σ w``, or None when there are no terms."""
    total = sum(t.weight for t in terms)
    if not terms or total <= 0:
        return None
    return sum(t.weight * t.value for t in terms) / total


def achieved_level(level: float | None) -> int | None:
    """``floor(level)`` with a 1e-9 tolerance, so 2.9999999999 counts as 3."""
    return None if level is None else math.floor(level + EPS)


def is_answered(value: Answer | None) -> bool:
    """True for a level or N/A; False for a missing answer."""
    return value is not None


def score(
    model: MaturityModel,
    answers: Mapping[str, Answer | None],
    targets: Mapping[str, float] | None = None,
) -> Result:
    """Score ``answers`` (indicator id -> level or "na") against ``model``."""
    lmin, lmax = model.lmin, model.lmax
    targets = targets or {}
    values: dict[str, float] = {}
    for ind in model.indicators:
        a = answers.get(ind.id)
        if a is not None and a != NA:
            values[ind.id] = indicator_value(float(a), lmin, lmax, model.level_values)

    criteria: dict[str, CriterionResult] = {}
    for crit in model.criteria:
        terms = tuple(Term(i.id, values[i.id], i.weight) for i in crit.indicators if i.id in values)
        s = Score(weighted_mean(terms), terms, lmin, lmax)
        answered = sum(1 for i in crit.indicators if is_answered(answers.get(i.id)))
        na = sum(1 for i in crit.indicators if answers.get(i.id) == NA)
        uncapped = achieved_level(s.level)
        level, caps, missing = _essential_cap(model, crit.id, s.level, answers)
        achieved = achieved_level(level)
        target, source = _target(model, crit.id, achieved, targets)
        gap = None if level is None or target is None else max(0.0, target - level)
        criteria[crit.id] = CriterionResult(
            id=crit.id,
            group_id=model.group_of[crit.id].id,
            weight=crit.weight,
            score=s,
            achieved=achieved,
            answered=answered,
            na=na,
            total=len(crit.indicators),
            low_confidence=len(terms) < len(crit.indicators) / 2 or bool(missing),
            target=target,
            target_source=source,
            gap=gap,
            priority=None if gap is None else gap * crit.weight,
            uncapped=uncapped,
            effective_level=level,
            caps=caps,
            essential_missing=missing,
        )

    groups = {
        g.id: _mean_of_criteria([criteria[c.id] for c in g.criteria], lmin, lmax) for g in model.groups
    }
    overall = _mean_of_criteria(list(criteria.values()), lmin, lmax)
    tags: dict[str, Score] = {}
    for tag in model.tags:
        terms = tuple(
            Term(i.id, values[i.id], i.weight) for i in model.indicators if tag.id in i.tags and i.id in values
        )
        tags[tag.id] = Score(weighted_mean(terms), terms, lmin, lmax)
    reached = [c.achieved for c in criteria.values() if c.achieved is not None]
    answered = sum(1 for i in model.indicators if is_answered(answers.get(i.id)))
    order = {c.id: n for n, c in enumerate(model.criteria)}
    ranked = sorted(
        (c for c in criteria.values() if c.gap is not None and c.gap > EPS),
        key=lambda c: (-(c.priority or 0.0), order[c.id]),
    )
    return Result(
        criteria=criteria,
        groups=groups,
        tags=tags,
        overall=overall,
        stage=min(reached) if reached else None,
        coverage=answered / len(model.indicators),
        answered=answered,
        total=len(model.indicators),
        priorities=tuple(c.id for c in ranked),
        indicator_values=values,
    )


def _essential_cap(
    model: MaturityModel, crit_id: str, level: float | None, answers: Mapping[str, Answer | None]
) -> tuple[float | None, tuple[Cap, ...], tuple[str, ...]]:
    """``min(level_c, a_i)`` over the criterion's answered 必备项, the ones that lowered its achieved level, and the
    unanswered ones. A 必备项 caps only a criterion that has a level (one answer at least)."""
    essentials = model.essentials.get(crit_id, [])
    missing = tuple(i.id for i in essentials if answers.get(i.id) is None or answers.get(i.id) == NA)
    if level is None:
        return None, (), missing
    lowest = level
    caps: list[Cap] = []
    for ind in essentials:
        a = answers.get(ind.id)
        if a is None or a == NA:
            continue
        floor_a = math.floor(float(a) + EPS)
        if floor_a < math.floor(level + EPS):
            caps.append(Cap(ind.id, float(a), floor_a))
        lowest = min(lowest, float(a))
    caps.sort(key=lambda c: (c.level, c.answer))
    return lowest, tuple(caps), missing


def _mean_of_criteria(items: list[CriterionResult], lmin: int, lmax: int) -> Score:
    terms = tuple(Term(c.id, c.score.value, c.weight) for c in items if c.score.value is not None)
    return Score(weighted_mean(terms), terms, lmin, lmax)


def _target(
    model: MaturityModel, crit_id: str, achieved: int | None, targets: Mapping[str, float]
) -> tuple[float | None, Literal["user", "criterion", "model", "next", "none"]]:
    """``T_c``: the user's, else the criterion's, else the model's, else one above achieved."""
    if targets.get(crit_id) is not None:
        return float(targets[crit_id]), "user"
    crit = model.criterion_by_id[crit_id]
    if crit.target_level is not None:
        return float(crit.target_level), "criterion"
    if model.target_level is not None:
        return float(model.target_level), "model"
    if achieved is None:
        return None, "none"
    return float(min(model.lmax, achieved + 1)), "next"
