"""The report's detail sections: criterion by criterion, the roadmap, the appendix."""

from __future__ import annotations

from ..aggregate import IndicatorAggregate
from ..display import fmt_index, fmt_level, fmt_sd, join_spaced, label_value, stars
from ..explain import cap_notes
from ..i18n import t
from ..model import HORIZONS, Criterion, Indicator
from ..scoring import NA
from ._data import ReportData, answer_line, criterion_name, join_list, level_text, model_info, percent
from ._page import GREY, INK, PANEL, RED, RULE, SMALL
from ._pdf import Cell, Column, ReportPDF, Run

# ---------------------------------------------------------------- criteria


def criteria_section(pdf: ReportPDF, d: ReportData) -> None:
    """One block per criterion: score, level, meaning, every question with its answer and note."""
    m, L, r = d.model, d.lang, d.result
    pdf.add_page()
    pdf.heading(t("report.criteria.title", L))
    n = 0
    for group in m.groups:
        pdf.heading(t("report.criteria.group_index", L, name=m.t(group.name, L),
                      index=fmt_index(r.groups[group.id].index)), 2)
        if group.description:
            pdf.paragraph(m.t(group.description, L), size=SMALL, color=GREY, after=2)
        for crit in group.criteria:
            _criterion(pdf, d, crit)
            n += 1


def _criterion(pdf: ReportPDF, d: ReportData, crit: Criterion) -> None:
    m, L = d.model, d.lang
    c = d.result.criteria[crit.id]
    pdf.keep(42)
    pdf.gap(2)
    y = pdf.y
    pdf.font(12.5, "B", INK)
    pdf.set_xy(pdf.l_margin, y)
    name = pdf.safe(m.t(crit.name, L))
    pdf.cell(pdf.get_string_width(name) + 4, 7, name)
    if c.score.value is not None:
        score_line = t("report.criteria.score_line", L, index=fmt_index(c.score.index), level=fmt_level(c.score.level))
    else:
        score_line = t("report.criteria.not_scored", L)
    pdf.font(10, "B", RED)
    pdf.set_xy(pdf.l_margin, y + 0.6)
    pdf.cell(pdf.body_width, 7, pdf.safe(score_line), align="R")
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin, y + 8, pdf.l_margin + pdf.body_width, y + 8)
    pdf.set_xy(pdf.l_margin, y + 9.5)

    achieved = level_text(d, c.achieved)
    if c.achieved is not None:
        achieved += " " + stars(m, c.achieved)
    if c.capped:  # the mean level is on the score line above
        achieved = t("essential_ui.achieved_held", L, name=achieved)
    facts = [label_value(t("report.criteria.achieved", L), achieved, L)]
    if c.target is not None:
        target = t("report.level_n", L, level=fmt_level(c.target).removesuffix(".0"))
        gap = t("report.criteria.gap_value", L, gap=fmt_level(c.gap)) if c.gap is not None else "—"
        facts.append(label_value(t("report.criteria.target", L), target, L))
        facts.append(label_value(t("report.criteria.gap", L), gap, L))
    pdf.paragraph(join_spaced(facts, L), size=10, after=1)
    for note in cap_notes(m, d.result, crit.id, L):  # each 必备项 that caps the level or is unanswered
        pdf.paragraph(note, size=9.5, style="B", color=RED, after=0.8)
    if c.low_confidence:
        pdf.set_x(pdf.l_margin)
        pdf.tag(t("report.criteria.low_confidence", L))
        pdf.font(9, "", RED)
        pdf.cell(2, 5, "")
        valid = c.answered - c.na
        pdf.cell(pdf.body_width - 30, 5.6, pdf.safe(t("report.criteria.low_confidence_note", L, valid=valid,
                                                      total=c.total)))
        pdf.ln(7)
    if crit.description:
        pdf.paragraph(m.t(crit.description, L), size=SMALL, color=GREY, after=1)
    level = m.levels.get(c.achieved) if c.achieved is not None else None
    if level is not None and level.description:
        pdf.paragraph(t("report.criteria.level_meaning", L, description=m.t(level.description, L)),
                      size=SMALL, color=GREY, after=2)
    for n, ind in enumerate(crit.indicators, 1):
        _indicator(pdf, d, ind, n)
    pdf.gap(3)


