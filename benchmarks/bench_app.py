"""Server time of a questionnaire rerun and of the results page, as a ratio to a blank page.

Run: python benchmarks/bench_app.py [--runs 30]
Targets: questionnaire and results <= 3x the blank page and < 300 ms.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from figures import record  # noqa: E402
from stclient import Session, serve  # noqa: E402

from maturity.loader import load_model  # noqa: E402
from maturity.store import Store  # noqa: E402


async def measure(port: int, query: str, page: str, runs: int, before=None) -> list[float]:
    """Round trips of ``runs`` reruns after 3 warm-ups; ``before(i)`` runs ahead of each timed rerun."""
    async with Session(port, page, query) as s:
        for _ in range(3):  # warm-up: imports, caches, first chart
            await s.rerun()
        times = []
        for i in range(runs):
            if before:
                before(i)
            times.append(await s.rerun())
        return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    url = f"sqlite:///{tmp}/bench.db"
    store = Store(url)
    store.create_schema()
    loaded = load_model(ROOT / "frameworks/brand-union.yaml")
    rec = store.create_assessment(loaded, {"name": "基准测试工会", "members": 500})
    rng = random.Random(1)
    store.save_answers(rec.token, {i.id: rng.randint(1, 5) for i in loaded.model.indicators})
    query = f"a={rec.token}"
    from maturity.workshop import WorkshopService

    svc = WorkshopService(store)
    ws, _ = svc.create(loaded, "基准研讨")
    person = svc.join(ws.code)

    results: dict[str, list[float]] = {}
    with serve(ROOT / "benchmarks/blank_app.py") as port:
        results["blank page"] = asyncio.run(measure(port, "", "", args.runs))
    with serve(ROOT / "app.py", env={"DATABASE_URL": url}) as port:
        results["questionnaire rerun"] = asyncio.run(measure(port, query, "questionnaire", args.runs))
        results["results page"] = asyncio.run(measure(port, query, "results", args.runs))
        ids = [ind.id for ind in loaded.model.indicators[:4]]

        def change(i: int) -> None:  # answers never seen before: the charts must be built again
            store.save_answers(rec.token, {ind: 1 + (i // 5**k) % 5 for k, ind in enumerate(ids)})

        results["results, answer changed"] = asyncio.run(measure(port, query, "results", args.runs, change))
        results["workshop participant"] = asyncio.run(
            measure(port, f"w={ws.code}&p={person.token}", "workshop", args.runs))

    blank = statistics.median(results["blank page"])
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}")
    print(f"runs per page: {args.runs} (after 3 warm-up runs), one client, SQLite")
    print("'results page' reruns an unchanged assessment (charts cached); 'answer changed' saves a new answer first")
    for name, times in results.items():
        med = statistics.median(times) * 1000
        p95 = sorted(times)[int(0.95 * (len(times) - 1))] * 1000
        ratio = statistics.median(times) / blank
        verdict = "" if name == "blank page" else ("ok" if ratio <= 3 and med < 300 else "MISSED")
        print(f"{name:<22} median {med:7.1f} ms   p95 {p95:7.1f} ms   x blank {ratio:5.2f}  {verdict}")
        if name == "blank page":
            record("pages", "blank Streamlit page (the yardstick)", f"{med:.1f} ms")
        else:
            record("pages", name, f"{med:.1f} ms, {ratio:.2f}× blank", "≤ 3× blank and < 300 ms", verdict == "ok")


if __name__ == "__main__":
    main()
