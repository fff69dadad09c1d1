"""The radar of every criterion's current and target level, optionally with an earlier result."""

from __future__ import annotations

import math
from typing import Any

import altair as alt

from ..display import fmt_level
from ..i18n import t
from ..model import MaturityModel
from ..scoring import Result
from ._kit import FONT, GOLD, GREY, GREY_LIGHT, INK, RED, Chart, Datasets, finish, mark

__all__ = ["radar"]


def _radius(model: MaturityModel, level: float | None) -> float:
    # The centre sits one step below the lowest level, so every level has a visible ring.
    if level is None:
        return 0.0
    return (level - model.lmin + 1) / (model.lmax - model.lmin + 1)


def _angle(k: int, n: int) -> float:
    return math.pi / 2 - 2 * math.pi * k / n  # first criterion at the top, then clockwise


def radar(
    model: MaturityModel,
    result: Result,
    lang: str,
    *,
    compare: Result | None = None,
    compare_label: str | None = None,
    font: str = FONT,
    size: int = 380,
) -> Chart:
    """Current vs target level of every criterion on a radar; optionally an earlier result."""
    ds = Datasets()
    crits = model.criteria
    n = len(crits)
    series: list[tuple[str, str, Result, str]] = [("current", t("chart.current", lang), result, "level")]
    series.append(("target", t("chart.target", lang), result, "target"))
    if compare is not None:
        series.append(("compare", compare_label or t("chart.compare", lang), compare, "level"))
    colours = {"current": RED, "target": GREY, "compare": GOLD}
    dashes = {"current": [1, 0], "target": [5, 3], "compare": [2, 2]}

    points: list[dict[str, Any]] = []
    for key, label, res, attr in series:
        for k in range(n + 1):  # the first point again closes the polygon
            crit = crits[k % n]
            cr = res.criteria.get(crit.id)
            value = None if cr is None else (cr.score.level if attr == "level" else cr.target)
            r = _radius(model, value)
            a = _angle(k % n, n)
            points.append({
                "series": label, "key": key, "criterion": model.t(crit.name, lang), "id": crit.id,
                "value": value, "order": k, "x": r * math.cos(a), "y": r * math.sin(a),
            })

    rings, ring_labels = [], []
    steps = n if n >= 3 else 72  # fewer than three spokes: draw circles
    for lv in range(model.lmin, model.lmax + 1):
        r = _radius(model, lv)
        for k in range(steps + 1):
            a = _angle(k % steps, steps)
            rings.append({"ring": lv, "order": k, "x": r * math.cos(a), "y": r * math.sin(a)})
        # Level numbers sit on the rings halfway between the first and the last spoke.
        half = math.pi / max(n, 3)
        lr = r * math.cos(half) if n >= 3 else r
        a = math.pi / 2 + half
        ring_labels.append({"text": str(lv), "x": lr * math.cos(a), "y": lr * math.sin(a)})
    spokes, tips = [], []
    for k, crit in enumerate(crits):
        a = _angle(k, n)
        cr = result.criteria[crit.id]
        cx, cy = math.cos(a), math.sin(a)
        align = "center" if abs(cx) < 0.2 else ("left" if cx > 0 else "right")
        baseline = "bottom" if cy > 0.8 else ("top" if cy < -0.8 else "middle")
        shown = fmt_level(cr.score.level) + " / " + fmt_level(cr.target)
        if cr.low_confidence:
            shown += t("chart.low_confidence_short", lang)
        spokes.append({"x": 0.0, "y": 0.0, "x2": cx, "y2": cy})
        # One string with a line break, not a list: Streamlit ships chart data as Arrow, where a
        # list would be drawn as "[name,value]"; vl-convert and the browser both honour lineBreak.
        tips.append({"text": f"{_wrap(model.t(crit.name, lang))}\n{shown}", "x": 1.13 * cx, "y": 1.13 * cy,
                     "align": align, "baseline": baseline})

    dom = alt.Scale(domain=[-1.4, 1.4], nice=False, zero=False)
    x = alt.X("x:Q", scale=dom, axis=None)
    y = alt.Y("y:Q", scale=dom, axis=None)
    grid = mark(ds("rings", rings), "line", {"x": x, "y": y, "detail": alt.Detail("ring:N"),
                                             "order": alt.Order("order:Q")}, color=GREY_LIGHT, strokeWidth=0.8)
    rules = mark(ds("spokes", spokes), "rule", {"x": x, "y": y, "x2": alt.X2("x2:Q"), "y2": alt.Y2("y2:Q")},
                 color=GREY_LIGHT, strokeWidth=0.8)
    ring_text = mark(ds("ring_labels", ring_labels), "text", {"x": x, "y": y, "text": alt.Text("text:N")},
                     color=GREY, fontSize=9, dy=-6)

    labels = [s[1] for s in series]
    colour = alt.Color("series:N", scale=alt.Scale(domain=labels, range=[colours[s[0]] for s in series]),
                       legend=alt.Legend(title=None, orient="bottom", direction="horizontal", symbolType="stroke"))
    dash = alt.StrokeDash("series:N", scale=alt.Scale(domain=labels, range=[dashes[s[0]] for s in series]),
                          legend=None)
    data = ds("points", points)
    at = {"x": x, "y": y, "order": alt.Order("order:Q"), "detail": alt.Detail("series:N")}
    current = [alt.FilterTransform(filter=alt.datum.key == "current")]
    fill = mark(data, "line", at, transform=current, fill=RED, fillOpacity=0.16, strokeOpacity=0)
    lines = mark(data, "line", {**at, "color": colour, "strokeDash": dash}, strokeWidth=2)
    dots = mark(data, "circle", at, transform=current, size=36, color=RED, opacity=1)
    tip_layers = [
        mark(ds(f"tips_{align}_{baseline}", [tip for tip in tips if tip["align"] == align and tip["baseline"] == baseline]),
             "text", {"x": x, "y": y, "text": alt.Text("text:N")},
             align=align, baseline=baseline, fontSize=11, color=INK, lineHeight=14, lineBreak="\n")
        for align in ("left", "right", "center")
        for baseline in ("top", "middle", "bottom")
        if any(tip["align"] == align and tip["baseline"] == baseline for tip in tips)
    ]
    chart = alt.LayerChart(layer=[grid, rules, ring_text, fill, lines, dots, *tip_layers], width=size, height=size)
    return finish(chart, font, ds)


def _wrap(name: str, width: int = 12) -> str:
    """A long spoke label (English names) on two lines, broken at the space nearest its middle: at the sides
    of the radar a one-line "Innovation-driven work" ran off the chart."""
    if len(name) <= width or " " not in name:
        return name
    middle = len(name) / 2
    cut = min((i for i, ch in enumerate(name) if ch == " "), key=lambda i: abs(i - middle))
    return name[:cut] + "\n" + name[cut + 1:]
