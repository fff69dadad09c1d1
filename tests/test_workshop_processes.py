"""Real app processes sharing one database (DESIGN §6): two on one PostgreSQL, and one killed with SIGKILL and started again.

Driven over the websocket as a browser does (benchmarks/stclient.py, benchmarks/wsclient.py): phones
submit the join form and the criterion forms; the host tab reruns its live fragment as the browser's
timer does, and its metrics are what the host sees.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import random
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from maturity.loader import LoadedModel, load_model
from maturity.store import Store
from maturity.workshop import WorkshopService

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
# benchmarks/ holds scripts, not a package: imported by name so that mypy (tests/test_types.py) leaves them be
stclient = importlib.import_module("stclient")
wsclient = importlib.import_module("wsclient")
Session, start_server, stop_server, wait_for_port = (
    stclient.Session, stclient.start_server, stclient.stop_server, stclient.wait_for_port)
answer_form, answer_values, host_counts, host_refresh = (
    wsclient.answer_form, wsclient.answer_values, wsclient.host_counts, wsclient.host_refresh)
join, open_host, progress_text = wsclient.join, wsclient.open_host, wsclient.progress_text

pytestmark = pytest.mark.slow

TIMEOUT = 90.0


@pytest.fixture(scope="module")
def brand_union() -> LoadedModel:
    """The shipped brand-union model: 8 criteria, the first two of 4 and 5 questions."""
    return load_model(ROOT / "frameworks" / "brand-union.yaml")


@contextlib.contextmanager
def app_process(url: str, log: Path) -> Iterator[tuple[object, int]]:
    """``streamlit run app.py`` on ``url``; the process and its port (stopped at the end unless killed)."""
    with open(log, "ab") as out:
        proc, port = start_server(ROOT / "app.py", {"DATABASE_URL": url, "MATURITY_FRAMEWORKS": str(ROOT / "frameworks")},
                                  log=out)
        try:
            wait_for_port(port, proc, timeout=90)
            yield proc, port
        finally:
            stop_server(proc)


def _session(url: str, model: LoadedModel, title: str) -> tuple[WorkshopService, str, str]:
    store = Store(url)
    store.create_schema()
    svc = WorkshopService(store)
    ws, key = svc.create(model, title)
    return svc, ws.code, key


@pytest.mark.postgres
def test_two_processes_on_one_postgresql_the_host_sees_every_answer(pg_database, brand_union, tmp_path):
    svc, code, key = _session(pg_database, brand_union, "两个进程")
    levels = len(brand_union.model.scale)
    rng = random.Random(10)
    with app_process(pg_database, tmp_path / "host.log") as (_, host_port), \
            app_process(pg_database, tmp_path / "phones.log") as (_, phone_port):

        async def room() -> None:
            async with Session(host_port, "workshop_host", f"w={code}&k={key}") as host:
                fragment, interval = await open_host(host, TIMEOUT)
                assert interval > 0
                assert host_counts(host) == (0, 0)
                phones = [Session(phone_port, "workshop") for _ in range(3)]
                for p in phones:
                    await p.__aenter__()
                try:
                    for k, phone in enumerate(phones):  # by link, by typed code, by link
                        await join(phone, code, by_link=k != 1, timeout=TIMEOUT)
                        await host_refresh(host, fragment, TIMEOUT)
                        assert host_counts(host) == (k + 1, 0), "the host sees who joined on the other process"
                    answered = 0
                    for _ in range(2):
                        for phone in phones:
                            form = answer_form(phone)
                            assert form is not None, phone.problems()
                            states, _ = answer_values(form[1], rng, levels)
                            await phone.submit(form[0], states, timeout=TIMEOUT)
                            assert not phone.problems()
                            answered += len(states)
                            await host_refresh(host, fragment, TIMEOUT)
                            assert host_counts(host) == (3, answered), "each answer shows on the host as it arrives"
                finally:
                    for p in phones:
                        await p.__aexit__(None, None, None)

        asyncio.run(room())
    assert sum(len(svc.answers_of(t)) for t in _tokens(svc, code)) == 27  # 3 phones × (4 + 5) questions
    svc.store.dispose()


def _tokens(svc: WorkshopService, code: str) -> list[str]:
    from sqlalchemy import select

    from maturity import schema as S

    with svc.db.read() as conn:
        return list(conn.scalars(select(S.participants.c.token).join(
            S.workshops, S.workshops.c.id == S.participants.c.workshop_id).where(S.workshops.c.code == code)))


def _url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    return f"sqlite:///{tmp_path}/restart.db" if backend == "sqlite" else request.getfixturevalue("pg_database")


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_killed_mid_session_every_acknowledged_answer_is_kept_and_the_links_resume(backend, brand_union, tmp_path,
                                                                                   request):
    url = _url(backend, tmp_path, request)
    svc, code, key = _session(url, brand_union, "重启")
    model = brand_union.model
    levels = [s.level for s in model.scale]
    acked: dict[str, dict[str, int]] = {}  # token -> indicator -> level, of submits whose reply came back
    with app_process(url, tmp_path / "before.log") as (proc, port):

        async def answering(k: int, enough: asyncio.Event, joined: asyncio.Barrier) -> None:
            rng = random.Random(k)
            async with Session(port, "workshop") as phone:
                token, _ = await join(phone, code, by_link=k % 2 == 0, timeout=TIMEOUT)
                acked[token] = {}
                await joined.wait()  # all three are in before anybody answers
                with contextlib.suppress(Exception):  # the kill cuts the connection mid-submit
                    while (form := answer_form(phone)) is not None:
                        states, chosen = answer_values(form[1], rng, len(levels))
                        await phone.submit(form[0], states, timeout=TIMEOUT)
                        acked[token].update({i: levels[c] for i, c in chosen.items()})
                        if sum(len(a) for a in acked.values()) >= 24:
                            enough.set()

        async def session_then_kill() -> None:
            enough, joined = asyncio.Event(), asyncio.Barrier(3)
            phones = [asyncio.create_task(answering(k, enough, joined)) for k in range(3)]
            await asyncio.wait_for(enough.wait(), TIMEOUT * 2)
            os.kill(proc.pid, signal.SIGKILL)  # mid-session: the phones are still submitting
            await asyncio.wait(phones, timeout=TIMEOUT)

        asyncio.run(session_then_kill())
        assert proc.wait(timeout=10) == -signal.SIGKILL
    assert len(acked) == 3 and sum(len(a) for a in acked.values()) >= 24

    with app_process(url, tmp_path / "after.log") as (_, port):
        stored = {t: svc.answers_of(t) for t in acked}
        for token, answers in acked.items():
            assert {i: stored[token].get(i) for i in answers} == answers, "an acknowledged answer is missing"

        async def resume() -> None:
            for token in acked:  # the participant's link, opened again
                async with Session(port, "workshop", f"w={code}&p={token}") as phone:
                    await phone.rerun(timeout=TIMEOUT)
                    assert not phone.problems(), phone.problems()
                    assert progress_text(len(stored[token]), len(model.indicators)) in phone.texts()
                    first = model.criteria[0]
                    if all(i.id in stored[token] for i in first.indicators):
                        shown = {r.radio.id.rsplit("wsj_ans_", 1)[1]: r.radio.default for r in phone.elements()
                                 if r.WhichOneof("type") == "radio" and "wsj_ans_" in r.radio.id}
                        assert shown == {i.id: levels.index(int(stored[token][i.id])) for i in first.indicators}
            async with Session(port, "workshop_host", f"w={code}&k={key}") as host:  # the host's link
                await open_host(host, TIMEOUT)
                assert host_counts(host) == (3, sum(len(a) for a in stored.values()))

        asyncio.run(resume())
    svc.store.dispose()
