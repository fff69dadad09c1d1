"""Schema migrations (maturity/migrations): databases made by the last release before Alembic upgrade in place.

The fixtures were made by commit a6a1c3c (tests/fixtures/make_pre_alembic.py says how): a SQLite file
and a plain-SQL PostgreSQL dump, each with three assessments and a workshop, and beside each the scores
and aggregates that code computed (JSON). After the upgrade every assessment opens and scores the same.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from maturity import migrations, schema
from maturity.cli import main as cli_main
from maturity.db import now
from maturity.errors import SchemaTooNew
from maturity.scoring import score
from maturity.store import Store
from maturity.throttle import Client
from maturity.workshop import WorkshopService
from maturity.workshop_types import hash_key
from tests.conftest import fresh_pg_database
from tests.fixtures.make_pre_alembic import summarise
from tests.helpers import create_schemas_at_once

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _pg_fresh() -> Iterator[str]:
    yield from fresh_pg_database("maturity_mig")


def _psql(url: str, sql_file: Path) -> None:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", u.host or "127.0.0.1", "-p", str(u.port or 5432),
         "-U", u.username or "postgres", "-d", u.database or "", "-f", str(sql_file)],
        check=True, capture_output=True, env={"PATH": "/usr/bin:/bin", **({"PGPASSWORD": u.password} if u.password else {})},
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def old_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, dict]]:
    """A database made by the last release before Alembic, and what that release computed from it."""
    if request.param == "sqlite":
        shutil.copy(FIXTURES / "pre-alembic.db", tmp_path / "old.db")
        yield f"sqlite:///{tmp_path / 'old.db'}", json.loads((FIXTURES / "pre-alembic.json").read_text())
        return
    for url in _pg_fresh():
        _psql(url, FIXTURES / "pre-alembic.pg.sql")
        yield url, json.loads((FIXTURES / "pre-alembic.pg.json").read_text())


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'new.db'}"
        return
    yield from _pg_fresh()


def _tables(store: Store) -> set[str]:
    return set(inspect(store.engine).get_table_names())


def _diff(store: Store) -> list[object]:
    with store.engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), schema.metadata)


def test_a_pre_alembic_database_upgrades_in_place_and_scores_the_same(old_db):
    url, expected = old_db
    store = Store(url)
    assert migrations.current(store.db) is None and "lookup_failures" not in _tables(store)
    assert store.schema_version() == 2
    store.create_schema()  # what the app does at start
    assert migrations.current(store.db) == migrations.head()
    assert "lookup_failures" in _tables(store)
    assert _diff(store) == []
    for token, want in expected["assessments"].items():
        record = store.get_assessment(token)
        assert record is not None
        loaded = store.get_model_snapshot(record.model_sha256)
        got = summarise(score(loaded.model, record.answers, record.targets))
        assert json.loads(json.dumps(got)) == {k: want[k] for k in got}
        assert json.loads(json.dumps(record.answers)) == want["answers"]
        assert record.notes == want["notes"] and json.loads(json.dumps(record.targets)) == want["targets"]
        assert record.organisation == want["organisation"] and record.language == want["language"]
    ws = expected["workshop"]
    svc = WorkshopService(store)
    got = svc.aggregates(ws["code"], ws["key"])
    aggregates = {k: dataclasses.asdict(v) for k, v in got.items()}
    # The same numbers; the disagreement flag follows DESIGN §4's revised rule (issue 10: 2/3/4 is no
    # longer a split), and the consensus note (migration 0003) is empty on a session made before it.
    for k, want in ws["aggregates"].items():
        flag = want["n"] >= 3 and (want["sd"] >= 1.0 or want["max"] - want["min"] >= 3)  # five levels: span 4
        assert json.loads(json.dumps(aggregates[k])) == {**want, "disagreement": flag, "note": None}, k
    assert sorted(aggregates) == sorted(ws["aggregates"])
    assert [k for k, a in ws["aggregates"].items() if a["disagreement"]] != [k for k, a in got.items() if a.disagreement]
    svc.set_consensus(ws["code"], ws["key"], "leading.strategy", 3, "讨论后取中间值")  # the new column works
    assert svc.aggregates(ws["code"], ws["key"])["leading.strategy"].note == "讨论后取中间值"
    assert len(svc.presenter_token(ws["code"], ws["key"])) == 32  # a session from before 0003 gets one
    assert svc.participant(ws["participants"][0]) is not None
    # still writable, and the new table works
    token = next(iter(expected["assessments"]))
    store.save_answers(token, {}, {})
    assert svc.limit.retry_after(Client(session="s")) is None
    svc.limit.record_failure(Client(session="s"))
    store.dispose()


def test_a_database_that_already_has_the_lookup_table_upgrades_too(old_db):
    """Main between the last release and Alembic added lookup_failures with create_all."""
    url, expected = old_db
    store = Store(url)
    with store.engine.begin() as conn:
        schema.lookup_failures.create(conn)
    store.create_schema()
    assert migrations.current(store.db) == migrations.head()
    assert _diff(store) == []
    assert {s.token for s in store.list_assessments()} == set(expected["assessments"])


def test_upgrading_twice_does_nothing(old_db):
    url, _ = old_db
    store = Store(url)
    assert migrations.upgrade(store.db) == (migrations.FIRST, migrations.head())
    assert migrations.upgrade(store.db) == (migrations.head(), migrations.head())
    store.create_schema()
    assert migrations.current(store.db) == migrations.head() and _diff(store) == []
    store.dispose()


def test_a_fresh_database_is_made_by_the_migrations_and_matches_the_models(empty_url):
    store = Store(empty_url)
    assert migrations.current(store.db) is None
    store.create_schema()
    assert migrations.current(store.db) == migrations.head()
    assert _tables(store) == set(schema.metadata.tables) | {"alembic_version"}
    assert _diff(store) == []
    store.dispose()


def test_a_newer_revision_is_refused_and_left_alone(empty_url):
    store = Store(empty_url)
    store.create_schema()
    with store.db.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(SchemaTooNew, match="newer"):
        store.create_schema()
    with store.db.read() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "9999_from_the_future"
    store.dispose()


def test_a_newer_pre_alembic_schema_version_is_refused(tmp_path):
    shutil.copy(FIXTURES / "pre-alembic.db", tmp_path / "old.db")
    store = Store(f"sqlite:///{tmp_path / 'old.db'}")
    with store.db.write() as conn:
        conn.execute(schema.schema_version.insert().values(version=99, applied_at=now()))
    with pytest.raises(SchemaTooNew):
        store.create_schema()
    assert migrations.current(store.db) is None
    store.dispose()


def test_the_cli_upgrades_and_shows_the_revision_without_the_password(tmp_path, monkeypatch, capsys):
    shutil.copy(FIXTURES / "pre-alembic.db", tmp_path / "old.db")
    url = f"sqlite:///{tmp_path / 'old.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert cli_main(["db", "current"]) == 0
    assert "none" in capsys.readouterr().out.lower()
    assert cli_main(["db", "upgrade"]) == 0
    out = capsys.readouterr().out
    assert migrations.head() in out
    assert cli_main(["db", "current"]) == 0
    assert migrations.head() in capsys.readouterr().out


def test_the_cli_never_prints_the_password(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:s3cretpw@127.0.0.1:1/nowhere")
    code = cli_main(["db", "current"])
    captured = capsys.readouterr()
    assert code != 0
    assert "s3cretpw" not in captured.out + captured.err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_says_the_database_is_too_new_in_its_language(root, store, lang):
    from pages._ui import _store
    from tests import helpers

    with store.db.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    _store.clear()
    at = helpers.open_page(root, "history", lang)
    text_shown = " ".join(e.value for e in at.error)
    assert {"zh": "较新版本", "en": "newer version"}[lang] in text_shown
    assert "9999" not in text_shown and not at.exception
    _store.clear()


def test_processes_starting_at_once_upgrade_an_old_database_once(old_db):
    url, expected = old_db
    stores = [Store(url) for _ in range(4)]
    errors = create_schemas_at_once(stores)
    assert errors == []
    assert all(migrations.current(s.db) == migrations.head() for s in stores)
    with stores[0].db.read() as conn:
        assert conn.scalar(text("SELECT count(*) FROM alembic_version")) == 1
    assert sorted(stores[0].get_assessments(list(expected["assessments"]))) == sorted(expected["assessments"])
    for s in stores:
        s.dispose()


def _at_revision(store: Store, revision: str) -> None:
    """Move ``store``'s database to ``revision`` with Alembic, as an older release would have left it."""
    from alembic import command

    with store.db.write() as conn:
        cfg = migrations._config(conn)
        if migrations._revision(conn) is None:
            command.upgrade(cfg, revision)
        else:
            command.downgrade(cfg, revision)


