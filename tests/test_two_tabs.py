"""One assessment open in two tabs (two AppTest sessions on one link): a stale save loses nothing (issue 8, item 8)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests import helpers


def _save(at: AppTest) -> AppTest:
    [button] = [b for b in at.button if b.label == "保存本组"]
    return button.click().run()


def _tabs(root, store, tiny):
    record = store.create_assessment(tiny, {"name": "工会甲"})
    store.save_answers(record.token, {"leading.party": 2, "leading.model-workers": 2}, {"leading.party": "原备注"})
    a = helpers.open_page(root, "questionnaire", token=record.token)
    b = helpers.open_page(root, "questionnaire", token=record.token)
    return record.token, a, b


def test_a_stale_tab_does_not_revert_the_other_tabs_changes(root, store, tiny):
    token, a, b = _tabs(root, store, tiny)
    a.radio(key="ans-leading.party").set_value(4)
    a.text_area(key="note-leading.party").input("A 写的备注 **粗体**")
    a = _save(a)
    assert not a.exception, a.exception
    b.radio(key="ans-leading.model-workers").set_value(3)  # B still shows 2 and 原备注 for the first question
    b = _save(b)
    assert not b.exception, b.exception
    got = store.get_assessment(token)
    assert got.answers == {"leading.party": 4, "leading.model-workers": 3}
    assert got.notes == {"leading.party": "A 写的备注 **粗体**"}
    assert not any("别处已修改" in md.value for md in b.markdown)
    # B now shows what A wrote, so its next save cannot revert it either
    assert b.radio(key="ans-leading.party").value == 4
    assert b.text_area(key="note-leading.party").value == "A 写的备注 **粗体**"


def _conflict(root, store, tiny):
    token, a, b = _tabs(root, store, tiny)
    a.radio(key="ans-leading.party").set_value(3)
    a.text_area(key="note-leading.party").input("A 的 <b>备注</b>")
    a = _save(a)
    b.radio(key="ans-leading.party").set_value(1)
    b.text_area(key="note-leading.party").input("B 的备注")
    b.radio(key="ans-leading.model-workers").set_value(4)
    b = _save(b)
    assert not b.exception, b.exception
    return token, a, b


def test_a_conflict_is_shown_with_both_values(root, store, tiny):
    token, _, b = _conflict(root, store, tiny)
    got = store.get_assessment(token)
    assert got.entry("leading.party").answer == 3 and got.notes["leading.party"] == "A 的 <b>备注</b>"
    assert got.answers["leading.model-workers"] == 4  # the question without a conflict was saved
    assert any("别处已修改" in md.value and "党组织如何听取工会工作汇报" in md.value for md in b.markdown)
    texts = [t.value for t in b.text]
    assert "答案：起步（1）" in texts and "备注：B 的备注" in texts  # mine
    assert "答案：体系（3）" in texts and "备注：A 的 <b>备注</b>" in texts  # theirs, as text
    assert any("修改了下面 1 道题" in w.value for w in b.warning)
    assert {btn.key for btn in b.button} >= {"keep-leading.party", "take-leading.party"}


def test_keep_mine(root, store, tiny):
    token, _, b = _conflict(root, store, tiny)
    b = b.button(key="keep-leading.party").click().run()
    assert not b.exception, b.exception
    assert store.get_assessment(token).entry("leading.party").answer == 1
    assert store.get_assessment(token).notes["leading.party"] == "B 的备注"
    assert not any("别处已修改" in md.value for md in b.markdown)
    assert b.radio(key="ans-leading.party").value == 1
    b = _save(b)  # saving again changes nothing and raises no conflict
    assert not any("别处已修改" in md.value for md in b.markdown)
    assert store.get_assessment(token).entry("leading.party").answer == 1


def test_take_theirs(root, store, tiny):
    token, _, b = _conflict(root, store, tiny)
    b = b.button(key="take-leading.party").click().run()
    assert not b.exception, b.exception
    assert store.get_assessment(token).entry("leading.party").answer == 3
    assert b.radio(key="ans-leading.party").value == 3
    assert b.text_area(key="note-leading.party").value == "A 的 <b>备注</b>"
    assert not any("别处已修改" in md.value for md in b.markdown)
    b = _save(b)
    got = store.get_assessment(token)
    assert got.answers == {"leading.party": 3, "leading.model-workers": 4}
    assert got.notes == {"leading.party": "A 的 <b>备注</b>"}


def test_keep_mine_after_a_third_change_asks_again(root, store, tiny):
    token, a, b = _conflict(root, store, tiny)
    a.radio(key="ans-leading.party").set_value(2)  # tab A changes it once more while B decides
    a = _save(a)
    b = b.button(key="keep-leading.party").click().run()
    assert not b.exception, b.exception
    assert store.get_assessment(token).entry("leading.party").answer == 2
    assert any("又被别处修改" in w.value for w in b.warning)
    assert "答案：规范（2）" in [t.value for t in b.text]
    b = b.button(key="keep-leading.party").click().run()
    assert store.get_assessment(token).entry("leading.party").answer == 1
