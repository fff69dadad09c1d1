"""``Writer``: a python-docx document in one report style, with the few blocks the report uses."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from ._docx_style import GREY, RED, DocStyle, add_field, apply, update_fields_on_open

__all__ = ["GREY", "PRINT_DPI", "RED", "Cell", "Run", "Writer", "xml_text"]

# A table cell: plain text, or runs of (text, bold, grey).
Run = tuple[str, bool, bool]
Cell = str | Sequence[Run]

# What XML 1.0 cannot hold (lxml refuses it): C0 controls but tab and newline, surrogates, U+FFFE/FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WIDTH = re.compile(r'<svg[^>]*?\swidth="([\d.]+)')
PRINT_DPI = 300


class Writer:
    """The document being written: headings, paragraphs, tables, pictures, the two fields."""

    def __init__(self, style: DocStyle, lang: str) -> None:
        self.doc: Document = docx.Document()
        self.style = style
        self.lang = lang
        apply(self.doc, style, lang)

    # ------------------------------------------------------------ text

    def title(self, text: str) -> Paragraph:
        return self.doc.add_paragraph(xml_text(text), style="Title")

    def heading(self, text: str, level: int) -> Paragraph:
        """A Heading 1–3 paragraph (what the navigation pane and the table of contents list)."""
        heading: Paragraph = self.doc.add_heading(xml_text(text), level)
        return heading

    def para(self, text: str, *, style: str = "Normal", bold: bool = False, color: RGBColor | None = None,
             indent_mm: float = 0) -> Paragraph:
        p = self.doc.add_paragraph(style=style)
        run = p.add_run(xml_text(text))
        if bold:
            run.bold = True
        if color is not None:
            run.font.color.rgb = color
        if indent_mm:
            p.paragraph_format.left_indent = Mm(indent_mm)
        return p

    def body(self, text: str) -> Paragraph:
        """A running-text paragraph (Body Text: in 公文, indented two characters)."""
        return self.para(text, style="Body Text")

    def note(self, text: str, *, indent_mm: float = 0, keep: bool = False) -> Paragraph:
        """A smaller grey line (the PDF's notes and how-to-read lines); ``keep``: on the next one's page."""
        p = self.para(text, style="Caption", indent_mm=indent_mm)
        p.paragraph_format.keep_with_next = keep or None
        return p

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.doc.add_paragraph(xml_text(item), style="List Bullet")

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # ------------------------------------------------------------ fields

    def toc(self, heading: str, hint: str, placeholder: str) -> None:
        """'目录', a line saying Word fills it, and the TOC field of Heading 1–2."""
        p = self.para(heading, bold=True)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in p.runs:
            run.font.size = Pt(self.style.heading1.size)
        self.note(hint)
        add_field(self.doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', placeholder)
        update_fields_on_open(self.doc)

    # ------------------------------------------------------------ tables

    def table(self, header: Sequence[str] | None, rows: Sequence[Sequence[Cell]], widths: Sequence[float],
              *, centre: Sequence[int] = ()) -> None:
        """A 'Table Grid' table; ``widths`` are shares of the text width; the header repeats on each page."""
        n = len(widths)
        table = self.doc.add_table(rows=0, cols=n)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        total = sum(widths)
        mm = [self.style.text_width_mm * w / total for w in widths]
        if header is not None:
            cells = table.add_row().cells
            for k, text in enumerate(header):
                self._cell(cells[k], [(text, True, False)], k in centre)
                _shade(cells[k], "EDEDED")
            tr_pr = table.rows[0]._tr.get_or_add_trPr()
            flag = OxmlElement("w:tblHeader")
            flag.set(qn("w:val"), "true")
            tr_pr.append(flag)
        for row in rows:
            cells = table.add_row().cells
            for k, value in enumerate(row):
                self._cell(cells[k], [(value, False, False)] if isinstance(value, str) else value, k in centre)
        table.autofit = False
        for k, column in enumerate(table.columns):  # the grid (LibreOffice) and every cell (Word)
            column.width = Mm(mm[k])
            for cell in column.cells:
                cell.width = Mm(mm[k])
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def _cell(self, cell: _Cell, runs: Sequence[Run], centred: bool) -> None:
        p = cell.paragraphs[0]
        p.style = self.doc.styles["Table Text"]
        if centred:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for k, (text, bold, grey) in enumerate(runs):
            if k:
                p = cell.add_paragraph(style="Table Text")
                if centred:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(xml_text(text))
            run.bold = bold
            if grey:
                run.font.color.rgb = GREY

    # ------------------------------------------------------------ pictures

    def chart(self, svg: str) -> None:
        """A chart as a PNG sharp at 300 dpi across the text width, drawn from its SVG."""
        from . import _vl

        width_mm = self.style.text_width_mm
        found = _WIDTH.search(svg)
        svg_px = float(found.group(1)) if found else 600.0
        scale = max(2.0, round(width_mm / 25.4 * PRINT_DPI / svg_px, 1))
        png = _vl.svg_to_png(svg, scale=scale)
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact pitch would clip it
        p.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def xml_text(text: str) -> str:
    """``text`` without the characters a .docx cannot hold (a pasted note may carry a control character)."""
    return _NOT_XML.sub("", text)


def _shade(cell: _Cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)