def test_a_database_at_0002_upgrades_to_0003_with_its_workshop_kept(empty_url, tiny):
    """Issue 10: the consensus note, the presenter hash and the kept result are added columns; nothing is lost."""
    store = Store(empty_url)
    _at_revision(store, "0002")
    assert migrations.current(store.db) == "0002"
    columns = {c["name"] for c in inspect(store.engine).get_columns("consensus")}
    assert "note" not in columns
    # a session as the code of revision 0002 wrote it: rows without the new columns
    sha = store.save_model_snapshot(tiny)
    stamp = now()
    with store.db.write() as conn:
        conn.execute(text(
            "INSERT INTO workshops (code, title, model_sha256, criteria, named, pace, current_criterion, revealed,"
            " host_key_hash, language, created_at, closed_at) VALUES ('ABCDEF', '旧研讨', :sha, '[]', :f, 'free',"
            " NULL, :f, :h, 'zh', :at, NULL)"), {"sha": sha, "f": False, "h": hash_key("k" * 32),
                                                 "at": stamp.replace(tzinfo=None)})
        wid = conn.scalar(text("SELECT id FROM workshops WHERE code = 'ABCDEF'"))
        for n, level in enumerate((1, 3, 4)):
            conn.execute(text("INSERT INTO participants (workshop_id, token, name, created_at) VALUES (:w, :t, NULL, :at)"),
                         {"w": wid, "t": f"tok{n:021d}", "at": stamp.replace(tzinfo=None)})
            pid = conn.scalar(text("SELECT id FROM participants WHERE token = :t"), {"t": f"tok{n:021d}"})
            conn.execute(text("INSERT INTO workshop_answers (participant_id, indicator_id, workshop_id, level, is_na,"
                              " updated_at) VALUES (:p, 'leading.party', :w, :l, :f, :at)"),
                         {"p": pid, "w": wid, "l": float(level), "f": False, "at": stamp.replace(tzinfo=None)})
        conn.execute(text("INSERT INTO consensus (workshop_id, indicator_id, level, updated_at)"
                          " VALUES (:w, 'leading.party', 3, :at)"), {"w": wid, "at": stamp.replace(tzinfo=None)})
    store.create_schema()  # what the app does at start: up to the head (0005 since issue 13)
    assert migrations.current(store.db) == migrations.head() == "0005"
    assert _diff(store) == []
    svc = WorkshopService(store)
    agg = svc.aggregates("ABCDEF", "k" * 32)["leading.party"]
    assert (agg.n, agg.consensus, agg.note, agg.mean) == (3, 3, None, pytest.approx(8 / 3))
    svc.set_consensus("ABCDEF", "k" * 32, "leading.party", 3, "旧会话也能写说明")
    assert svc.aggregates("ABCDEF", "k" * 32)["leading.party"].note == "旧会话也能写说明"
    token = svc.presenter_token("ABCDEF", "k" * 32)  # filled on the first call for a session from before
    assert svc.check_presenter("ABCDEF", token).title == "旧研讨"
    assert svc.keep_result("ABCDEF", "k" * 32).answers == {"leading.party": 3}
    # and back down: 0003's downgrade drops the three columns again, the rows stay
    _at_revision(store, "0002")
    assert "note" not in {c["name"] for c in inspect(store.engine).get_columns("consensus")}
    with store.db.read() as conn:
        assert conn.scalar(text("SELECT count(*) FROM workshop_answers")) == 3  # a table copy would cascade to 0
        assert conn.scalar(text("SELECT count(*) FROM participants")) == 3
        assert conn.scalar(text("SELECT level FROM consensus")) == 3
    store.create_schema()  # and up again
    assert WorkshopService(store).aggregates("ABCDEF", "k" * 32)["leading.party"].n == 3
    store.dispose()


