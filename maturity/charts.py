"""Altair charts of a result, shared by the Streamlit pages and the PDF report.

Every builder takes the model, the scores and a language, reads all labels from the model
and the i18n catalogue (``chart.*``), and returns a configured ``alt.Chart``/``LayerChart``.
``to_png``/``to_svg`` render one with vl-convert in the shipped CJK font (see ``chart_kit``).
Numbers are printed with ``explain.fmt_index``/``fmt_level``, as on the pages; ``stars`` shows a level as ★.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt

from .aggregate import IndicatorAggregate
from .chart_kit import (
    FONT,
    GOLD,
    GREY,
    GREY_FAINT,
    GREY_LIGHT,
    INK,
    RED,
    RED_LIGHT,
    SERIES_COLOURS,
    Chart,
    Datasets,
    finish,
    level_name,
    mark,
    mix,
    short,
    to_png,
    to_svg,
)
from .explain import fmt_index, fmt_level, stars
from .i18n import t
from .model import MaturityModel
from .scoring import NA, Answer, Result, Score


def _criterion_rows(model: MaturityModel, result: Result, lang: str) -> list[dict[str, Any]]:
    rows = []
    for n, crit in enumerate(model.criteria):
        cr = result.criteria[crit.id]
        rows.append({
            "id": crit.id,
            "name": model.t(crit.name, lang),
            "group": model.t(model.group_of[crit.id].name, lang),
            "order": n,
            "index": cr.score.index,
            "level": cr.score.level,
            "achieved": cr.achieved,
            "target": cr.target,
            "gap": cr.gap,
            "priority": cr.priority,
            "low_confidence": cr.low_confidence,
        })
    return rows


# ---------------------------------------------------------------- radar


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
        value = fmt_level(cr.score.level) + " / " + fmt_level(cr.target)
        if cr.low_confidence:
            value += t("chart.low_confidence_short", lang)
        spokes.append({"x": 0.0, "y": 0.0, "x2": cx, "y2": cy})
        # One string with a line break, not a list: Streamlit ships chart data as Arrow, where a
        # list would be drawn as "[name,value]"; vl-convert and the browser both honour lineBreak.
        tips.append({"text": f"{model.t(crit.name, lang)}\n{value}", "x": 1.13 * cx, "y": 1.13 * cy,
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


# ---------------------------------------------------------------- groups (三力 vs 五化)


def groups_bar(model: MaturityModel, result: Result, lang: str, *, font: str = FONT) -> Chart:
    """Each group's index as a band, with its criteria as bars side by side (e.g. 三力 vs 五化)."""
    ds = Datasets()
    rows = _criterion_rows(model, result, lang)
    long_names = any(len(r["name"]) > 6 for r in rows)
    panels = []
    for n, group in enumerate(model.groups):
        gscore = result.groups[group.id]
        colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
        ids = {c.id for c in group.criteria}
        data = [
            {**r, "label": fmt_index(r["index"]), "value": r["index"] or 0.0,
             "group_index": gscore.index, "opacity": 0.45 if r["low_confidence"] else 1.0}
            for r in rows if r["id"] in ids
        ]
        names = [r["name"] for r in data]
        xenc = alt.X("name:N", sort=names, title=None,
                     axis=alt.Axis(labelAngle=-35 if long_names else 0, labelLimit=140, labelPadding=4))
        yenc = alt.Y("value:Q", scale=alt.Scale(domain=[0, 100]),
                     title=t("chart.index", lang) if n == 0 else None,
                     axis=alt.Axis(tickCount=5, labels=n == 0, ticks=n == 0, domain=False, labelFlush=True))
        criteria = ds(f"criteria_{n}", data)
        bars = mark(criteria, "bar", {
            "x": xenc, "y": yenc,
            "opacity": alt.Opacity("opacity:Q", scale=None),
            "tooltip": [alt.Tooltip("name:N", title=t("chart.criterion", lang)),
                        alt.Tooltip("label:N", title=t("chart.index", lang))],
        }, color=colour, size=26, cornerRadiusTopLeft=2, cornerRadiusTopRight=2)
        values = mark(criteria, "text", {"x": xenc, "y": yenc, "text": alt.Text("label:N")},
                      dy=-7, fontSize=10, color=INK)
        layers: list[Any] = [bars, values]
        if gscore.index is not None:
            band = mark(ds(f"group_{n}", [data[0]]), "rule",
                        {"y": alt.Y("group_index:Q", scale=alt.Scale(domain=[0, 100]))},
                        color=INK, strokeDash=[4, 3], strokeWidth=1.2, opacity=0.8)
            layers.insert(0, band)
        title = alt.TitleParams(f"{model.t(group.name, lang)}  {fmt_index(gscore.index)}", fontSize=13,
                                color=colour, anchor="middle")
        panels.append(alt.LayerChart(layer=layers, width=alt.Step(54), height=220, title=title))
    chart = alt.HConcatChart(hconcat=panels, spacing=24, resolve=alt.Resolve(scale=alt.ScaleResolveMap(y="shared")))
    return finish(chart, font, ds)


