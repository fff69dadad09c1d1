"""The report's first sections: the cover, the summary with its narrative, and the charts.

Every word comes from the model (``model.t``) or the catalogue (``report.*``); every number is
printed with the pages' formatters. The detail sections are in ``_details``.
"""

from __future__ import annotations

from ..display import fmt_index, fmt_level, join_spaced, label_value, level_name, stars
from ..explain import stage_cap_note
from ..i18n import t
from ._data import (
    ReportData,
    cover_rows,
    criterion_name,
    date_text,
    join_list,
    level_text,
    percent,
    quote,
    scored_criteria,
)
from ._page import GREY, INK, PANEL, RED, RULE, SMALL
from ._pdf import Cell, Column, ReportPDF, Run

__all__ = ["chart_section", "cover", "narrative", "summary"]


# ---------------------------------------------------------------- cover


def cover(pdf: ReportPDF, d: ReportData, title: str) -> None:
    """Union, model, date, assessor and the headline numbers."""
    m, L, r = d.model, d.lang, d.result
    pdf.add_page()
    pdf.set_fill_color(*RED)
    pdf.rect(0, 0, pdf.w, 9, style="F")
    pdf.set_y(36)
    pdf.paragraph(t("report.cover.model", L, model=m.t(m.title, L), version=m.version), size=13, color=GREY,
                  after=2)
    pdf.paragraph(title, size=30, style="B", after=3)
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.0)
    pdf.line(pdf.l_margin, pdf.y, pdf.l_margin + 28, pdf.y)
    pdf.ln(10)
    pdf.paragraph(d.org, size=20, style="B", after=1)
    enterprise = str(d.organisation.get("enterprise") or "").strip()
    if enterprise and enterprise != d.org:
        pdf.paragraph(enterprise, size=12, color=GREY, after=1)

    # The headline panel: overall index, stage (with stars), average level.
    y = max(pdf.y + 10, 112)
    h = 44
    pdf.set_fill_color(*PANEL)
    pdf.rect(pdf.l_margin, y, pdf.body_width, h, style="F")
    pdf.set_fill_color(*RED)
    pdf.rect(pdf.l_margin, y, pdf.body_width, 1.0, style="F")
    col = pdf.body_width / 3
    stage = r.stage
    cells = [
        (t("report.cover.index", L), fmt_index(r.overall.index), t("report.cover.index_note", L), RED),
        (t("report.cover.stage", L), t("report.stage_value", L, level=stage) if stage is not None else "—",
         level_name(m, stage, L), INK),
        (t("report.cover.avg_level", L), fmt_level(r.overall.level),
         t("report.cover.avg_note", L, lmin=m.lmin, lmax=m.lmax), INK),
    ]
    for k, (label, value, note, colour) in enumerate(cells):
        x = pdf.l_margin + k * col + 6
        w = col - 12
        pdf.font(9, "", GREY)
        pdf.set_xy(x, y + 5)
        pdf.cell(w, 5, pdf.safe(label))
        pdf.font(26 if len(value) <= 6 else 18, "B", colour)
        pdf.set_xy(x, y + 12)
        pdf.cell(w, 12, pdf.fit(pdf.safe(value), w))
        pdf.font(10, "", INK)
        pdf.set_xy(x, y + 26)
        pdf.cell(w, 5, pdf.fit(pdf.safe(note), w))
        if k == 1 and stage is not None:
            star_text = stars(m, stage)
            size = 15.0
            pdf.font(size, "", RED)
            while size > 7 and pdf.get_string_width(star_text) > w:
                size -= 1
                pdf.font(size, "", RED)
            pdf.set_xy(x, y + 32)
            pdf.cell(w, 7, star_text)
    pdf.font(8.5, "", GREY)
    pdf.set_xy(pdf.l_margin, y + h + 1.5)
    pdf.cell(pdf.body_width, 5, pdf.safe(t("report.cover.stage_note", L)))

    # Who, when, against what.
    rows = cover_rows(d)
    pdf.set_y(y + h + 16)
    for label, value in rows:
        top = pdf.y
        pdf.font(10, "", GREY)
        pdf.set_xy(pdf.l_margin, top + 1.5)
        pdf.cell(32, 6, pdf.safe(label))
        pdf.set_xy(pdf.l_margin + 34, top)
        pdf.paragraph(value, size=10.5, indent=34, after=0)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        pdf.line(pdf.l_margin, pdf.y + 1, pdf.l_margin + pdf.body_width, pdf.y + 1)
        pdf.set_y(pdf.y + 2)
    pdf.font(8.5, "", GREY)
    pdf.set_xy(pdf.l_margin, pdf.h - 30)
    pdf.cell(pdf.body_width, 5, pdf.safe(t("report.cover.generated", L)))


