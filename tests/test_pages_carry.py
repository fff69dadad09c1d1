"""A 2025.1 assessment after the catalogue moved to 2026.1: it opens as answered, history compares, it carries over.

The "2026.1" here is made from tests/frameworks/brand-union-2025.1.yaml by three edits (one question
reworded, one id renamed, the version), so the test does not depend on the rewrite of
frameworks/brand-union.yaml.
"""

from __future__ import annotations

import pytest

from maturity.loader import LoadedModel, load_model, load_model_text
from maturity.scoring import NA, score
from maturity.store import Store
from tests import helpers
from tests.conftest import TEST_FRAMEWORKS
from tests.helpers import HOSTILE

OLD = load_model(TEST_FRAMEWORKS / "brand-union-2025.1.yaml")
OLD_QUESTION = "工会工作与企业发展战略对接、组织职工建功立业的情况如何？"
NEW_QUESTION = "工会工作与企业年度经营目标对接、组织职工建功立业的情况如何？"


def _new_version() -> LoadedModel:
    text = OLD.source
    for old, new in [('version: "2025.1"', 'version: "2026.1"'), (OLD_QUESTION, NEW_QUESTION),
                     ("- id: digital.operations", "- id: digital.security")]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return load_model_text(text, "brand-union-2026.1")


NEW = _new_version()
ANSWERS = {"leading.party-building": 3, "leading.strategy": 2, "digital.operations": 4, "digital.platform": 3,
           "organising.membership": 4}


@pytest.fixture
def catalogue(store: Store, tmp_path):
    """The app's model folder now holds brand-union 2026.1 (beside the tiny model)."""
    (tmp_path / "frameworks" / "brand-union.yaml").write_text(NEW.source, encoding="utf-8")
    return store


def old_assessment(store: Store, name: str = "甲工会"):
    record = store.create_assessment(OLD, {"name": name}, assessed_at="2025-06-01")
    store.save_answers(record.token, ANSWERS, {"leading.party-building": HOSTILE})
    return record


def export(store: Store, token: str) -> bytes:
    record = store.get_assessment(token)
    assert record is not None
    return record.to_assessment().to_json().encode("utf-8")


def test_an_old_assessment_opens_and_scores_under_its_pinned_model(root, catalogue):
    record = old_assessment(catalogue)
    at = helpers.open_page(root, "questionnaire", token=record.token)
    assert not at.exception
    assert "2025.1" in at.caption[0].value
    shown = " ".join(r.label for r in at.radio) + " ".join(m.value for m in at.markdown)
    assert OLD_QUESTION in shown and NEW_QUESTION not in shown
    at = helpers.open_page(root, "results", token=record.token)
    assert not at.exception
    index = score(OLD.model, ANSWERS).overall.index
    assert next(m for m in at.metric if m.label == "综合指数").value == f"{index:.1f}"


def test_history_compares_across_versions(root, catalogue):
    old = old_assessment(catalogue)
    new = catalogue.create_assessment(NEW, {"name": "甲工会"}, assessed_at="2026-06-01")
    catalogue.save_answers(new.token, {"leading.party-building": 4, "leading.strategy": 2, "digital.security": 2,
                                       "organising.new-forms": NA})
    at = helpers.open_page(root, "history")
    assert not at.exception
    said = " ".join(i.value for i in at.info)
    assert "版本不同（2025\\.1 → 2026\\.1）：新增 1 题，修改 1 题，删除 1 题，未变 30 题" in said
    assert [e.label for e in at.expander if "题目（" in e.label] == ["新增的题目（1）", "修改过的题目（1）", "删除的题目（1）"]
    frames = [d.value for d in at.dataframe]
    changed = next(f for f in frames if "改动之处" in f.columns)
    assert changed.to_dict("records") == [{"准则": "引领力", "题目": NEW_QUESTION, "改动之处": "已修改：题干"}]
    per_question = next(f for f in frames if "题目改动" in f.columns).set_index("题目")
    assert per_question.loc[NEW_QUESTION, "题目改动"] == "已修改：题干"
    assert per_question.loc[NEW_QUESTION, "变化"] == "="  # the same answer, to a reworded question
    party = "党组织对工会工作的领导和“党建带工建”机制落实到什么程度？"
    assert per_question.loc[party, "题目改动"] == "" and per_question.loc[party, "变化"] == "↑"
    assert (per_question["题目改动"] != "").sum() == 1
    assert "digital.operations" not in " ".join(per_question.index) and len(per_question) == 31
    at.toggle(key="history_changed_only").set_value(True).run()
    kept = next(d.value for d in at.dataframe if "题目改动" in d.value.columns)
    assert NEW_QUESTION in set(kept["题目"])  # a changed question stays in "only what changed", same answer or not
    assert old.token != new.token


