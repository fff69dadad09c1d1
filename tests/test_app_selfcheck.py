"""A full self-check through the pages (AppTest): numbers on screen equal the core's."""

from __future__ import annotations

import json
import random

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from maturity.explain import fmt_index, fmt_level
from maturity.loader import load_model
from maturity.scoring import score
from maturity.store import Store

NASTY = "**粗体** <script>alert(1)</script> 张堃𠀋😀"


@pytest.fixture
def db(tmp_path, monkeypatch, root):
    """A fresh SQLite database for the app (DATABASE_URL) and the test's own Store on it."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("MATURITY_FRAMEWORKS", str(root / "frameworks"))
    return Store(url)


def app(root, **params) -> AppTest:
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def start(at: AppTest, model_id: str, name: str) -> str:
    at.run()
    at.switch_page("pages/start.py").run()
    at.selectbox(key="start_model").set_value(model_id).run()
    at.text_input(key="p_name").input(name)
    at.number_input(key="p_members").set_value(320)
    next(b for b in at.button if (b.key or "").startswith("FormSubmitter:profile")).click().run()
    assert not at.exception, at.exception
    return at.query_params["a"][0] if isinstance(at.query_params["a"], list) else at.query_params["a"]


def answer_step(at: AppTest, values: dict[str, object], advance: bool = True) -> None:
    for key, value in values.items():
        at.radio(key=f"ans-{key}").set_value(value)
    save, save_next = [b for b in at.button if (b.key or "").startswith("FormSubmitter:form-")]
    (save_next if advance else save).click().run()
    assert not at.exception, at.exception


def test_full_quick_check_numbers_equal_core(root, db):
    at = app(root)
    token = start(at, "brand-union-quick", NASTY)
    at.switch_page("pages/questionnaire.py").run()
    model = load_model(root / "frameworks/brand-union-quick.yaml").model
    rng = random.Random(3)
    sent = {}
    for crit in model.criteria:
        values = {i.id: rng.choice([s.level for s in model.scale] + (["na"] if i.allow_na else [])) for i in crit.indicators}
        sent.update(values)
        answer_step(at, values)
    assert "全部题目已作答" in " ".join(s.value for s in at.success)
    record = db.get_assessment(token)
    assert record.answers == sent
    assert record.organisation["name"] == NASTY and record.organisation["members"] == 320

    at.switch_page("pages/results.py").run()
    assert not at.exception, at.exception
    result = score(model, sent)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["综合指数"] == fmt_index(result.overall.index)
    assert metrics["平均等级"] == fmt_level(result.overall.level)
    assert metrics["所处阶段"] == model.t(model.levels[result.stage].name, "zh")
    assert metrics["答题完成度"] == "100%"
    for crit in model.criteria:
        c = result.criteria[crit.id]
        at.selectbox(key="explain").set_value(("criterion", crit.id)).run()
        formula = at.code[-1].value
        if c.score.value is None:
            assert "不计分" in formula
        else:
            assert formula.startswith(f"指数 = {fmt_index(c.score.index)} = ")
    at.selectbox(key="explain").set_value(("overall", "")).run()
    assert at.code[-1].value.startswith(f"指数 = {fmt_index(result.overall.index)} = ")
    # the union's name is escaped, so Markdown/HTML in it is shown literally
    heads = [m.value for m in at.markdown if "粗体" in m.value]
    assert heads and all("<script>" not in h and r"\*\*粗体\*\*" in h for h in heads)


def test_resume_by_link_in_a_new_session(root, db):
    at = app(root)
    token = start(at, "brand-union", "某某公司工会")
    at.switch_page("pages/questionnaire.py").run()
    answer_step(at, {"leading.party-building": 3}, advance=True)

    again = app(root, a=token)  # a new browser: nothing in session_state, only the link
    again.run()
    again.switch_page("pages/questionnaire.py").run()
    assert not again.exception
    assert again.session_state["step"] == 1  # resumes at the next criterion
    assert "已答 1 / 34 题" in " ".join(p.value.get("text", "") if isinstance(p.value, dict) else str(p.proto.text)
                                        for p in again.get("progress"))
    again.radio(key="step").set_value(0).run()
    assert again.radio(key="ans-leading.party-building").value == 3


def test_unanswered_items_are_listed(root, db):
    at = app(root)
    start(at, "brand-union", "某某公司工会")
    at.switch_page("pages/questionnaire.py").run()
    answer_step(at, {"leading.party-building": 2, "leading.strategy": 3}, advance=False)
    expanders = [e.label for e in at.expander]
    assert "还有 32 道题未作答" in expanders
    step = at.radio(key="step")
    assert step.options[:2] == ["1 引领力", "2 组织力"]
    assert list(step.proto.captions[:2]) == ["已答 2/4", "未答 0/5"]


def test_bad_link_says_so(root, db):
    at = app(root, a="not-a-real-token-at-all-xxxxxxxx")
    at.run()
    at.switch_page("pages/questionnaire.py").run()
    assert not at.exception
    assert "链接无效" in at.error[0].value


def test_targets_are_saved_and_change_the_gap(root, db):
    at = app(root)
    token = start(at, "brand-union-quick", "工会甲")
    at.switch_page("pages/questionnaire.py").run()
    answer_step(at, {"leading.pulse": 2})
    at.switch_page("pages/results.py").run()
    at.selectbox(key="target-leading").set_value(4)
    next(b for b in at.button if b.key.startswith("FormSubmitter:targets")).click().run()
    assert not at.exception, at.exception
    assert db.get_assessment(token).targets == {"leading": 4}


def test_english_results(root, db):
    at = app(root, lang="en")
    start(at, "brand-union-quick", "Union A")
    at.switch_page("pages/questionnaire.py").run()
    answer_step(at, {"leading.pulse": 3})
    at.switch_page("pages/results.py").run()
    assert not at.exception
    assert at.title[0].value == "Results"


def test_every_chart_view_renders_with_core_numbers(root, db):
    at = app(root)
    token = start(at, "brand-union-quick", "工会乙")
    at.switch_page("pages/questionnaire.py").run()
    answer_step(at, {"leading.pulse": 3})
    answer_step(at, {"organising.pulse": 2})
    at.switch_page("pages/results.py").run()
    record = db.get_assessment(token)
    model = load_model(root / "frameworks/brand-union-quick.yaml").model
    result = score(model, record.answers)
    charts = {"radar": "引领力", "groups_bar": "三力", "gap_bars": "引领力", "tags_bar": "工作体系", "heatmap": "引领力"}
    for view, word in charts.items():
        at.get("button_group")[0].set_value(view).run()
        assert not at.exception, at.exception
        proto = at.get("vega_lite_chart")[0].proto
        # Streamlit moves the chart's data out of the spec into Arrow datasets
        values = [row for ds in proto.datasets
                  for row in pa.ipc.open_stream(ds.data.data).read_all().to_pylist()]
        text = proto.spec + json.dumps(values, ensure_ascii=False)
        assert word in text, view
        if view == "radar":
            levels = {round(result.criteria[c].score.level, 6) for c in ("leading", "organising")}
            shown = {round(v, 6) for row in values for k, v in row.items() if isinstance(v, float)}
            assert levels <= shown, (levels, sorted(shown)[:20])
