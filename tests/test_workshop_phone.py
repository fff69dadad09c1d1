"""The participant's page (pages/workshop.py) as AppTest sees it: consensus with a note, the next step, few queries."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from tests import helpers
from tests.test_pages_workshop import click, session

LEADING = ["leading.party", "leading.model-workers"]


def open_with(root, lang: str = "zh", **params: str) -> AppTest:
    """Run app.py in ``lang`` with the query params, then switch to the participant's page."""
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    return at.switch_page("pages/workshop.py").run()


def room(svc, ws, answers=((1, 2), (3, 3), (4, 2))):
    """Three participants who answered 引领力; their tokens."""
    tokens = []
    for levels in answers:
        person = svc.join(ws.code)
        svc.submit(person.token, dict(zip(LEADING, levels, strict=True)))
        tokens.append(person.token)
    return tokens


@contextlib.contextmanager
def selects() -> Iterator[list[str]]:
    """The SELECT statements any engine of this process runs meanwhile."""
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", count)


@pytest.mark.parametrize(("lang", "line", "note"), [
    ("zh", "1.1 共识等级：3 体系", "主持人备注："),
    ("en", "1.1 consensus level: 3 Systematic", "Facilitator's note: "),
])
def test_after_reveal_the_consensus_and_the_note_show_beside_the_group_result(root, store, tiny, lang, line, note):
    svc, ws, key = session(store, tiny)
    tokens = room(svc, ws)
    svc.set_consensus(ws.code, key, "leading.party", 3, note=helpers.HOSTILE)
    at = open_with(root, lang, p=tokens[0])
    assert not at.get("vega_lite_chart")  # not yet revealed
    assert not any(line in md.value for md in at.markdown)
    svc.reveal(ws.code, key)
    at = open_with(root, lang, p=tokens[0])
    assert not at.exception, at.exception
    assert at.get("vega_lite_chart")
    assert any(md.value.startswith(line) for md in at.markdown), [md.value for md in at.markdown]
    [shown] = [c.value for c in at.caption if c.value.startswith(note)]
    # typed by the host: escaped, so it shows as itself and never as bold text or HTML
    assert "&lt;script&gt;" in shown and "\\*\\*粗体\\*\\*" in shown and "<script>" not in shown
    assert not any(note in md.value for md in at.markdown)
    # the second question has no consensus: no line for it
    assert not any(md.value.startswith("1.2 ") for md in at.markdown)


def test_a_note_without_a_chart_is_not_shown_before_reveal_nor_for_an_anonymous_few(root, store, tiny):
    svc, ws, key = session(store, tiny)
    tokens = room(svc, ws, answers=((1, 2), (3, 3)))  # two answers: too few to show in an anonymous session
    svc.set_consensus(ws.code, key, "leading.party", 2, note="只给主持人看")
    svc.reveal(ws.code, key)
    at = open_with(root, p=tokens[0])
    assert not at.exception, at.exception
    shown = [c.value for c in at.caption] + [md.value for md in at.markdown]
    assert not any("只给主持人看" in v for v in shown)
    assert any("不足 3 人" in c.value for c in at.caption)


def test_the_page_is_compact_and_moves_on_after_a_submit(root, store, tiny):
    _, ws, _ = session(store, tiny)
    at = helpers.open_page(root, "workshop")
    at.text_input(key="wsj_code").input(ws.code)
    at = click(at, "加入")
    assert not at.title  # no page title once joined: the workshop's own title, small
    assert any(md.value == "#### 春季研讨会" for md in at.markdown)
    assert any("匿名参会者 · 加入码 " + ws.code in c.value for c in at.caption)
    assert any(c.value.startswith("第 1 / 3 组") for c in at.caption)
    at.radio(key="wsj_ans_leading.party").set_value(3)
    at = click(at, "提交本组答案")
    assert any("已保存“引领力”的 1 个答案" in s.value for s in at.success)
    assert at.radio(key="wsj_step").value == 1  # the next criterion
    assert any(c.value.startswith("第 2 / 3 组") for c in at.caption)
    assert "wsj_found" not in at.session_state  # the page's lookup is handed to the fragment, not kept


def test_every_answer_given_says_so(root, store, tiny):
    svc, ws, _ = session(store, tiny)
    person = svc.join(ws.code)
    model = tiny.model
    svc.submit(person.token, {i.id: 2 for i in model.indicators})
    at = open_with(root, p=person.token)
    assert any("您已答完全部题目" in s.value for s in at.success)


def test_guided_pace_shows_the_criterion_the_host_opens_after_refresh(root, store, tiny):
    svc, ws, key = session(store, tiny, pace="guided")
    person = svc.join(ws.code)
    svc.open_criterion(ws.code, key, None)
    at = open_with(root, p=person.token)
    assert any("主持人还没有开放题目" in i.value for i in at.info)
    assert not any(r.key and r.key.startswith("wsj_ans_") for r in at.radio)
    svc.open_criterion(ws.code, key, "digital")
    at = click(at, "刷新")
    assert not at.exception, at.exception
    assert [r.key for r in at.radio if r.key and r.key.startswith("wsj_ans_")] == ["wsj_ans_digital.platform"]
    at.radio(key="wsj_ans_digital.platform").set_value(2)
    at = click(at, "提交本组答案")
    assert any("主持人开放下一组后，请点“刷新”" in s.value for s in at.success)
    assert svc.answers_of(person.token) == {"digital.platform": 2}


def test_a_run_reads_the_participant_and_the_answers_and_the_group_only_once_revealed(root, store, tiny):
    svc, ws, key = session(store, tiny)
    tokens = room(svc, ws)
    at = open_with(root, p=tokens[0])
    with selects() as seen:
        at.run()
    assert not at.exception, at.exception
    hidden = len(seen)
    # the participant with the workshop, the participant's answers; the model from the cache
    assert hidden == 2, seen
    svc.reveal(ws.code, key)
    at.run()  # the service reads the model once per process the first time it aggregates
    with selects() as seen:
        at.run()
    assert len(seen) - hidden == 1, [q.split("\n")[0][:80] for q in seen]  # the group's answers in one query
