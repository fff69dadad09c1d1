"""Altair charts of a result, shared by the Streamlit pages and the PDF report.

Every builder takes the model, the scores and a language, reads all labels from the model
and the i18n catalogue (``chart.*``), and returns a configured ``alt.Chart``/``LayerChart``:
``radar`` (``_radar``); ``groups_bar``, ``gap_bars``, ``tags_bar`` (``_bars``); ``heatmap``
(``_heatmap``); ``index_history`` (``_history``);
``portfolio_heatmap`` and ``stage_bars`` of a round (``_portfolio``); ``distribution`` of a workshop's answers
(``_distribution``). What they share (palette, font, axis labels, ``Datasets``, ``mark``,
``finish``) is in ``_kit``, which also renders a chart with vl-convert in the shipped CJK font
(``to_png``/``to_svg``). Numbers, levels and stars are written by ``maturity.display``, as on
the pages. A new chart: a module here, its builder exported below, a test in tests/test_charts.py.
"""

from __future__ import annotations

from ..display import level_name, stars
from ._bars import gap_bars, groups_bar, priority_order, tags_bar
from ._distribution import distribution
from ._heatmap import contrast, heatmap, level_colours
from ._history import index_history
from ._kit import FONT, Chart, indicator_label, question_number, spec_of, to_png, to_svg
from ._portfolio import portfolio_heatmap, stage_bars
from ._radar import radar

__all__ = [
    "FONT",
    "Chart",
    "contrast",
    "distribution",
    "gap_bars",
    "groups_bar",
    "heatmap",
    "index_history",
    "indicator_label",
    "level_colours",
    "level_name",
    "portfolio_heatmap",
    "priority_order",
    "question_number",
    "radar",
    "spec_of",
    "stage_bars",
    "stars",
    "tags_bar",
    "to_png",
    "to_svg",
]
