"""The indicator × level heatmap of the answers, with legible text on every cell colour."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt

from ..display import level_label
from ..i18n import t
from ..model import MaturityModel
from ..scoring import NA, Answer, Result
from ._kit import FONT, GREY, GREY_FAINT, INK, RED, Chart, Datasets, finish, indicator_label, mark, mix, question_number

__all__ = ["contrast", "heatmap", "level_colours", "text_on"]


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


_NA_FILL = "#BDBDBD"  # neutral grey: no level, but answered
_NONE_FILL = "#FFFFFF"  # white with a dashed frame: not answered yet


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
    names = [level_label(model, lv, lang) for lv in levels]
    fills = [*level_colours(len(levels)), _NA_FILL, _NONE_FILL]
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
    texts = mark(data, "text", {**at, "text": alt.Text("text:N"), "color": alt.Color("text_colour:N", scale=None)},
                 fontSize=10)
    step = max(40, round(max(_text_width(c) for c in columns)) + 10)  # "Unanswered" needs more than 40 px
    chart = alt.LayerChart(layer=[grid, cells, frame, texts], width=alt.Step(step), height=alt.Step(20))
    return finish(chart, font, ds)
