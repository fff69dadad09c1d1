"""The host panel stays cheap in a full room: 200 participants × 32 answers on the brand-union model.

The panel (``panel()`` of pages/workshop_host.py) records its own server time in
``st.session_state["wsh_panel_ms"]``; the distribution specs count their builds in
``pages._wsview.BUILDS``. A refresh with no new answers must build no chart and read no aggregates.
"""

from __future__ import annotations

import random
import time

import pytest

from maturity.loader import load_model
from maturity.workshop import WorkshopService
from pages import _wsview
from tests.test_pages_workshop import open_with

PEOPLE = 200
BUDGET_MS = 300  # issue 10: a host refresh under 300 ms of server time with 200 participants


@pytest.fixture
def full_room(root, store):
    """A brand-union session with 200 participants who answered all 32 questions (seeded, 1–5 at random)."""
    loaded = load_model(root / "frameworks" / "brand-union.yaml")
    svc = WorkshopService(store)
    ws, key = svc.create(loaded, "职代会研讨")
    rng = random.Random(10)
    people = []
    for _ in range(PEOPLE):
        person = svc.join(ws.code)
        svc.submit(person.token, {i.id: rng.randint(1, 5) for i in loaded.model.indicators})
        people.append(person)
    return svc, ws, key, people, loaded.model


def _count_aggregates(monkeypatch) -> list[int]:
    calls = [0]
    real = WorkshopService.aggregates

    def counted(self, *args, **kwargs):
        calls[0] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(WorkshopService, "aggregates", counted)
    return calls


def test_a_refresh_without_new_answers_rebuilds_nothing(root, full_room, monkeypatch):
    svc, ws, key, people, model = full_room
    _wsview._distribution_spec.clear()
    calls = _count_aggregates(monkeypatch)
    at = open_with(root, "workshop_host", w=ws.code, k=key)
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) == len(model.criteria)
    assert _wsview.BUILDS["distribution"] >= len(model.criteria) and calls[0] == 1
    builds = _wsview.BUILDS["distribution"]

    at.run()  # a refresh, nothing new
    assert not at.exception, at.exception
    assert _wsview.BUILDS["distribution"] == builds and calls[0] == 1
    assert len(at.get("vega_lite_chart")) == len(model.criteria)

    first = model.criteria[0].indicators[0].id
    svc.submit(people[0].token, {first: 5 if svc.answers_of(people[0].token)[first] != 5 else 1})
    at.run()  # one answer changed in the first criterion: its chart only is built again
    assert not at.exception, at.exception
    assert _wsview.BUILDS["distribution"] == builds + 1 and calls[0] == 2


def _panel_ms(at, name: str = "wsh_panel_ms") -> float:
    at.run()
    assert not at.exception, at.exception
    return float(at.session_state[name])


def test_the_panel_refresh_stays_under_300_ms_with_200_participants(root, full_room, capsys):
    svc, ws, key, people, model = full_room
    at = open_with(root, "workshop_host", w=ws.code, k=key)
    assert not at.exception, at.exception
    rng = random.Random(3)
    unchanged, one_new, all_new = [], [], []
    for _ in range(5):  # best of five: the machine is shared
        unchanged.append(_panel_ms(at))
        person = rng.choice(people)
        svc.submit(person.token, {model.indicators[rng.randrange(32)].id: rng.randint(1, 5)})
        one_new.append(_panel_ms(at))
        # every criterion changed since the last refresh (a busy room): every chart is built again
        svc.submit(person.token, {c.indicators[0].id: rng.randint(1, 5) for c in model.criteria})
        _wsview._distribution_spec.clear()
        all_new.append(_panel_ms(at))
    started = time.perf_counter()
    at.run()
    whole = (time.perf_counter() - started) * 1000
    projector = open_with(root, "workshop_host", w=ws.code, v=svc.presenter_token(ws.code, key))
    shown = []
    for _ in range(5):
        person = rng.choice(people)
        svc.submit(person.token, {model.indicators[rng.randrange(32)].id: rng.randint(1, 5)})
        shown.append(_panel_ms(projector, "wsh_present_ms"))
    with capsys.disabled():
        print(f"\nhost panel, {PEOPLE} participants × 32 answers: no change {min(unchanged):.0f} ms, one new answer "
              f"{min(one_new):.0f} ms, every criterion changed {min(all_new):.0f} ms (best of 5); whole page run "
              f"in AppTest {whole:.0f} ms; projector with one new answer {min(shown):.0f} ms")
    assert min(unchanged) < BUDGET_MS / 3
    assert min(one_new) < BUDGET_MS
    assert min(all_new) < BUDGET_MS
    assert min(shown) < BUDGET_MS
