"""Server time of one host panel refresh with N participants who answered everything (the host page's own cost).

Run: python benchmarks/bench_host.py [--participants 200 400] [--refreshes 10] [--db sqlite|pg] [--pyspy FILE]

The answers are written straight into the database (no phones connected), so the figure is the
refresh alone: the round trip of the live fragment's auto-rerun and the server's time for it
(benchmarks/runlog.py). Target (issue 10): < 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from benchdb import PgDatabase, sqlite_url  # noqa: E402
from stclient import Session, start_server, stop_server, wait_for_port  # noqa: E402
from wsclient import host_counts, host_refresh, open_host  # noqa: E402

from maturity.loader import load_model  # noqa: E402
from maturity.store import Store  # noqa: E402
from maturity.workshop import WorkshopService  # noqa: E402


def seeded(url: str, n: int) -> tuple[str, str]:
    """A session with ``n`` participants who answered every question at random; its code and host key."""
    store = Store(url)
    store.create_schema()
    svc = WorkshopService(store)
    loaded = load_model(ROOT / "frameworks/brand-union.yaml")
    ws, key = svc.create(loaded, f"主持 {n}")
    rng = random.Random(n)
    for _ in range(n):
        p = svc.join(ws.code)
        svc.submit(p.token, {i.id: rng.randint(1, 5) for i in loaded.model.indicators})
    store.dispose()
    return ws.code, key


async def refreshes(port: int, code: str, key: str, count: int) -> tuple[list[float], tuple]:
    async with Session(port, "workshop_host", f"w={code}&k={key}") as s:
        fragment, _ = await open_host(s)
        times = [await host_refresh(s, fragment) for _ in range(count)]
        return times, host_counts(s)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--participants", type=int, nargs="+", default=[200, 400])
    ap.add_argument("--refreshes", type=int, default=10)
    ap.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
    ap.add_argument("--pyspy", help="record the server with py-spy during the refreshes (collapsed stacks)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    pg = PgDatabase() if args.db == "pg" else None
    url = pg.create() if pg else sqlite_url(tmp)
    try:
        sessions = {n: seeded(url, n) for n in args.participants}
        log = tmp / "runs.jsonl"
        proc, port = start_server(ROOT / "app.py", {"DATABASE_URL": url}, runlog=log)
        try:
            wait_for_port(port, proc)
            for n, (code, key) in sessions.items():
                asyncio.run(refreshes(port, code, key, 2))  # warm-up
                spy = None
                if args.pyspy:
                    spy = subprocess.Popen(["py-spy", "record", "-p", str(proc.pid), "-o", f"{args.pyspy}.{n}",
                                            "-f", "raw", "-r", "200", "--nonblocking", "--gil"],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    time.sleep(1)
                since = time.time()
                times, seen = asyncio.run(refreshes(port, code, key, args.refreshes))
                if spy:
                    spy.send_signal(2)
                    spy.wait(timeout=30)
                time.sleep(0.3)
                runs = [json.loads(x) for x in log.read_text().splitlines()]
                server = sorted(r["end"] - r["start"] for r in runs if r["start"] >= since and r["fragment"])
                print(f"{n} participants ({seen[1]} answers shown): refresh round trip median "
                      f"{1000 * statistics.median(times):.0f} ms, max {1000 * max(times):.0f} ms; server median "
                      f"{1000 * statistics.median(server):.0f} ms, max {1000 * max(server):.0f} ms")
        finally:
            stop_server(proc)
    finally:
        if pg:
            pg.drop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
