"""The portfolio report (汇总报告) of a round: the same page, fonts, tables and charts as the diagnosis report.

Cover with the headline figures, the stages (chart and table), where to invest (the weakest criteria),
the 必备项 unmet, the ranking, the roll-ups per 上级单位, the levels of every unit (the heatmap as a
table, so that 500 units stay readable and quick), the trend and 自评 vs 复评 when there are any.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections.abc import Sequence

import pandas as pd

from .. import charts
from .. import portfolio as P
from ..display import fmt_index
from ..i18n import t
from ..round_types import Round
from . import _vl
from ._page import GREY, NeedsFallbackFonts
from ._pdf import Column, ReportPDF

__all__ = ["render_portfolio"]


def render_portfolio(p: P.Portfolio, rnd: Round, lang: str, *, basis: P.Basis = "self") -> bytes:
    """The portfolio PDF of ``p`` (a round or one subtree of it), on ``basis`` (自评 or 复评)."""
    stages_svg = _stage_svg(p, lang, basis)
    try:
        return _render(p, rnd, lang, basis, stages_svg, fallbacks=False)
    except NeedsFallbackFonts:
        return _render(p, rnd, lang, basis, stages_svg, fallbacks=True)


def _stage_svg(p: P.Portfolio, lang: str, basis: P.Basis) -> str | None:
    if not p.answered:
        return None
    from altair.utils.schemapi import debug_mode

    with debug_mode(False):
        spec = charts.stage_bars(p.model, P.stage_counts(p, basis), lang, font=_vl.font_family())
        return _vl.to_svg(json.dumps(spec.to_dict(validate=False), ensure_ascii=False))


def _render(p: P.Portfolio, rnd: Round, lang: str, basis: P.Basis, stages_svg: str | None, *,
            fallbacks: bool) -> bytes:
    m, L = p.model, lang
    title = t("portreport.title", L)
    scope = p.root or t("portui.scope_all", L)
    pdf = ReportPDF(header_left=f"{rnd.title} · {title}", header_right=scope,
                    footer=t("report.footer", L, page="{page}", pages="{pages}"), fallbacks=fallbacks,
                    latin_quotes=L != "zh")
    pdf.set_title(f"{rnd.title} {title}")
    pdf.set_subject(m.t(m.title, L))
    pdf.set_creator("brand-union-maturity")
    pdf.set_lang("zh-CN" if L == "zh" else "en")

    pdf.add_page()
    pdf.set_y(30)
    pdf.paragraph(t("report.cover.model", L, model=m.t(m.title, L), version=m.version), size=12, color=GREY, after=2)
    pdf.paragraph(rnd.title, size=24, style="B", after=2)
    pdf.paragraph(title, size=16, after=2)
    facts = [t("portreport.scope", L, scope=scope), t("portreport.date", L, date=dt.date.today().isoformat())]
    if rnd.deadline:
        facts.append(t("roundui.deadline_is", L, date=rnd.deadline))
    facts.append(t(f"portreport.basis_{basis}", L))
    pdf.paragraph("　".join(facts) if L == "zh" else " · ".join(facts), size=10, color=GREY, after=6)
    answered = p.answered
    indices = [r.overall.index for r in (s.result(basis) for s in answered) if r is not None and r.overall.index is not None]
    pdf.figures([
        (t("portui.units", L), str(len(p.units)), t("portreport.in_scope", L)),
        (t("portui.answered", L), str(len(answered)), t("portreport.answered_note", L)),
        (t("portui.done", L), str(sum(1 for s in p.units if s.unit.status == "done")), t("portreport.done_note", L)),
        (t("portui.mean_index", L), fmt_index(statistics.fmean(indices) if indices else None), "0–100"),
    ])
    if not answered:
        pdf.paragraph(t("portui.none_yet", L))
        return bytes(pdf.output())

    _heading(pdf, t("portreport.h_stages", L))
    if stages_svg:
        pdf.chart(stages_svg)
    _table(pdf, P.stage_frame(p, L, basis))

    _heading(pdf, t("portreport.h_invest", L))
    pdf.paragraph(t("portui.invest_caption", L), size=9, color=GREY)
    _table(pdf, P.weakest_frame(p, L, basis))
    if any(i.essential for i in m.indicators):
        unmet = P.essential_frame(p, L, basis)
        _heading(pdf, t("portui.essential", L), 2)
        if unmet.empty:
            pdf.paragraph(t("portui.essential_none", L))
        else:
            _table(pdf, unmet, widths=[30, 26, 18, 54, 14, 14, 18])

    _heading(pdf, t("portreport.h_ranking", L))
    rank = P.ranking_frame(p, L, basis=basis)
    _table(pdf, rank, widths=[12, 52, 40, 20, 38, 18])

    roll = P.rollup_frame(p, L, basis)
    if not roll.empty:
        _heading(pdf, t("portreport.h_rollup", L))
        _table(pdf, roll, first=34)

    _heading(pdf, t("portreport.h_levels", L))
    pdf.paragraph(t("portui.heat_caption", L), size=9, color=GREY)
    _table(pdf, P.heatmap_frame(p, L, basis), first=34, second=28)

    if p.has_previous:
        _heading(pdf, t("portreport.h_trend", L))
        _table(pdf, P.trend_frame(p, L))
    if p.has_reviews:
        _heading(pdf, t("portreport.h_review", L))
        pdf.paragraph(t("portui.review_caption", L), size=9, color=GREY)
        _table(pdf, P.review_gap_frame(p, L))
    return bytes(pdf.output())


def _heading(pdf: ReportPDF, text: str, level: int = 1) -> None:
    """A heading kept on one page with the start of what follows it."""
    pdf.keep(40)
    pdf.heading(text, level)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
    return str(value)


def _table(pdf: ReportPDF, frame: pd.DataFrame, *, widths: Sequence[float] | None = None, first: float = 0,
           second: float = 0) -> None:
    """A frame as a report table: given widths, or the first (and second) columns wider and the rest shared."""
    if frame.empty:
        pdf.paragraph("—")
        return
    n = len(frame.columns)
    if widths is None or len(widths) != n:
        fixed = [w for w in (first, second) if w]
        rest = (pdf.body_width - sum(fixed)) / max(1, n - len(fixed))
        widths = [*fixed, *([rest] * (n - len(fixed)))]
    scale = pdf.body_width / sum(widths)
    columns = [Column(str(name), w * scale, "R" if k >= 2 and pd.api.types.is_numeric_dtype(frame[name]) else "L")
               for k, (name, w) in enumerate(zip(frame.columns, widths, strict=True))]
    rows = [[_text(v) for v in row] for row in frame.itertuples(index=False)]
    pdf.data_table(columns, rows, size=7.5, pad=1.2)
