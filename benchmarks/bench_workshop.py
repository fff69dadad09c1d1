"""Workshop load as a room makes it: phones join through the page and answer every criterion, the host panel open.

Run: python benchmarks/bench_workshop.py            # the default plan, about 15 minutes (see DEFAULT_PLAN)
     python benchmarks/bench_workshop.py --curve    # rooms and stress of 50/100/200/400 on every mode (hours)
     python benchmarks/bench_workshop.py --quick    # a smoke run of a minute or two
     options: --modes sqlite1 pg1 pg2  --sizes N..  --rooms N..  --stress N..  --think LO HI  --arrive S
              --named  --json FILE

A participant opens the join link (``?w=CODE``) or types the code (every other one), submits the
join form over the websocket as the page shows it (a name only where the page asks for one), reads
its token from the query string the page sets (``p=``), then answers every criterion of the model
(brand-union: 8 criteria x 4 questions) with a think time drawn from ``--think`` (15-45 s) per
criterion; arrivals are spread over ``--arrive`` seconds. One host tab has the host page open the
whole time and reruns its live fragment every few seconds as the browser does (the ``auto_rerun``
message names the fragment and the interval).
Stress: every participant joins and has its form loaded, then all submit at the same instant;
drain = from that instant to the last reply. ``--bursts`` (default 3) bursts follow each other, one
criterion each, and the drain reported is their median (a busy machine makes single bursts noisy).
Modes: ``sqlite1`` one process on SQLite, ``pg1`` one process on PostgreSQL, ``pg2`` two processes
on one PostgreSQL (participants split between them, the host on the first). Each mode gets a fresh
database (a SQLite file, or a uniquely named PostgreSQL database dropped afterwards).
Every answer acknowledged (its submit's reply came back) is checked against the database.
Server times come from benchmarks/runlog.py, which wraps each server's script runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import streamlit  # noqa: E402
from benchdb import PgDatabase, sqlite_url  # noqa: E402
from figures import record  # noqa: E402
from stclient import PageError, Session, choice_state, start_server, stop_server, wait_for_port  # noqa: E402
from wsclient import answer_form, answer_values, host_counts, host_refresh, join, open_host  # noqa: E402

from maturity.loader import LoadedModel, load_model  # noqa: E402
from maturity.store import Store  # noqa: E402
from maturity.workshop import WorkshopService  # noqa: E402

MODES = {"sqlite1": ("sqlite", 1), "pg1": ("postgresql", 1), "pg2": ("postgresql", 2)}
# The default plan measures every target of issue 10 in about 15 minutes on a 2-core machine.
DEFAULT_PLAN = [("sqlite1", "room", 200), ("sqlite1", "stress", 200), ("pg1", "stress", 200),
                ("pg2", "stress", 200), ("pg2", "room", 400)]
QUICK_PLAN = [("sqlite1", "room", 10), ("sqlite1", "stress", 20), ("pg2", "room", 10), ("pg2", "stress", 20)]
MODEL = ROOT / "frameworks" / "brand-union.yaml"
REPLY_TIMEOUT = 120.0


def pct(xs: list[float], q: float) -> float:
    """The q-quantile (nearest rank) of ``xs``; nan when empty."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))] if xs else float("nan")


