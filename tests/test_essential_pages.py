"""必备项 and 佐证材料 on the pages: the questionnaire's mark, evidence and missing N/A; the results page's cap
sentences, stage line and capped level; the roadmap's reason; none of it for a model without essentials."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from maturity.explain import cap_notes, stage_cap_note
from maturity.i18n import t
from maturity.loader import LoadedModel, load_model
from maturity.scoring import NA, score
from maturity.store import Store
from pages._ui import escape_md
from tests import helpers
from tests.conftest import TEST_FRAMEWORKS


@pytest.fixture(scope="module")
def essential() -> LoadedModel:
    """tests/frameworks/essential.yaml: 必备项 in two criteria, evidence lists."""
    return load_model(TEST_FRAMEWORKS / "essential.yaml")


def capped_answers(model) -> dict[str, object]:
    """Every answer 4 but 工会经费足额拨缴 at 1: 组织力 (mean 3.4) is capped at 1, and so is the stage."""
    answers: dict[str, object] = {i.id: 4 for i in model.indicators}
    answers["organising.funds"] = 1
    return answers


def opened(root, store: Store, loaded: LoadedModel, page: str, lang: str, answers=None) -> AppTest:
    record = store.create_assessment(loaded, {"name": "某某公司工会"}, assessed_at="2026-03-01")
    if answers:
        store.save_answers(record.token, answers)
    at = helpers.open_page(root, page, lang, record.token)
    assert not at.exception
    return at


def texts(at: AppTest) -> str:
    """Every markdown, caption, warning and info of the page, as sent to the browser."""
    return "\n".join(e.value for kind in ("markdown", "caption", "warning", "info") for e in getattr(at, kind))


# -- questionnaire ------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_questionnaire_marks_essential_items_shows_evidence_and_no_na(root, store, essential, lang):
    at = opened(root, store, essential, "questionnaire", lang)
    m = essential.model
    funds = m.indicator_by_id["organising.funds"]
    title = next(e.value for e in at.markdown if escape_md(m.t(funds.question, lang)) in e.value)
    assert f":red-badge[{escape_md(t('essential.label', lang))}]" in title
    homes = next(e.value for e in at.markdown if escape_md(m.t(m.indicator_by_id["organising.homes"].question,
                                                                lang)) in e.value)
    assert "badge" not in homes  # not essential: no mark
    captions = [c.value for c in at.caption]
    assert captions.count(t("essential_ui.question_note", lang)) == 2  # 工会经费 and 入会率 on this step
    sep = "、" if lang == "zh" else ", "
    assert t("essential_ui.evidence", lang, items=escape_md(sep.join(m.t(e, lang) for e in funds.evidence))) \
        in captions
    congress = m.indicator_by_id["organising.congress"]
    assert t("essential_ui.evidence", lang, items=escape_md(m.t(congress.evidence[0], lang))) in captions
    assert NA not in at.radio(key="ans-organising.funds").options
    assert len(at.radio(key="ans-organising.funds").options) == 5


def test_questionnaire_na_stays_where_the_model_allows_it(root, store, essential):
    at = opened(root, store, essential, "questionnaire", "zh")
    at.radio(key="step").set_value(1).run()
    assert "不适用" in at.radio(key="ans-serving.studio").options
    assert "不适用" not in at.radio(key="ans-serving.rights").options


def test_evidence_is_shown_as_text_not_markdown(root, store, tmp_path):
    raw = (TEST_FRAMEWORKS / "essential.yaml").read_text(encoding="utf-8")
    hostile = raw.replace("{zh: 拨缴凭证, en: Payment vouchers}", '{zh: "**粗体** <b>x</b> [链接](http://e.com)", en: x}')
    path = tmp_path / "hostile.yaml"
    path.write_text(hostile, encoding="utf-8")
    at = opened(root, store, load_model(path), "questionnaire", "zh")
    shown = [c.value for c in at.caption if c.value.startswith("佐证材料")]
    assert shown[0] == "佐证材料：" + escape_md("**粗体** <b>x</b> [链接](http://e.com)、经费台账")
    assert "<b>" not in shown[0]


# -- results ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_results_name_the_capping_item_near_the_level_and_the_stage(root, store, essential, lang):
    m = essential.model
    answers = capped_answers(m)
    at = opened(root, store, essential, "results", lang, answers)
    result = score(m, answers)
    warnings = [w.value for w in at.warning]
    stage_line = stage_cap_note(m, result, lang)
    assert stage_line is not None
    assert ("『工会经费足额拨缴』（组织力，仅达第 1 级）" if lang == "zh" else "union funding contribution") in stage_line
    assert escape_md(stage_line) in warnings
    [cap] = cap_notes(m, result, "organising", lang)
    assert escape_md(t("essential_ui.criterion_note", lang, criterion=m.t(m.criterion_by_id["organising"].name, lang),
                       note=cap)) in "\n".join(warnings)
    shown = texts(at)
    assert not cap_notes(m, result, "serving", lang)  # uncapped: no sentence
    serving = escape_md(m.t(m.criterion_by_id["serving"].name, lang))
    assert not any(serving in w for w in warnings)
    assert shown.count(escape_md(cap)) == 1
    table = at.dataframe[0].value
    achieved = list(table[t("r.col.achieved", lang)])
    assert achieved[0] == t("essential_ui.achieved_capped", lang, name=m.t(m.levels[1].name, lang), level="3.4")
    assert achieved[1] == m.t(m.levels[4].name, lang)  # 服务力: not capped, its name alone


def test_results_cap_sentence_is_absent_for_an_uncapped_criterion(root, store, essential):
    m = essential.model
    answers = {i.id: 4 for i in m.indicators} | {"serving.rights": 2}
    at = opened(root, store, essential, "results", "zh", answers)
    shown = texts(at)
    assert escape_md("必备项『依法维权机制健全』仅达第 2 级，本准则最高计为第 2 级") in shown
    assert "必备项『工会经费足额拨缴』" not in shown  # at 4, like the mean: not a cap
    assert "总体阶段为第 2 级，受必备项限制：『依法维权机制健全』（服务力，仅达第 2 级）" in shown
    assert "仅达第 4 级" not in shown


def test_results_name_unanswered_essentials_as_low_confidence(root, store, essential):
    m = essential.model
    answers = {i.id: 3 for i in m.indicators if i.id != "organising.membership"}
    at = opened(root, store, essential, "results", "zh", answers)
    warnings = "\n".join(w.value for w in at.warning)
    assert escape_md("组织力：必备项『入会率达到90%』尚未作答，本准则结果可信度低") in warnings
    assert "低置信）：组织力" not in warnings  # more than half answered: not named for the wrong reason
    assert "受必备项限制" not in warnings  # all at 3: nothing capped


def test_results_of_a_model_without_essentials_show_none_of_it(root, store, tiny):
    at = opened(root, store, tiny, "results", "zh", {"leading.party": 1, "leading.model-workers": 4,
                                                       "digital.platform": 2})
    shown = texts(at)
    for word in ("必备项", "🔒", "佐证材料："):  # "佐证材料：" is the model's list (the view-link panel names 佐证材料)
        assert word not in shown
    assert not any("必备项" in str(v) for v in at.dataframe[0].value.to_numpy().ravel())


# -- roadmap and the questionnaire of a model without essentials ----------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_roadmap_says_why_it_starts_from_a_capped_level(root, store, essential, lang):
    m = essential.model
    answers = capped_answers(m)
    at = opened(root, store, essential, "roadmap", lang, answers)
    [cap] = cap_notes(m, score(m, answers), "organising", lang)
    [info] = [i.value for i in at.info]
    assert escape_md(t("essential_ui.roadmap_intro", lang)) in info
    line = t("essential_ui.criterion_note", lang, criterion=m.t(m.criterion_by_id["organising"].name, lang), note=cap)
    assert f"- {escape_md(line)}" in info


def test_roadmap_and_questionnaire_without_essentials_say_nothing_of_them(root, store, tiny):
    at = opened(root, store, tiny, "roadmap", "zh", {"leading.party": 1, "digital.platform": 2})
    assert not at.info
    at = opened(root, store, tiny, "questionnaire", "zh")
    shown = texts(at)
    # "佐证材料：" is the model's list; the upload panel, always there, names 佐证材料 too
    assert "必备项" not in shown and "badge" not in shown and "佐证材料：" not in shown


# -- the workshop's phone page ------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_phone_page_marks_essential_items_and_lists_evidence(root, store, essential, lang):
    from maturity.workshop import WorkshopService

    svc = WorkshopService(store)
    ws, _ = svc.create(store.get_model_snapshot(store.save_model_snapshot(essential)), "春季研讨会")
    at = helpers.open_page(root, "workshop", lang)
    at.text_input(key="wsj_code").input(ws.code)
    [join] = [b for b in at.button if b.label == t("wsjoin.join", lang)]
    at = join.click().run()
    assert not at.exception
    m = essential.model
    funds = m.indicator_by_id["organising.funds"]
    title = next(e.value for e in at.markdown if escape_md(m.t(funds.question, lang)) in e.value)
    assert f":red-badge[{escape_md(t('essential.label', lang))}]" in title
    captions = [c.value for c in at.caption]
    assert captions.count(t("essential_ui.question_note", lang)) == 2
    sep = "、" if lang == "zh" else ", "
    assert t("essential_ui.evidence", lang, items=escape_md(sep.join(m.t(e, lang) for e in funds.evidence))) \
        in captions
    assert NA not in at.radio(key="wsj_ans_organising.funds").options
