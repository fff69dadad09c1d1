"""``instructions`` on a model (issue 11, format addition 2): how to answer, before the first question and in the PDF."""

from __future__ import annotations

from maturity.assessment import Assessment
from maturity.loader import load_model, load_model_text
from maturity.report import build_report
from tests import helpers
from tests.conftest import TEST_FRAMEWORKS
from tests.test_report import poppler, squash

TINY = (TEST_FRAMEWORKS / "tiny.yaml").read_text(encoding="utf-8")
SAID = {"zh": "选择某一级须同时满足以下各级，**拿不准**<b>选低一级</b>。", "en": "Levels add up: **when unsure** <b>go lower</b>."}


def with_instructions(zh: str = SAID["zh"], en: str | None = SAID["en"]):
    lines = f"instructions:\n  zh: '{zh}'\n" + (f"  en: '{en}'\n" if en else "")
    return load_model_text(TINY.replace("languages: [zh, en]\n", lines + "languages: [zh, en]\n", 1))


def test_instructions_load_in_both_languages_and_a_missing_one_warns():
    m = with_instructions().model
    assert m.t(m.instructions, "zh") == SAID["zh"] and m.t(m.instructions, "en") == SAID["en"]
    warned = with_instructions(en=None).warnings
    assert any(w.code == "missing_translation" and w.path == "instructions" for w in warned)
    assert load_model_text(TINY).model.instructions is None  # optional: models without it load as before


def test_brand_union_states_the_cumulative_rule(root):
    m = load_model(root / "frameworks" / "brand-union.yaml").model
    assert "须同时满足该级及以下各级的条件" in m.t(m.instructions, "zh")
    assert "cumulative" in m.t(m.instructions, "en")


def test_the_questionnaire_shows_them_as_text_before_the_first_question(root, store):
    record = store.create_assessment(with_instructions(), {"name": "某某工会"}, assessed_at="2026-12-01")
    for lang in ("zh", "en"):
        at = helpers.open_page(root, "questionnaire", lang, record.token)
        assert not at.exception, at.exception
        [box] = [e for e in at.expander if e.label == {"zh": "答题说明", "en": "How to answer"}[lang]]
        shown = " ".join(md.value for md in box.markdown)
        assert r"\*\*" in shown and "<b>" not in shown.replace(r"\<b\>", "")  # typed by the author: text, not markup
        assert "**" not in shown.replace(r"\*\*", "")


def test_the_pdf_method_appendix_carries_them(tmp_path):
    loaded = with_instructions()
    m = loaded.model
    a = Assessment(model_id=m.id, model_version=m.version, organisation={"name": "某某工会"},
                   assessed_at="2026-12-01", answers={i.id: 2 for i in m.indicators})
    for lang, heading in (("zh", "答题说明"), ("en", "How to answer")):
        text = squash(poppler("pdftotext", build_report(loaded, a, lang=lang), tmp_path))
        assert squash(heading) in text
        assert squash(SAID[lang]) in text  # the PDF prints the author's text as it is


def test_validate_strict_covers_the_instructions(root, tmp_path):
    from tests.test_cli import run

    path = tmp_path / "instr.yaml"
    path.write_text(TINY.replace("languages: [zh, en]\n", "instructions: {zh: 逐级累积}\nlanguages: [zh, en]\n", 1),
                    encoding="utf-8")
    res = run(root, "validate", "--strict", str(path))
    assert res.returncode == 1
    [line] = [x for x in res.stdout.splitlines() + res.stderr.splitlines() if "instructions" in x]
    assert line.startswith(f"{path}:6:") and "en" in line  # located like every other missing translation
    assert run(root, "validate", str(path)).returncode == 0  # a warning only without --strict
