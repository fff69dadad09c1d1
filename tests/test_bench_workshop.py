"""The workshop benchmark itself, in small (so it never rots): 3 phones answer every criterion, 5 submit at once twice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from maturity.loader import load_model

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def test_a_small_room_and_a_small_burst_lose_nothing_and_print_the_table(tmp_path):
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [sys.executable, "benchmarks/bench_workshop.py", "--modes", "sqlite1", "--rooms", "3", "--stress", "5",
         "--think", "0", "0.2", "--arrive", "0.5", "--bursts", "2", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    rows = {r["kind"]: r for r in json.loads(out.read_text())["rows"]}
    model = load_model(ROOT / "frameworks" / "brand-union.yaml").model
    n = 3 * len(model.indicators)  # 3 people, every question
    b = 5 * sum(len(c.indicators) for c in model.criteria[:2])  # 5 people, one criterion per burst, 2 bursts
    room, burst = rows["room"], rows["stress"]
    assert (room["joined"], room["sent"], room["stored"], room["lost"], room["errors"]) == (3, n, n, 0, 0)
    assert (burst["joined"], burst["sent"], burst["stored"], burst["lost"], burst["errors"]) == (5, b, b, 0, 0)
    assert room["host_saw_answers"] == n and burst["host_saw_answers"] == b  # the host panel saw them all
    assert room["submit_p95_ms"] > 0 and len(burst["drains_s"]) == 2 and burst["drain_s"] > 0
    assert room["host_refreshes"] >= 1
    assert room["submit_server_p95_ms"] is not None  # benchmarks/runlog.py logged the server's runs
    printed = run.stdout
    assert "machine: " in printed and "cores" in printed and "streamlit" in printed
    assert "drain s" in printed and "host95" in printed
    assert f"sqlite1   room    3      3   {n:>3}    {n:>3}    0   0" in printed