def test_a_database_at_0003_upgrades_to_0004_with_its_assessments_kept(empty_url, tiny):
    """Issue 12: the evidence table and the view-token column are added; answers stay, down and up again."""
    store = Store(empty_url)
    _at_revision(store, "0003")
    assert "evidence" not in inspect(store.engine).get_table_names()
    record = store.create_assessment(tiny, {"name": "旧工会"})
    store.save_answers(record.token, {"leading.party": 3, "leading.model-workers": "na"}, {"leading.party": "纪要"})
    store.create_schema()
    assert migrations.current(store.db) == migrations.head()
    assert _diff(store) == []
    kept = store.get_assessment(record.token)
    assert kept is not None and kept.answers == {"leading.party": 3, "leading.model-workers": "na"}
    assert store.view_token_of(record.token) is None
    store.evidence.add(record.token, "leading.party", "a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10)
    _at_revision(store, "0003")  # down: the evidence goes with its table, the assessment stays
    assert "evidence" not in inspect(store.engine).get_table_names()
    assert "view_token" not in {c["name"] for c in inspect(store.engine).get_columns("assessments")}
    with store.db.read() as conn:
        assert conn.scalar(text("SELECT count(*) FROM answers")) == 2  # a table copy would cascade to 0
    store.create_schema()
    again = store.get_assessment(record.token)
    assert again is not None and again.notes == {"leading.party": "纪要"} and store.evidence.list(record.token) == []
    store.dispose()
