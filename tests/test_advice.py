"""Roadmap: actions from achieved up to target, grouped by horizon, effort then priority."""

from __future__ import annotations

from maturity.advice import roadmap
from maturity.scoring import score


def titles(model, rm, horizon):
    return [model.t(i.action.title, "zh") for i in rm.by_horizon[horizon]]


def test_roadmap_levels_from_achieved_to_target(tiny):
    model = tiny.model
    # leading: party 2, workers 2 -> level 2, achieved 2, target 4 -> actions of levels 2 and 3
    result = score(model, {"leading.party": 2, "leading.model-workers": 2, "organising.membership": 4,
                           "digital.platform": 1})
    rm = roadmap(model, result)
    assert titles(model, rm, "mid") == ["制定年度劳模工匠宣传计划"]
    assert titles(model, rm, "long") == ["打造劳模工匠宣传品牌"]
    # digital: achieved 1, target 3 (model) -> level 1 and 2 actions; only level 1 has one
    assert titles(model, rm, "quick") == ["开通工会公众号"]
    assert {i.criterion_id for i in rm.items} == {"leading", "digital"}


def test_no_gap_no_actions(tiny):
    model = tiny.model
    answers = {"leading.party": 4, "leading.model-workers": 4, "organising.membership": 4, "digital.platform": 4}
    assert len(roadmap(model, score(model, answers))) == 0


def test_within_horizon_lower_effort_first_then_priority(model_factory):
    loaded = model_factory([1, 2, 3], {"a:1": [("a1", 1)], "b:3": [("b1", 1)]})
    model = loaded.model
    # Build actions by hand on the typed model: a has a low-effort quick action, b a high one
    from maturity.model import Action

    acts = {
        "a": {1: [Action(title={"zh": "甲-高"}, horizon="quick", effort="high"),
                  Action(title={"zh": "甲-低"}, horizon="quick", effort="low")]},
        "b": {1: [Action(title={"zh": "乙-高"}, horizon="quick", effort="high"),
                  Action(title={"zh": "甲-低"}, horizon="quick", effort="low")]},
    }
    groups = [g.model_copy(update={"criteria": [c.model_copy(update={"actions": acts[c.id]}) for c in g.criteria]})
              for g in model.groups]
    model = model.model_copy(update={"groups": groups})
    result = score(model, {"a1": 1, "b1": 1})
    assert result.priorities == ("b", "a")  # b weighs 3
    rm = roadmap(model, result)
    # low effort first; the duplicated title "甲-低" is listed once (under b, the higher priority)
    assert titles(model, rm, "quick") == ["甲-低", "乙-高", "甲-高"]
    assert rm.by_horizon["quick"][0].criterion_id == "b"
