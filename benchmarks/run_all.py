"""Every benchmark, one after another, then one table: each figure with its target and the machine.

    python benchmarks/run_all.py            # the full set, about 30 minutes on a 2-core machine
    python benchmarks/run_all.py --quick    # every benchmark small (a few minutes): a smoke run, not the targets
    python benchmarks/run_all.py --only core pdf --markdown results.md

Each benchmark prints its own report as it runs (the details: medians, p95, curves); the figures it
records (``benchmarks/figures.py``) make the final table. A benchmark that fails is a row too. Run it
on a quiet machine: the load average before and after is printed, and above ~0.5 the numbers are noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from figures import ENV, read  # noqa: E402

# name, script, arguments of the full run, arguments of --quick
BENCHES: list[tuple[str, str, list[str], list[str]]] = [
    ("core", "bench_core.py", [], []),
    ("pages", "bench_app.py", [], ["--runs", "5"]),
    ("pdf", "bench_pdf.py", [], ["3"]),
    ("workshop", "bench_workshop.py", [], ["--quick"]),
    ("portfolio", "bench_portfolio.py", [], ["--sizes", "40,200", "--runs", "3"]),
]


def machine() -> list[str]:
    """What the figures were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor() or "?")
    mem = next((int(line.split()[1]) // 1024 for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), 0)
    import streamlit

    return [f"machine: {platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem / 1024:.1f} GB RAM, "
            f"{platform.system()} {platform.release()}",
            f"python {platform.python_version()}, streamlit {streamlit.__version__}, {_postgres()}"]


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _postgres() -> str:
    try:
        out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-Atc", "show server_version"],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "PostgreSQL: psql not found"
    return f"PostgreSQL {out.stdout.strip()}" if out.returncode == 0 else "PostgreSQL: not reachable"


def table(rows: list[dict[str, object]]) -> str:
    """The figures as a Markdown table (it reads as plain text too)."""
    head = ["benchmark", "figure", "measured", "target", "verdict"]
    body = [[str(r["bench"]), str(r["name"]), str(r["measured"]), str(r["target"] or "—"),
             {True: "ok", False: "MISSED", None: ""}[r["ok"]]]  # type: ignore[index]
            for r in rows]
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=False)]
    lines = ["| " + " | ".join(x.ljust(w) for x, w in zip(head, widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(x.ljust(w) for x, w in zip(row, widths, strict=True)) + " |" for row in body]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="every benchmark small: a smoke run, not the targets")
    ap.add_argument("--only", nargs="+", choices=[b[0] for b in BENCHES], help="run only these")
    ap.add_argument("--markdown", type=Path, help="also write the machine and the table here")
    args = ap.parse_args(argv)
    chosen = [b for b in BENCHES if not args.only or b[0] in args.only]
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="maturity-bench-all-") as tmp:
        for name, script, full, quick in chosen:
            figures = Path(tmp) / f"{name}.jsonl"
            print(f"\n===== {name}: python benchmarks/{script} {' '.join(quick if args.quick else full)}".rstrip(),
                  flush=True)
            t0 = time.monotonic()
            done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *(quick if args.quick else full)],
                                  cwd=ROOT, env={**os.environ, ENV: str(figures)})
            got = read(figures)
            rows += got
            if done.returncode != 0 or not got:
                rows.append({"bench": name, "name": f"{script} did not finish", "measured": f"exit {done.returncode}",
                             "target": "", "ok": False})
            print(f"===== {name}: {time.monotonic() - t0:.0f} s", flush=True)
    lines = [f"# Benchmarks, {dt.datetime.now().isoformat(timespec='minutes')}"
             f"{' (--quick: a smoke run, sizes below the targets)' if args.quick else ''}", "",
             *machine(),
             f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after; "
             f"{(time.monotonic() - started) / 60:.1f} minutes", "", table(rows)]
    text = "\n".join(lines)
    print("\n" + text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    return 1 if any(r["ok"] is False and "did not finish" in str(r["name"]) for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
