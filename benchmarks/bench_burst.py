"""The stress burst alone, on our participant page or a blank form, with the server's own time per run.

Run: python benchmarks/bench_burst.py [--n 200] [--app ours|blank] [--db sqlite|pg] [--switch-interval S]
                                      [--freeze] [--post-gc true|false] [--processes 1] [--pyspy FILE]

N participants (pre-joined in the database, so only the burst is measured) load the page, then all
submit the first form at the same instant. Printed: the drain (instant -> last reply), reply
p50/p95, and from benchmarks/runlog.py the server's wall and CPU time per run, during the burst
and for one run alone. This is the lab for the "37.9 s" question (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from stclient import Session, choice_state, start_server, stop_server, wait_for_port  # noqa: E402

PIDS: list[int] = []  # the servers'
AT_INSTANT: list[float] = []  # their CPU, postgres's and this client's at the instant all submit


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * (len(xs) - 1) + 0.5))] if xs else float("nan")


async def one(port: int, page: str, query: str, barrier: asyncio.Barrier, t0: list[float], out: list[float]) -> None:
    async with Session(port, page, query) as s:
        await s.rerun()
        radios = [w for w in s.widgets() if w.kind == "radio" and "wsj_ans_" in w.id]
        values = {w.id: choice_state(w.id, w.options[1]) for w in radios}
        await barrier.wait()
        if not t0:
            t0.append(time.time())
            AT_INSTANT[:] = [proc_cpu(pid) for pid in PIDS] + [postgres_cpu(), time.process_time()]
        await s.submit("wsj_form", values)
        out.append(time.time())


async def burst(ports: list[int], pages: list[tuple[str, str]]) -> tuple[float, list[float]]:
    barrier = asyncio.Barrier(len(pages))
    t0: list[float] = []
    done: list[float] = []
    await asyncio.gather(*(one(ports[k % len(ports)], p, q, barrier, t0, done) for k, (p, q) in enumerate(pages)))
    return t0[0], done


def proc_cpu(pid: int) -> float:
    """utime + stime of a process (all its threads), seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu() -> float:
    """CPU seconds of every postgres process on the machine (0 without any)."""
    total = 0.0
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if (d / "comm").read_text().strip().startswith("postgres"):
                    total += proc_cpu(int(d.name))
            except OSError:
                pass
    return total


