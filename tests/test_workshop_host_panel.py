"""The host panel stays cheap in a full room: 200 participants × 34 answers on the brand-union model.

The distribution specs count their builds in ``pages._wsview.BUILDS``: a refresh with no new answers
must build no chart and read no aggregates, one new answer rebuilds its criterion's chart only. The
refresh's time is a benchmark's figure, not a test's (benchmarks/bench_host.py, docs/benchmarks.md).
"""

from __future__ import annotations

import random

import pytest

from maturity.loader import load_model
from maturity.workshop import WorkshopService
from pages import _wsview
from tests.test_pages_workshop import open_with

PEOPLE = 200


@pytest.fixture
def full_room(root, store):
    """A brand-union session with 200 participants who answered all 34 questions (seeded, 1–5 at random)."""
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
