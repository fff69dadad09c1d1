"""What a first-time user stumbled on (issue 8): English in the Chinese UI, the explanation, targets, history, start."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from maturity import compare, i18n
from maturity.explain import explain_criterion, explain_mean_of_criteria, fmt_index
from maturity.scoring import NA, score
from tests import helpers

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")
ANSWERS = {"leading.party": 2, "leading.model-workers": 3, "organising.membership": NA, "digital.platform": 3}


def _calls(name: str) -> list[tuple[str, int, ast.Call]]:
    out = []
    for path in sorted((ROOT / "pages").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name:
                out.append((path.name, node.lineno, node))
    return out


# ---------------------------------------------------------------- English in the Chinese UI


def test_every_select_in_pages_has_a_translated_placeholder():
    """Streamlit's own 'Choose an option' shows in a cleared select unless the page passes a placeholder."""
    calls = _calls("selectbox") + _calls("multiselect")
    assert calls
    missing = [f"{f}:{line}" for f, line, call in calls if not any(k.arg == "placeholder" for k in call.keywords)]
    assert not missing, missing


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_results_selects_carry_the_placeholder_in_the_language(root, store, tiny, lang):
    record = store.create_assessment(tiny, {"name": "甲工会"})
    store.save_answers(record.token, ANSWERS)
    at = helpers.open_page(root, "results", lang, record.token)
    assert not at.exception
    placeholders = [s.proto.placeholder for s in at.selectbox]
    assert placeholders and all(placeholders)
    assert all(bool(CJK.search(p)) == (lang == "zh") for p in placeholders), placeholders