@dataclass
class Outcome:
    """What one scenario measured (times in seconds)."""

    mode: str
    kind: str
    size: int
    joined: int = 0
    sent: int = 0  # answers in acknowledged submits
    stored: int = 0
    lost: int = 0
    errors: list[str] = field(default_factory=list)
    submits: list[float] = field(default_factory=list)
    by_server: dict[int, list[float]] = field(default_factory=dict)  # submit round trips per server (0 = host's)
    joins: list[float] = field(default_factory=list)
    host: list[float] = field(default_factory=list)
    host_server: list[float] = field(default_factory=list)
    submit_server: list[float] = field(default_factory=list)
    submit_cpu: list[float] = field(default_factory=list)
    drain: float | None = None  # the median of the bursts' drains
    drains: list[float] = field(default_factory=list)
    wall: float = 0.0
    rss_mb: list[float] = field(default_factory=list)
    load_before: float = 0.0
    load_after: float = 0.0
    client_cpu: float = 0.0  # this benchmark's own CPU seconds in the scenario (it shares the machine's cores)
    host_saw: tuple[int | None, int | None] = (None, None)  # participants and answers on the host panel at the end

    def summary(self) -> dict[str, Any]:
        """The figures of the table (times in ms, drain and wall in s)."""
        ms = lambda xs, q: round(1000 * pct(xs, q)) if xs else None  # noqa: E731
        return {
            "mode": self.mode, "kind": self.kind, "size": self.size, "joined": self.joined, "sent": self.sent,
            "stored": self.stored, "lost": self.lost, "errors": len(self.errors),
            "submit_p50_ms": ms(self.submits, .5), "submit_p95_ms": ms(self.submits, .95),
            "join_p95_ms": ms(self.joins, .95),
            "submit_p95_by_server_ms": [ms(self.by_server[k], .95) for k in sorted(self.by_server)],
            "drain_s": None if self.drain is None else round(self.drain, 2), "wall_s": round(self.wall, 1),
            "drains_s": [round(d, 2) for d in self.drains],
            "host_p50_ms": ms(self.host, .5), "host_p95_ms": ms(self.host, .95),
            "host_server_p50_ms": ms(self.host_server, .5), "host_server_p95_ms": ms(self.host_server, .95),
            "submit_server_p50_ms": ms(self.submit_server, .5), "submit_server_p95_ms": ms(self.submit_server, .95),
            "submit_cpu_mean_ms": round(1000 * statistics.mean(self.submit_cpu), 1) if self.submit_cpu else None,
            "host_refreshes": len(self.host), "host_saw_participants": self.host_saw[0],
            "host_saw_answers": self.host_saw[1], "rss_mb": self.rss_mb,
            "load_before": round(self.load_before, 2), "load_after": round(self.load_after, 2),
            "client_cpu_s": round(self.client_cpu, 1),
        }


class Servers:
    """The app processes of one mode on one fresh database, each logging its script runs."""

    def __init__(self, mode: str, folder: Path) -> None:
        self.mode = mode
        backend, self.count = MODES[mode]
        self.pg = PgDatabase() if backend == "postgresql" else None
        self.url = self.pg.create() if self.pg else sqlite_url(folder)
        Store(self.url).create_schema()  # once, before the servers (each would also do it at start)
        self.logs = [folder / f"{mode}-{k}.runs.jsonl" for k in range(self.count)]
        self.procs: list[Any] = []
        self.ports: list[int] = []

    def __enter__(self) -> Servers:
        for log in self.logs:
            proc, port = start_server(ROOT / "app.py", {"DATABASE_URL": self.url,
                                                        "MATURITY_FRAMEWORKS": str(ROOT / "frameworks")},
                                      runlog=log)
            self.procs.append(proc)
            self.ports.append(port)
        for proc, port in zip(self.procs, self.ports, strict=True):
            wait_for_port(port, proc)
        self._warm_up()
        return self

    def _warm_up(self) -> None:
        """One host page and one phone on each server, in a session of their own: first-run imports and caches
        are not what a room measures."""
        svc = WorkshopService(Store(self.url))
        ws, key = svc.create(load_model(MODEL), "预热")

        async def both(port: int) -> None:
            async with Session(port, "workshop_host", f"w={ws.code}&k={key}") as host:
                await host.rerun(timeout=REPLY_TIMEOUT)
                async with Session(port, "workshop") as phone:
                    await join(phone, ws.code, True, "", REPLY_TIMEOUT)
                    form = answer_form(phone)
                    if form:
                        await phone.submit(form[0], {w: choice_state(w, o[0]) for w, o in form[1].items()})
                for fragment in host.auto_rerun:
                    await host.rerun(fragment_id=fragment, is_auto_rerun=True, timeout=REPLY_TIMEOUT)

        for port in self.ports:
            asyncio.run(both(port))
        svc.store.dispose()

    def __exit__(self, *exc: object) -> None:
        for proc in self.procs:
            stop_server(proc)
        if self.pg:
            self.pg.drop()

    def runs(self, since: float) -> list[dict[str, Any]]:
        """The script runs every server logged since ``since`` (time.time())."""
        out = []
        for log in self.logs:
            if log.exists():
                out += [r for line in log.read_text().splitlines() if line.strip()
                        and (r := json.loads(line))["start"] >= since]
        return out

    def rss_mb(self) -> list[float]:
        """Each server's resident memory now, in MB."""
        out = []
        for proc in self.procs:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        out.append(round(int(line.split()[1]) / 1024, 1))
        return out