# ---------------------------------------------------------------- gap bars


def priority_order(model: MaturityModel, result: Result) -> list[str]:
    """Criterion ids by priority (largest weighted gap first), then the rest in model order."""
    rest = [c.id for c in model.criteria if c.id not in result.priorities]
    return [*result.priorities, *rest]


def gap_bars(model: MaturityModel, result: Result, lang: str, *, font: str = FONT) -> Chart:
    """Current level per criterion in priority order, a tick at the target, low confidence marked."""
    ds = Datasets()
    by_id = {r["id"]: r for r in _criterion_rows(model, result, lang)}
    lmin, lmax = model.lmin, model.lmax
    rows = []
    for rank, cid in enumerate(priority_order(model, result)):
        r = dict(by_id[cid])
        note = fmt_level(r["level"]) + " → " + fmt_level(r["target"])
        if r["level"] is None:
            note = t("chart.no_data", lang)
        if r["low_confidence"]:
            note += "  " + t("chart.low_confidence", lang)
        bar_end = r["level"] if r["level"] is not None else lmin
        gap_end = max(r["target"], bar_end) if r["target"] is not None and r["level"] is not None else None
        r.update(rank=rank, lmin=lmin, lmax=lmax, note=note, bar_end=bar_end, gap_end=gap_end,
                 bar_colour=RED_LIGHT if r["low_confidence"] else RED,
                 note_colour=RED if r["low_confidence"] else INK)
        rows.append(r)
    names = [r["name"] for r in rows]
    xscale = alt.Scale(domain=[lmin, lmax], nice=False, zero=False)
    yenc = alt.Y("name:N", sort=names, title=None, axis=alt.Axis(labelLimit=180, ticks=False, domain=False))
    xenc = alt.X("lmin:Q", scale=xscale, title=t("chart.level", lang),
                 axis=alt.Axis(values=list(range(lmin, lmax + 1)), format="d", grid=True))
    data = ds("criteria", rows)

    def where(test: str) -> list[alt.FilterTransform]:
        return [alt.FilterTransform(filter=test)]

    track = mark(data, "bar", {"y": yenc, "x": xenc, "x2": alt.X2("lmax:Q")}, color=GREY_FAINT, size=16)
    gap = mark(data, "bar", {"y": yenc, "x": alt.X("bar_end:Q", scale=xscale), "x2": alt.X2("gap_end:Q")},
               transform=where("datum.gap_end != null"), color=RED_LIGHT, opacity=0.35, size=16)
    bars = mark(data, "bar", {
        "y": yenc, "x": xenc, "x2": alt.X2("bar_end:Q"),
        "color": alt.Color("bar_colour:N", scale=None),
        "tooltip": [alt.Tooltip("name:N", title=t("chart.criterion", lang)),
                    alt.Tooltip("note:N", title=t("chart.level", lang))],
    }, transform=where("datum.level != null"), size=16)
    ticks = mark(data, "tick", {"y": yenc, "x": alt.X("target:Q", scale=xscale)},
                 transform=where("datum.target != null"), color=INK, thickness=2.5, size=24)
    notes = mark(data, "text", {"y": yenc, "x": alt.X("lmax:Q", scale=xscale), "text": alt.Text("note:N"),
                                "color": alt.Color("note_colour:N", scale=None)}, align="left", dx=8, fontSize=10)
    chart = alt.LayerChart(layer=[track, gap, bars, ticks, notes], width=360, height=alt.Step(28))
    return finish(chart, font, ds)


