"""The figures a benchmark measured, one JSON line each, for ``benchmarks/run_all.py``'s single table.

A benchmark prints its own report as before and, when ``MATURITY_BENCH_FIGURES`` names a file (run_all
sets it), also appends one line per figure: which benchmark, what, the measured value as printed, the
target beside it, and whether it was met (None: a figure with no target, e.g. the blank page).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

ENV = "MATURITY_BENCH_FIGURES"


def record(bench: str, name: str, measured: str, target: str = "", ok: bool | None = None) -> None:
    """Append one figure to the file in ``MATURITY_BENCH_FIGURES``; nothing when it is unset."""
    path = os.environ.get(ENV)
    if not path:
        return
    line = {"bench": bench, "name": name, "measured": measured, "target": target, "ok": ok}
    with Path(path).open("a", encoding="utf-8") as f:
        f.write(json.dumps(line, ensure_ascii=False) + "\n")


def read(path: Path) -> list[dict[str, object]]:
    """Every figure recorded in ``path``, in order."""
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
