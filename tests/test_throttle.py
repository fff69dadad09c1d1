"""Guessing join codes: failed lookups are limited per browser session and per address, in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from maturity import migrations, schema
from maturity.store import Store
from maturity.throttle import Client, LookupLimit
from maturity.workshop import WorkshopError, WorkshopService

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture(params=["sqlite-file", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path) -> Iterator[str]:
    """A fresh SQLite file or the session's PostgreSQL database (emptied after)."""
    url = f"sqlite:///{tmp_path / 'th.db'}" if request.param == "sqlite-file" else request.getfixturevalue("pg_database")
    store = Store(url)
    store.create_schema()
    yield url
    if request.param == "postgresql":
        migrations.drop_all(store.engine)
    store.dispose()


def service(url: str, clock: Clock, **limits: Any) -> WorkshopService:
    """A service whose lookup limit runs on ``clock`` (a new Store: as another process would)."""
    store = Store(url)
    return WorkshopService(store, LookupLimit(store, clock=clock, **limits))


def wrong(svc: WorkshopService, client: Client, code: str = "ZZZZZZ") -> str:
    """Look a wrong code up; the refusal's code."""
    with pytest.raises(WorkshopError) as info:
        svc.lookup(code, client)
    return info.value.code


def test_a_session_is_stopped_after_n_wrong_codes_until_the_window_passes(url, tiny):
    clock = Clock()
    svc = service(url, clock, per_session=3, per_address=100)
    ws, _ = svc.create(tiny, "研讨")
    me = Client(session="tab-1", address="203.0.113.7")
    for _ in range(3):  # at 9:00, 9:02 and 9:04
        assert wrong(svc, me) == "no_such_code"
        clock.advance(minutes=2)
    clock.advance(minutes=-2)
    with pytest.raises(WorkshopError) as info:
        svc.lookup(ws.code, me)  # even the right code: otherwise guessing would go on
    assert info.value.code == "too_many_tries" and info.value.params["minutes"] == 6  # 9:00's leaves at 9:10
    assert "6 分钟后再试" in info.value.message("zh") and "6 min" in info.value.message("en")
    with pytest.raises(WorkshopError, match="too_many_tries"):
        svc.join(ws.code, client=me)
    assert svc.lookup(ws.code, Client(session="tab-2", address="203.0.113.7")) == ws  # another tab may
    clock.advance(minutes=5)
    assert svc.limit.retry_after(me) == dt.timedelta(minutes=1)
    clock.advance(minutes=1, seconds=1)  # 9:10:01: the first failure has left the window, one more try
    assert svc.lookup(ws.code, me) == ws
    assert wrong(svc, me) == "no_such_code"
    assert wrong(svc, me) == "too_many_tries"


def test_an_address_is_stopped_across_sessions_and_processes(url, tiny):
    clock = Clock()
    one, two = service(url, clock, per_session=100, per_address=4), service(url, clock, per_session=100, per_address=4)
    ws, _ = one.create(tiny, "研讨")
    for n in range(4):  # a script opening a new session for each guess, spread over two processes
        assert wrong(one if n % 2 else two, Client(session=f"s{n}", address="198.51.100.9")) == "no_such_code"
    with pytest.raises(WorkshopError, match="too_many_tries"):
        two.lookup(ws.code, Client(session="fresh", address="198.51.100.9"))
    assert one.lookup(ws.code, Client(session="fresh", address="198.51.100.10")) == ws  # other addresses may


def test_unknown_address_is_one_shared_address(url):
    clock = Clock()
    svc = service(url, clock, per_session=100, per_address=2)
    assert wrong(svc, Client(session="a")) == "no_such_code"
    assert wrong(svc, Client()) == "no_such_code"
    assert wrong(svc, Client(session="b")) == "too_many_tries"


def test_right_codes_do_not_count_and_old_failures_are_forgotten(url, tiny):
    clock = Clock()
    svc = service(url, clock, per_session=2, per_address=100)
    ws, _ = svc.create(tiny, "研讨")
    me = Client(session="tab")
    for _ in range(5):
        svc.join(ws.code, client=me)
    assert wrong(svc, me) == "no_such_code"
    clock.advance(minutes=11)
    assert wrong(svc, me) == "no_such_code"
    with svc.db.read() as conn:  # only hashes are kept, and only of the current window
        rows = conn.execute(schema.lookup_failures.select()).all()
    assert len(rows) == 2 and all(len(r.scope) == 64 and "tab" not in r.scope for r in rows)


def test_the_new_table_is_added_to_an_existing_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url)
    store.create_schema()
    with store.db.write() as conn:
        schema.lookup_failures.drop(conn)  # a database made before the table existed (and before Alembic)
        conn.exec_driver_sql("DROP TABLE alembic_version")
    store.create_schema()  # what the app does at start
    assert wrong(WorkshopService(store), Client(session="x")) == "no_such_code"
    store.dispose()
