"""必备项 (``essential: true``): the cap on a criterion's achieved level, computed by hand (issue 11).

tests/frameworks/essential.yaml, scale 1–5, so an answer a scores s = (a − 1) / 4. Its criterion
``organising`` has four indicators: funds (必备项), membership (必备项), congress (weight 2), homes; so
S = (s_funds + s_membership + 2 s_congress + s_homes) / 5 and level = 1 + 4 S.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from maturity.advice import roadmap
from maturity.assessment import AssessmentInvalid, parse
from maturity.explain import cap_notes, explain_criterion
from maturity.loader import ModelLoadError, load_model, load_model_text
from maturity.scoring import Cap, score

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "frameworks" / "essential.yaml"


@pytest.fixture(scope="module")
def model():
    return load_model(FIXTURE).model


def organising(funds, membership, congress, homes):
    answers = {"organising.funds": funds, "organising.membership": membership,
               "organising.congress": congress, "organising.homes": homes}
    return {k: v for k, v in answers.items() if v is not None}


# answers (funds, membership, congress, homes) -> level_c, uncapped, achieved, effective level, caps (id, level)
CASES = {
    # essential below the mean: S = (0 + 1 + 2 + 1) / 5 = 0.8, level 4.2, funds at 1 caps it to 1
    "below": ((1, 5, 5, 5), 4.2, 4, 1, 1.0, [("organising.funds", 1)]),
    # essential at the mean: S = (0.5 + 0.75 + 1 + 0.25) / 5 = 0.5, level 3; funds 3 = floor(3): no cap
    "at": ((3, 4, 3, 2), 3.0, 3, 3, 3.0, []),
    # essential above the mean: S = (1 + 1 + 0 + 0) / 5 = 0.4, level 2.6: nothing to cap
    "above": ((5, 5, 1, 1), 2.6, 2, 2, 2.6, []),
    # a workshop mean of 2.5 on funds: S = (0.375 + 0.75 + 1.5 + 0.75) / 5 = 0.675, level 3.7; floor(2.5) = 2
    "fractional": ((2.5, 4, 4, 4), 3.7, 3, 2, 2.5, [("organising.funds", 2)]),
    # two essentials below: S = (0.25 + 0 + 2 + 1) / 5 = 0.65, level 3.6; membership 1 and funds 2, lowest first
    "several": ((2, 1, 5, 5), 3.6, 3, 1, 1.0, [("organising.membership", 1), ("organising.funds", 2)]),
    # funds unanswered: S = (0.75 + 1.5 + 0.75) / 4 = 0.75, level 4; membership 4 does not lower it
    "missing": ((None, 4, 4, 4), 4.0, 4, 4, 4.0, []),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_cap_by_hand(model, case):
    answers, level, uncapped, achieved, effective, caps = CASES[case]
    cr = score(model, organising(*answers)).criteria["organising"]
    assert cr.score.level == pytest.approx(level)
    assert cr.uncapped == uncapped
    assert cr.achieved == achieved
    assert cr.effective_level == pytest.approx(effective)
    assert [(c.indicator_id, c.level) for c in cr.caps] == caps
    assert cr.capped is bool(caps)


def test_the_gap_and_the_roadmap_start_from_the_capped_level(model):
    result = score(model, organising(1, 5, 5, 5))
    cr = result.criteria["organising"]
    # no target in the model: T = achieved + 1 = 2, measured from min(4.2, 1) = 1
    assert (cr.target, cr.target_source, cr.gap) == (2.0, "next", pytest.approx(1.0))
    assert result.priorities[0] == "organising"
    items = [(i.criterion_id, i.from_level) for i in roadmap(model, result).items]
    assert ("organising", 1) in items
    uncapped = score(model, organising(5, 5, 5, 5)).criteria["organising"]
    assert (uncapped.achieved, uncapped.gap) == (5, 0.0)


def test_an_unmet_essential_caps_the_overall_stage(model):
    answers = {i.id: 4 for i in model.indicators} | {"organising.funds": 1}
    result = score(model, answers)
    assert {cid: c.achieved for cid, c in result.criteria.items()} == {"organising": 1, "serving": 4, "branding": 4}
    assert result.stage == 1
    assert score(model, {i.id: 4 for i in model.indicators}).stage == 4


def test_an_unanswered_essential_is_low_confidence_and_named(model):
    result = score(model, organising(None, 4, 4, 4))
    cr = result.criteria["organising"]
    assert cr.essential_missing == ("organising.funds",)
    assert cr.low_confidence  # 3 of 4 answered would otherwise be enough
    assert not score(model, organising(4, 4, 4, 4)).criteria["organising"].low_confidence
    assert cap_notes(model, result, "organising", "zh") == ["必备项『工会经费足额拨缴』尚未作答，本准则结果可信度低"]
    assert cap_notes(model, result, "organising", "en") == [
        "Essential item “Is the union funding contribution paid in full” is not answered yet: "
        "this criterion's result is of low confidence"
    ]


def test_a_criterion_with_no_answer_is_not_capped(model):
    cr = score(model, {}).criteria["organising"]
    assert (cr.achieved, cr.caps, cr.effective_level) == (None, (), None)
    assert cr.essential_missing == ("organising.funds", "organising.membership")


def test_the_cap_is_said_in_words_and_in_the_formula(model):
    answers = organising(1, 5, 5, 5)
    result = score(model, answers)
    assert cap_notes(model, result, "organising", "zh") == ["必备项『工会经费足额拨缴』仅达第 1 级，本准则最高计为第 1 级"]
    formula = explain_criterion(model, result, "organising", answers, "zh").formula
    assert "达到等级 = min(⌊4.2⌋, ⌊1⌋（必备项『工会经费足额拨缴』）, ⌊5⌋（必备项『入会率达到90%』）) = 1" in formula
    assert formula.endswith("必备项『工会经费足额拨缴』仅达第 1 级，本准则最高计为第 1 级")
    rows = explain_criterion(model, result, "organising", answers, "zh").rows
    assert str(rows[0]["项目"]).startswith("【必备项】") and not str(rows[2]["项目"]).startswith("【必备项】")
    en = explain_criterion(model, result, "organising", answers, "en").formula
    assert "achieved level = min(⌊4.2⌋, ⌊1⌋ (essential item “Is the union funding contribution paid in full”)" in en


def test_a_model_without_essentials_scores_as_before():
    """Random answers on the 2025.1 model (no 必备项): achieved is floor(level), the gap from level, as before."""
    old = load_model(ROOT / "tests" / "frameworks" / "brand-union-2025.1.yaml").model
    assert old.essentials == {}
    rng = random.Random(11)
    for _ in range(200):
        answers = {i.id: rng.choice([1, 2, 3, 4, 5, 2.5, "na", None]) for i in old.indicators}
        answers = {k: v for k, v in answers.items() if v is not None}
        result = score(old, answers)
        for cr in result.criteria.values():
            level = cr.score.level
            assert cr.caps == () and cr.essential_missing == ()
            if level is None:
                assert cr.achieved is None and cr.gap is None
                continue
            assert cr.achieved == cr.uncapped == int(level + 1e-9)
            assert cr.effective_level == level
            assert cr.gap == pytest.approx(max(0.0, cr.target - level))


def test_na_is_refused_on_an_essential_question(model):
    assert not model.indicator_by_id["organising.funds"].allow_na
    assert model.indicator_by_id["serving.studio"].allow_na
    data = {"format": "maturity-assessment/1", "model": {"id": model.id, "version": model.version},
            "organisation": {"name": "某工会"}, "answers": {"organising.funds": "na"}}
    with pytest.raises(AssessmentInvalid) as err:
        parse(data, model)
    assert "organising.funds" in str([e.message("en") for e in err.value.errors])


def _with(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_allow_na_true_beside_essential_is_a_located_error():
    text = FIXTURE.read_text(encoding="utf-8")
    bad = _with(text, "            essential: true\n", "            essential: true\n            allow_na: true\n")
    line = bad.splitlines().index("            allow_na: true") + 1
    with pytest.raises(ModelLoadError) as err:
        load_model_text(bad, "essential.yaml")
    (e,) = err.value.errors
    assert (e.code, e.line) == ("essential_na", line)
    assert e.format("zh").startswith(f"essential.yaml:{line}:")
    assert "必备项（essential: true）不能设为不适用" in e.format("zh")
    # allow_na: false beside it is fine, and so is allow_na: true on an ordinary question
    fine = _with(text, "            essential: true\n", "            essential: true\n            allow_na: false\n")
    assert load_model_text(fine).model.indicator_by_id["organising.funds"].essential


def test_essential_and_evidence_errors_are_located():
    text = FIXTURE.read_text(encoding="utf-8")
    not_bool = _with(text, "            essential: true\n", "            essential: sometimes\n")
    with pytest.raises(ModelLoadError) as err:
        load_model_text(not_bool, "m.yaml")
    assert [e.path for e in err.value.errors] == ["groups[0].criteria[0].indicators[0].essential"]
    assert err.value.errors[0].line == not_bool.splitlines().index("            essential: sometimes") + 1
    not_list = _with(text, "            evidence:\n              - {zh: 拨缴凭证, en: Payment vouchers}\n"
                     "              - {zh: 经费台账, en: Funds ledger}\n", "            evidence: 12\n")
    with pytest.raises(ModelLoadError) as err:
        load_model_text(not_list, "m.yaml")
    assert [e.path for e in err.value.errors] == ["groups[0].criteria[0].indicators[0].evidence"]
    bad_lang = _with(text, "{zh: 拨缴凭证, en: Payment vouchers}", "{zh: 拨缴凭证, fr: Bons}")
    with pytest.raises(ModelLoadError) as err:
        load_model_text(bad_lang, "m.yaml")
    codes = {(e.code, e.path) for e in err.value.errors}
    assert ("undeclared_language", "groups[0].criteria[0].indicators[0].evidence[0].fr") in codes


def test_evidence_entries_are_texts_as_written_and_checked_by_strict(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    written = _with(text, "{zh: 拨缴凭证, en: Payment vouchers}", "{zh: 拨缴凭证, en: No}")
    written = _with(written, "              - {zh: 经费台账, en: Funds ledger}\n", "              - 1.10\n")
    ind = load_model_text(written).model.indicator_by_id["organising.funds"]
    assert ind.evidence == [{"zh": "拨缴凭证", "en": "No"}, {"zh": "1.10"}]
    path = tmp_path / "m.yaml"
    path.write_text(written, encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "maturity", "validate", "--strict", str(path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin",
                         "MATURITY_LANG": "en", "PYTHONPATH": str(ROOT)})
    assert res.returncode == 1
    assert "groups[0].criteria[0].indicators[0].evidence[1]: no translation for: en" in res.stdout


def test_score_json_names_the_capping_essential(tmp_path, model):
    answers = {i.id: 4 for i in model.indicators} | {"organising.funds": 1}
    data = {"format": "maturity-assessment/1", "model": {"id": model.id, "version": model.version},
            "organisation": {"name": "某工会"}, "language": "zh", "answers": answers}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "maturity", "score", str(path), "--model", str(FIXTURE)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "MATURITY_LANG": "zh", "PYTHONPATH": str(ROOT)})
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["overall"]["stage"] == 1
    org = out["criteria"]["organising"]
    # S = (0 + 0.75 + 2 × 0.75 + 0.75) / 5 = 0.6, level 3.4
    assert (org["achieved"], org["uncapped"], org["essential_missing"]) == (1, 3, [])
    assert org["caps"] == [{"indicator": "organising.funds", "answer": 1.0, "level": 1,
                            "message": "必备项『工会经费足额拨缴』仅达第 1 级，本准则最高计为第 1 级"}]
    assert out["criteria"]["serving"]["caps"] == []


def test_cap_is_a_public_value():
    assert Cap("x", 1.5, 1) == Cap("x", 1.5, 1)


def test_an_essential_item_is_named_by_its_short_name_when_it_has_one(model):
    """organising.membership has ``name``; organising.funds has none and is named by its question."""
    result = score(model, organising(1, 2, 5, 5))
    assert cap_notes(model, result, "organising", "zh") == [
        "必备项『工会经费足额拨缴』仅达第 1 级，本准则最高计为第 1 级",
        "必备项『入会率达到90%』仅达第 2 级，本准则最高计为第 2 级",
    ]
    assert "Essential item “Union membership of at least 90%” reaches only level 2" in cap_notes(
        model, result, "organising", "en")[1]
