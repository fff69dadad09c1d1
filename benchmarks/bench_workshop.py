"""Workshop load: simulated phones answer over the Streamlit websocket; nothing may be lost.

Run: python benchmarks/bench_workshop.py [--participants 200] [--criteria 2] [--arrive 60] [--think 15 45]
                                          [--stress 50 100 200]

Realistic room: participants arrive over ``--arrive`` seconds and spend a random ``--think`` time on
each criterion before submitting its form (one Streamlit process, SQLite). Targets: 0 answers lost,
submit p95 < 1 s. Stress: N participants load the form, then all submit at the same instant; the figure
is the time to drain (wall includes loading the pages first).
Every answer sent is checked against the database afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from stclient import Session, serve  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from maturity.loader import load_model  # noqa: E402
from maturity.store import Store  # noqa: E402
from maturity.workshop import WorkshopService  # noqa: E402


def form_widgets(session: Session) -> tuple[list[tuple[str, list[str]]], str | None]:
    """The answer radios (id, option labels) and the submit button id of the page's form."""
    radios, submit = [], None
    for fwd in session.deltas:
        el = fwd.delta.new_element
        kind = el.WhichOneof("type")
        if kind == "radio" and "wsj_ans_" in el.radio.id:
            radios.append((el.radio.id, list(el.radio.options)))
        elif kind == "button" and el.button.is_form_submitter:
            submit = el.button.id
    return radios, submit


async def participant(port: int, code: str, token: str, criteria: int, think: tuple[float, float], arrive: float,
                           rng: random.Random, sent: dict[str, int], times: list[float], errors: list[str],
                      barrier: asyncio.Barrier | None = None) -> None:
    await asyncio.sleep(rng.uniform(0, arrive))
    query = f"w={code}&p={token}"
    try:
        async with Session(port) as s:
            await s.rerun(query, "workshop")
            for step in range(criteria):
                radios, submit = form_widgets(s)
                if not radios or submit is None:
                    kinds = [d.delta.new_element.WhichOneof("type") for d in s.deltas]
                    errors.append(f"no form on the page at step {step}: {kinds[:12]}")
                    return
                if barrier is not None:
                    await barrier.wait()  # everybody has the form: now all submit at once
                await asyncio.sleep(rng.uniform(*think))
                widgets = []
                for wid, options in radios:
                    w = WidgetState(id=wid)
                    w.string_value = rng.choice(options[:-1] if len(options) > 4 else options)  # not N/A
                    widgets.append(w)
                button = WidgetState(id=submit)
                button.trigger_value = True
                widgets.append(button)
                times.append(await s.rerun(query, "workshop", widgets))
                sent[token] = sent.get(token, 0) + len(radios)
                shown = [d.delta.new_element for d in s.deltas]
                problems = [e.exception.message for e in shown if e.WhichOneof("type") == "exception"]
                problems += [e.alert.body for e in shown if e.WhichOneof("type") == "alert"
                             and e.alert.format == e.alert.ERROR]
                if problems:
                    errors.append("the page said: " + problems[0][:200])
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")


async def room(port: int, code: str, tokens: list[str], criteria: int, think: tuple[float, float], arrive: float,
               at_once: bool = False) -> tuple[dict[str, int], list[float], list[str], float]:
    rng = random.Random(42)
    barrier = asyncio.Barrier(len(tokens)) if at_once else None
    sent: dict[str, int] = {}
    times: list[float] = []
    errors: list[str] = []
    start = time.perf_counter()
    await asyncio.gather(*(participant(port, code, t, criteria, think, arrive, random.Random(rng.random()), sent,
                                       times, errors, barrier) for t in tokens))
    return sent, times, errors, time.perf_counter() - start


def stored(service: WorkshopService, tokens: list[str]) -> dict[str, int]:
    return {t: len(service.answers_of(t)) for t in tokens}


def report(name: str, sent: dict[str, int], got: dict[str, int], times: list[float], errors: list[str],
           wall: float) -> None:
    lost = sum(max(0, n - got.get(t, 0)) for t, n in sent.items())
    times = sorted(times)
    p50 = statistics.median(times) * 1000 if times else float("nan")
    p95 = times[int(0.95 * (len(times) - 1))] * 1000 if times else float("nan")
    print(f"{name:<34} submits {len(times):4d}  answers sent {sum(sent.values()):5d}  lost {lost}  "
          f"errors {len(errors)}  p50 {p50:7.0f} ms  p95 {p95:7.0f} ms  wall {wall:6.1f} s")
    for e in errors[:3]:
        print("   error:", e)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--criteria", type=int, default=2, help="criteria each participant answers")
    parser.add_argument("--arrive", type=float, default=60.0)
    parser.add_argument("--think", type=float, nargs=2, default=(15.0, 45.0))
    parser.add_argument("--stress", type=int, nargs="*", default=[50, 100, 200])
    args = parser.parse_args()

    url = f"sqlite:///{tempfile.mkdtemp()}/workshop.db"
    store = Store(url)
    store.create_schema()
    service = WorkshopService(store)
    loaded = load_model(ROOT / "frameworks/brand-union.yaml")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}; "
          f"one Streamlit process, SQLite; model {loaded.model.id} ({len(loaded.model.indicators)} questions)")

    with serve(ROOT / "app.py", env={"DATABASE_URL": url}) as port:
        ws, _ = service.create(loaded, "负载测试")
        tokens = [service.join(ws.code).token for _ in range(args.participants)]
        sent, times, errors, wall = asyncio.run(room(port, ws.code, tokens, args.criteria, tuple(args.think),
                                                     args.arrive))
        report(f"room: {args.participants} arrive over {args.arrive:.0f} s", sent, stored(service, tokens), times,
               errors, wall)
        for n in args.stress:
            ws, _ = service.create(loaded, f"压力测试 {n}")
            tokens = [service.join(ws.code).token for _ in range(n)]
            sent, times, errors, wall = asyncio.run(room(port, ws.code, tokens, 1, (0.0, 0.0), 0.0, at_once=True))
            report(f"stress: {n} submit at once", sent, stored(service, tokens), times, errors, wall)


if __name__ == "__main__":
    main()
