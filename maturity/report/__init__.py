"""The diagnosis report (诊断报告) of an assessment or a workshop, as PDF or Word (DESIGN §8).

Importing the package is cheap (the pages import it for ``report_filename``); fpdf2 (or
python-docx), the fonts and the charts load on the first build. Inside, imports go one way, down this list:

- ``_build``: the entry points below, which gather ``_data.ReportData`` and call ``_render``;
- ``_render``: the charts drawn (by ``_vl``) while the sections are laid out, with the
  fallback fonts only when some text needs them;
- ``_sections`` (cover, summary, charts) and ``_details`` (criteria, roadmap, appendix),
  which print ``_data``'s ``ReportData`` with the helpers there;
- ``_pdf``: ``ReportPDF``, the ``_page.Page`` (A4, header and footer, paragraphs, headings)
  with tables, charts and key-figure boxes; it places the charts that ``_svg`` adapts to
  fpdf2 (text to text) and, when fpdf2 cannot read one, ``_vl``'s PNG of it;
- ``_docx_build``: the Word report's entry points, on the same ``ReportData``, written by ``_docx``
  (cover, summary, charts) and ``_docx_details`` (criteria, roadmap, appendix) through
  ``_docx_writer`` with ``_docx_style``'s page, styles and fields (default and 公文格式);
- ``_portfolio``: the portfolio report (汇总报告) of a round, with the same page, tables and charts
  (its entry point is in ``_build``, like the others);
- ``_fontcache`` (fonts parsed once per process), ``_pdftext`` (CJK fonts, fallbacks, glyph
  checks and line breaking for fpdf2), ``_vl`` (vl-convert, in a helper process) and
  ``fonts`` (the shipped Noto Sans SC subset, its licence and build script).
"""

from __future__ import annotations

from ._build import build_portfolio_report, build_report, build_workshop_report, report_filename
from ._docx_build import DOCX_MIME, DOCX_STYLES, build_docx_report, build_workshop_docx, docx_filename

__all__ = ["DOCX_MIME", "DOCX_STYLES", "build_docx_report", "build_portfolio_report", "build_report",
           "build_workshop_docx", "build_workshop_report", "docx_filename", "report_filename"]
