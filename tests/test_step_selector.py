"""The step selectors of the questionnaire and of the workshop page survive their own progress marks.

Streamlit keeps a radio's value as its option's label; a label that changes when an answer is
saved (✓/◐/○ in it) left a stale string in the widget state, and the next run crashed with
``TypeError: '<=' not supported between instances of 'int' and 'str'`` (issue 8, item 2).
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from maturity.workshop import WorkshopService
from tests import helpers


def _click(at: AppTest, label: str) -> AppTest:
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


def _as_the_browser_does(at: AppTest, key: str, label: str) -> None:
    """Make the next run send ``label`` for radio ``key``, as a browser that last drew it with that label.

    The frontend keeps the label it showed, even after the server has redrawn the options with
    new labels (the widget's id is its key); AppTest would recompute the fresh label instead.
    """
    radio = at.radio(key=key)
    if label not in radio.options:
        radio.options = [*radio.options, label]
    radio.set_value(label)


def test_saving_the_same_group_twice(root, store, tiny):
    record = store.create_assessment(tiny, {"name": "工会甲"})
    at = helpers.open_page(root, "questionnaire", token=record.token)
    shown = at.radio(key="step").options[0]
    at.radio(key="ans-leading.party").set_value(2)
    at = _click(at, "保存本组")
    assert not at.exception, at.exception
    _as_the_browser_does(at, "step", shown)
    at.radio(key="ans-leading.model-workers").set_value(3)
    at = _click(at, "保存本组")  # the same group again: its progress mark has changed meanwhile
    assert not at.exception, at.exception
    assert at.radio(key="step").value == 0
    assert store.get_assessment(record.token).answers == {"leading.party": 2, "leading.model-workers": 3}
    at = _click(at, "保存并进入下一组")
    assert not at.exception, at.exception
    assert at.radio(key="step").value == 1


def test_step_labels_are_stable_and_progress_is_a_caption(root, store, tiny):
    record = store.create_assessment(tiny, {"name": "工会甲"})
    store.save_answers(record.token, {"leading.party": 2})
    at = helpers.open_page(root, "questionnaire", token=record.token)
    step = at.radio(key="step")
    assert step.options == ["1 引领力", "2 组织力", "3 数智化"]
    captions = list(step.proto.captions)
    assert captions[0] == "已答 1/2" and captions[1] == "未答 0/1"
    assert not any(ch in "".join(captions) for ch in "○◐●⚪")  # no mark that looks like a second radio circle
    store.save_answers(record.token, {"leading.model-workers": 4})
    at.run()
    assert at.radio(key="step").options == ["1 引领力", "2 组织力", "3 数智化"]
    assert at.radio(key="step").proto.captions[0] == "✓ 已完成"


def test_workshop_refresh_after_the_last_criterion(root, store, tiny):
    svc = WorkshopService(store)
    ws, _ = svc.create(store.get_model_snapshot(store.save_model_snapshot(tiny)), "春季研讨会")
    at = helpers.open_page(root, "workshop")
    at.query_params["p"] = svc.join(ws.code).token
    at.run()
    steps = at.radio(key="wsj_step").options
    at.radio(key="wsj_step").set_value(len(steps) - 1).run()
    shown = at.radio(key="wsj_step").options[-1]
    for radio in at.radio:
        if radio.key and radio.key.startswith("wsj_ans_"):
            radio.set_value(2)
    at = _click(at, "提交本组答案")
    assert not at.exception, at.exception
    _as_the_browser_does(at, "wsj_step", shown)
    at = _click(at, "刷新")
    assert not at.exception, at.exception
    assert at.radio(key="wsj_step").value == len(steps) - 1
    assert at.radio(key="wsj_step").options == steps


def test_a_label_from_the_other_language_keeps_the_step(root, store, tiny):
    record = store.create_assessment(tiny, {"name": "工会甲"})
    at = helpers.open_page(root, "questionnaire", token=record.token)
    at.radio(key="step").set_value(1).run()
    shown = at.radio(key="step").options[1]
    at.session_state["ui_lang"] = "en"  # what the sidebar's language switch sets
    at.run()
    assert at.radio(key="step").options[1] == "2 Organising power"
    _as_the_browser_does(at, "step", shown)  # the browser still holds the Chinese label
    at.run()
    assert not at.exception, at.exception
    assert at.radio(key="step").value == 1
