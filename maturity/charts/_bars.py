"""Bar charts of a result: groups (三力 vs 五化), gaps to the targets, tags (三大体系)."""

from __future__ import annotations

from typing import Any

import altair as alt

from ..display import fmt_index, fmt_level
from ..i18n import t
from ..model import MaturityModel
from ..scoring import Result, Score
from ._kit import FONT, GREY_FAINT, INK, RED, RED_LIGHT, SERIES_COLOURS, Chart, Datasets, finish, mark

__all__ = ["gap_bars", "groups_bar", "priority_order", "tags_bar"]


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


# ---------------------------------------------------------------- tags (三大体系)


def tags_bar(model: MaturityModel, result: Result, lang: str, *, font: str = FONT) -> Chart:
    """The index of every tag (e.g. 工作体系, 品牌体系, 传播体系) as horizontal bars."""
    ds = Datasets()
    rows: list[dict[str, Any]] = []
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
