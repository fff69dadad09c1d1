"""Core speed: load brand-union.yaml, score one assessment, aggregate 500 participants.

Run: python benchmarks/bench_core.py   (prints numbers; targets: <150 ms, <1 ms, <50 ms)
"""

from __future__ import annotations

import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from figures import record  # noqa: E402

from maturity.aggregate import aggregate, group_answers  # noqa: E402
from maturity.loader import load_model  # noqa: E402
from maturity.scoring import score  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median and best wall time of ``fn`` in milliseconds."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), min(runs)


def main() -> None:
    path = ROOT / "frameworks" / "brand-union.yaml"
    loaded = load_model(path)
    model = loaded.model
    rng = random.Random(7)
    levels = [s.level for s in model.scale]
    answers = {i.id: rng.choice([*levels, "na"]) for i in model.indicators}
    participants = [{i.id: rng.choice(levels) for i in model.indicators} for _ in range(500)]

    load_ms = timed(lambda: load_model(path), 20)
    score_ms = timed(lambda: score(model, answers), 200)
    agg_ms = timed(lambda: score(model, group_answers(aggregate(model, participants))), 20)

    print(f"machine: {platform.machine()}, python {platform.python_version()}, {platform.node()}")
    print(f"model: {model.id} {model.version}, {len(model.criteria)} criteria, {len(model.indicators)} indicators")
    for name, (med, best), target in (
        ("load brand-union.yaml", load_ms, 150),
        ("score one assessment", score_ms, 1),
        (f"aggregate 500 x {len(model.indicators)} + score", agg_ms, 50),
    ):
        verdict = "ok" if med < target else "MISSED"
        print(f"{name:<36} median {med:8.3f} ms   best {best:8.3f} ms   target < {target} ms  {verdict}")
        record("core", name, f"{med:.3f} ms", f"< {target} ms", med < target)


if __name__ == "__main__":
    main()