# ---------------------------------------------------------------- heatmap


def _indicator_state(
    model: MaturityModel, result: Result, answers: Mapping[str, Answer | None] | None
) -> dict[str, Answer | None]:
    """Each indicator's answer; without ``answers``, N/A is read from the criteria's counts."""
    if answers is not None:
        return {i.id: answers.get(i.id) for i in model.indicators}
    out: dict[str, Answer | None] = {}
    for crit in model.criteria:
        cr = result.criteria[crit.id]
        missing = [i.id for i in crit.indicators if i.id not in result.indicator_values]
        all_na = cr.na == len(missing) and cr.na > 0
        for ind in crit.indicators:
            s = result.indicator_values.get(ind.id)
            if s is not None:
                out[ind.id] = model.lmin + s * (model.lmax - model.lmin)
            else:
                out[ind.id] = NA if all_na else None
    return out


def _text_width(text: str, size: float = 11) -> float:
    """About how wide ``text`` is drawn, in pixels: a CJK character is a full em, Latin about 0.6 of one."""
    return sum(size if ord(ch) > 0x2E80 else 0.6 * size for ch in text)


def indicator_label(model: MaturityModel, indicator_id: str, lang: str, limit: int = 22) -> str:
    """A short label of an indicator for chart axes: criterion name and the question, shortened.

    ``limit`` counts Chinese characters; Latin text gets as much room on the axis (about twice
    as many letters).
    """
    crit = model.criterion_of[indicator_id]
    ind = model.indicator_by_id[indicator_id]
    text = f"{model.t(crit.name, lang)}｜{model.t(ind.question, lang)}"
    if not any(ord(ch) > 0x2E80 for ch in text.replace("｜", "")):
        limit *= 2
    return short(text, limit)


def question_number(model: MaturityModel, indicator_id: str) -> str:
    """The number a question has in the questionnaire: criterion, then question ('1.2')."""
    crit = model.criterion_of[indicator_id]
    k = next(n for n, c in enumerate(model.criteria, start=1) if c.id == crit.id)
    return f"{k}.{[i.id for i in crit.indicators].index(indicator_id) + 1}"


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two '#rrggbb' colours (1 to 21; 4.5 is legible small text)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_on(fill: str) -> str:
    """White or ink, whichever reads better on ``fill``."""
    return "#FFFFFF" if contrast(fill, "#FFFFFF") >= contrast(fill, INK) else INK


def level_colours(n: int) -> list[str]:
    """A sequential red scale of ``n`` steps, light (lowest level) to dark (highest).

    Two ramps, pale and deep, skip the middle band where neither white nor ink text would
    be legible on the cell.
    """
    out = []
    for k in range(n):
        f = k / max(1, n - 1)
        out.append(mix("#F8D3CF", "#E0918B", f / 0.5) if f <= 0.5 else mix("#C0303A", "#6B0E16", (f - 0.5) / 0.5))
    return out


NA_FILL = "#BDBDBD"  # neutral grey: no level, but answered
NONE_FILL = "#FFFFFF"  # white with a dashed frame: not answered yet


