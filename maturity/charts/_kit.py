"""What every chart shares: palette, font, axis labels, data attachment, configuration, rendering."""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

import altair as alt

from ..model import MaturityModel

# The shipped font's family name (vl-convert finds it in maturity/report/fonts; browsers fall back).
FONT = "Noto Sans CJK SC"

# A restrained palette: the deep red of union materials, greys, one muted gold.
RED = "#B3202A"
RED_LIGHT = "#E3A29D"
GOLD = "#B8862B"
INK = "#333333"
GREY = "#757575"
GREY_LIGHT = "#D6D6D6"
GREY_FAINT = "#F1F1F1"
SERIES_COLOURS = (RED, "#56646E", GOLD, "#2F5D8A", "#7A4E8C", "#4E8C6A", "#8C6A4E", "#A0A0A0")

Chart = alt.Chart | alt.LayerChart | alt.HConcatChart | alt.VConcatChart


# ---------------------------------------------------------------- labels


def short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


# ---------------------------------------------------------------- common chart pieces


class Datasets:
    """Rows by name, attached once to the finished chart.

    Altair copies a chart at every method call; inline rows would be deep-copied each time,
    a name costs nothing. ``chart.to_dict()["datasets"]`` holds the rows.
    """

    def __init__(self) -> None:
        self.values: dict[str, list[dict[str, Any]]] = {}

    def __call__(self, name: str, rows: list[dict[str, Any]]) -> alt.NamedData:
        self.values[name] = rows
        return alt.NamedData(name=name)


_MarkType = Literal["bar", "circle", "line", "rect", "rule", "text", "tick"]  # the marks the charts use


def mark(data: alt.NamedData, mark_type: _MarkType, encoding: dict[str, Any], *,
         transform: list[Any] | None = None, **props: Any) -> alt.Chart:
    """One layer: ``alt.Chart(data).mark_<type>(**props).encode(**encoding)`` in one constructor call.

    Each chained altair method copies the chart; built at once, the spec is the same for less.
    Layers go into ``alt.LayerChart(layer=[...], width=..., ...)`` for the same reason: every
    copy of a layer chart (``.properties()``, ``alt.layer()``) merges its layers' params again,
    deep-copying each layer twice.
    """
    extra: dict[str, Any] = {"transform": transform} if transform else {}
    return alt.Chart(data, mark=alt.MarkDef(type=mark_type, **props) if props else mark_type,
                     encoding=alt.FacetedEncoding(**encoding), **extra)


def finish(chart: Chart, font: str, data: Datasets) -> Chart:
    """Data, fonts, sizes and a quiet frame shared by every chart (set without copying)."""
    chart.datasets = data.values
    chart.config = alt.Config(
        font=font, background="white", padding=8,
        view=alt.ViewConfig(stroke=None),
        axis=alt.AxisConfig(labelFontSize=11, titleFontSize=11, labelColor=INK, titleColor=GREY,
                            gridColor="#E6E6E6", domainColor=GREY_LIGHT, tickColor=GREY_LIGHT),
        legend=alt.LegendConfig(labelFontSize=11, titleFontSize=11, orient="bottom", symbolStrokeWidth=2),
        header=alt.HeaderConfig(labelFontSize=12, titleFontSize=12),
        title=alt.TitleConfig(fontSize=13, color=INK, anchor="start"),
    )
    return chart


def mix(a: str, b: str, f: float) -> str:
    """The colour ``f`` of the way from ``a`` to ``b`` (both '#rrggbb')."""
    ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(ca, cb, strict=True))


# ---------------------------------------------------------------- rendering


@cache
def register_fonts() -> None:
    """Give vl-convert the shipped CJK font, once per process."""
    import vl_convert

    from ..report.fonts import FONT_DIR

    vl_convert.register_font_directory(str(FONT_DIR))


def spec_of(chart: Chart) -> dict[str, Any]:
    """``chart.to_dict(validate=False)`` without walking its rows: altair's to_dict visits every value of
    every row; the datasets are plain JSON already, so they are set on the finished spec (a heatmap of
    500 units: 4,000 rows, most of the cost)."""
    values = chart.datasets
    chart.datasets = alt.Undefined
    try:
        spec: dict[str, Any] = chart.to_dict(validate=False)
    finally:
        chart.datasets = values
    if values is not alt.Undefined:
        spec["datasets"] = values
    return spec


def to_png(chart: Chart, scale: float = 2) -> bytes:
    """Render a chart to PNG bytes with vl-convert (Chinese labels in the shipped font)."""
    import vl_convert

    register_fonts()
    return vl_convert.vegalite_to_png(chart.to_dict(), scale=scale)


def to_svg(chart: Chart) -> str:
    """Render a chart to SVG text with vl-convert (used by the PDF, where charts stay vectors)."""
    import vl_convert

    register_fonts()
    return vl_convert.vegalite_to_svg(chart.to_dict())
