"""必备项 and 佐证材料 in the PDF: the cap sentence in the capped criterion's section, the stage held down in the
summary, 【必备项】 on essential questions, the evidence under each question; none of it without essentials."""

from __future__ import annotations

import re

import pytest

from maturity.assessment import Assessment
from maturity.explain import cap_notes, stage_cap_note
from maturity.i18n import t
from maturity.loader import LoadedModel, load_model
from maturity.report import build_report
from maturity.scoring import Answer, score
from tests.conftest import TEST_FRAMEWORKS
from tests.test_report import poppler, squash


def flat(text: str) -> str:
    """Text without whitespace and quotes: wrapped lines match, and the English report's straight quotes too."""
    return re.sub(r"[\"'“”‘’]", "", squash(text))


@pytest.fixture(scope="module")
def essential() -> LoadedModel:
    """tests/frameworks/essential.yaml: 必备项 in two criteria, evidence lists."""
    return load_model(TEST_FRAMEWORKS / "essential.yaml")


def assessment(loaded: LoadedModel, answers: dict[str, Answer]) -> Assessment:
    m = loaded.model
    return Assessment(model_id=m.id, model_version=m.version, organisation={"name": "某某公司工会"},
                      assessed_at="2026-03-01", answers=answers)


@pytest.fixture(scope="module")
def capped(essential) -> dict[str, Answer]:
    """Every answer 4 but 工会经费足额拨缴 at 1: 组织力 (mean 3.4) capped at 1, the stage with it."""
    answers: dict[str, Answer] = {i.id: 4 for i in essential.model.indicators}
    answers["organising.funds"] = 1
    return answers


@pytest.fixture(scope="module")
def pdfs(essential, capped) -> dict[str, bytes]:
    """The capped assessment's report in zh and en, built once."""
    return {lang: build_report(essential, assessment(essential, capped), lang=lang) for lang in ("zh", "en")}


def sections(text: str, lang: str) -> tuple[str, str]:
    """(the summary, the criterion-by-criterion section) of the report's text."""
    summary_title = t("report.summary.title", lang)
    criteria_title = t("report.criteria.title", lang)
    roadmap_title = t("report.roadmap.title", lang)
    body = text.split(squash(summary_title), 1)[1]
    summary, rest = body.split(squash(criteria_title), 1)
    return summary, rest.split(squash(roadmap_title), 1)[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_capped_criterion_section_says_which_item_caps_it(pdfs, essential, capped, lang, tmp_path):
    m = essential.model
    text = flat(poppler("pdftotext", pdfs[lang], tmp_path))
    _, criteria = sections(text, lang)
    result = score(m, capped)
    [cap] = cap_notes(m, result, "organising", lang)
    organising, rest = criteria.split(flat(m.t(m.criterion_by_id["serving"].name, lang)), 1)
    assert flat(cap) in organising
    assert flat(t("essential_ui.achieved_held", lang, name="")) in organising
    for cid in ("serving", "branding"):  # not capped: no sentence
        assert not cap_notes(m, result, cid, lang)
    counts_at_most = flat(t("essential.caps", lang, name="X", level=9).split("9")[1])  # "级，本准则最高计为第"
    assert counts_at_most in organising and counts_at_most not in rest


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_says_the_stage_is_held_down_by_which_item(pdfs, essential, capped, lang, tmp_path):
    m = essential.model
    summary, _ = sections(flat(poppler("pdftotext", pdfs[lang], tmp_path)), lang)
    held = stage_cap_note(m, score(m, capped), lang)
    assert held is not None
    assert summary.count(flat(held)) == 2  # under the key figures and in the assessment's text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_questions_are_marked_and_list_their_evidence(pdfs, essential, lang, tmp_path):
    m = essential.model
    _, criteria = sections(flat(poppler("pdftotext", pdfs[lang], tmp_path)), lang)
    mark = flat(t("essential.mark", lang))
    for ind in m.indicators:
        question = flat(m.t(ind.question, lang))
        assert (mark + question in criteria) == ind.essential, ind.id
    sep = "、" if lang == "zh" else ","
    funds = m.indicator_by_id["organising.funds"]
    evidence = flat(t("essential_ui.evidence", lang, items=sep.join(m.t(e, lang) for e in funds.evidence)))
    assert evidence in criteria
    assert criteria.count(flat(t("essential_ui.evidence", lang, items=""))) == 4  # the four questions that have any


def test_zh_report_wording(pdfs, tmp_path):
    text = flat(poppler("pdftotext", pdfs["zh"], tmp_path))
    for needle in ("必备项『工会经费足额拨缴』仅达第1级，本准则最高计为第1级", "【必备项】工会经费足额拨缴",
                   "佐证材料：拨缴凭证、经费台账", "总体阶段为第1级，受必备项限制：『工会经费足额拨缴』（组织力，仅达第1级）"):
        assert needle in text


def test_priorities_table_starts_from_the_capped_level(pdfs, tmp_path):
    text = flat(poppler("pdftotext", pdfs["zh"], tmp_path))
    summary, _ = sections(text, "zh")
    assert "1组织力1.02.01.0" in summary  # current 1.0 (the 必备项), not the mean 3.4


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_model_without_essentials_shows_none_of_it(tiny, lang, tmp_path):
    answers: dict[str, Answer] = {i.id: 2 for i in tiny.model.indicators}
    text = flat(poppler("pdftotext", build_report(tiny, assessment(tiny, answers), lang=lang), tmp_path))
    for key in ("essential.mark", "essential.label"):
        assert flat(t(key, lang)) not in text
    assert flat(t("essential_ui.evidence", lang, items="")) not in text
    assert flat(t("essential_ui.achieved_held", lang, name="")).strip("（）()") not in text
