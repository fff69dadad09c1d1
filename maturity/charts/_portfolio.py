"""The portfolio's charts: units × criteria as a heatmap of levels, and the stages as bars with their stars."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt

from ..display import level_name, stars
from ..i18n import t
from ..model import MaturityModel
from ._heatmap import level_colours, text_on
from ._kit import FONT, GREY_FAINT, INK, RED, Chart, Datasets, finish, mark, short


def portfolio_heatmap(model: MaturityModel, units: Sequence[tuple[str, Sequence[float | None]]], lang: str,
                      *, font: str = FONT) -> Chart:
    """One row per unit (name, its level per criterion in the model's order), each cell in its level's colour."""
    ds = Datasets()
    names = [model.t(c.name, lang) for c in model.criteria]
    fills = level_colours(model.lmax - model.lmin + 1)
    rows, labels = [], []
    for name, levels in units:
        label = short(name, 24)
        while label in labels:  # two units whose names start alike: told apart by a counter
            label = f"{label}·"
        labels.append(label)
        for crit, value in zip(names, levels, strict=True):
            if value is None:
                fill, text = GREY_FAINT, "—"
            else:
                step = min(len(fills) - 1, max(0, int(value) - model.lmin))
                fill, text = fills[step], f"{value:.1f}"
            rows.append({"unit": label, "criterion": crit, "text": text, "fill": fill,
                         "ink": INK if value is None else text_on(fill)})
    data = ds("cells", rows)
    at = {"x": alt.X("criterion:N", sort=names, title=None, axis=alt.Axis(orient="top", labelAngle=0, ticks=False,
                                                                        domain=False, labelLimit=90)),
          "y": alt.Y("unit:N", sort=labels, title=None, axis=alt.Axis(labelLimit=220, ticks=False, domain=False))}
    cells = mark(data, "rect", {**at, "color": alt.Color("fill:N", scale=None)}, stroke="white", strokeWidth=1.5)
    texts = mark(data, "text", {**at, "text": alt.Text("text:N"), "color": alt.Color("ink:N", scale=None)},
                 fontSize=10)
    legend_rows = [{"level": f"{lv.level} {level_name(model, lv.level, lang)}".strip(), "fill": fills[n]}
                   for n, lv in enumerate(model.scale)]
    legend_data = ds("legend", legend_rows)
    legend = mark(legend_data, "rect", {"x": alt.X("level:N", sort=[r["level"] for r in legend_rows], title=t(
        "chart.level", lang), axis=alt.Axis(orient="bottom", labelAngle=0, ticks=False, domain=False, labelLimit=120)),
        "color": alt.Color("fill:N", scale=None)}, height=12)
    chart = alt.VConcatChart(vconcat=[
        alt.LayerChart(layer=[cells, texts], width=alt.Step(max(56, 13 * max(len(n) for n in names))),
                       height=alt.Step(20)),
        alt.LayerChart(layer=[legend], width=alt.Step(80), height=12)], spacing=6)
    return finish(chart, font, ds)


def stage_bars(model: MaturityModel, counts: Sequence[tuple[int | None, int]], lang: str, *, font: str = FONT) -> Chart:
    """How many units stand at each stage (its stars beside the name), and how many have none yet."""
    ds = Datasets()
    rows: list[dict[str, object]] = []
    order: list[str] = []
    for level, n in counts:
        label = (f"{stars(model, level)} {level_name(model, level, lang)}".strip() if level is not None
                 else t("portfolio.col.no_stage", lang))
        rows.append({"stage": label, "n": n})
        order.append(label)
    data = ds("stages", rows)
    bars = mark(data, "bar", {"y": alt.Y("stage:N", sort=order, title=None, axis=alt.Axis(labelLimit=240)),
                              "x": alt.X("n:Q", title=t("portfolio.col.units", lang), axis=alt.Axis(tickMinStep=1))},
                color=RED)
    labels = mark(data, "text", {"y": alt.Y("stage:N", sort=order), "x": alt.X("n:Q"), "text": alt.Text("n:Q")},
                  align="left", dx=4, color=INK)
    return finish(alt.LayerChart(layer=[bars, labels], width=360, height=alt.Step(26)), font, ds)
