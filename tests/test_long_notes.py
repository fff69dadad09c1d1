"""A note stored before the 2,000-character limit existed is never cut by the questionnaire (issue 8, item 6)."""

from __future__ import annotations

from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from maturity import schema as S
from maturity.assessment import MAX_NOTE
from tests import helpers

LONG = "堃" * (MAX_NOTE + 500)


def _save(at: AppTest) -> AppTest:
    [button] = [b for b in at.button if b.label == "保存本组"]
    return button.click().run()


def _with_long_note(store, tiny) -> str:
    record = store.create_assessment(tiny, {"name": "工会甲"})
    store.save_answers(record.token, {"leading.party": 2}, {"leading.party": "短"})
    with store.engine.begin() as conn:  # as an import of an older version could have left it
        conn.execute(update(S.notes).values(text=LONG))
    return record.token


def test_a_stored_over_long_note_is_shown_whole_flagged_and_kept_on_save(root, store, tiny):
    token = _with_long_note(store, tiny)
    at = helpers.open_page(root, "questionnaire", token=token)
    note = at.text_area(key="note-leading.party")
    assert note.value == LONG and note.max_chars >= len(LONG)  # the browser would cut at max_chars
    assert any(str(MAX_NOTE + 500) in w.value for w in at.warning)
    at.radio(key="ans-leading.party").set_value(4)
    at = _save(at)
    assert not at.exception, at.exception
    got = store.get_assessment(token)
    assert got.answers["leading.party"] == 4 and got.notes["leading.party"] == LONG


def test_changing_it_while_still_too_long_is_refused_with_its_message(root, store, tiny):
    token = _with_long_note(store, tiny)
    at = helpers.open_page(root, "questionnaire", token=token)
    at.text_area(key="note-leading.party").input("改" + LONG[1:])  # edited, still over the limit
    at = _save(at)
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert str(len(LONG)) in errors and "错误编号" not in errors  # the refusal itself, not an "unexpected error"
    assert store.get_assessment(token).notes["leading.party"] == LONG