# -- the participant -------------------------------------------------------------------------------

async def participant(k: int, server: int, port: int, code: str, criteria: int, levels: int, named: bool,
                      think: tuple[float, float],
                      arrive: float, rng: random.Random, out: Outcome, acked: dict[str, int],
                      ready: asyncio.Barrier | None, gate: asyncio.Semaphore | None, bursts: int,
                      instant: dict[int, float], replies: dict[int, list[float]]) -> None:
    """One phone: arrive, join, answer every criterion (stress: one criterion per burst, at the barrier)."""
    await asyncio.sleep(rng.uniform(0, arrive))
    try:
        async with Session(port, "workshop") as s:
            async with gate or contextlib.nullcontext():
                token, took = await join(s, code, by_link=k % 2 == 0, name=f"代表{k + 1}" if named else "",
                                         timeout=REPLY_TIMEOUT)
            out.joins.append(took)
            out.joined += 1
            acked.setdefault(token, 0)
            seen: set[str] = set()
            for step in range(min(bursts, criteria) if ready else criteria):
                form = answer_form(s)
                if form is None:
                    raise PageError(f"no answer form at step {step + 1}: {s.problems()[:1]}")
                form_id, radios = form
                if form_id in seen:
                    raise PageError(f"step {step + 1}: the page did not move on from {form_id}")
                seen.add(form_id)
                values, _ = answer_values(radios, rng, levels)
                if ready is not None:
                    await ready.wait()  # every phone has its form: now all submit at once
                    instant.setdefault(step, time.perf_counter())
                else:
                    await asyncio.sleep(rng.uniform(*think))
                took = await s.submit(form_id, values, timeout=REPLY_TIMEOUT)
                out.submits.append(took)
                out.by_server.setdefault(server, []).append(took)
                replies.setdefault(step, []).append(time.perf_counter())
                acked[token] += len(radios)
                if s.problems():
                    out.errors.append(f"the page said: {s.problems()[0][:160]}")
    except Exception as exc:  # every failure is counted and shown; none stops the room
        out.errors.append(f"participant {k + 1}: {type(exc).__name__}: {str(exc)[:200]}")
        if ready is not None:
            ready.abort()  # nobody waits for a phone that will never come


async def host_tab(port: int, code: str, key: str, stop: asyncio.Event, out: Outcome) -> None:
    """The host page, open the whole time; its live fragment rerun at the interval the server asked for."""
    try:
        async with Session(port, "workshop_host", f"w={code}&k={key}") as s:
            fragment, interval = await open_host(s, REPLY_TIMEOUT)
            next_at = time.perf_counter() + interval
            while not stop.is_set():
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), max(0.0, next_at - time.perf_counter()))
                if stop.is_set():
                    break
                out.host.append(await host_refresh(s, fragment, REPLY_TIMEOUT))
                next_at = max(next_at + interval, time.perf_counter())  # the browser's timer skips a busy tick
                if s.problems():
                    out.errors.append(f"host refresh: {s.problems()[0][:160]}")
            # after the last participant's reply, one more refresh: what the host sees of the whole room
            out.host.append(await host_refresh(s, fragment, REPLY_TIMEOUT))
            out.host_saw = host_counts(s)
    except Exception as exc:  # counted and shown
        out.errors.append(f"host: {type(exc).__name__}: {str(exc)[:200]}")


