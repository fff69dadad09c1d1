"""The Word report's detail sections: criterion by criterion, the roadmap, the appendix (as the PDF's)."""

from __future__ import annotations

from ..aggregate import IndicatorAggregate
from ..display import fmt_index, fmt_level, fmt_sd, join_spaced, label_value, stars
from ..evidence import EvidenceFile
from ..explain import cap_notes
from ..i18n import t
from ..model import HORIZONS, Criterion, Indicator
from ..scoring import NA
from ._data import ReportData, answer_line, criterion_name, join_list, level_text, model_info, percent
from ._docx_writer import RED, Cell, Writer
from ._evidence import file_size

__all__ = ["INDENT_MM", "appendix", "criteria_section", "evidence_section", "roadmap_section"]

INDENT_MM = 5.0


def criteria_section(w: Writer, d: ReportData) -> None:
    """A Heading 2 per group, a Heading 3 per criterion: score, level, meaning, every question."""
    m, L, r = d.model, d.lang, d.result
    w.heading(t("report.criteria.title", L), 1)
    for group in m.groups:
        w.heading(t("report.criteria.group_index", L, name=m.t(group.name, L),
                    index=fmt_index(r.groups[group.id].index)), 2)
        if group.description:
            w.note(m.t(group.description, L))
        for crit in group.criteria:
            _criterion(w, d, crit)


def _criterion(w: Writer, d: ReportData, crit: Criterion) -> None:
    m, L = d.model, d.lang
    c = d.result.criteria[crit.id]
    w.heading(m.t(crit.name, L), 3)
    if c.score.value is not None:
        score_line = t("report.criteria.score_line", L, index=fmt_index(c.score.index), level=fmt_level(c.score.level))
    else:
        score_line = t("report.criteria.not_scored", L)
    w.para(score_line, bold=True, color=RED)
    achieved = level_text(d, c.achieved)
    if c.achieved is not None:
        achieved += " " + stars(m, c.achieved)
    if c.capped:
        achieved = t("essential_ui.achieved_held", L, name=achieved)
    facts = [label_value(t("report.criteria.achieved", L), achieved, L)]
    if c.target is not None:
        target = t("report.level_n", L, level=fmt_level(c.target).removesuffix(".0"))
        gap = t("report.criteria.gap_value", L, gap=fmt_level(c.gap)) if c.gap is not None else "—"
        facts.append(label_value(t("report.criteria.target", L), target, L))
        facts.append(label_value(t("report.criteria.gap", L), gap, L))
    w.para(join_spaced(facts, L))
    for note in cap_notes(m, d.result, crit.id, L):
        w.para(note, bold=True, color=RED)
    if c.low_confidence:
        w.para(join_spaced([t("report.criteria.low_confidence", L),
                            t("report.criteria.low_confidence_note", L, valid=c.answered - c.na, total=c.total)], L),
               color=RED)
    if crit.description:
        w.note(m.t(crit.description, L))
    level = m.levels.get(c.achieved) if c.achieved is not None else None
    if level is not None and level.description:
        w.note(t("report.criteria.level_meaning", L, description=m.t(level.description, L)))
    for n, ind in enumerate(crit.indicators, 1):
        _indicator(w, d, ind, n)


def _indicator(w: Writer, d: ReportData, ind: Indicator, n: int) -> None:
    m, L = d.model, d.lang
    question = (t("essential.mark", L) if ind.essential else "") + m.t(ind.question, L)
    w.para(t("report.criteria.question", L, n=n, question=question), bold=True).paragraph_format.keep_with_next = True
    answer = d.answers.get(ind.id)
    agg = d.workshop.aggregates.get(ind.id) if d.workshop else None
    if agg is not None:
        _distribution(w, d, agg)
    if answer is None:
        w.note(t("report.criteria.answer_none", L), indent_mm=INDENT_MM)
    elif answer == NA:
        w.note(t("report.criteria.answer_na", L), indent_mm=INDENT_MM)
    else:
        line = answer_line(d, ind, float(answer), agg)
        w.para(line, indent_mm=INDENT_MM)
    if agg is not None and agg.consensus is not None and agg.note:
        w.note(t("wsfacil.consensus_note", L, note=agg.note), indent_mm=INDENT_MM)
    note = (d.notes.get(ind.id) or "").strip()
    if note:
        w.note(t("report.criteria.note", L, note=note), indent_mm=INDENT_MM)
    if ind.evidence:
        items = join_list(d, [m.t(e, L) for e in ind.evidence])
        w.note(t("essential_ui.evidence", L, items=items), indent_mm=INDENT_MM)


def _distribution(w: Writer, d: ReportData, agg: IndicatorAggregate) -> None:
    """The statistics, the disagreement flag and the count per level (the PDF's bar, in words)."""
    m, L = d.model, d.lang
    total = agg.n + agg.n_na
    stats = t("report.criteria.stats", L, n=agg.n, na=agg.n_na, mean=fmt_level(agg.mean), sd=fmt_sd(agg.sd)) \
        if total else t("report.criteria.no_answers", L)
    if agg.disagreement:
        w.para(join_spaced([stats, t("report.criteria.disagreement", L)], L), color=RED, indent_mm=INDENT_MM)
    else:
        w.para(stats, indent_mm=INDENT_MM)
    counts = [t("report.criteria.count_item", L, level=lv, n=agg.counts.get(lv, 0)) for lv in range(m.lmin, m.lmax + 1)]
    counts.append(t("report.criteria.count_na", L, n=agg.n_na))
    w.note(t("report.criteria.distribution", L, counts=join_list(d, counts)), indent_mm=INDENT_MM)


