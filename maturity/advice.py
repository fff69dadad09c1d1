"""Roadmap of actions from scores and the model's actions (DESIGN §4, roadmap)."""

from __future__ import annotations

from dataclasses import dataclass

from .model import HORIZONS, Action, MaturityModel
from .scoring import EPS, Result

__all__ = [
    "EFFORT_RANK",
    "Roadmap",
    "RoadmapItem",
    "roadmap",
]

EFFORT_RANK = {"low": 0, "medium": 1, "high": 2, None: 3}


@dataclass(frozen=True)
class RoadmapItem:
    """One action on the roadmap, with the criterion and level it lifts from."""

    criterion_id: str
    from_level: int
    action: Action
    priority_rank: int


@dataclass(frozen=True)
class Roadmap:
    """Actions grouped by horizon: ``quick`` (0–3 months), ``mid`` (3–12), ``long`` (1–3 years)."""

    by_horizon: dict[str, tuple[RoadmapItem, ...]]

    @property
    def items(self) -> list[RoadmapItem]:
        """All items, quick first."""
        return [item for h in HORIZONS for item in self.by_horizon.get(h, ())]

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_horizon.values())


def roadmap(model: MaturityModel, result: Result) -> Roadmap:
    """For each criterion with a gap, in priority order, its actions from achieved up to target."""
    candidates: list[tuple[tuple[int, int, int, int], RoadmapItem]] = []
    seq = 0
    for rank, crit_id in enumerate(result.priorities):
        cr = result.criteria[crit_id]
        if cr.achieved is None or cr.target is None or cr.gap is None or cr.gap <= EPS:
            continue
        crit = model.criterion_by_id[crit_id]
        # Levels L with achieved <= L < T_c; a fractional target reaches into its level.
        for level in range(cr.achieved, model.lmax):
            if level >= cr.target - EPS:
                break
            for action in crit.actions.get(level, []):
                item = RoadmapItem(crit_id, level, action, rank)
                candidates.append(((EFFORT_RANK[action.effort], rank, level, seq), item))
                seq += 1
    by_horizon: dict[str, list[RoadmapItem]] = {h: [] for h in HORIZONS}
    seen: set[str] = set()
    for _, item in sorted(candidates, key=lambda pair: pair[0]):
        title = model.t(item.action.title, model.default_language)
        if title in seen:
            continue
        seen.add(title)
        by_horizon[item.action.horizon].append(item)
    return Roadmap({h: tuple(v) for h, v in by_horizon.items()})