async def room(servers: Servers, code: str, key: str, kind: str, size: int, criteria: int, levels: int,
               args: argparse.Namespace, out: Outcome) -> dict[str, int]:
    """Run one scenario; the acknowledged answers per token."""
    rng = random.Random(size * 7919 + len(kind))
    acked: dict[str, int] = {}
    stop = asyncio.Event()
    stress = kind == "stress"
    ready = asyncio.Barrier(size) if stress else None
    gate = asyncio.Semaphore(16) if stress else None  # stress joins are set-up, not the measure
    instant: dict[int, float] = {}
    replies: dict[int, list[float]] = {}
    host = asyncio.create_task(host_tab(servers.ports[0], code, key, stop, out))
    start = time.perf_counter()
    await asyncio.gather(*(participant(
        k, k % servers.count, servers.ports[k % servers.count], code, criteria, levels, args.named, tuple(args.think),
        0.0 if stress else args.arrive, random.Random(rng.random()), out, acked, ready, gate, args.bursts, instant, replies)
        for k in range(size)))
    out.wall = time.perf_counter() - start
    if stress:
        out.drains = [max(replies[r]) - instant[r] for r in sorted(instant) if replies.get(r)]
        out.drain = statistics.median(out.drains) if out.drains else None
    stop.set()
    await host
    return acked


def run_scenario(servers: Servers, loaded: LoadedModel, kind: str, size: int, args: argparse.Namespace) -> Outcome:
    """Create a fresh session, run the room on the servers, check every acknowledged answer in the database."""
    out = Outcome(servers.mode, kind, size, load_before=os.getloadavg()[0])
    store = Store(servers.url)
    svc = WorkshopService(store)
    ws, key = svc.create(loaded, f"{'压力' if kind == 'stress' else '负载'}测试 {size}", named=args.named)
    criteria = len(loaded.model.criteria)
    since, cpu = time.time(), time.process_time()
    acked = asyncio.run(room(servers, ws.code, key, kind, size, criteria, len(loaded.model.scale), args, out))
    out.client_cpu = time.process_time() - cpu
    time.sleep(0.3)  # the last run's log line
    for token, n in acked.items():
        got = len(svc.answers_of(token))
        out.sent += n
        out.stored += got
        out.lost += max(0, n - got)
    store.dispose()
    runs = servers.runs(since)
    out.host_server = [r["end"] - r["start"] for r in runs if r["fragment"] and "k=" in r["query"]]
    submits = [r for r in runs if "p=" in r["query"] and "k=" not in r["query"] and not r["auto"]]
    out.submit_server = [r["end"] - r["start"] for r in submits]
    out.submit_cpu = [r["cpu"] for r in submits]
    out.rss_mb = servers.rss_mb()
    out.load_after = os.getloadavg()[0]
    return out


# -- the report ------------------------------------------------------------------------------------

def fmt(value: object, width: int) -> str:
    return f"{'-' if value is None else value:>{width}}"


def table(rows: list[dict[str, Any]]) -> str:
    cols = [("mode", "mode", 7), ("kind", "kind", 6), ("size", "N", 4), ("joined", "joined", 6),
            ("sent", "sent", 5), ("stored", "stored", 6), ("lost", "lost", 4), ("errors", "err", 3),
            ("submit_p50_ms", "p50ms", 6), ("submit_p95_ms", "p95ms", 6), ("drain_s", "drain s", 7),
            ("wall_s", "wall s", 6), ("host_p50_ms", "host50", 6), ("host_p95_ms", "host95", 6),
            ("host_server_p95_ms", "hsrv95", 6), ("host_saw_answers", "hsaw", 5), ("submit_server_p95_ms", "ssrv95", 6),
            ("load_before", "load", 5)]
    lines = [" ".join(fmt(title, w) for _, title, w in cols)]
    lines += [" ".join(fmt(r[k], w) for k, _, w in cols) for r in rows]
    return "\n".join(lines)