def test_no_full_width_colon_in_page_code():
    """A '：' written in a page's Python shows in English too; such joins come from the catalogue."""
    hits = []
    for path in sorted((ROOT / "pages").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "：" in node.value:
                hits.append(f"{path.name}:{node.lineno}")
    assert not hits, hits


def test_no_full_width_punctuation_in_the_english_catalogue():
    bad = {k: v for k, v in i18n.catalogue("en").items() if re.search(r"[：，。；（）]", v)}
    assert not bad, bad


def test_one_name_for_the_overall_index():
    """综合指数 everywhere: not also 总指数 / 总体指数 (catalogue, report, charts, docs)."""
    files = [*(ROOT / "maturity").rglob("*.py"), *(ROOT / "maturity" / "locales").glob("*.yaml"),
             *(ROOT / "pages").glob("*.py"), *(ROOT / "docs").rglob("*.md"), ROOT / "README.md", ROOT / "app.py"]
    hits = [f"{p.relative_to(ROOT)}" for p in files if re.search("总指数|总体指数", p.read_text(encoding="utf-8"))]
    assert not hits, hits
    en = i18n.catalogue("en")
    for key in ("r.index", "history.overall", "wshost.overall"):
        if key in en:
            assert en[key] == "Overall index", key


# ---------------------------------------------------------------- 计算过程


def test_explain_rows_speak_0_100_and_never_none(tiny):
    model = tiny.model
    result = score(model, ANSWERS)
    ex = explain_criterion(model, result, "organising", ANSWERS, "zh")
    values = [v for row in ex.rows for v in row.values()]
    assert None not in values and "None" not in map(str, values)
    col = i18n.t("explain.col.s", "zh")
    assert "0–100" in col
    party = next(r for r in explain_criterion(model, result, "leading", ANSWERS, "zh").rows if "党组织" in str(r))
    assert party[col] == fmt_index(100 * result.indicator_values["leading.party"])


def test_explain_formula_shows_the_result_first(tiny):
    model = tiny.model
    result = score(model, ANSWERS)
    ex = explain_mean_of_criteria(model, result.overall, "zh")
    first = ex.formula.splitlines()[0]
    assert first.startswith(f"指数 = {fmt_index(result.overall.index)} = ")
    assert len(ex.formula.splitlines()) >= 2


def test_explain_block_wraps_and_index_help_names_a_real_section(root, store, tiny):
    record = store.create_assessment(tiny, {"name": "甲工会"})
    store.save_answers(record.token, ANSWERS)
    for lang in ("zh", "en"):
        at = helpers.open_page(root, "results", lang, record.token)
        assert not at.exception
        assert at.code and all(c.proto.wrap_lines for c in at.code)
        help_text = next(m for m in at.metric if m.label == i18n.t("r.index", lang)).proto.help
        named = re.findall(r"“([^”]+)”", help_text)
        assert named, help_text
        headings = {h.value for h in at.subheader}
        assert set(named) <= headings | {i18n.t("r.index", lang)}, (named, headings)
        shown = " ".join(str(df.value.to_dict()) for df in at.dataframe)
        assert "None" not in shown


# ---------------------------------------------------------------- 设定目标


def test_target_default_says_what_it_is_and_saving_it_is_confirmed(root, store, tiny):
    record = store.create_assessment(tiny, {"name": "甲工会"})
    store.save_answers(record.token, ANSWERS)
    at = helpers.open_page(root, "results", "zh", record.token)
    box = at.selectbox(key="target-leading")  # the criterion's own target is 4 引领
    assert "4" in box.options[0] and "引领" in box.options[0]
    box.set_value(4)
    next(b for b in at.button if b.label == i18n.t("r.targets_save", "zh")).click().run()
    assert not at.exception
    said = " ".join(x.value for x in [*at.success, *at.info])
    assert "目标" in said and "引领力" in said, said
    assert store.get_assessment(record.token).targets == {"leading": 4}
    at.selectbox(key="target-leading").set_value("default")  # back to the default: the union's own target goes
    next(b for b in at.button if b.label == i18n.t("r.targets_save", "zh")).click().run()
    assert not at.exception
    assert store.get_assessment(record.token).targets == {}
    assert any("默认" in x.value for x in at.success)


# ---------------------------------------------------------------- 历史对比


def _entries(store, tiny):
    out = []
    for name, date, answers in (("甲工会", "2025-05-01", ANSWERS), ("甲工会", "2025-05-01", {"leading.party": 4}),
                                ("乙工会", "2025-01-01", ANSWERS)):
        record = store.create_assessment(tiny, {"name": name}, assessed_at=date)
        store.save_answers(record.token, answers)
        full = store.get_assessment(record.token)
        result = score(tiny.model, full.answers)
        out.append(compare.history_entry(record.token, name, date, full.created_at, tiny.model, result, "zh"))
    return out


def test_history_labels_are_unique_and_lead_with_date_and_index(store, tiny):
    entries = _entries(store, tiny)
    labels = compare.option_labels(entries, "zh")
    assert len(set(labels.values())) == len(entries)
    for e in entries:
        label = labels[e.token]
        assert label.index(fmt_index(e.index)) < label.index(e.organisation), label
        assert "综合指数" in label


def test_history_page_chart_has_level_dates(root, store, tiny):
    _entries(store, tiny)
    store.save_answers(store.create_assessment(tiny, {"name": "甲工会"}, assessed_at="2025-09-01").token, ANSWERS)
    at = helpers.open_page(root, "history", "zh")
    assert not at.exception
    import json

    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    line = next(s for s in specs if "date" in json.dumps(s.get("encoding", {})) or any(
        "date" in json.dumps(layer.get("encoding", {})) for layer in s.get("layer", [])))
    text = json.dumps(line)
    assert '"labelAngle": 0' in text and '"temporal"' in text


# ---------------------------------------------------------------- 开始自评


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_start_page_new_first_title_only_no_access_code(root, store, lang):
    at = helpers.open_page(root, "start", lang)
    assert not at.exception
    heads = [h.value for h in at.subheader]
    assert heads.index(i18n.t("start.new", lang)) < heads.index(i18n.t("start.resume", lang))
    options = at.selectbox(key="start_model").options
    assert options == ["小型示例模型" if lang == "zh" else "Tiny example model"]
    shown = " ".join([*(t.label for t in at.text_input), *(m.value for m in at.markdown), *(c.value for c in at.caption)])
    assert "访问码" not in shown and "code" not in shown.lower()
