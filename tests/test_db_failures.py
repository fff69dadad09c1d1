"""A database that cannot be written (read-only file, full disk) gives a translated message with an error id.

The faults are real SQLite errors, raised by SQLite itself on the app's own connections:
``PRAGMA query_only`` makes every write fail as a read-only file does ("attempt to write a
readonly database"), and a full database (``PRAGMA max_page_count`` reached, with every write
made to need new pages) fails as a full disk does ("database or disk is full"). Root ignores
file modes, so chmod cannot be used here.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from maturity.workshop import WorkshopService
from tests import helpers
from tests.conftest import ROOT

ERROR_ID = re.compile(r"E-[A-Z2-9]{5}")
SAVE_FAILED = {"zh": ("保存失败", "错误编号", "未保存"), "en": ("Saving failed", "error ID", "not saved")}
FILLER = "fault_filler"


class DatabaseFault:
    """Makes every write to one SQLite file fail, on every connection the process checks out of a pool."""

    def __init__(self, path: str) -> None:
        self.path = os.path.realpath(path)
        self.mode: str | None = None  # None, "readonly" or "full"
        with sqlite3.connect(self.path) as conn:
            conn.execute(f"CREATE TABLE IF NOT EXISTS {FILLER} (b BLOB)")

    def __call__(self, dbapi_conn, _record, _proxy) -> None:
        files = {row[2] for row in dbapi_conn.execute("PRAGMA database_list")}
        if self.path not in files:
            return
        tables = [r[0] for r in dbapi_conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") if r[0] != FILLER]
        dbapi_conn.execute("PRAGMA query_only = OFF")
        dbapi_conn.execute("PRAGMA max_page_count = 1073741823")
        for table in tables:
            for op in ("INSERT", "UPDATE", "DELETE"):
                dbapi_conn.execute(f'DROP TRIGGER IF EXISTS temp."fault_{table}_{op}"')
        if self.mode == "readonly":
            dbapi_conn.execute("PRAGMA query_only = ON")
        elif self.mode == "full":
            # Every change also needs 256 KiB of new pages, and the file may not grow by one page.
            for table in tables:
                for op in ("INSERT", "UPDATE", "DELETE"):
                    dbapi_conn.execute(f'CREATE TEMP TRIGGER "fault_{table}_{op}" AFTER {op} ON main."{table}" '
                                       f"BEGIN INSERT INTO {FILLER} VALUES (zeroblob(262144)); END")
            pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")


@pytest.fixture
def fault(store) -> Iterator[DatabaseFault]:
    """A fault switch on the test database (the ``store`` fixture's file, which the app uses too)."""
    from pages._ui import _store

    f = DatabaseFault(store.engine.url.database)
    _store(os.environ["DATABASE_URL"])  # the app's own Store, opened while the file is still healthy
    event.listen(Pool, "checkout", f)
    yield f
    event.remove(Pool, "checkout", f)


@pytest.fixture
def hidden_details() -> Iterator[None]:
    """The browser-facing setting of .streamlit/config.toml: no exception details (tests otherwise show them)."""
    before = st_config.get_option("client.showErrorDetails")
    st_config.set_option("client.showErrorDetails", "none")
    yield
    st_config.set_option("client.showErrorDetails", before)


def _texts(node) -> Iterator[str]:
    proto = getattr(node, "proto", None)
    if proto is not None:
        yield str(proto)
    children = getattr(node, "children", None) or {}
    for child in children.values():
        yield from _texts(child)


def page_text(at: AppTest) -> str:
    """Everything the app sent to the browser in the last run, as text."""
    return "\n".join(_texts(at._tree))


def assert_failure_shown(at: AppTest, lang: str, caplog, words: tuple[str, ...] | None = None) -> str:
    """No exception box, one translated message with an error id, and that id in the server log with the cause."""
    assert not at.exception, [e.message for e in at.exception]
    words = words or SAVE_FAILED[lang]
    shown = [e.value for e in at.error if ERROR_ID.search(e.value)]
    assert shown, [e.value for e in at.error]
    assert all(w in shown[0] for w in words), shown[0]
    found = ERROR_ID.search(shown[0])
    assert found, shown[0]
    error_id = found.group(0)
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].levelno == logging.ERROR
    assert "OperationalError" in logged[0].getMessage()  # the cause, with its traceback, is in the server log
    text = page_text(at)
    assert error_id in text  # (page_text does see what the browser gets)
    for leak in ("Traceback", "sqlalchemy", "sqlite3", "site-packages", "/work/", str(ROOT)):
        assert leak not in text
    return error_id