def test_the_banner_and_the_button_carry_an_old_assessment_over(root, catalogue):
    old = old_assessment(catalogue, HOSTILE)
    before = export(catalogue, old.token)
    at = helpers.open_page(root, "history")
    assert not at.exception
    banner = "本次自评按 2025\\.1 版模型作答；现有 2026\\.1 版（新增 1 题，修改 1 题，删除 1 题）。"
    assert banner in [i.value for i in at.info]
    at.button(key="history_carry").click().run()
    assert not at.exception
    carried = [s for s in catalogue.list_assessments() if s.token != old.token]
    assert len(carried) == 1 and carried[0].model_version == "2026.1"
    assert carried[0].organisation == {"name": HOSTILE}
    assert at.session_state["token"] == carried[0].token and at.query_params["a"] == carried[0].token
    record = catalogue.get_assessment(carried[0].token)
    assert record is not None
    assert record.answers == {k: v for k, v in ANSWERS.items() if k not in ("leading.strategy", "digital.operations")}
    assert record.notes == {"leading.party-building": HOSTILE}
    assert export(catalogue, old.token) == before


def test_the_carried_assessment_opens_in_the_questionnaire_saying_what_was_kept(root, catalogue):
    old_assessment(catalogue)
    at = helpers.open_page(root, "history", lang="en")
    assert any(i.value.startswith("This self-check was answered against version 2025\\.1") for i in at.info)
    at.button(key="history_carry").click().run()
    assert not at.exception
    assert "2026.1" in at.caption[0].value  # the questionnaire's model line: the new version is open
    kept = len(ANSWERS) - 2
    assert [s.value for s in at.success] == [
        f"Carried over to version 2026\\.1: {kept} questions kept their answers, {32 - kept} are left to answer. "
        "The original self-check (version 2025\\.1) is kept unchanged and opens from History & compare."]


def test_no_offer_when_the_catalogue_is_not_newer(root, store, tiny):
    store.create_assessment(tiny, {"name": "乙工会"}, assessed_at="2025-06-01")
    at = helpers.open_page(root, "history")
    assert not at.exception
    assert not any("现有" in i.value for i in at.info)
    assert not [b for b in at.button if b.key == "history_carry"]


def test_no_offer_when_the_pinned_version_is_newer_than_the_catalogue(root, store, tmp_path):
    (tmp_path / "frameworks" / "brand-union.yaml").write_text(OLD.source, encoding="utf-8")
    store.create_assessment(NEW, {"name": "丙工会"}, assessed_at="2026-06-01")
    at = helpers.open_page(root, "history")
    assert not at.exception
    assert not [b for b in at.button if b.key == "history_carry"]


def test_the_results_page_offers_it_and_a_second_click_opens_the_copy_instead_of_making_another(root, catalogue):
    old = old_assessment(catalogue)
    at = helpers.open_page(root, "results", token=old.token)
    assert not at.exception
    assert any(i.value.startswith("本次自评按 2025\\.1 版模型作答") for i in at.info)
    at.button(key="carry_over").click().run()
    assert not at.exception
    (carried,) = [s for s in catalogue.list_assessments() if s.token != old.token]
    # back to the old self-check in the same browser session: the offer now opens the copy it made
    at.query_params["a"] = old.token
    at.session_state["token"] = old.token
    at.switch_page("pages/results.py").run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "carry_over"]
    at.button(key="carry_over_open").click().run()
    assert not at.exception
    assert at.query_params["a"] == carried.token
    assert len(catalogue.list_assessments()) == 2