def heatmap(
    model: MaturityModel,
    result: Result,
    lang: str,
    *,
    answers: Mapping[str, Answer | None] | None = None,
    font: str = FONT,
) -> Chart:
    """Indicator × level cells: the chosen level filled in its level's colour, N/A and unanswered in their own columns.

    The legend names each level; a fractional answer (a workshop mean) sits and is coloured in
    its nearest level's column, with its value written in the cell.
    """
    ds = Datasets()
    state = _indicator_state(model, result, answers)
    na_col, none_col = t("chart.na", lang), t("chart.unanswered", lang)
    levels = list(range(model.lmin, model.lmax + 1))
    columns = [f"{lv}" for lv in levels] + [na_col, none_col]
    names = [f"{lv} {level_name(model, lv, lang)}".strip() for lv in levels]
    fills = [*level_colours(len(levels)), NA_FILL, NONE_FILL]
    buckets = [*names, na_col, none_col]
    fill_of = dict(zip(buckets, fills, strict=True))
    rows = []
    labels = []
    for ind in model.indicators:
        label = indicator_label(model, ind.id, lang)
        if label in labels:  # told apart by the question's number, never by an internal id
            label = f"{label} {question_number(model, ind.id)}"
        labels.append(label)
        a = state[ind.id]
        chosen = none_col if a is None else na_col if a == NA else str(round(float(a)))
        for col in columns:
            hit = col == chosen
            kind, bucket, text = "empty", "", ""
            if hit:
                kind = "unanswered" if a is None else "na" if a == NA else "answer"
                bucket = none_col if a is None else na_col if a == NA else names[levels.index(int(col))]
                text = "—" if a is None else na_col if a == NA else (
                    str(int(a)) if float(a).is_integer() else f"{float(a):.1f}")
            rows.append({"indicator": label, "id": ind.id, "column": col, "kind": kind, "bucket": bucket,
                         "text": text, "value": None if a is None or a == NA else float(a),
                         "fill": fill_of.get(bucket, GREY_FAINT),
                         "text_colour": text_on(fill_of[bucket]) if hit else INK})
    data = ds("cells", rows)
    at = {
        "x": alt.X("column:N", sort=columns, title=t("chart.level", lang),
                   axis=alt.Axis(orient="top", labelAngle=0, ticks=False, domain=False)),
        "y": alt.Y("indicator:N", sort=labels, title=None, axis=alt.Axis(labelLimit=260, ticks=False, domain=False)),
    }
    grid = mark(data, "rect", at, color=GREY_FAINT, stroke="white", strokeWidth=2)
    legend = alt.Legend(title=t("chart.level", lang), orient="bottom", direction="horizontal",
                        # the levels on one row, N/A and unanswered beneath: it fits beside long level names
                        columns=min(len(levels), 5), symbolType="square", symbolStrokeColor=GREY,
                        symbolStrokeWidth=0.5, labelLimit=160)
    cells = mark(data, "rect", {**at, "color": alt.Color("bucket:N", sort=buckets, legend=legend,
                                                         scale=alt.Scale(domain=buckets, range=fills))},
                 transform=[alt.FilterTransform(filter="datum.kind != 'empty'")], stroke="white", strokeWidth=2)
    frame = mark(data, "rect", at, transform=[alt.FilterTransform(filter=alt.datum.kind == "unanswered")],
                 fill=None, stroke=RED, strokeDash=[3, 2], strokeWidth=1.2)
    text = mark(data, "text", {**at, "text": alt.Text("text:N"), "color": alt.Color("text_colour:N", scale=None)},
                fontSize=10)
    step = max(40, round(max(_text_width(c) for c in columns)) + 10)  # "Unanswered" needs more than 40 px
    chart = alt.LayerChart(layer=[grid, cells, frame, text], width=alt.Step(step), height=alt.Step(20))
    return finish(chart, font, ds)


# ---------------------------------------------------------------- tags (三大体系)