# ---------------------------------------------------------------- summary


def summary(pdf: ReportPDF, d: ReportData) -> None:
    """Key figures, groups, strongest and weakest, top priorities, a short narrative."""
    m, L, r = d.model, d.lang, d.result
    pdf.add_page()
    pdf.heading(t("report.summary.title", L))
    stage = r.stage
    pdf.figures([
        (t("report.summary.figures_index", L), fmt_index(r.overall.index), t("report.cover.index_note", L)),
        (t("report.summary.figures_stage", L), t("report.stage_value", L, level=stage) if stage is not None else "—",
         level_name(m, stage, L), stars(m, stage) if stage is not None else ""),
        (t("report.summary.figures_avg", L), fmt_level(r.overall.level),
         t("report.cover.avg_note", L, lmin=m.lmin, lmax=m.lmax)),
        (t("report.summary.figures_coverage", L), percent(d, r.coverage),
         t("report.summary.coverage_note", L, answered=r.answered, total=r.total)),
    ])
    if not d.scored:
        pdf.paragraph(t("report.narrative.no_scores", L), style="B", color=RED)
        return
    held = stage_cap_note(m, r, L)
    if held:  # beside the stage figure: which 必备项 hold it down
        pdf.paragraph(held, size=9.5, style="B", color=RED, after=2)

    pdf.heading(t("report.summary.groups", L), 3)
    items = [label_value(m.t(g.name, L), fmt_index(r.groups[g.id].index), L) for g in m.groups]
    items += [label_value(m.t(tag.name, L), fmt_index(r.tags[tag.id].index), L) for tag in m.tags]
    pdf.paragraph(join_spaced(items, L))

    defined = scored_criteria(d)
    strong = max(defined, key=lambda c: c.score.value or 0.0)
    weak = min(defined, key=lambda c: c.score.value or 0.0)
    pdf.heading(t("report.summary.strong_weak", L), 3)
    pdf.bullets([
        t("report.summary.strongest", L, name=criterion_name(d, strong.id), index=fmt_index(strong.score.index),
          level=fmt_level(strong.score.level)),
        t("report.summary.weakest", L, name=criterion_name(d, weak.id), index=fmt_index(weak.score.index),
          level=fmt_level(weak.score.level)),
    ])

    pdf.heading(t("report.summary.priorities", L), 3)
    top = list(r.priorities[:3])
    if top:
        cols = [Column(t("report.summary.col_rank", L), 14, "C"), Column(t("report.summary.col_criterion", L), 62),
                Column(t("report.summary.col_current", L), 32, "C"), Column(t("report.summary.col_target", L), 32,
                                                                            "C"),
                Column(t("report.summary.col_gap", L), 30, "C")]
        rows: list[list[Cell]] = []
        for n, cid in enumerate(top, 1):
            c = r.criteria[cid]
            # the level the gap is measured from: a 必备项 below the mean holds it down (DESIGN §4)
            rows.append([str(n), Run(criterion_name(d, cid), "B"), fmt_level(c.effective_level), fmt_level(c.target),
                         fmt_level(c.gap)])
        pdf.data_table(cols, rows)
    else:
        pdf.paragraph(t("report.summary.no_priorities", L))

    pdf.heading(t("report.summary.narrative", L), 3)
    for para in narrative(d):
        pdf.paragraph(para, after=2.5)