def runs_between(log: Path, start: float, end: float) -> list[dict]:
    rows = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    return [r for r in rows if r["start"] >= start - 0.01 and r["end"] <= end + 0.5]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--app", choices=["ours", "blank"], default="ours")
    ap.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--switch-interval", type=float)
    ap.add_argument("--freeze", action="store_true", help="gc.freeze() after the server's first run")
    ap.add_argument("--post-gc", choices=["true", "false"], help="override runner.postScriptGC")
    ap.add_argument("--pyspy", help="record the first server with py-spy during the burst (collapsed stacks)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    pg = None
    if args.db == "pg":
        from benchdb import PgDatabase

        pg = PgDatabase()
        url = pg.create()
    else:
        url = f"sqlite:///{tmp}/burst.db"
    try:
        pages: list[tuple[str, str]]
        if args.app == "ours":
            from maturity.loader import load_model
            from maturity.store import Store
            from maturity.workshop import WorkshopService

            store = Store(url)
            store.create_schema()
            svc = WorkshopService(store)
            ws, _ = svc.create(load_model(ROOT / "frameworks/brand-union.yaml"), "burst")
            pages = [("workshop", f"w={ws.code}&p={svc.join(ws.code).token}") for _ in range(args.n)]
            script = ROOT / "app.py"
            store.dispose()
        else:
            pages = [("", "")] * args.n
            script = ROOT / "benchmarks/blank_form_app.py"
        own: list[str] = []
        if args.switch_interval:
            own += ["--switch-interval", str(args.switch_interval)]
        if args.freeze:
            own.append("--freeze")
        procs, ports, logs = [], [], []
        for k in range(args.processes):
            logs.append(tmp / f"runs{k}.jsonl")
            proc, port = start_server(script, {"DATABASE_URL": url}, runlog=logs[-1], lab=tuple(own),
                                       options=("--runner.postScriptGC", args.post_gc) if args.post_gc else ())
            procs.append(proc)
            ports.append(port)
        try:
            for proc, port in zip(procs, ports, strict=True):
                wait_for_port(port, proc)
            # one run alone, warm: what a submit costs without company
            alone = asyncio.run(burst(ports[:1], pages[:1]))
            alone_end = time.time()
            time.sleep(0.5)
            spy = None
            if args.pyspy:
                import subprocess

                spy = subprocess.Popen(["py-spy", "record", "-p", str(procs[0].pid), "-o", args.pyspy, "-f", "raw",
                                        "-r", "100", "--nonblocking", "--threads", "--gil"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            PIDS[:] = [p.pid for p in procs]
            cpu0 = time.process_time()
            servers0 = [proc_cpu(p.pid) for p in procs]
            pg0 = postgres_cpu()
            t0, done = asyncio.run(burst(ports, pages))
            client_cpu = time.process_time() - cpu0
            server_cpu = [proc_cpu(p.pid) - c for p, c in zip(procs, servers0, strict=True)]
            pg_cpu = postgres_cpu() - pg0
            burst_cpu = [a - b for a, b in zip([*(proc_cpu(p.pid) for p in procs), postgres_cpu(), time.process_time()],
                                               AT_INSTANT, strict=True)]
            if spy is not None:
                spy.send_signal(2)
                spy.wait(timeout=30)
            t_end = time.time()
        finally:
            for proc in procs:
                stop_server(proc)
        replies = [d - t0 for d in done]
        rows = [r for log in logs for r in runs_between(log, t0, t_end)]
        one_rows = runs_between(logs[0], alone_end - 30, alone_end)[-1:]
        submits = rows
        walls = [r["end"] - r["start"] for r in submits]
        cpus = [r["cpu"] for r in submits]
        print(f"app {args.app}, {args.db}, {args.processes} process(es), n {args.n}, switch "
              f"{args.switch_interval or sys.getswitchinterval()}, "
              f"postScriptGC {args.post_gc or 'config'}, freeze {args.freeze}")
        if one_rows:
            r = one_rows[0]
            print(f"  one submit alone: server wall {1000 * (r['end'] - r['start']):.0f} ms, cpu {1000 * r['cpu']:.0f} ms,"
                  f" round trip {1000 * (alone[1][0] - alone[0]):.0f} ms")
        print(f"  burst: drain {max(replies):.1f} s, first reply {min(replies):.1f} s, p50 {pct(replies, .5):.1f} s,"
              f" p95 {pct(replies, .95):.1f} s, replies {len(replies)}, client cpu {client_cpu:.1f} s (load + burst)")
        print(f"  server runs {len(walls)} (load + submit): wall per run p50 {1000 * pct(walls, .5):.0f} ms, "
              f"cpu per run p50 {1000 * pct(cpus, .5):.0f} ms, cpu sum {sum(cpus):.1f} s, mean cpu "
              f"{1000 * statistics.mean(cpus) if cpus else 0:.0f} ms")
        print(f"  cpu during load + burst: servers {', '.join(f'{c:.1f}' for c in server_cpu)} s, postgres "
              f"{pg_cpu:.1f} s, this client {client_cpu:.1f} s; load average {os.getloadavg()[0]:.2f}")
        print(f"  cpu during the burst alone: servers {', '.join(f'{c:.1f}' for c in burst_cpu[:-2])} s, postgres "
              f"{burst_cpu[-2]:.1f} s, this client {burst_cpu[-1]:.1f} s")
        print("  timeline (s after the instant: submit runs started / ended / replies received)")
        for b in range(0, int(max(replies)) + 2, max(1, int(max(replies)) // 15 or 1)):
            step = max(1, int(max(replies)) // 15 or 1)
            st = sum(1 for r in rows if b <= r["start"] - t0 < b + step)
            en = sum(1 for r in rows if b <= r["end"] - t0 < b + step)
            rp = sum(1 for x in replies if b <= x < b + step)
            print(f"    {b:4d}-{b + step:<4d} started {st:4d}  ended {en:4d}  replies {rp:4d}")
    finally:
        if pg:
            pg.drop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
