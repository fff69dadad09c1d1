"""A workshop's answers: stacked counts per level and N/A for each question, disagreement flagged.

Laid out for a phone first: each question's text sits above its bar (two short lines when the
chart is narrow, one line when it is wide) and its note (n, mean, sd, consensus, disagreement)
below, so the bars take the whole width at 360 px; the level is written in each segment wide
enough for it, and the legend wraps in three columns. The same spec serves the host's screen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt

from ..aggregate import IndicatorAggregate
from ..display import fmt_level, fmt_sd, level_label
from ..i18n import t
from ..model import MaturityModel
from ._kit import FONT, GREY, INK, RED, Chart, Datasets, finish, mark, mix, question_number

__all__ = ["distribution", "wrap"]

_LABEL_SIZE = 12  # px: the question above its bar
_NOTE_SIZE = 10  # px: the note below it
_BAR = 14  # px: the bar's thickness
_ROW = 76  # px: one question: two label lines from the row's top, the bar, the note, space
_BAR_OFFSET = 7  # px: the bar's centre below the middle of its row, under the question's two lines
_WRAP_EM = 24  # a narrow chart's label line, in em of _LABEL_SIZE: fits 312 px, a 360 px phone's plot
_LATIN_EM = 0.56  # the width of a Latin letter or digit, in em (CJK characters are 1)


def _em(text: str) -> float:
    """The drawn width of ``text`` in em, roughly: CJK and full-width characters 1, others _LATIN_EM."""
    return sum(1.0 if ord(ch) > 0x2E80 else _LATIN_EM for ch in text)


def wrap(text: str, em: float = _WRAP_EM, lines: int = 2) -> str:
    """``text`` broken into at most ``lines`` lines of about ``em`` each (at spaces for Latin text), '…' if cut."""
    out: list[str] = []
    rest = text
    while rest and len(out) < lines:
        width, cut = 0.0, len(rest)
        for k, ch in enumerate(rest):
            width += _em(ch)
            if width > em:
                cut = k
                break
        if cut < len(rest):
            space = rest.rfind(" ", 0, cut + 1)
            if space > cut // 2:  # a Latin word stays whole where it can
                cut = space
        out.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        last = out[-1]
        while last and _em(last) + 1 > em:
            last = last[:-1]
        if len(last) < len(out[-1]) and " " in last:  # not in the middle of a Latin word
            last = last[:last.rfind(" ")]
        out[-1] = last.rstrip() + "…"
    return "\n".join(out)


def _note(agg: IndicatorAggregate, lang: str) -> str:
    """n, mean and sd of one question, with its consensus and a disagreement flag (short: it fits a phone)."""
    parts = [t("chart.summary", lang, n=agg.n, mean=fmt_level(agg.mean), sd=fmt_sd(agg.sd))]
    if agg.consensus is not None:
        parts.append(t("chart.consensus", lang, level=agg.consensus))
    if agg.disagreement:
        parts.append(t("chart.disagreement", lang))
    return " · ".join(parts)


def distribution(
    model: MaturityModel,
    aggregates: Mapping[str, IndicatorAggregate],
    indicator_ids: Sequence[str],
    lang: str,
    *,
    font: str = FONT,
) -> Chart:
    """Stacked counts per level (and N/A) for each indicator, its question above the bar; disagreement in red."""
    ds = Datasets()
    na_label = t("chart.na", lang)
    levels = list(range(model.lmin, model.lmax + 1))
    level_labels = [level_label(model, lv, lang) for lv in levels]
    rows: list[dict[str, Any]] = []
    summaries: list[dict[str, Any]] = []
    for iid in indicator_ids:
        agg = aggregates[iid]
        label = f"{question_number(model, iid)} {model.t(model.indicator_by_id[iid].question, lang)}"
        x = 0
        buckets = [(k, lv, level_labels[k], agg.counts.get(lv, 0)) for k, lv in enumerate(levels)]
        for k, lv, bucket, count in [*buckets, (len(levels), None, na_label, agg.n_na)]:
            if count:
                rows.append({"id": iid, "question": label, "level": lv, "bucket": bucket, "order": k,
                             "count": count, "x0": x, "x1": x + count, "mid": x + count / 2,
                             "mark": str(lv) if lv is not None else na_label,
                             "aria": f"{label} · {bucket} · {t('chart.count', lang)} {count}",
                             "min_px": 13 if lv is not None else 12 + 11 * len(na_label),
                             "ink": "white" if lv is not None and k >= len(levels) / 2 else INK})
            x += count
        colour = RED if agg.disagreement else INK
        summaries.append({"id": iid, "question": label, "wrapped": wrap(label), "em": _em(label),
                          "summary": _note(agg, lang), "total": agg.n + agg.n_na, "disagreement": agg.disagreement,
                          "n": agg.n, "n_na": agg.n_na, "mean": agg.mean, "sd": agg.sd,
                          "colour": colour, "note_colour": RED if agg.disagreement else GREY})
    n_levels = len(level_labels)
    reds = [mix("#F6DAD7", RED, k / max(1, n_levels - 1)) for k in range(n_levels)]
    y = alt.Y("id:N", sort=list(indicator_ids), axis=None, title=None, scale=alt.Scale(paddingInner=0, paddingOuter=0))
    top = alt.Y("id:N", sort=list(indicator_ids), axis=None, title=None, bandPosition=0)  # the row's top edge
    tip = [alt.Tooltip("question:N", title=t("chart.indicator", lang)),
           alt.Tooltip("bucket:N", title=t("chart.level", lang)),
           alt.Tooltip("count:Q", title=t("chart.count", lang))]
    bars = mark(ds("counts", rows), "bar", {
        "y": y,
        "x": alt.X("x0:Q", title=t("chart.count", lang), axis=alt.Axis(tickMinStep=1, format="d", gridColor="#EFEFEF")),
        "x2": alt.X2("x1:Q"),
        "color": alt.Color("bucket:N", sort=[*level_labels, na_label],
                           scale=alt.Scale(domain=[*level_labels, na_label], range=[*reds, "#B5B5B5"]),
                           legend=alt.Legend(title=t("chart.level", lang), orient="bottom", direction="horizontal",
                                             columns=3, columnPadding=14, labelLimit=140)),
        "tooltip": tip, "description": alt.Description("aria:N"),
    }, size=_BAR, stroke="white", strokeWidth=1, yOffset=_BAR_OFFSET)
    # the level in each segment wide enough to hold it (the shades alone are hard to tell apart)
    marks = mark(ds("counts", rows), "text", {
        "y": y, "x": alt.X("mid:Q"), "text": alt.Text("mark:N"), "color": alt.Color("ink:N", scale=None),
        "opacity": alt.condition("scale('x', datum.x1) - scale('x', datum.x0) >= datum.min_px",
                                 alt.value(1), alt.value(0)),
        "tooltip": tip,
    }, fontSize=10, baseline="middle", yOffset=_BAR_OFFSET)
    # the question above its bar: two lines while the chart is narrower than the question, else one, lower
    narrow = f"datum.em * {_LABEL_SIZE} > width"
    labels = mark(ds("summaries", summaries), "text", {
        "y": top, "x": alt.value(0), "color": alt.Color("colour:N", scale=None),
    }, align="left", baseline="top", text=alt.ExprRef(expr=f"{narrow} ? datum.wrapped : datum.question"),
        dy=alt.ExprRef(expr=f"{narrow} ? 4 : {4 + _LABEL_SIZE + 3}"), fontSize=_LABEL_SIZE, lineBreak="\n",
        lineHeight=_LABEL_SIZE + 3, limit=alt.ExprRef(expr="width"))
    notes = mark(ds("summaries", summaries), "text", {
        "y": y, "x": alt.value(0), "text": alt.Text("summary:N"), "color": alt.Color("note_colour:N", scale=None),
    }, align="left", baseline="top", dy=_BAR_OFFSET + _BAR // 2 + 3, fontSize=_NOTE_SIZE, limit=alt.ExprRef(expr="width"))
    chart = alt.LayerChart(layer=[bars, marks, labels, notes], width=320, height=alt.Step(_ROW))
    return finish(chart, font, ds)
