"""``value`` on scale levels (issue 11, format addition 4): scores for scales whose answers are not evenly spaced.

The SAMM-shaped test model scores its four answers 0, 0.25, 0.5 and 1; a practice (criterion) of
three levels x two streams then has ``level_c = Lmin + S_c (Lmax - Lmin)`` equal to SAMM's own
practice score: the sum over the levels of the mean of the two streams.
"""

from __future__ import annotations

import pytest

from maturity import i18n
from maturity.loader import ModelLoadError, load_model, load_model_text
from maturity.scoring import indicator_value, score
from tests.conftest import TEST_FRAMEWORKS

SAMM = TEST_FRAMEWORKS / "samm-shaped.yaml"
VALUES = {0: 0.0, 1: 0.25, 2: 0.5, 3: 1.0}


def samm_practice_score(answers: dict[str, int]) -> float:
    """OWASP SAMM v2's practice score: Σ over levels 1–3 of the mean of streams A and B."""
    return sum((VALUES[answers[f"sm.a{lv}"]] + VALUES[answers[f"sm.b{lv}"]]) / 2 for lv in (1, 2, 3))


@pytest.mark.parametrize("answers", [
    {"sm.a1": 3, "sm.b1": 2, "sm.a2": 1, "sm.b2": 0, "sm.a3": 0, "sm.b3": 0},
    {"sm.a1": 3, "sm.b1": 3, "sm.a2": 3, "sm.b2": 3, "sm.a3": 2, "sm.b3": 1},
    {"sm.a1": 1, "sm.b1": 1, "sm.a2": 1, "sm.b2": 1, "sm.a3": 1, "sm.b3": 1},
    {"sm.a1": 2, "sm.b1": 0, "sm.a2": 3, "sm.b2": 2, "sm.a3": 0, "sm.b3": 3},
])
def test_a_criterion_level_equals_samms_practice_score(answers):
    m = load_model(SAMM).model
    level = score(m, answers).criteria["strategy"].score.level
    assert level == pytest.approx(samm_practice_score(answers), abs=1e-12)
    linear = (sum(answers.values()) / 6)  # what the linear scale would say: up to 0.25 off for these
    assert answers == {k: 1 for k in answers} or level != pytest.approx(linear)


def test_a_fractional_answer_interpolates_between_the_values_either_side():
    assert indicator_value(1.5, 0, 3, VALUES) == pytest.approx(0.375)
    assert indicator_value(2.5, 0, 3, VALUES) == pytest.approx(0.75)
    assert indicator_value(2.9999999999, 0, 3, VALUES) == pytest.approx(1.0)
    assert indicator_value(3, 0, 3, VALUES) == 1.0 and indicator_value(0, 0, 3, VALUES) == 0.0
    assert indicator_value(1.5, 0, 3) == pytest.approx(0.5)  # without values: linear, as before


def test_without_values_nothing_changes(tiny):
    assert tiny.model.level_values is None
    answers = {i.id: 3 for i in tiny.model.indicators}
    assert score(tiny.model, answers).overall.level == pytest.approx(3.0)


SCALE = """format: maturity-model/1
id: values-test
version: "1"
title: {zh: 值}
languages: [zh]
scale:
  - {level: 1, name: {zh: 一}, value: %s}
  - {level: 2, name: {zh: 二}%s}
  - {level: 3, name: {zh: 三}, value: %s}
groups:
  - id: g
    name: {zh: 组}
    criteria:
      - id: c
        name: {zh: 准则}
        indicators:
          - {id: c.i, question: {zh: 问？}, answers: {1: 一, 2: 二, 3: 三}}
"""


@pytest.mark.parametrize(("low", "mid", "high", "code", "line"), [
    ("0", "", "1", "scale_values_partial", 8),
    ("0.1", ", value: 0.5", "1", "scale_value_ends", 7),
    ("0", ", value: 0.5", "0.9", "scale_value_ends", 9),
    ("0", ", value: 0", "1", "scale_values_not_rising", 8),
    ("0", ", value: 1.5", "1", "pyd.less_than_equal", 8),
])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bad_values_are_located_and_translated(low, mid, high, code, line, lang):
    with pytest.raises(ModelLoadError) as caught:
        load_model_text(SCALE % (low, mid, high), "v.yaml")
    found = [e for e in caught.value.errors if e.code == code]
    assert found and found[0].line == line, caught.value.errors
    message = i18n.t(f"model_error.{code}", lang, **found[0].params)
    assert not message.startswith("model_error.") and "{" not in message


def test_good_values_load():
    m = load_model_text(SCALE % ("0", ", value: 0.3", "1")).model
    assert m.level_values == {1: 0.0, 2: 0.3, 3: 1.0}
    assert score(m, {"c.i": 2}).criteria["c"].score.index == pytest.approx(30.0)
