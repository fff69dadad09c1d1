"""PDF report speed and size: the full brand-union report with its four charts.

Run: python benchmarks/bench_pdf.py [N]
Prints the cold build (a fresh process: imports, font loading, vl-convert's first call), the
warm build (median of N in one process, charts drawn again each time, and the same report
again with the charts cached) and the size. Targets: warm < 0.5 s, cold < 2 s, size < 1.5 MB.
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from figures import record  # noqa: E402

COLD_RUNS = 3


def sample():
    """The brand-union model and a realistic assessment: mixed levels, some N/A, notes."""
    from maturity.assessment import Assessment
    from maturity.loader import load_model

    loaded = load_model(ROOT / "frameworks" / "brand-union.yaml")
    model = loaded.model
    rng = random.Random(2026)
    ids = [i.id for i in model.indicators]
    answers = {i: rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5]) for i in ids}
    for i in ids[5:8]:
        answers[i] = "na"
    del answers[ids[20]]
    notes = {ids[0]: "每季度党委会听取工会工作汇报并形成会议纪要（2026 年共 4 次）。",
             ids[9]: "入会率 93%，新就业形态劳动者已建会。"}
    org = {"name": "某某集团有限公司工会委员会", "enterprise": "某某集团有限公司", "members": 1280,
           "region": "四川省成都市", "assessor": "李华、张伟"}
    return loaded, Assessment(model_id=model.id, model_version=model.version, organisation=org,
                              assessed_at="2026-11-26", answers=answers, notes=notes)


def cold_child() -> None:
    """One build in this fresh process; prints its size."""
    loaded, assessment = sample()
    from maturity.report import build_report

    print(len(build_report(loaded, assessment, lang="zh")))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    cold = []
    for _ in range(COLD_RUNS):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, __file__, "--cold-child"], capture_output=True, text=True,
                             cwd=ROOT, check=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        cold.append(time.perf_counter() - start)
    size = int(out.stdout.strip())

    from maturity.report import _render, build_report

    loaded, assessment = sample()
    build_report(loaded, assessment, lang="zh")
    fresh, cached = [], []
    for _ in range(n):
        _render._svg.cache_clear()
        start = time.perf_counter()
        build_report(loaded, assessment, lang="zh")
        fresh.append(time.perf_counter() - start)
    for _ in range(n):
        start = time.perf_counter()
        pdf = build_report(loaded, assessment, lang="zh")
        cached.append(time.perf_counter() - start)
    en = build_report(loaded, assessment, lang="en")
    phases = warm_phases(loaded, assessment, n)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}")
    print(f"model: {loaded.model.id} {loaded.model.version}, {len(loaded.model.indicators)} indicators, zh report")
    rows = [
        ("cold build (fresh process, median)", statistics.median(cold), 2.0, "s",
         "runs " + ", ".join(f"{c:.2f}" for c in cold)),
        (f"warm build, charts redrawn (median of {n})", statistics.median(fresh), 0.5, "s",
         f"best {min(fresh):.3f}"),
        (f"warm build, same report again (median of {n})", statistics.median(cached), 0.5, "s",
         f"best {min(cached):.3f}"),
        ("size zh (bytes)", len(pdf), 1_500_000, "", f"cold run {size}, en {len(en)}"),
    ]
    for name, value, target, unit, extra in rows:
        verdict = "ok" if value < target else "MISSED"
        shown = f"{value:8.3f} {unit}" if unit else f"{value:10,d}"
        print(f"{name:<48} {shown}   target < {target:g}{unit}  {verdict}   ({extra})")
        record("pdf", name, shown.strip(), f"< {target:g}{unit}" if unit else f"< {target:,}", value < target)
    print("warm phases (median, one after another; a build overlaps vl-convert with the others): "
          + ", ".join(f"{k} {v:.3f} s" for k, v in phases.items()))


def warm_phases(loaded, assessment, n: int) -> dict[str, float]:
    """Where a warm build's time goes: altair specs, vl-convert, layout and PDF output.

    Timed one after another; ``render`` draws each chart (in ``maturity.report._vl``'s helper process)
    while the next is built and the first pages are laid out, so a build takes less than the sum.
    """
    from maturity.report import _render
    from maturity.report._data import ReportData
    from maturity.scoring import score

    model = loaded.model
    times: dict[str, list[float]] = {"altair specs": [], "vl-convert SVG": [], "layout + output": []}
    for _ in range(n):
        start = time.perf_counter()
        result = score(model, assessment.answers, assessment.targets)
        data = ReportData(loaded=loaded, lang="zh", result=result, answers=assessment.answers,
                          notes=assessment.notes, organisation=assessment.organisation,
                          assessed_at=assessment.assessed_at, answered_version=assessment.model_version)
        specs = _render.chart_specs(data)  # what render() draws, built the same way
        mid = time.perf_counter()
        _render._svg.cache_clear()
        data.charts = {k: _render._svg(spec) for k, spec in specs.items()}
        end = time.perf_counter()
        _render._render(data, fallbacks=False)
        times["altair specs"].append(mid - start)
        times["vl-convert SVG"].append(end - mid)
        times["layout + output"].append(time.perf_counter() - end)
    return {k: statistics.median(v) for k, v in times.items()}


if __name__ == "__main__":
    if "--cold-child" in sys.argv:
        cold_child()
    else:
        main()