def roadmap_section(w: Writer, d: ReportData) -> None:
    """The roadmap's actions in one table per horizon (a Heading 2 each)."""
    m, L = d.model, d.lang
    w.heading(t("report.roadmap.title", L), 1)
    w.note(t("report.roadmap.intro", L))
    if not len(d.roadmap):
        w.body(t("report.roadmap.empty", L))
        return
    widths = (13, 72, 26, 24, 14, 21) if L == "zh" else (9, 62, 28, 24, 17, 30)  # 公文 three-character 序号 fits
    head = [t(f"report.roadmap.{k}", L) for k in ("col_n", "col_action", "col_criterion", "col_owner", "col_effort",
                                                   "col_tags")]
    n = 0
    for horizon in HORIZONS:
        items = d.roadmap.by_horizon.get(horizon, ())
        w.heading(t(f"report.horizon.{horizon}", L), 2)
        if not items:
            w.note(t("report.roadmap.horizon_empty", L))
            continue
        rows: list[list[Cell]] = []
        for item in items:
            n += 1
            a = item.action
            action: list[tuple[str, bool, bool]] = [(m.t(a.title, L), True, False)]
            if a.detail:
                action.append((m.t(a.detail, L), False, True))
            crit: list[tuple[str, bool, bool]] = [
                (criterion_name(d, item.criterion_id), False, False),
                (t("report.roadmap.from_level", L, level=item.from_level), False, True)]
            tags = join_list(d, [m.t(m.tag_by_id[x].name, L) for x in a.tags if x in m.tag_by_id])
            rows.append([str(n), action, crit, m.t(a.owner, L) if a.owner else "—",
                         t(f"report.effort.{a.effort}", L) if a.effort else "—", tags or "—"])
        w.table(head, rows, widths, centre=(0, 4))


def appendix(w: Writer, d: ReportData) -> None:
    """Method, scale, coverage with the N/A list, and the exact model used."""
    m, L, r = d.model, d.lang, d.result
    w.heading(t("report.appendix.title", L), 1)
    w.heading(t("report.appendix.method", L), 2)
    steps = [t(f"report.appendix.method_{k}", L, lmin=m.lmin, lmax=m.lmax) for k in range(1, 8)]
    if d.workshop:
        steps.append(t("report.appendix.method_workshop", L))
    for k, step in enumerate(steps, 1):
        w.body(f"{k}. {step}")
    if m.instructions:
        w.heading(t("model2.instructions", L), 2)
        w.body(m.t(m.instructions, L))

    w.heading(t("report.appendix.scale", L), 2)
    head = [t(f"report.appendix.col_{k}", L) for k in ("level", "name", "stars", "description")]
    star_w = max(20.0, (m.lmax - m.lmin + 1) * 3.4 + 4)
    rows: list[list[Cell]] = [[str(s.level), [(m.t(s.name, L), True, False)], stars(m, s.level),
                               m.t(s.description, L) if s.description else "—"] for s in m.scale]
    w.table(head, rows, (14, 26, star_w, 130 - star_w), centre=(0,))

    w.heading(t("report.appendix.coverage", L), 2)
    na = [i for i in m.indicators if d.answers.get(i.id) == NA]
    missing = [i for i in m.indicators if d.answers.get(i.id) is None]
    w.body(t("report.appendix.coverage_line", L, total=r.total, answered=r.answered, na=len(na),
             coverage=percent(d, r.coverage)))
    for key, items in (("na_list", na), ("none_list", missing)):
        w.para(t(f"report.appendix.{key}", L), bold=True)
        if items:
            w.bullets([f"{m.t(m.criterion_of[i.id].name, L)}｜{m.t(i.question, L)}" for i in items])
        else:
            w.note(t("report.none", L))

    w.heading(t("report.appendix.model", L), 2)
    info = model_info(d)
    w.table(None, [[[(k, True, False)], v] for k, v in info], (38, 120))


def evidence_section(w: Writer, d: ReportData) -> None:
    """The appendix's 佐证材料 list, as the PDF's: per question, each file's name, size, date and sha256."""
    m, L = d.model, d.lang
    w.heading(t("bundle.report.title", L), 2)
    if not d.evidence:
        w.note(t("bundle.report.none", L))
        return
    w.body(t("bundle.report.intro", L, n=len(d.evidence)))
    by_question: dict[str, list[EvidenceFile]] = {}
    for f in d.evidence:
        by_question.setdefault(f.indicator_id, []).append(f)
    order = [i.id for i in m.indicators if i.id in by_question]
    order += sorted(set(by_question) - set(order))  # a question the model no longer has
    head = [t(f"bundle.report.{k}", L) for k in ("file", "size", "date", "sha256")]
    for n, iid in enumerate(order, 1):
        ind = m.indicator_by_id.get(iid)
        title = f"{m.t(m.criterion_of[iid].name, L)}｜{m.t(ind.question, L)}" if ind is not None else iid
        w.para(f"{n}. {title}", bold=True).paragraph_format.keep_with_next = True
        rows: list[list[Cell]] = [[f.filename, file_size(f.size), f.created_at.strftime("%Y-%m-%d"),
                                   [(f.sha256, False, True)]] for f in by_question[iid]]
        w.table(head, rows, (60, 16, 22, 52), centre=(1,))