def narrative(d: ReportData) -> list[str]:
    """The summary's paragraphs, assembled from the catalogue's templates and the model's texts."""
    m, L, r = d.model, d.lang, d.result
    if not d.scored:
        return [t("report.narrative.no_scores", L)]
    first = [
        t("report.narrative.intro_workshop", L, org=d.org, date=date_text(d),
          participants=d.workshop.participants) if d.workshop else
        t("report.narrative.intro", L, org=d.org, date=date_text(d), model=m.t(m.title, L), version=m.version,
          answered=r.answered, total=r.total, coverage=percent(d, r.coverage)),
        t("report.narrative.overall", L, index=fmt_index(r.overall.index), avg=fmt_level(r.overall.level),
          stage=level_text(d, r.stage), stars=stars(m, r.stage)),
    ]
    held = stage_cap_note(m, r, L)
    if held:  # the 必备项 that hold the stage down, named right after it
        first.append(held)
    level = m.levels.get(r.stage) if r.stage is not None else None
    if level is not None and level.description:
        first.append(t("report.narrative.stage_meaning", L, description=m.t(level.description, L)))
    second = [t("report.narrative.groups", L, items=t("report.group_sep", L).join(
        t("report.narrative.group_item", L, name=m.t(g.name, L), index=fmt_index(r.groups[g.id].index))
        for g in m.groups))]
    defined = scored_criteria(d)
    strong = max(defined, key=lambda c: c.score.value or 0.0)
    weak = min(defined, key=lambda c: c.score.value or 0.0)
    if strong.id != weak.id:
        second.append(t("report.narrative.strong_weak", L, strong=quote(d, criterion_name(d, strong.id)),
                        weak=quote(d, criterion_name(d, weak.id))))
    if r.priorities:
        second.append(t("report.narrative.priorities", L, names=join_list(d, [quote(d, criterion_name(d, c))
                                                                          for c in r.priorities[:3]]),
                        quick=len(d.roadmap.by_horizon.get("quick", ()))))
    else:
        second.append(t("report.narrative.no_gap", L))
    third = []
    low = [quote(d, criterion_name(d, c.id)) for c in r.criteria.values() if c.low_confidence]
    if low:
        third.append(t("report.narrative.low_confidence", L, names=join_list(d, low)))
    if d.workshop:
        n = sum(1 for a in d.workshop.aggregates.values() if a.disagreement)
        if n:
            third.append(t("report.narrative.disagreement", L, n=n))
    sep = "" if L == "zh" else " "
    return [sep.join(p) for p in (first, second, third) if p]


# ---------------------------------------------------------------- charts section


def chart_section(pdf: ReportPDF, d: ReportData) -> None:
    """Radar, groups, gaps and the tags view, each with how to read it."""
    m, L = d.model, d.lang
    pdf.add_page()
    pdf.heading(t("report.charts.title", L))
    names = " / ".join(m.t(g.name, L) for g in m.groups)
    parts = [
        ("radar", t("report.charts.radar", L), t("report.charts.radar_note", L, lmin=m.lmin, lmax=m.lmax)),
        ("groups", t("report.charts.groups", L, names=names), t("report.charts.groups_note", L)),
        ("gap", t("report.charts.gap", L), t("report.charts.gap_note", L)),
        ("tags", t("report.charts.tags", L, names=" / ".join(m.t(x.name, L) for x in m.tags)),
         t("report.charts.tags_note", L)),
    ]
    for key, title, note in parts:
        svg = d.charts.get(key)
        if svg is None:
            continue
        pdf.keep(min(pdf.chart_height(svg), 200) + 22)
        pdf.heading(title, 3)
        pdf.paragraph(note, size=SMALL, color=GREY, after=2)
        pdf.chart(svg)
        pdf.gap(4)
