"""The portfolio of a round: page time at 40 / 200 / 500 units beside a blank page, the portfolio PDF, the sample maker.

Run: python benchmarks/bench_portfolio.py [--runs 10] [--sizes 40,200,500]
Targets (issue 13): portfolio page of 500 units × the full model < 1 s of server time; the portfolio
PDF of 500 units < 5 s; ``python -m maturity sample`` of 500 units × 2 rounds < 30 s.

"changed" reruns save one answer in the round first, so the page reads and scores every unit again
(its cache is keyed by the round's stamp); "unchanged" reruns find the portfolio built. Times are
round trips of one websocket client (benchmarks/stclient.py), which include the server's run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_app import measure  # noqa: E402
from figures import record  # noqa: E402
from stclient import serve  # noqa: E402

from maturity import portfolio as P  # noqa: E402
from maturity.loader import load_model  # noqa: E402
from maturity.report import build_portfolio_report  # noqa: E402
from maturity.rounds import RoundService  # noqa: E402
from maturity.sample import make_sample  # noqa: E402
from maturity.store import Store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--sizes", default="40,200,500")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    loaded = load_model(ROOT / "frameworks/brand-union.yaml")
    tmp = Path(tempfile.mkdtemp())
    rows: list[tuple[str, float, str]] = []
    with serve(ROOT / "benchmarks/blank_app.py") as port:
        blank = statistics.median(asyncio.run(measure(port, "", "", args.runs)))
    rows.append(("blank page", blank, ""))
    last = None
    for n in sizes:
        url = f"sqlite:///{tmp}/p{n}.db"
        store = Store(url)
        store.create_schema()
        svc = RoundService(store)
        t0 = time.perf_counter()
        made = make_sample(svc, loaded, units=n, n_rounds=2, seed=n)
        rows.append((f"sample {n} units × 2 rounds", time.perf_counter() - t0, "< 30 s" if n == 500 else ""))
        newest = made[-1]
        query = f"r={newest.round.code}&k={newest.key}"
        token = svc.units(newest.round.code, newest.key)[0].token
        ind = loaded.model.indicators[0].id

        def change(i: int, token: str = token, store: Store = store, ind: str = ind) -> None:
            store.save_answers(token, {ind: 1 + i % 5})

        with serve(ROOT / "app.py", env={"DATABASE_URL": url}) as port:
            changed = statistics.median(asyncio.run(measure(port, query, "portfolio", args.runs, change)))
            same = statistics.median(asyncio.run(measure(port, query, "portfolio", args.runs)))
        rows.append((f"portfolio {n} units, changed", changed, "< 1 s" if n == 500 else ""))
        rows.append((f"portfolio {n} units, unchanged", same, ""))
        last = (svc, newest)
    if last is not None:
        svc, newest = last
        t0 = time.perf_counter()
        p = P.build(svc.data(newest.round.code, newest.key))
        pdf = build_portfolio_report(p, newest.round, "zh")
        rows.append((f"portfolio PDF {sizes[-1]} units ({len(pdf) // 1024} KB)", time.perf_counter() - t0,
                     "< 5 s" if sizes[-1] == 500 else ""))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}; SQLite; "
          f"{args.runs} reruns per page after 3 warm-ups, medians")
    for name, seconds, target in rows:
        ratio = f"x blank {seconds / blank:6.1f}" if name.startswith("portfolio") and "PDF" not in name else " " * 13
        verdict = ""
        if target:
            limit = float(target.split()[1])
            verdict = "ok" if seconds < limit else "MISSED"
        print(f"{name:<40} {seconds * 1000:9.1f} ms  {ratio}  {target:<7} {verdict}")
        record("portfolio", name, f"{seconds * 1000:.0f} ms" + (f", {ratio.strip()}" if ratio.strip() else ""),
               target, (verdict == "ok") if target else None)


if __name__ == "__main__":
    main()