def click(at: AppTest, label: str) -> AppTest:
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


MODES = ["readonly", "full"]
LANGS = ["zh", "en"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("mode", MODES)
def test_start_a_self_check(root, store, fault, caplog, mode, lang):
    at = helpers.open_page(root, "start", lang)
    at.text_input(key="p_name").input("某某公司工会")
    fault.mode = mode
    at = click(at, {"zh": "开始自评", "en": "Start the self-check"}[lang])
    assert_failure_shown(at, lang, caplog)
    fault.mode = None
    assert store.list_assessments() == []


@pytest.mark.parametrize("mode", MODES)
def test_save_a_questionnaire_step(root, store, tiny, fault, caplog, mode):
    record = store.create_assessment(tiny, {"name": "工会"}, assessed_at="2026-01-01")
    at = helpers.open_page(root, "questionnaire", "zh", record.token)
    at.radio(key="ans-leading.party").set_value(3)
    fault.mode = mode
    at = click(at, "保存本组")
    assert_failure_shown(at, "zh", caplog)
    fault.mode = None
    assert store.get_assessment(record.token).answers == {}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("mode", MODES)
def test_set_targets(root, store, tiny, fault, caplog, mode, lang):
    record = store.create_assessment(tiny, {"name": "工会"}, assessed_at="2026-01-01")
    store.save_answers(record.token, {"leading.party": 2}, {})
    at = helpers.open_page(root, "results", lang, record.token)
    at.selectbox(key="target-leading").set_value(3)
    fault.mode = mode
    at = click(at, {"zh": "保存目标", "en": "Save targets"}[lang])
    assert_failure_shown(at, lang, caplog)
    fault.mode = None
    assert store.get_assessment(record.token).targets == {}


@pytest.mark.parametrize("mode", MODES)
def test_import_as_new_and_replace(root, store, tiny, fault, caplog, mode):
    record = store.create_assessment(tiny, {"name": "原工会"}, assessed_at="2025-01-01")
    raw = (root / "tests/frameworks/tiny-assessment.json").read_bytes()
    at = helpers.open_page(root, "transfer", "zh", record.token)
    at = at.file_uploader[0].set_value(("a.json", raw, "application/json")).run()
    fault.mode = mode
    at = click(at, "导入为新的自评")
    assert_failure_shown(at, "zh", caplog)
    at.radio(key="transfer_mode").set_value("replace").run()
    at.checkbox(key="transfer_confirm").check().run()
    at = click(at, "覆盖当前自评")
    assert_failure_shown(at, "zh", caplog)
    fault.mode = None
    assert [s.token for s in store.list_assessments()] == [record.token]
    assert store.get_assessment(record.token).organisation["name"] == "原工会"


@pytest.mark.parametrize("mode", MODES)
def test_create_a_workshop(root, store, fault, caplog, mode):
    at = helpers.open_page(root, "workshop_host", "zh")
    at.text_input(key="wsh_title").input("职代会前研讨")
    fault.mode = mode
    at = click(at, "创建研讨会")
    assert_failure_shown(at, "zh", caplog)
    assert "k" not in at.query_params


def _host(root, store, tiny, lang: str = "zh", **kw):
    svc = WorkshopService(store)
    ws, key = svc.create(store.get_model_snapshot(store.save_model_snapshot(tiny)), "春季研讨会", **kw)
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.query_params.update({"lang": lang, "w": ws.code, "k": key})
    at.run()
    return svc, ws, key, at.switch_page("pages/workshop_host.py").run()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("mode", MODES)
def test_host_reveal_toggle(root, store, tiny, fault, caplog, mode, lang):
    svc, ws, key, at = _host(root, store, tiny, lang)
    fault.mode = mode
    at = at.toggle(key="wsh_reveal").set_value(True).run()
    assert_failure_shown(at, lang, caplog)
    fault.mode = None
    assert not svc.check_host(ws.code, key).revealed


@pytest.mark.parametrize("mode", MODES)
def test_host_open_criterion_consensus_and_close(root, store, tiny, fault, caplog, mode):
    svc, ws, key, at = _host(root, store, tiny, pace="guided")
    opened = svc.check_host(ws.code, key).current_criterion
    fault.mode = mode
    at = at.selectbox(key="wsh_open").set_value("organising").run()
    assert_failure_shown(at, "zh", caplog)
    at.selectbox(key="wsh_cons_leading.party").set_value(3)
    crit = tiny.model.criterion_of["leading.party"].id  # the consensus of a criterion is one form, saved at once
    [save] = [b for b in at.button if b.proto.form_id == f"wsh_cons_form_{crit}"]
    at = save.click().run()
    assert_failure_shown(at, "zh", caplog)
    at.checkbox(key="wsh_close_sure").check().run()
    at = at.button(key="wsh_close").click().run()
    assert_failure_shown(at, "zh", caplog)
    fault.mode = None
    now = svc.check_host(ws.code, key)
    assert now.is_open and now.current_criterion == opened


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("mode", MODES)
def test_join_a_workshop(root, store, tiny, fault, caplog, mode, lang):
    ws, _ = WorkshopService(store).create(store.get_model_snapshot(store.save_model_snapshot(tiny)), "春季研讨会")
    at = helpers.open_page(root, "workshop", lang)
    at.text_input(key="wsj_code").input(ws.code)
    fault.mode = mode
    at = click(at, {"zh": "加入", "en": "Join"}[lang])
    assert_failure_shown(at, lang, caplog)
    assert "p" not in at.query_params


@pytest.mark.parametrize("mode", MODES)
def test_submit_workshop_answers(root, store, tiny, fault, caplog, mode):
    svc = WorkshopService(store)
    ws, _ = svc.create(store.get_model_snapshot(store.save_model_snapshot(tiny)), "春季研讨会")
    person = svc.join(ws.code)
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.query_params.update({"lang": "zh", "p": person.token})
    at.run()
    at = at.switch_page("pages/workshop.py").run()
    at.radio(key="wsj_ans_leading.party").set_value(3)
    fault.mode = mode
    at = click(at, "提交本组答案")
    assert_failure_shown(at, "zh", caplog)
    fault.mode = None
    assert svc.answers_of(person.token) == {}


def test_a_database_read_only_from_the_start_is_one_message(root, store, tiny, fault, caplog, monkeypatch):
    record = store.create_assessment(tiny, {"name": "工会"}, assessed_at="2026-01-01")
    fault.mode = "readonly"  # the app cannot even record its schema version
    monkeypatch.setenv("DATABASE_URL", store.url + "?timeout=5")  # a Store the app has not opened yet
    at = helpers.open_page(root, "questionnaire", "zh", record.token)
    assert_failure_shown(at, "zh", caplog, words=("数据库", "错误编号"))


def test_a_password_in_database_url_never_reaches_the_browser_or_the_log(root, store, monkeypatch, caplog):
    monkeypatch.setenv("DATABASE_URL", "postgresql://maturity:S3cret-pw-9@127.0.0.1:1/nowhere")
    at = helpers.open_page(root, "history", "zh")
    assert not at.exception
    assert any(ERROR_ID.search(e.value) for e in at.error)
    assert "S3cret-pw-9" not in page_text(at)
    assert "S3cret-pw-9" not in caplog.text
    assert ERROR_ID.search(caplog.text)


def _home_with_a_bug(root, monkeypatch, lang: str) -> AppTest:
    """The home page (run inside app.py's frame, as the default page) with a bug in it."""
    import pages._ui

    def broken(*_args, **_kw):
        raise RuntimeError(f"boom in {ROOT}/secret.py")

    monkeypatch.setattr(pages._ui, "catalog", broken)
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    return at.run()


@pytest.mark.parametrize(("lang", "words"), [("zh", ("意外错误", "错误编号")), ("en", ("went wrong", "error ID"))])
def test_an_unexpected_error_is_a_translated_message_when_details_are_hidden(root, store, monkeypatch, caplog,
                                                                             hidden_details, lang, words):
    at = _home_with_a_bug(root, monkeypatch, lang)
    assert not at.exception
    [shown] = [e.value for e in at.error if ERROR_ID.search(e.value)]
    assert all(w in shown for w in words) and "boom" not in shown
    error_id = ERROR_ID.search(shown).group(0)
    assert any(error_id in r.getMessage() and "RuntimeError: boom" in r.getMessage() for r in caplog.records)
    assert str(ROOT) not in page_text(at) and "Traceback" not in page_text(at)


def test_with_details_shown_a_developer_still_sees_the_exception(root, store, monkeypatch):
    at = _home_with_a_bug(root, monkeypatch, "zh")
    assert at.exception and "boom" in at.exception[0].message


def test_the_browser_sees_no_exception_details(root):
    import tomllib

    config = tomllib.loads((root / ".streamlit/config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def test_error_ids_are_short_and_easy_to_read_out():
    from maturity.errors import new_error_id

    ids = {new_error_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(re.fullmatch(r"E-[A-HJ-KM-NP-Z2-9]{5}", i) for i in ids)  # no 0/O, 1/I/L


def test_the_log_entry_names_the_cause_and_masks_secrets(caplog):
    from maturity.errors import log_failure

    try:
        raise OSError("disk full while writing for postgresql://u:hunter2@db/x")
    except OSError as exc:
        log_failure(logging.getLogger("maturity.test"), "E-ABCDE", "save", exc, hide=["hunter2", None])
    [record] = caplog.records
    assert record.levelno == logging.ERROR
    assert record.getMessage().startswith("E-ABCDE (save) OSError: disk full")
    assert "Traceback" in record.getMessage() and "hunter2" not in record.getMessage()


def test_with_details_hidden_our_own_refusals_keep_their_messages(root, store, tiny, hidden_details):
    at = helpers.open_page(root, "workshop", "zh")
    at.text_input(key="wsj_code").input("ZZZZZZ")
    at = click(at, "加入")
    assert not at.exception
    assert at.error and not any(ERROR_ID.search(e.value) for e in at.error), [e.value for e in at.error]

    at = helpers.open_page(root, "workshop_host", "zh")
    at.text_input(key="wsh_title").input("   ")  # refused by the service: a title is required
    at = click(at, "创建研讨会")
    assert not at.exception
    assert at.error and not any(ERROR_ID.search(e.value) for e in at.error), [e.value for e in at.error]


@pytest.mark.parametrize("hidden", [True, False])
def test_a_bug_in_a_callback_is_a_translated_message_when_details_are_hidden(root, store, tiny, monkeypatch, caplog,
                                                                           request, hidden):
    *_, at = _host(root, store, tiny)

    def broken(*_args, **_kw):
        raise RuntimeError(f"boom in {ROOT}/secret.py")

    monkeypatch.setattr(WorkshopService, "reveal", broken)
    if hidden:
        request.getfixturevalue("hidden_details")
    at = at.toggle(key="wsh_reveal").set_value(True).run()
    if not hidden:  # a developer sees the bug
        assert at.exception and "boom" in at.exception[0].message
        return
    assert not at.exception
    [shown] = [e.value for e in at.error if ERROR_ID.search(e.value)]
    assert "意外错误" in shown and "boom" not in shown
    assert ERROR_ID.search(shown).group(0) in caplog.text and "RuntimeError: boom" in caplog.text