def tags_bar(model: MaturityModel, result: Result, lang: str, *, font: str = FONT) -> Chart:
    """The index of every tag (e.g. 工作体系, 品牌体系, 传播体系) as horizontal bars."""
    ds = Datasets()
    rows = []
    for tag in model.tags:
        s: Score = result.tags[tag.id]
        rows.append({"id": tag.id, "name": model.t(tag.name, lang), "index": s.index, "level": s.level,
                     "value": s.index or 0.0, "n": len(s.terms),
                     "label": fmt_index(s.index) if s.index is not None else t("chart.no_data", lang)})
    names = [r["name"] for r in rows]
    data = ds("tags", rows)
    yenc = alt.Y("name:N", sort=names, title=None, axis=alt.Axis(labelLimit=180, ticks=False, domain=False))
    xscale = alt.Scale(domain=[0, 100])
    track = mark(data, "bar", {"y": yenc, "x": alt.X("zero:Q", scale=xscale), "x2": alt.X2(datum=100)},
                 transform=[alt.CalculateTransform(calculate="0", **{"as": "zero"})], color=GREY_FAINT, size=18)
    bars = mark(data, "bar", {
        "y": yenc,
        "x": alt.X("value:Q", scale=xscale, title=t("chart.index", lang), axis=alt.Axis(tickCount=5)),
        "tooltip": [alt.Tooltip("name:N", title=t("chart.tag", lang)),
                    alt.Tooltip("label:N", title=t("chart.index", lang))],
    }, color=RED, size=18)
    text = mark(data, "text", {"y": yenc, "x": alt.X("value:Q", scale=xscale), "text": alt.Text("label:N")},
                align="left", dx=6, fontSize=10, color=INK)
    chart = alt.LayerChart(layer=[track, bars, text], width=360, height=alt.Step(30))
    return finish(chart, font, ds)


# ---------------------------------------------------------------- history


def index_history(points: Sequence[Mapping[str, Any]], lang: str, *, font: str = FONT) -> Chart:
    """The overall index over time, one line per union (rows of ``compare.index_points``).

    Dates are a time axis read as UTC calendar days (an ISO date is midnight UTC), labelled
    level as year-month, so they neither turn on their side nor slip a day in another time zone.
    """
    ds = Datasets()
    unions = list(dict.fromkeys(str(p["union"]) for p in points))
    colour = alt.Color("union:N", sort=unions, title=None,
                       scale=alt.Scale(domain=unions, range=[SERIES_COLOURS[k % len(SERIES_COLOURS)]
                                                             for k in range(len(unions))]),
                       legend=alt.Legend(orient="bottom", direction="horizontal", labelLimit=260))
    x = alt.X("date:T", timeUnit=alt.TimeUnitParams(unit="yearmonthdate", utc=True),
              title=t("history.col.assessed_at", lang),
              axis=alt.Axis(format="%Y-%m", labelAngle=0, labelOverlap="greedy", tickCount="month", grid=False))
    y = alt.Y("index:Q", scale=alt.Scale(domain=[0, 100]), title=t("history.col.index", lang),
              axis=alt.Axis(tickCount=5))
    tooltip = [alt.Tooltip("union:N", title=t("history.col.organisation", lang)),
               alt.Tooltip("date:N", title=t("history.col.assessed_at", lang)),
               alt.Tooltip("index:Q", title=t("history.col.index", lang), format=".1f")]
    data = ds("points", [dict(p) for p in points])
    lines = mark(data, "line", {"x": x, "y": y, "color": colour, "order": alt.Order("date:N")}, strokeWidth=2)
    dots = mark(data, "circle", {"x": x, "y": y, "color": colour, "tooltip": tooltip}, size=48, opacity=1)
    chart = alt.LayerChart(layer=[lines, dots], width="container", height=260)
    return finish(chart, font, ds)


# ---------------------------------------------------------------- workshop distribution


