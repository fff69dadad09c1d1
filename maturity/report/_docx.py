"""The Word report: the PDF's sections, in the same order and words, written with Word styles.

Text comes from the same places as the PDF's: ``_data`` (``ReportData`` and its helpers),
``_sections.narrative`` and the catalogue's ``report.*`` keys; the charts are the PDF's charts
(``_render.chart_svgs``) as PNG at print resolution. The detail sections are in ``_docx_details``;
styles, page and fields in ``_docx_style``; the document blocks in ``_docx_writer``.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from ..display import fmt_index, fmt_level, join_spaced, label_value, level_name, stars
from ..explain import stage_cap_note
from ..i18n import t
from ._data import ReportData, cover_rows, criterion_name, percent
from ._docx_details import appendix, criteria_section, evidence_section, roadmap_section
from ._docx_style import STYLES
from ._docx_writer import RED, Cell, Writer, xml_text
from ._render import chart_svgs
from ._sections import narrative

__all__ = ["chart_section", "cover", "render_docx", "summary"]


def render_docx(d: ReportData, style: str = "default") -> bytes:
    """The .docx bytes of ``d`` in ``style`` ('default' or 'gongwen')."""
    m, L = d.model, d.lang
    w = Writer(STYLES[style], L)
    title = t("report.workshop_title" if d.workshop else "report.title", L)
    props = w.doc.core_properties
    props.title = xml_text(f"{d.org} {title}")
    props.subject = xml_text(m.t(m.title, L))
    props.author = xml_text(str(d.organisation.get("assessor") or "").strip() or d.org)
    props.language = "zh-CN" if L == "zh" else "en"
    cover(w, d, title)
    w.page_break()
    w.toc(t("docx.toc", L), t("docx.toc_hint", L), t("docx.toc_placeholder", L))
    summary(w, d)
    if d.scored:
        chart_section(w, d)
    criteria_section(w, d)
    roadmap_section(w, d)
    appendix(w, d)
    if d.workshop is None:  # a workshop has no files of its own
        evidence_section(w, d)
    return w.save()


def cover(w: Writer, d: ReportData, title: str) -> None:
    """Model, title, union, the headline numbers, who, when, against what."""
    m, L, r = d.model, d.lang, d.result
    w.note(t("report.cover.model", L, model=m.t(m.title, L), version=m.version))
    w.title(title).paragraph_format.space_before = Pt(72 if w.style.page_dashes else 48)
    org = w.para(d.org, bold=True)
    org.runs[0].font.size = Pt(w.style.heading1.size + 2)
    if w.style.page_dashes:  # 公文: the title block is centred
        org.alignment = WD_ALIGN_PARAGRAPH.CENTER
    enterprise = str(d.organisation.get("enterprise") or "").strip()
    if enterprise and enterprise != d.org:
        w.note(enterprise)
    stage = r.stage
    stage_value = t("report.stage_value", L, level=stage) if stage is not None else "—"
    head = [t("report.cover.index", L), t("report.cover.stage", L), t("report.cover.avg_level", L)]
    values: list[Cell] = [
        [(fmt_index(r.overall.index), True, False), (t("report.cover.index_note", L), False, True)],
        [(stage_value, True, False), *_stage_note(d)],
        [(fmt_level(r.overall.level), True, False),
         (t("report.cover.avg_note", L, lmin=m.lmin, lmax=m.lmax), False, True)],
    ]
    w.table(head, [values], (1, 1, 1), centre=(0, 1, 2))
    w.note(t("report.cover.stage_note", L))
    w.table(None, [[[(label, True, False)], value] for label, value in cover_rows(d)], (1, 3))
    w.note(t("report.cover.generated", L))


def _stage_note(d: ReportData) -> list[tuple[str, bool, bool]]:
    """Under the stage figure: its name, and its stars on a line of their own (they do not break)."""
    stage = d.result.stage
    if stage is None:
        return []
    return [(level_name(d.model, stage, d.lang), False, True), (stars(d.model, stage), False, False)]


def summary(w: Writer, d: ReportData) -> None:
    """Key figures, groups, strongest and weakest, top priorities, the narrative."""
    m, L, r = d.model, d.lang, d.result
    w.heading(t("report.summary.title", L), 1)
    stage = r.stage
    head = [t(f"report.summary.figures_{k}", L) for k in ("index", "stage", "avg", "coverage")]
    values: list[Cell] = [
        [(fmt_index(r.overall.index), True, False), (t("report.cover.index_note", L), False, True)],
        [(t("report.stage_value", L, level=stage) if stage is not None else "—", True, False), *_stage_note(d)],
        [(fmt_level(r.overall.level), True, False),
         (t("report.cover.avg_note", L, lmin=m.lmin, lmax=m.lmax), False, True)],
        [(percent(d, r.coverage), True, False),
         (t("report.summary.coverage_note", L, answered=r.answered, total=r.total), False, True)],
    ]
    w.table(head, [values], (1, 1, 1, 1), centre=(0, 1, 2, 3))
    if not d.scored:
        w.para(t("report.narrative.no_scores", L), bold=True, color=RED)
        return
    held = stage_cap_note(m, r, L)
    if held:
        w.para(held, bold=True, color=RED)

    w.heading(t("report.summary.groups", L), 2)
    items = [label_value(m.t(g.name, L), fmt_index(r.groups[g.id].index), L) for g in m.groups]
    items += [label_value(m.t(tag.name, L), fmt_index(r.tags[tag.id].index), L) for tag in m.tags]
    w.body(join_spaced(items, L))

    scored = [r.criteria[c.id] for c in m.criteria if r.criteria[c.id].score.value is not None]
    strong = max(scored, key=lambda c: c.score.value or 0.0)
    weak = min(scored, key=lambda c: c.score.value or 0.0)
    w.heading(t("report.summary.strong_weak", L), 2)
    w.bullets([
        t("report.summary.strongest", L, name=criterion_name(d, strong.id), index=fmt_index(strong.score.index),
          level=fmt_level(strong.score.level)),
        t("report.summary.weakest", L, name=criterion_name(d, weak.id), index=fmt_index(weak.score.index),
          level=fmt_level(weak.score.level)),
    ])

    w.heading(t("report.summary.priorities", L), 2)
    top = list(r.priorities[:3])
    if top:
        head = [t(f"report.summary.col_{k}", L) for k in ("rank", "criterion", "current", "target", "gap")]
        rows: list[list[Cell]] = []
        for n, cid in enumerate(top, 1):
            c = r.criteria[cid]
            rows.append([str(n), [(criterion_name(d, cid), True, False)], fmt_level(c.effective_level),
                         fmt_level(c.target), fmt_level(c.gap)])
        w.table(head, rows, (14, 62, 32, 32, 30), centre=(0, 2, 3, 4))
    else:
        w.body(t("report.summary.no_priorities", L))

    w.heading(t("report.summary.narrative", L), 2)
    for para in narrative(d):
        w.body(para)


def chart_section(w: Writer, d: ReportData) -> None:
    """Radar, groups, gaps and the tags view, each with how to read it."""
    m, L = d.model, d.lang
    svgs = chart_svgs(d)
    w.heading(t("report.charts.title", L), 1)
    parts = [
        ("radar", t("report.charts.radar", L), t("report.charts.radar_note", L, lmin=m.lmin, lmax=m.lmax)),
        ("groups", t("report.charts.groups", L, names=" / ".join(m.t(g.name, L) for g in m.groups)),
         t("report.charts.groups_note", L)),
        ("gap", t("report.charts.gap", L), t("report.charts.gap_note", L)),
        ("tags", t("report.charts.tags", L, names=" / ".join(m.t(x.name, L) for x in m.tags)),
         t("report.charts.tags_note", L)),
    ]
    for key, title, note in parts:
        svg = svgs.get(key)
        if svg is None:
            continue
        w.heading(title, 2)
        w.note(note, keep=True)
        w.chart(svg)