def _indicator(pdf: ReportPDF, d: ReportData, ind: Indicator, n: int) -> None:
    m, L = d.model, d.lang
    pdf.keep(16)
    question = (t("essential.mark", L) if ind.essential else "") + m.t(ind.question, L)
    pdf.paragraph(t("report.criteria.question", L, n=n, question=question), size=10.5, style="B", after=0.5)
    answer = d.answers.get(ind.id)
    indent = 5.0
    agg = d.workshop.aggregates.get(ind.id) if d.workshop else None
    if agg is not None:
        _distribution(pdf, d, agg, indent)
    if answer is None:
        pdf.paragraph(t("report.criteria.answer_none", L), size=10, color=GREY, indent=indent, after=0.5)
    elif answer == NA:
        pdf.paragraph(t("report.criteria.answer_na", L), size=10, color=GREY, indent=indent, after=0.5)
    else:
        line = answer_line(d, ind, float(answer), agg)
        pdf.paragraph(line, size=10, indent=indent, after=0.5)
    if agg is not None and agg.consensus is not None and agg.note:
        pdf.paragraph(t("wsfacil.consensus_note", L, note=agg.note), size=9.5, color=GREY, indent=indent, after=0.5)
    note = (d.notes.get(ind.id) or "").strip()
    if note:
        pdf.paragraph(t("report.criteria.note", L, note=note), size=9.5, color=GREY, indent=indent, after=0.5)
    if ind.evidence:  # what a reviewer will ask to see for this question
        items = join_list(d, [m.t(e, L) for e in ind.evidence])
        pdf.paragraph(t("essential_ui.evidence", L, items=items), size=9, color=GREY, indent=indent, after=0.5)
    pdf.gap(2)


def _distribution(pdf: ReportPDF, d: ReportData, agg: IndicatorAggregate, indent: float) -> None:
    """A small stacked bar of the answers per level, the statistics and the disagreement flag."""
    m, L = d.model, d.lang
    total = agg.n + agg.n_na
    x0, y = pdf.l_margin + indent, pdf.y + 1
    bar_w, bar_h = 48.0, 3.6
    pdf.keep(12)
    y = pdf.y + 1
    if total:
        x = x0
        levels = list(range(m.lmin, m.lmax + 1))
        for k, lv in enumerate(levels):
            share = agg.counts.get(lv, 0) / total
            if share:
                f = k / max(1, len(levels) - 1)
                pdf.set_fill_color(*(round(a + (b - a) * f) for a, b in zip((246, 218, 215), RED, strict=True)))
                pdf.rect(x, y, bar_w * share, bar_h, style="F")
                x += bar_w * share
        if agg.n_na:
            pdf.set_fill_color(181, 181, 181)
            pdf.rect(x, y, bar_w * agg.n_na / total, bar_h, style="F")
    else:
        pdf.set_fill_color(*PANEL)
        pdf.rect(x0, y, bar_w, bar_h, style="F")
    stats = t("report.criteria.stats", L, n=agg.n, na=agg.n_na, mean=fmt_level(agg.mean), sd=fmt_sd(agg.sd)) if total else \
        t("report.criteria.no_answers", L)
    pdf.font(9, "", INK)
    pdf.set_xy(x0 + bar_w + 3, y - 0.9)
    pdf.cell(pdf.get_string_width(pdf.safe(stats)) + 2, 5.4, pdf.safe(stats))
    if agg.disagreement:
        pdf.tag(t("report.criteria.disagreement", L))
    pdf.set_xy(pdf.l_margin, y + bar_h + 1.6)
    counts = [t("report.criteria.count_item", L, level=lv, n=agg.counts.get(lv, 0))
              for lv in range(m.lmin, m.lmax + 1)]
    counts.append(t("report.criteria.count_na", L, n=agg.n_na))
    pdf.paragraph(t("report.criteria.distribution", L, counts=join_list(d, counts)), size=9, color=GREY,
                  indent=indent, after=0.3)


# ---------------------------------------------------------------- roadmap