def distribution(
    model: MaturityModel,
    aggregates: Mapping[str, IndicatorAggregate],
    indicator_ids: Sequence[str],
    lang: str,
    *,
    font: str = FONT,
) -> Chart:
    """Stacked counts per level (and N/A) for each indicator; disagreement flagged in red."""
    ds = Datasets()
    na_label = t("chart.na", lang)
    level_labels = [f"{lv} {level_name(model, lv, lang)}".strip() for lv in range(model.lmin, model.lmax + 1)]
    rows, summaries, labels, flagged = [], [], [], []
    for iid in indicator_ids:
        agg = aggregates[iid]
        label = indicator_label(model, iid, lang, 26)
        labels.append(label)
        if agg.disagreement:
            flagged.append(label)
        for k, lv in enumerate(range(model.lmin, model.lmax + 1)):
            rows.append({"indicator": label, "id": iid, "level": lv, "bucket": level_labels[k], "order": k,
                         "count": agg.counts.get(lv, 0)})
        rows.append({"indicator": label, "id": iid, "level": None, "bucket": na_label, "order": len(level_labels),
                     "count": agg.n_na})
        parts = [t("chart.summary", lang, n=agg.n, mean=fmt_level(agg.mean),
                   sd="—" if agg.sd is None else f"{agg.sd:.2f}")]
        if agg.consensus is not None:
            parts.append(t("chart.consensus", lang, level=agg.consensus))
        if agg.disagreement:
            parts.append(t("chart.disagreement", lang))
        summaries.append({"indicator": label, "id": iid, "total": agg.n + agg.n_na, "summary": " · ".join(parts),
                          "disagreement": agg.disagreement, "n": agg.n, "n_na": agg.n_na,
                          "mean": agg.mean, "sd": agg.sd, "colour": RED if agg.disagreement else INK})
    n_levels = len(level_labels)
    reds = [mix("#F6DAD7", RED, k / max(1, n_levels - 1)) for k in range(n_levels)]
    yenc = alt.Y("indicator:N", sort=labels, title=None, axis=alt.Axis(
        labelLimit=260, ticks=False, domain=False,
        labelColor=alt.ExprRef(expr=f"indexof({flagged!r}, datum.value) >= 0 ? '{RED}' : '{INK}'")
        if flagged else INK))
    bars = mark(ds("counts", rows), "bar", {
        "y": yenc,
        "x": alt.X("count:Q", stack="zero", title=t("chart.count", lang), axis=alt.Axis(tickMinStep=1, format="d")),
        "color": alt.Color("bucket:N", sort=[*level_labels, na_label],
                           scale=alt.Scale(domain=[*level_labels, na_label], range=[*reds, "#B5B5B5"]),
                           legend=alt.Legend(title=t("chart.level", lang), orient="bottom", direction="horizontal")),
        "order": alt.Order("order:Q"),
        "tooltip": [alt.Tooltip("indicator:N", title=t("chart.indicator", lang)),
                    alt.Tooltip("bucket:N", title=t("chart.level", lang)),
                    alt.Tooltip("count:Q", title=t("chart.count", lang))],
    }, transform=[alt.FilterTransform(filter="datum.count > 0")], size=16)
    text = mark(ds("summaries", summaries), "text", {"y": yenc, "x": alt.X("total:Q"), "text": alt.Text("summary:N"),
                                                     "color": alt.Color("colour:N", scale=None)},
                align="left", dx=6, fontSize=10)
    chart = alt.LayerChart(layer=[bars, text], width=320, height=alt.Step(28))
    return finish(chart, font, ds)


__all__ = [
    "FONT",
    "contrast",
    "distribution",
    "gap_bars",
    "groups_bar",
    "heatmap",
    "index_history",
    "indicator_label",
    "level_colours",
    "level_name",
    "priority_order",
    "question_number",
    "radar",
    "stars",
    "tags_bar",
    "to_png",
    "to_svg",
]
