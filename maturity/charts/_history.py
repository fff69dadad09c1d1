"""The overall index over time, one line per union."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt

from ..i18n import t
from ._kit import FONT, SERIES_COLOURS, Chart, Datasets, finish, mark

__all__ = ["index_history"]


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