def roadmap_section(pdf: ReportPDF, d: ReportData) -> None:
    """The roadmap's actions in one table per horizon."""
    m, L = d.model, d.lang
    pdf.add_page()
    pdf.heading(t("report.roadmap.title", L))
    pdf.paragraph(t("report.roadmap.intro", L), size=SMALL, color=GREY, after=3)
    if not len(d.roadmap):
        pdf.paragraph(t("report.roadmap.empty", L))
        return
    # Chinese labels are short; English ones ("medium", "Communication system") need room.
    widths = (10, 76, 27, 24, 12, 21) if L == "zh" else (8, 63, 28, 24, 17, 30)
    keys = ("col_n", "col_action", "col_criterion", "col_owner", "col_effort", "col_tags")
    aligns = ("C", "L", "L", "L", "C", "L")
    cols = [Column(t(f"report.roadmap.{k}", L), w, a) for k, w, a in zip(keys, widths, aligns, strict=True)]
    n = 0
    for horizon in HORIZONS:
        items = d.roadmap.by_horizon.get(horizon, ())
        pdf.keep(45 if items else 20)
        pdf.heading(t(f"report.horizon.{horizon}", L), 3)
        if not items:
            pdf.paragraph(t("report.roadmap.horizon_empty", L), size=SMALL, color=GREY, after=3)
            continue
        rows: list[list[Cell]] = []
        for item in items:
            n += 1
            a = item.action
            action = [Run(m.t(a.title, L), "B", 9.5)]
            if a.detail:
                action.append(Run(m.t(a.detail, L), "", 8.5, GREY))
            crit = [Run(criterion_name(d, item.criterion_id), "", 9.5),
                    Run(t("report.roadmap.from_level", L, level=item.from_level), "", 8, GREY)]
            tags = join_list(d, [m.t(m.tag_by_id[x].name, L) for x in a.tags if x in m.tag_by_id])
            rows.append([str(n), action, crit, m.t(a.owner, L) if a.owner else "—",
                         t(f"report.effort.{a.effort}", L) if a.effort else "—", tags or "—"])
        pdf.data_table(cols, rows)


# ---------------------------------------------------------------- appendix


def appendix(pdf: ReportPDF, d: ReportData) -> None:
    """Method, scale, coverage with the N/A list, and the exact model used."""
    m, L, r = d.model, d.lang, d.result
    pdf.add_page()
    pdf.heading(t("report.appendix.title", L))
    pdf.heading(t("report.appendix.method", L), 3)
    steps = [t(f"report.appendix.method_{k}", L, lmin=m.lmin, lmax=m.lmax) for k in range(1, 8)]
    if d.workshop:
        steps.append(t("report.appendix.method_workshop", L))
    for k, step in enumerate(steps, 1):
        pdf.font(SMALL + 0.5, "", INK)
        lh = pdf.line_height(SMALL + 0.5)
        pdf.keep(lh * 2)
        y = pdf.y
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(6, lh, f"{k}.")
        pdf.set_xy(pdf.l_margin + 6, y)
        pdf.paragraph(step, size=SMALL + 0.5, indent=6, after=1)

    if m.instructions:  # the model's own word on how to answer, as the questionnaire showed it
        pdf.heading(t("model2.instructions", L), 3)
        pdf.paragraph(m.t(m.instructions, L), size=SMALL + 0.5, after=1)

    pdf.heading(t("report.appendix.scale", L), 3)
    star_w = max(20.0, (m.lmax - m.lmin + 1) * 3.4 + 4)
    cols = [Column(t("report.appendix.col_level", L), 14, "C"), Column(t("report.appendix.col_name", L), 26),
            Column(t("report.appendix.col_stars", L), star_w), Column(t("report.appendix.col_description", L),
                                                                      pdf.body_width - 40 - star_w)]
    rows: list[list[Cell]] = [[str(s.level), Run(m.t(s.name, L), "B", 9.5), Run(stars(m, s.level), "", 9, RED),
             m.t(s.description, L) if s.description else "—"] for s in m.scale]
    pdf.data_table(cols, rows)

    pdf.heading(t("report.appendix.coverage", L), 3)
    na = [i for i in m.indicators if d.answers.get(i.id) == NA]
    missing = [i for i in m.indicators if d.answers.get(i.id) is None]
    pdf.paragraph(t("report.appendix.coverage_line", L, total=r.total, answered=r.answered, na=len(na),
                    coverage=percent(d, r.coverage)))
    for key, items in (("na_list", na), ("none_list", missing)):
        pdf.keep(16)
        pdf.paragraph(t(f"report.appendix.{key}", L), size=10, style="B", after=0.5)
        if items:
            pdf.bullets([f"{m.t(m.criterion_of[i.id].name, L)}｜{m.t(i.question, L)}" for i in items], size=9.5)
        else:
            pdf.paragraph(t("report.none", L), size=9.5, color=GREY)

    pdf.heading(t("report.appendix.model", L), 3)
    info = model_info(d)
    pdf.data_table([Column("", 38), Column("", pdf.body_width - 38)],
                   [[Run(k, "B", SMALL + 0.5), Run(v, "", SMALL + 0.5)] for k, v in info], header=False)
