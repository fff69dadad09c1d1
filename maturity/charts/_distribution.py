"""A workshop's answers: stacked counts per level and N/A for each question, disagreement flagged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt

from ..aggregate import IndicatorAggregate
from ..display import fmt_level, fmt_sd, level_label
from ..i18n import t
from ..model import MaturityModel
from ._kit import FONT, INK, RED, Chart, Datasets, finish, indicator_label, mark, mix

__all__ = ["distribution"]


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
    level_labels = [level_label(model, lv, lang) for lv in range(model.lmin, model.lmax + 1)]
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
        parts = [t("chart.summary", lang, n=agg.n, mean=fmt_level(agg.mean), sd=fmt_sd(agg.sd))]
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
