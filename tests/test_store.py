"""The store on SQLite (file and in-memory) and on the real PostgreSQL (marker ``postgres``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, func, select

from maturity import migrations, schema
from maturity.assessment import Assessment, AssessmentInvalid
from maturity.loader import load_model
from maturity.revisions import Conflict, Entry, merge
from maturity.store import DEFAULT_SQLITE, AssessmentRecord, Store
from tests.helpers import create_schemas_at_once

TRICKY_NOTES = [
    "**粗体** <script>alert(1)</script>",
    "堃",
    "𠀋",
    "😀👍🏽👨‍👩‍👧 emoji",
    "=HYPERLINK(\"http://example.com\")",
    "多行\n第二行\r\n\t缩进 ' \" ; DROP TABLE answers; --",
]


@pytest.fixture(
    params=["sqlite-file", "sqlite-memory", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, in-memory SQLite, or the session's PostgreSQL database (emptied after)."""
    if request.param == "sqlite-file":
        yield f"sqlite:///{tmp_path / 'sub' / 'store.db'}"
    elif request.param == "sqlite-memory":
        yield "sqlite://"
    else:
        url = request.getfixturevalue("pg_database")
        yield url
        engine = create_engine(url)
        migrations.drop_all(engine)
        engine.dispose()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A Store with its schema created."""
    s = Store(db_url)
    s.create_schema()
    yield s
    s.dispose()


def reopen(store: Store, db_url: str) -> Store | None:
    """Another Store on the same database (another process, say); None for in-memory SQLite."""
    return None if db_url == "sqlite://" else Store(db_url)


def count(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(schema.metadata.tables[table])) or 0)


# -- configuration -------------------------------------------------------------------------


def test_default_url_is_the_sqlite_file_under_data(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    s = Store()
    assert s.dialect == "sqlite"
    assert s.url == f"sqlite:///{DEFAULT_SQLITE}"
    assert DEFAULT_SQLITE.parent.is_dir()


def test_database_url_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert Store().url.endswith("env.db")


@pytest.mark.parametrize("url", ["postgresql://u:secret@db.example/m", "postgres://u:secret@db.example/m"])
def test_postgresql_urls_use_psycopg3_and_hide_the_password(url):
    s = Store(url)
    assert s.dialect == "postgresql"
    assert s.url.startswith("postgresql+psycopg://u:")
    assert "secret" not in s.url


def test_other_databases_are_refused():
    with pytest.raises(ValueError, match="unsupported"):
        Store("mysql://u@h/db")


# -- schema ---------------------------------------------------------------------------------


def test_schema_creation_is_idempotent_and_versioned(store):
    store.create_schema()
    store.create_schema()
    assert store.schema_version() == schema.SCHEMA_VERSION
    assert count(store, "schema_version") == 1


@pytest.mark.parametrize("kind", ["sqlite-file", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_schema_creation_from_several_processes_at_once(kind, tmp_path, request):
    # Not for in-memory SQLite: such a database belongs to one Store.
    db_url = f"sqlite:///{tmp_path / 'shared.db'}" if kind == "sqlite-file" else request.getfixturevalue("pg_database")
    stores = [Store(db_url) for _ in range(6)]
    errors = create_schemas_at_once(stores)
    assert errors == []
    assert all(s.schema_version() == schema.SCHEMA_VERSION for s in stores)
    assert count(stores[0], "schema_version") == 1
    for s in stores:
        s.dispose()


def test_schema_version_is_none_before_creation(tmp_path):
    assert Store(f"sqlite:///{tmp_path / 'empty.db'}").schema_version() is None


def test_sqlite_file_uses_wal_busy_timeout_and_foreign_keys(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'wal.db'}")
    s.create_schema()
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    s.dispose()


# -- assessments ----------------------------------------------------------------------------


def test_create_get_and_resume(store, db_url, tiny):
    rec = store.create_assessment(tiny, {"name": "某某公司工会", "members": 320}, "zh", "2026-11-26")
    assert len(rec.token) >= 22 and rec.current_step == 0
    assert rec.model_id == "tiny-example" and rec.model_version == "1.0" and rec.model_sha256 == tiny.sha256
    assert rec.created_at.tzinfo is not None and rec.created_at == rec.updated_at
    store.save_answers(rec.token, {"leading.party": 3})
    store.update_assessment(rec.token, current_step=2)
    other = reopen(store, db_url) or store
    got = other.get_assessment(rec.token)
    assert got is not None
    assert got.organisation == {"name": "某某公司工会", "members": 320}
    assert (got.language, got.assessed_at, got.current_step) == ("zh", "2026-11-26", 2)
    assert got.answers == {"leading.party": 3} and isinstance(got.answers["leading.party"], int)
    assert got.created_at == rec.created_at and got.updated_at > rec.updated_at
    assert str(got.created_at.tzinfo) == "UTC"


def test_tokens_are_unguessable_and_distinct(store, tiny):
    tokens = {store.create_assessment(tiny, {}).token for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(t) == 24 for t in tokens)  # token_urlsafe(18): 144 bits


@pytest.mark.parametrize("token", ["", "x", "nope" * 5, "a" * 65, "' OR 1=1 --", "../../etc/passwd", None, 42])
def test_unknown_or_garbage_token_gives_none(store, tiny, token):
    store.create_assessment(tiny, {})
    assert store.get_assessment(token) is None
    store.delete_assessment(token)  # no error either


def test_writes_to_an_unknown_token_raise_keyerror(store, tiny):
    ghost = "A" * 24
    with pytest.raises(KeyError):
        store.save_answers(ghost, {"leading.party": 1})
    with pytest.raises(KeyError):
        store.set_targets(ghost, {"leading": 3})
    with pytest.raises(KeyError):
        store.update_assessment(ghost, current_step=1)
    with pytest.raises(KeyError):
        store.replace_from(ghost, Assessment("tiny-example", "1.0"))
    with pytest.raises(KeyError):
        store.save_answers("bad token!", {})


def test_upsert_overwrites(store, tiny):
    rec = store.create_assessment(tiny, {})
    store.save_answers(rec.token, {"leading.party": 2, "digital.platform": 1})
    store.save_answers(rec.token, {"leading.party": 4})
    store.save_answers(rec.token, {"leading.party": 3.5})
    got = store.get_assessment(rec.token)
    assert got.answers == {"leading.party": 3.5, "digital.platform": 1}
    assert count(store, "answers") == 2


def test_na_and_clearing(store, tiny):
    rec = store.create_assessment(tiny, {})
    store.save_answers(rec.token, {"organising.membership": "na", "digital.platform": 2},
                       {"organising.membership": "没有数据", "digital.platform": "有公众号"})
    got = store.get_assessment(rec.token)
    assert got.answers == {"organising.membership": "na", "digital.platform": 2}
    store.save_answers(rec.token, {"organising.membership": 3, "digital.platform": None},
                       {"organising.membership": "", "digital.platform": "  "})
    got = store.get_assessment(rec.token)
    assert got.answers == {"organising.membership": 3}
    assert got.notes == {}
    store.save_answers(rec.token, {"organising.membership": "na"})
    assert store.get_assessment(rec.token).answers == {"organising.membership": "na"}


def test_a_note_without_an_answer_is_kept(store, tiny):
    rec = store.create_assessment(tiny, {})
    store.save_answers(rec.token, {}, {"leading.party": "先记下来"})
    got = store.get_assessment(rec.token)
    assert got.answers == {} and got.notes == {"leading.party": "先记下来"}


@pytest.mark.parametrize("note", TRICKY_NOTES)
def test_notes_round_trip_exactly(store, tiny, note):
    rec = store.create_assessment(tiny, {"name": note})
    store.save_answers(rec.token, {"leading.party": 1}, {"leading.party": note})
    got = store.get_assessment(rec.token)
    assert got.notes["leading.party"] == note
    assert got.organisation["name"] == note
    assert store.list_assessments(note)[0].token == rec.token


def test_invalid_answers_are_refused_whole(store, tiny):
    rec = store.create_assessment(tiny, {})
    bad = [
        ({"leading.party": 3, "leading.nope": 2}, "answers.leading.nope"),
        ({"leading.party": 9}, "answers.leading.party"),
        ({"leading.party": "na"}, "answers.leading.party"),  # allow_na: false
        ({"leading.party": "三"}, "answers.leading.party"),
        ({"leading.party": True}, "answers.leading.party"),
        ({"leading.party": float("nan")}, "answers.leading.party"),
    ]
    for answers, key in bad:
        with pytest.raises(AssessmentInvalid) as info:
            store.save_answers(rec.token, answers)
        assert key in [e.key for e in info.value.errors]
    with pytest.raises(AssessmentInvalid):
        store.save_answers(rec.token, {"leading.party": 2}, {"leading.nope": "x"})
    assert store.get_assessment(rec.token).answers == {}


def test_targets(store, tiny):
    rec = store.create_assessment(tiny, {})
    store.set_targets(rec.token, {"leading": 4, "digital": 2.5})
    store.set_targets(rec.token, {"leading": 3})
    assert store.get_assessment(rec.token).targets == {"leading": 3, "digital": 2.5}
    store.set_targets(rec.token, {"digital": None})
    assert store.get_assessment(rec.token).targets == {"leading": 3}
    with pytest.raises(AssessmentInvalid):
        store.set_targets(rec.token, {"leading": 7})
    with pytest.raises(AssessmentInvalid):
        store.set_targets(rec.token, {"nope": 3})
    assert store.get_assessment(rec.token).targets == {"leading": 3}


def test_update_assessment(store, tiny):
    rec = store.create_assessment(tiny, {"name": "甲"})
    store.update_assessment(rec.token, organisation={"name": "乙", "members": 12}, language="en",
                            assessed_at="2026-01-31", current_step=3)
    got = store.get_assessment(rec.token)
    assert (got.organisation, got.language, got.assessed_at, got.current_step) == (
        {"name": "乙", "members": 12}, "en", "2026-01-31", 3)
    assert [s.token for s in store.list_assessments("乙")] == [rec.token]
    with pytest.raises(AssessmentInvalid):
        store.update_assessment(rec.token, assessed_at="31/01/2026")
    with pytest.raises(AssessmentInvalid):
        store.update_assessment(rec.token, organisation={"members": -1})
    with pytest.raises(ValueError, match="current_step"):
        store.update_assessment(rec.token, current_step=-1)
    assert store.get_assessment(rec.token).assessed_at == "2026-01-31"


def test_list_newest_first_and_filter_by_name(store, tiny):
    made = [store.create_assessment(tiny, {"name": name}) for name in ["甲工会", "乙工会", "甲工会"]]
    store.save_answers(made[0].token, {"leading.party": 2, "organising.membership": "na"})
    listed = store.list_assessments()
    assert [s.token for s in listed] == [m.token for m in reversed(made)]
    assert [s.answered for s in listed] == [0, 0, 2]
    assert [s.token for s in store.list_assessments("甲工会")] == [made[2].token, made[0].token]
    assert store.list_assessments(" 乙工会 ")[0].organisation == {"name": "乙工会"}
    assert store.list_assessments("丙") == []


def test_delete(store, tiny):
    keep = store.create_assessment(tiny, {"name": "留"})
    gone = store.create_assessment(tiny, {"name": "删"})
    for rec in (keep, gone):
        store.save_answers(rec.token, {"leading.party": 2}, {"leading.party": "n"})
        store.set_targets(rec.token, {"leading": 4})
    store.delete_assessment(gone.token)
    assert store.get_assessment(gone.token) is None
    assert store.get_assessment(keep.token).answers == {"leading.party": 2}
    assert [s.token for s in store.list_assessments()] == [keep.token]
    assert (count(store, "answers"), count(store, "notes"), count(store, "targets")) == (1, 1, 1)
    store.delete_assessment(gone.token)  # again: no error


def test_record_to_assessment(store, tiny):
    rec = store.create_assessment(tiny, {"name": "某"}, "zh", "2026-11-26")
    store.save_answers(rec.token, {"leading.party": 3, "organising.membership": "na"}, {"leading.party": "好"})
    store.set_targets(rec.token, {"leading": 4})
    a = store.get_assessment(rec.token).to_assessment()
    assert a == Assessment("tiny-example", "1.0", {"name": "某"}, "2026-11-26", "zh",
                           {"leading.party": 3, "organising.membership": "na"}, {"leading.party": "好"}, {"leading": 4})


# -- model snapshots -------------------------------------------------------------------------


def test_model_snapshot_round_trip(store, db_url, root, tmp_path):
    path = tmp_path / "model.yaml"
    path.write_text((root / "tests/frameworks/tiny.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    old = load_model(path)
    assert store.save_model_snapshot(old) == old.sha256
    assert store.save_model_snapshot(old) == old.sha256  # idempotent
    rec = store.create_assessment(old, {"name": "旧"})
    store.save_answers(rec.token, {"leading.party": 4})
    path.write_text(path.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "2.0"')
                    .replace("每季度听取并督办落实", "每月听取并督办"), encoding="utf-8")
    new = load_model(path)
    assert new.sha256 != old.sha256
    store.create_assessment(new, {"name": "新"})
    assert count(store, "model_snapshots") == 2
    other = reopen(store, db_url) or store
    got = other.get_assessment(rec.token)
    snap = other.get_model_snapshot(got.model_sha256)
    assert snap is not None
    assert snap.sha256 == old.sha256 and snap.source == old.source
    assert snap.file.startswith("snapshot:")  # re-parsed from the database, not the file
    assert snap.model.version == "1.0"
    assert snap.model.t(snap.model.indicator_by_id["leading.party"].answers[4], "zh") == "每季度听取并督办落实"
    assert other.get_model_snapshot("0" * 64) is None
    assert other.get_model_snapshot("not a sha") is None


def test_snapshot_refuses_a_mismatched_digest(store, tiny):
    from dataclasses import replace

    with pytest.raises(ValueError, match="sha256"):
        store.save_model_snapshot(replace(tiny, sha256="0" * 64))


# -- import and replace ----------------------------------------------------------------------


def _file(**changes: object) -> Assessment:
    a = Assessment("tiny-example", "1.0", {"name": "导入工会", "members": 50}, "2026-11-26", "zh",
                   {"leading.party": 3, "leading.model-workers": 2, "organising.membership": "na"},
                   {"leading.party": "𠀋 😀"}, {"leading": 4, "digital": 2})
    for key, value in changes.items():
        setattr(a, key, value)
    return a


def test_import(store, tiny):
    rec = store.import_assessment(_file(), tiny)
    assert isinstance(rec, AssessmentRecord)
    got = store.get_assessment(rec.token)
    assert got == rec
    assert got.to_assessment() == _file()


def test_import_is_atomic(store, tiny, monkeypatch):
    def boom(*args: object) -> None:
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(Store, "_insert_targets", boom)  # after the assessment, answers and notes rows
    with pytest.raises(RuntimeError):
        store.import_assessment(_file(), tiny)
    for table in ("assessments", "answers", "notes", "targets", "model_snapshots"):
        assert count(store, table) == 0, table
    assert store.list_assessments() == []
    assert store.get_model_snapshot(tiny.sha256) is None


def test_import_refuses_an_invalid_file_and_stores_nothing(store, tiny):
    with pytest.raises(AssessmentInvalid) as info:
        store.import_assessment(_file(answers={"leading.party": 9}), tiny)
    assert info.value.errors[0].key == "answers.leading.party"
    with pytest.raises(AssessmentInvalid):
        store.import_assessment(_file(model_id="other-model"), tiny)
    assert count(store, "assessments") == 0


def test_replace_from(store, tiny):
    rec = store.create_assessment(tiny, {"name": "原"})
    store.save_answers(rec.token, {"digital.platform": 4}, {"digital.platform": "旧备注"})
    store.set_targets(rec.token, {"organising": 4})
    store.update_assessment(rec.token, current_step=2)
    store.replace_from(rec.token, _file())
    got = store.get_assessment(rec.token)
    expected = _file()
    assert (got.organisation, got.assessed_at, got.answers, got.notes, got.targets) == (
        expected.organisation, expected.assessed_at, expected.answers, expected.notes, expected.targets)
    assert (got.token, got.created_at, got.current_step) == (rec.token, rec.created_at, 2)


def test_replace_from_is_atomic(store, tiny, monkeypatch):
    rec = store.create_assessment(tiny, {"name": "原"})
    store.save_answers(rec.token, {"digital.platform": 4}, {"digital.platform": "旧备注"})
    before = store.get_assessment(rec.token)

    def boom(*args: object) -> None:
        raise RuntimeError("connection lost, say")

    monkeypatch.setattr(Store, "_insert_targets", boom)
    with pytest.raises(RuntimeError):
        store.replace_from(rec.token, _file())
    assert store.get_assessment(rec.token) == before
    with pytest.raises(AssessmentInvalid):
        store.replace_from(rec.token, _file(answers={"leading.party": "na"}))
    assert store.get_assessment(rec.token) == before


# -- concurrency -----------------------------------------------------------------------------

THREADS, CALLS, INDICATORS = 20, 50, 30


def _value(i: int) -> object:
    return "na" if i % 7 == 0 else 1 + i % 5


def test_concurrent_upserts_lose_and_duplicate_nothing(store, model_factory):
    # More indicators than the threads touch, so a stray row would show.
    model = model_factory([1, 2, 3, 4, 5], {"c": [(f"q{i}", 1) for i in range(INDICATORS + 10)]})
    rec = store.create_assessment(model, {"name": "并发"})
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    touched: set[int] = set()
    for t in range(THREADS):
        for k in range(CALLS):
            touched |= {(t * 3 + k) % INDICATORS, (t * 5 + 2 * k + 1) % INDICATORS}

    def work(t: int) -> None:
        barrier.wait()
        for k in range(CALLS):
            a, b = (t * 3 + k) % INDICATORS, (t * 5 + 2 * k + 1) % INDICATORS
            order = [a, b] if t % 2 else [b, a]  # opposite orders: a deadlock trap without row locking
            try:
                store.save_answers(rec.token, {f"q{i}": _value(i) for i in order}, {f"q{a}": f"备注 {a} 😀"})
            except BaseException as exc:  # every failure counts
                errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert errors == []
    got = store.get_assessment(rec.token)
    assert got.answers == {f"q{i}": _value(i) for i in sorted(touched)}
    noted = {(t * 3 + k) % INDICATORS for t in range(THREADS) for k in range(CALLS)}
    assert got.notes == {f"q{a}": f"备注 {a} 😀" for a in noted}
    assert count(store, "answers") == len(touched)
    assert count(store, "notes") == len(noted)
    assert store.list_assessments()[0].answered == len(touched)


# -- two tabs on one assessment: baselines, conflicts, revisions (issue 8, item 8) -----------

E = Entry


@pytest.mark.parametrize(("base", "mine", "theirs", "stored", "clash"), [
    (E(2), E(2), E(2), None, False),                              # nothing changed anywhere
    (E(2), E(3), E(2), E(3), False),                              # changed here only: written
    (E(2), E(2), E(4), None, False),                              # changed elsewhere only: left alone
    (E(2), E(3), E(3), None, False),                              # the same change on both sides
    (E(2), E(3), E(4), None, True),                               # different changes: a conflict
    (E(2, "旧"), E(3, "旧"), E(2, "新"), E(3, "新"), False),       # answer here, note elsewhere: both kept
    (E(2, "旧"), E(2, "我的"), E(2, "他的"), None, True),          # two different notes
    (E(2, "旧"), E(2, ""), E(2, "他的"), None, True),             # clearing a note someone else rewrote
    (E(None), E("na"), E(None), E("na"), False),
    (E(2), E(2.0, " "), E(2), None, False),                       # 2.0 is 2 and a blank note is no note
])
def test_merge_of_one_question(base, mine, theirs, stored, clash):
    assert merge(base, mine, theirs) == (stored, clash)


def _tab(record: AssessmentRecord, ids: list[str]) -> dict[str, Entry]:
    """What a tab shows of ``ids`` when it loads ``record``: its baseline."""
    return {k: record.entry(k) for k in ids}


IDS = ["leading.party", "leading.model-workers"]


def test_a_stale_tab_writes_only_what_it_changed(store, tiny):
    rec = store.create_assessment(tiny, {"name": "甲"})
    store.save_answers(rec.token, {"leading.party": 2, "leading.model-workers": 2}, {"leading.party": "原备注"})
    loaded = store.get_assessment(rec.token)
    tab_a, tab_b = _tab(loaded, IDS), _tab(loaded, IDS)
    a = store.save_answers(rec.token, {"leading.party": 4, "leading.model-workers": 2},
                           {"leading.party": "A 的备注", "leading.model-workers": "A 新加"}, baseline=tab_a)
    assert a.conflicts == () and set(a.written) == set(IDS)
    # tab B still shows the old values and changes only the second question's answer
    b = store.save_answers(rec.token, {"leading.party": 2, "leading.model-workers": 3},
                           {"leading.party": "原备注", "leading.model-workers": ""}, baseline=tab_b)
    assert b.conflicts == ()
    assert b.written == ("leading.model-workers",)
    got = store.get_assessment(rec.token)
    assert got.answers == {"leading.party": 4, "leading.model-workers": 3}
    assert got.notes == {"leading.party": "A 的备注", "leading.model-workers": "A 新加"}
    assert b.current == {"leading.party": E(4, "A 的备注"), "leading.model-workers": E(3, "A 新加")}


def test_a_conflict_is_returned_not_written_and_both_choices_work(store, tiny):
    rec = store.create_assessment(tiny, {"name": "甲"})
    store.save_answers(rec.token, {"leading.party": 2}, {"leading.party": "原备注"})
    loaded = store.get_assessment(rec.token)
    tab_a, tab_b = _tab(loaded, IDS), _tab(loaded, IDS)
    store.save_answers(rec.token, {"leading.party": 3}, {"leading.party": "A 的 😀"}, baseline=tab_a)
    b = store.save_answers(rec.token, {"leading.party": 4, "leading.model-workers": 1},
                           {"leading.party": "B 的", "leading.model-workers": ""}, baseline=tab_b)
    [c] = b.conflicts
    assert c == Conflict("leading.party", E(2, "原备注"), E(4, "B 的"), E(3, "A 的 😀"))
    assert b.written == ("leading.model-workers",)
    assert store.get_assessment(rec.token).entry("leading.party") == E(3, "A 的 😀")
    # keep mine: save again with what the user was shown of theirs as the baseline
    kept = store.save_answers(rec.token, {"leading.party": c.mine.answer}, {"leading.party": c.mine.note},
                              baseline={"leading.party": c.theirs})
    assert kept.conflicts == () and kept.written == ("leading.party",)
    assert store.get_assessment(rec.token).entry("leading.party") == E(4, "B 的")
    # take theirs writes nothing: the stored value simply becomes the tab's new baseline
    again = store.save_answers(rec.token, {"leading.party": 4}, {"leading.party": "B 的"},
                               baseline={"leading.party": E(4, "B 的")})
    assert again.written == () and again.conflicts == ()


def test_keep_mine_conflicts_again_if_it_changed_once_more(store, tiny):
    rec = store.create_assessment(tiny, {"name": "甲"})
    store.save_answers(rec.token, {"leading.party": 2})
    shown = store.get_assessment(rec.token).entry("leading.party")
    store.save_answers(rec.token, {"leading.party": 1})  # a third tab meanwhile
    result = store.save_answers(rec.token, {"leading.party": 4}, baseline={"leading.party": shown})
    assert [c.theirs for c in result.conflicts] == [E(1)]
    assert store.get_assessment(rec.token).answers == {"leading.party": 1}


def test_revision_changes_with_every_write_and_the_step_makes_no_conflict(store, tiny):
    rec = store.create_assessment(tiny, {"name": "甲"})
    first = store.get_assessment(rec.token)
    tab = _tab(first, IDS)
    store.update_assessment(rec.token, current_step=2)  # the other tab moved on
    second = store.get_assessment(rec.token)
    assert second.revision > first.revision
    result = store.save_answers(rec.token, {"leading.party": 3}, baseline=tab, current_step=1)
    assert result.conflicts == () and result.revision > second.revision
    got = store.get_assessment(rec.token)
    assert got.current_step == 1 and got.answers == {"leading.party": 3} and got.revision == result.revision
    with pytest.raises(ValueError, match="baseline"):
        store.save_answers(rec.token, {"leading.party": 3}, baseline={})
    with pytest.raises(ValueError):
        store.save_answers(rec.token, {"leading.party": 3}, baseline=tab, current_step=-1)
    with pytest.raises(AssessmentInvalid):
        store.save_answers(rec.token, {"leading.party": 9}, baseline=tab)
    assert store.get_assessment(rec.token).answers == {"leading.party": 3}


TABS = 12


def test_stale_tabs_saving_at_once_lose_nothing(store, model_factory):
    """Tabs that all loaded the same state save at the same instant: one change per question wins, the rest conflict."""
    model = model_factory([1, 2, 3, 4, 5], {"c": [(f"q{i}", 1) for i in range(TABS + 1)]})
    rec = store.create_assessment(model, {"name": "并发"})
    ids = [f"q{i}" for i in range(TABS + 1)]
    store.save_answers(rec.token, dict.fromkeys(ids, 1))
    base = _tab(store.get_assessment(rec.token), ids)
    barrier = threading.Barrier(TABS)
    results: dict[int, object] = {}

    def work(t: int) -> None:
        barrier.wait()
        # each tab changes its own question and the shared one q0, each to its own value
        mine = {**dict.fromkeys(ids, 1), f"q{t + 1}": 2 + t % 4, "q0": 2 + t % 4}
        notes = {**dict.fromkeys(ids, ""), "q0": f"第 {t} 个窗口"}
        try:
            results[t] = store.save_answers(rec.token, mine, notes, baseline=base)
        except BaseException as exc:
            results[t] = exc

    threads = [threading.Thread(target=work, args=(t,)) for t in range(TABS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert all(not isinstance(r, BaseException) for r in results.values()), results
    got = store.get_assessment(rec.token)
    for t in range(TABS):  # every tab's own question was written
        assert got.answers[f"q{t + 1}"] == 2 + t % 4
    winners = [t for t, r in results.items() if "q0" in r.written]
    assert len(winners) == 1
    [w] = winners
    assert got.entry("q0") == E(2 + w % 4, f"第 {w} 个窗口")
    for t, r in results.items():  # every other tab was told, with the winner's value
        if t != w:
            assert [(c.indicator_id, c.theirs) for c in r.conflicts] == [("q0", got.entry("q0"))]


# -- many assessments at once (the history page) ----------------------------------------------


class _Sent(list):
    """The statements an engine sent while listening (SQLAlchemy's before_cursor_execute)."""

    def listener(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.append(statement)


def _queries(store: Store) -> _Sent:
    sent = _Sent()
    event.listen(store.engine, "before_cursor_execute", sent.listener)
    return sent


def _fill(store: Store, tiny, n: int) -> list[str]:
    tokens = []
    for i in range(n):
        rec = store.create_assessment(tiny, {"name": f"工会{i % 3}"}, "zh", f"2026-0{1 + i % 9}-1{i % 10}")
        store.save_answers(rec.token, {"leading.party": 1 + i % 4, "digital.platform": "na" if i % 2 else 2},
                           {"leading.party": f"备注{i}"})
        if i % 3:
            store.set_targets(rec.token, {"leading": 4})
        tokens.append(rec.token)
    return tokens


def test_history_is_scored_in_a_fixed_number_of_queries(store, tiny, model_factory):
    from maturity.compare import history_entry, load_history
    from maturity.scoring import score

    other = model_factory([1, 2, 3], {"c": [("c.a", 1)]})
    extra = store.create_assessment(other, {"name": "另一个"})
    store.save_answers(extra.token, {"c.a": 3})
    sent: dict[int, int] = {}
    for n in (2, 12):
        _fill(store, tiny, n if n == 2 else n - 2)
        summaries = store.list_assessments()
        store.snapshots.clear()  # as a fresh process would: every snapshot read from the database
        queries = _queries(store)
        history = load_history(store, summaries, "zh", "未命名")
        event.remove(store.engine, "before_cursor_execute", queries.listener)
        sent[len(summaries)] = len(queries)
        # the same numbers as scoring each assessment on its own
        for s in summaries:
            record = store.get_assessment(s.token)
            loaded = store.get_model_snapshot(s.model_sha256)
            result = score(loaded.model, record.answers, record.targets)
            assert history.scored[s.token].result == result
            assert history.scored[s.token].record == record
        assert history.entries == [
            history_entry(s.token, str(s.organisation.get("name") or "未命名"), s.assessed_at, s.created_at,
                          history.scored[s.token].model, history.scored[s.token].result, "zh")
            for s in summaries
        ]
        assert history.skipped == 0
    assert sorted(sent) == [3, 13]
    assert sent[3] == sent[13] <= 8  # 4 reads of the assessments, 1 of the snapshots, BEGIN per transaction


def test_history_skips_an_assessment_deleted_meanwhile(store, tiny):
    from maturity.compare import load_history

    tokens = _fill(store, tiny, 3)
    summaries = store.list_assessments()
    store.delete_assessment(tokens[1])
    history = load_history(store, summaries, "en", "Unnamed")
    assert history.skipped == 1 and tokens[1] not in history.scored and len(history.entries) == 2


def test_get_assessments_leaves_out_unknown_and_garbage_tokens(store, tiny):
    tokens = _fill(store, tiny, 2)
    got = store.get_assessments([*tokens, "x" * 24, "../etc", ""])
    assert sorted(got) == sorted(tokens)
    assert all(got[t] == store.get_assessment(t) for t in tokens)
    assert store.get_assessments([]) == {}