def verdicts(rows: list[dict[str, Any]]) -> list[str]:
    """The targets of issue 10 that this run measured, each ok or MISSED."""
    def find(mode: str, kind: str, size: int) -> dict[str, Any] | None:
        return next((r for r in rows if (r["mode"], r["kind"], r["size"]) == (mode, kind, size)), None)

    out = []

    def say(ok: bool, name: str, measured: str, target: str) -> None:
        out.append(f"{'ok    ' if ok else 'MISSED'} {name}: {measured} (target {target})")
        record("workshop", name, measured, target, ok)

    for mode in ("sqlite1", "pg1"):
        if r := find(mode, "room", 200):
            say(r["lost"] == 0 and r["errors"] == 0 and (r["submit_p95_ms"] or 1e9) < 1000
                and (r["host_p95_ms"] or 1e9) < 300,
                f"realistic 200, one process ({mode})", f"lost {r['lost']}, errors {r['errors']}, submit p95 "
                f"{r['submit_p95_ms']} ms, host refresh p95 {r['host_p95_ms']} ms",
                "0 lost, submit p95 < 1000 ms, host p95 < 300 ms")
    if r := find("pg2", "room", 400):
        say(r["lost"] == 0 and r["errors"] == 0 and (r["submit_p95_ms"] or 1e9) < 1000,
            "realistic 400, two processes on PostgreSQL", f"lost {r['lost']}, errors {r['errors']}, "
            f"submit p95 {r['submit_p95_ms']} ms", "0 lost, submit p95 < 1000 ms")
    for mode in ("sqlite1", "pg1"):
        if (r := find(mode, "stress", 200)) and r["drain_s"] is not None:
            say(r["drain_s"] <= 20 and r["lost"] == 0, f"stress 200, one process ({mode})",
                f"drain {r['drain_s']} s, lost {r['lost']}", "drain <= 20 s, 0 lost")
    one, two = find("pg1", "stress", 200), find("pg2", "stress", 200)
    if one and two and one["drain_s"] and two["drain_s"] is not None:
        ratio = two["drain_s"] / one["drain_s"]
        say(ratio <= 0.6, "stress 200, two processes vs one on PostgreSQL",
            f"{two['drain_s']} s / {one['drain_s']} s = {ratio:.2f}", "<= 0.6")
    return out


def machine() -> str:
    return (f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
            f"streamlit {streamlit.__version__}, load average {os.getloadavg()[0]:.2f} at start")


LEGEND = """columns: N participants; joined = joined through the page; sent = answers acknowledged (the submit's reply
came back); stored = of those, found in the database; lost = sent - stored; err = errors (timeouts, page errors);
p50ms/p95ms = submit round trip; drain s = stress only, from the instant all submit to the last reply (median of
the bursts); wall s =
the whole scenario; host50/host95 = host panel refresh round trip; hsrv95 / ssrv95 = server time of a host refresh /
a participant run (benchmarks/runlog.py); hsaw = answers the host panel showed at the end (= stored);
load = 1-minute load average before the scenario (> ~0.5: other work on the machine, numbers noisy)."""


@contextlib.contextmanager
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="maturity-bench-") as tmp:
        yield Path(tmp)


