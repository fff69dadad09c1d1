"""The report's evidence appendix: every 佐证材料 file per question, with its size, sha256 and date (issue 12)."""

from __future__ import annotations

from ..bundle import file_size
from ..evidence import EvidenceFile
from ..i18n import t
from ._data import ReportData
from ._page import GREY, SMALL
from ._pdf import Cell, Column, ReportPDF, Run

__all__ = ["evidence_appendix", "file_size"]  # file_size also for the Word report (_docx_details)


def evidence_appendix(pdf: ReportPDF, d: ReportData) -> None:
    """Per question in the model's order, its files: name (wrapped), size, upload date and sha256."""
    m, L = d.model, d.lang
    pdf.heading(t("bundle.report.title", L), 3)
    if not d.evidence:
        pdf.paragraph(t("bundle.report.none", L), size=9.5, color=GREY)
        return
    pdf.paragraph(t("bundle.report.intro", L, n=len(d.evidence)), size=SMALL + 0.5, after=2)
    by_question: dict[str, list[EvidenceFile]] = {}
    for f in d.evidence:
        by_question.setdefault(f.indicator_id, []).append(f)
    order = [i.id for i in m.indicators if i.id in by_question]
    order += sorted(set(by_question) - set(order))  # a file kept for a question the model no longer has
    size_w, date_w, sha_w = 17.0, 21.0, 47.0
    cols = [Column(t("bundle.report.file", L), pdf.body_width - size_w - date_w - sha_w),
            Column(t("bundle.report.size", L), size_w, "R"), Column(t("bundle.report.date", L), date_w),
            Column(t("bundle.report.sha256", L), sha_w)]
    for n, iid in enumerate(order, 1):
        ind = m.indicator_by_id.get(iid)
        title = f"{m.t(m.criterion_of[iid].name, L)}｜{m.t(ind.question, L)}" if ind is not None else iid
        rows: list[list[Cell]] = [
            [Run(f.filename, "", SMALL + 0.5), file_size(f.size), f.created_at.strftime("%Y-%m-%d"),
             Run(f.sha256, "", SMALL - 1, GREY)]
            for f in by_question[iid]
        ]
        pdf.keep(pdf.line_height(10) * 2 + 1 + pdf.table_start_height(cols, rows))  # the question stays with its files
        pdf.paragraph(f"{n}. {title}", size=10, style="B", after=1)
        pdf.data_table(cols, rows)