def plan_of(args: argparse.Namespace) -> list[tuple[str, str, int]]:
    if args.quick:
        return QUICK_PLAN
    if not (args.curve or args.modes or args.sizes or args.rooms is not None or args.stress is not None):
        return DEFAULT_PLAN
    modes = args.modes or list(MODES)
    sizes = args.sizes or [50, 100, 200, 400]
    rooms = sizes if args.rooms is None else args.rooms
    stress = sizes if args.stress is None else args.stress
    return [(m, "room", n) for m in modes for n in rooms] + [(m, "stress", n) for m in modes for n in stress]


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--curve", action="store_true", help="rooms and stress of 50/100/200/400 on every mode")
    ap.add_argument("--quick", action="store_true", help="a short smoke run (small rooms, short think time)")
    ap.add_argument("--modes", nargs="+", choices=list(MODES))
    ap.add_argument("--sizes", nargs="+", type=int, help="sizes of both rooms and stress")
    ap.add_argument("--rooms", nargs="*", type=int, help="sizes of realistic rooms (none: no room)")
    ap.add_argument("--stress", nargs="*", type=int, help="sizes of stress bursts (none: no burst)")
    ap.add_argument("--think", nargs=2, type=float, default=None, metavar=("LO", "HI"),
                    help="think time per criterion, seconds (default 15 45; --quick 0.5 2)")
    ap.add_argument("--arrive", type=float, default=None, help="arrivals spread over, seconds (default 60; --quick 3)")
    ap.add_argument("--named", action="store_true", help="a named session (participants type a name)")
    ap.add_argument("--bursts", type=int, default=3,
                    help="stress: bursts in a row, one criterion each (drain = their median; default 3)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    args.think = args.think or ([0.5, 2.0] if args.quick else [15.0, 45.0])
    args.arrive = (3.0 if args.quick else 60.0) if args.arrive is None else args.arrive
    plan = plan_of(args)
    loaded = load_model(MODEL)
    print(machine())
    print(f"model {loaded.model.id}: {len(loaded.model.criteria)} criteria, {len(loaded.model.indicators)} questions; "
          f"think {args.think[0]:g}-{args.think[1]:g} s per criterion, arrivals over {args.arrive:g} s; "
          f"{'named' if args.named else 'anonymous'} session")
    print("plan: " + ", ".join(f"{k} {n} on {m}" for m, k, n in plan), flush=True)
    rows: list[dict[str, Any]] = []
    outcomes: list[Outcome] = []
    with folder() as tmp:
        for mode in dict.fromkeys(m for m, _, _ in plan):
            with Servers(mode, tmp) as servers:
                for m, kind, size in plan:
                    if m != mode:
                        continue
                    out = run_scenario(servers, loaded, kind, size, args)
                    outcomes.append(out)
                    rows.append(out.summary())
                    r = rows[-1]
                    print(f"  {mode} {kind} {size}: lost {r['lost']}, errors {r['errors']}, submit p95 "
                          f"{r['submit_p95_ms']} ms, drain {r['drain_s']} s {r['drains_s']}, host p95 {r['host_p95_ms']} ms, "
                          f"p95 by server {r['submit_p95_by_server_ms']} ms, wall {r['wall_s']} s, "
                          f"server rss {r['rss_mb']} MB, benchmark cpu {r['client_cpu_s']} s",
                          flush=True)
                    if r["host_saw_answers"] != r["stored"]:
                        print(f"     the host panel showed {r['host_saw_answers']} answers, {r['stored']} stored")
                    for e in out.errors[:3]:
                        print("     error:", e, flush=True)
    print()
    print(table(rows))
    print(LEGEND)
    checks = verdicts(rows)
    if checks:
        print("\ntargets (issue 10):")
        print("\n".join("  " + c for c in checks))
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "rows": rows,
                                         "errors": {f"{o.mode} {o.kind} {o.size}": o.errors[:20] for o in outcomes},
                                         "raw": [asdict(o) | {"errors": o.errors[:20]} for o in outcomes]},
                                        ensure_ascii=False, indent=1))
    return rows


if __name__ == "__main__":
    main()
