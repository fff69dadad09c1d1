"""The report's page: A4 with a running header and "page x / y" footer, and its typography.

``ReportPDF`` adds what the sections need on top of fpdf2: headings, paragraphs broken by
``pdftext`` (Chinese line-breaking rules), tables whose cells wrap the same way and whose
rows continue on the next page, images that move to the next page when they do not fit.
Every string goes through ``safe()``, which checks its glyphs against the fonts.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from fpdf.enums import XPos, YPos

from . import pdftext, report_svg
from .fonts import BOLD, REGULAR
from .report_fonts import install_fonts

LOG = logging.getLogger(__name__)

RGB = tuple[int, int, int]
RED: RGB = (179, 32, 42)
RED_PALE: RGB = (248, 232, 231)
INK: RGB = (38, 38, 38)
GREY: RGB = (110, 110, 110)
RULE: RGB = (214, 214, 214)
PANEL: RGB = (245, 245, 245)
WHITE: RGB = (255, 255, 255)

BODY = 10.5  # pt
SMALL = 9.0
PT = 25.4 / 72  # mm per point
MARGIN = 20.0  # mm, left and right
TOP = 22.0
BOTTOM = 18.0


class NeedsFallbackFonts(Exception):
    """A string has a character outside the shipped fonts: build again with the fallbacks."""


_SHIPPED_FILES: tuple[pdftext.FontFile, ...] = ((str(REGULAR), 0), (str(BOLD), 0))
_SVG_TEXT = re.compile(r">([^<>]+)<")  # what is between tags: <text> and <tspan> contents

_LATIN_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


# ---------------------------------------------------------------- table cells


@dataclass(frozen=True)
class Run:
    """One paragraph inside a table cell."""

    text: str
    style: str = ""
    size: float = BODY
    color: RGB = INK


@dataclass
class Column:
    """A table column: heading, width in mm, alignment."""

    title: str
    width: float
    align: str = "L"


@dataclass
class _Line:
    text: str
    run: Run
    height: float


@dataclass
class _CellLines:
    lines: list[_Line] = field(default_factory=list)

    @property
    def height(self) -> float:
        return sum(line.height for line in self.lines)


# ---------------------------------------------------------------- the document


class ReportPDF(pdftext.FallbackSafeFPDF):
    """A4 report with the shipped CJK fonts, running header and page x / y footer."""

    def __init__(self, *, header_left: str, header_right: str, footer: str, fallbacks: bool,
                 latin_quotes: bool = False) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.fallbacks = fallbacks
        # The CJK font's curly quotes are full-width; English text reads better with straight ones.
        self.latin_quotes = latin_quotes
        self.font_info = install_fonts(self, fallbacks)
        self._shipped_keys = {k for k in self.fonts if k.startswith(pdftext.FAMILY.lower())}
        self.warnings: list[str] = []
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(True, BOTTOM)
        self.c_margin = 0.0
        self.header_left = self.safe(header_left)
        self.header_right = self.safe(header_right)
        self.footer_template = footer  # with {page} and {pages}
        self.alias_nb_pages("{nb}")
        self.set_font(pdftext.FAMILY, "", BODY)

    # -- text safety

    def safe(self, value: object) -> str:
        """``value`` as printable text: characters no font has become □ (and are logged)."""
        s = "" if value is None else str(value)
        if self.latin_quotes:
            s = s.translate(_LATIN_QUOTES)
        if not self.fallbacks:
            if pdftext.missing_glyphs(s, self.font_info.files):
                raise NeedsFallbackFonts(s)
            return s
        out, warnings = pdftext.safe_text(s, self.font_info)
        for w in warnings:
            if w not in self.warnings:
                self.warnings.append(w)
                LOG.warning("PDF report: %s", w)
        return out

    # -- measuring and output

    # Widths depend only on the font files, style, size and text: shared by every report of
    # the process. The line breaker measures each character, thousands of times per report.
    _widths: dict[tuple[object, ...], float] = {}  # noqa: RUF012 - a process-wide cache on purpose

    def get_string_width(self, s: str, normalized: bool = False, markdown: bool = False) -> float:
        """fpdf2's width of ``s``, remembered per font, style and size."""
        key = (self.fallbacks, self.font_family, self.font_style, self.font_size_pt, self.char_spacing,
               self.font_stretching, normalized, markdown, s)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) > 100_000:
                self._widths.clear()
            width = self._widths[key] = super().get_string_width(s, normalized, markdown)
        return width

    def output(self, *args: object, **kwargs: object) -> bytearray:  # type: ignore[override]
        """The PDF, without the fallback fonts that no page used (each would cost a subset)."""
        try:
            from fpdf.enums import PDFResourceType

            used = self._resource_catalog.get_used_resources(PDFResourceType.FONT)
            for key in [k for k, f in self.fonts.items() if k not in self._shipped_keys and f.i not in used]:
                del self.fonts[key]
        except AttributeError:  # another fpdf2 version: embed them all
            LOG.debug("cannot prune unused fonts", exc_info=True)
        return super().output(*args, **kwargs)

    # Model texts (questions, answers, level descriptions) repeat in every report: their
    # broken lines are kept per font, size and width, like the widths above.
    _wrapped: dict[tuple[object, ...], list[str]] = {}  # noqa: RUF012 - a process-wide cache on purpose

    def _wrap(self, text: str, width: float) -> list[str]:
        """pdftext's line breaking of ``text`` at ``width`` mm in the current font, remembered."""
        key = (self.fallbacks, self.font_family, self.font_style, self.font_size_pt, round(width, 3), text)
        lines = self._wrapped.get(key)
        if lines is None:
            if len(self._wrapped) > 20_000:
                self._wrapped.clear()
            lines = self._wrapped[key] = pdftext.wrap_lines(self, text, width)
        return lines

    def _write_lines(self, text: str, width: float, line_height: float, align: str) -> None:
        """Write ``text`` from the current position as pdftext breaks it (as ``pdftext.write_paragraph``)."""
        x = self.x
        for line in self._wrap(text, width - 2 * self.c_margin):
            self.set_x(x)
            # One cell per line so fpdf2 never re-wraps; cell() breaks the page when the line won't fit.
            self.cell(width, line_height, line, align=align, new_x=XPos.LEFT, new_y=YPos.NEXT)

    # -- page furniture

    @property
    def body_width(self) -> float:
        """Width between the margins in mm."""
        return self.w - self.l_margin - self.r_margin

    def header(self) -> None:
        """Report title left, union name right, a hairline below (not on the cover)."""
        if self.page_no() == 1:
            return
        self.set_font(pdftext.FAMILY, "", 8.5)
        self.set_text_color(*GREY)
        self.set_xy(self.l_margin, 10)
        half = self.body_width / 2
        self.cell(half, 5, self.fit(self.header_left, half - 2), align="L")
        self.cell(half, 5, self.fit(self.header_right, half - 2), align="R")
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, 16, self.w - self.r_margin, 16)
        self.set_xy(self.l_margin, TOP)
        self.set_text_color(*INK)

    def footer(self) -> None:
        """'第 x 页 / 共 y 页' centred at the bottom."""
        self.set_y(-12)
        self.set_font(pdftext.FAMILY, "", 8.5)
        self.set_text_color(*GREY)
        self.cell(0, 5, self.footer_template.format(page=self.page_no(), pages="{nb}"), align="C")
        self.set_text_color(*INK)

    def fit(self, s: str, width: float) -> str:
        """Shorten a one-line text with '…' until it fits ``width``."""
        if self.get_string_width(s) <= width:
            return s
        while s and self.get_string_width(s + "…") > width:
            s = s[:-1]
        return s + "…"

    # -- flow helpers

    def space_left(self) -> float:
        """mm left above the bottom margin on this page."""
        return self.page_break_trigger - self.y

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.space_left() < height:
            self.add_page()

    def gap(self, mm: float) -> None:
        """Vertical space, never carried to the top of a new page."""
        if self.space_left() > mm:
            self.ln(mm)

    def font(self, size: float = BODY, style: str = "", color: RGB = INK) -> None:
        """Set the shipped family at ``size`` pt."""
        self.set_font(pdftext.FAMILY, style, size)
        self.set_text_color(*color)

    def line_height(self, size: float) -> float:
        """Line height in mm for a font size in pt."""
        return size * PT * pdftext.LINE_SPACING

    # -- text blocks

    def paragraph(self, text: str, *, size: float = BODY, style: str = "", color: RGB = INK,
                  indent: float = 0.0, width: float | None = None, after: float = 1.5, align: str = "L") -> None:
        """A paragraph broken by pdftext's line breaker."""
        self.font(size, style, color)
        self.set_x(self.l_margin + indent)
        w = width if width is not None else self.body_width - indent
        self._write_lines(self.safe(text), w, self.line_height(size), align)
        self.set_x(self.l_margin)
        self.gap(after)

    def lines_of(self, text: str, width: float, size: float = BODY, style: str = "") -> list[str]:
        """``text`` broken into lines of ``width`` mm in the given font."""
        self.font(size, style)
        return self._wrap(self.safe(text), width)

    def heading(self, text: str, level: int = 1) -> None:
        """Section (1), subsection (2) or minor (3) heading, kept with what follows."""
        if level == 1:
            self.keep(40)
            self.gap(2)
            self.paragraph(text, size=16, style="B", color=RED, after=0.5)
            self.set_draw_color(*RED)
            self.set_line_width(0.5)
            self.line(self.l_margin, self.y, self.l_margin + 18, self.y)
            self.ln(5)
        elif level == 2:
            self.keep(30)
            self.gap(3)
            y = self.y
            self.paragraph(text, size=12.5, style="B", indent=3.5, after=0)
            self.set_fill_color(*RED)
            self.rect(self.l_margin, y + 1.0, 1.2, max(4.0, self.y - y - 2.0), style="F")
            self.ln(2)
        else:
            self.keep(20)
            self.gap(1.5)
            self.paragraph(text, size=11, style="B", after=1)

    def bullets(self, items: Sequence[str], *, size: float = BODY, color: RGB = INK, marker: str = "•") -> None:
        """A list with hanging indent."""
        for item in items:
            self.font(size, "", color)
            y = self.y
            lh = self.line_height(size)
            if self.space_left() < lh:
                self.add_page()
                y = self.y
            self.set_xy(self.l_margin + 1, y)
            self.cell(4, lh, marker)
            self.set_xy(self.l_margin + 5, y)
            self._write_lines(self.safe(item), self.body_width - 5, lh, "L")
            self.set_x(self.l_margin)
        self.gap(1.5)

    # -- tables

    def data_table(self, columns: Sequence[Column], rows: Sequence[Sequence[str | Run | Sequence[Run]]], *,
              size: float = SMALL + 0.5, pad: float = 1.6, zebra: bool = True, header: bool = True) -> None:
        """A table with a bold header row repeated on each page; long rows continue on the next page."""
        heads = [self._cell_lines([Run(c.title, "B", size, WHITE)], c.width - 2 * pad) for c in columns]
        head_h = max(h.height for h in heads) + 2 * pad if header else 0.0
        body = [[self._cell_lines(self._runs(cell, size), col.width - 2 * pad) for cell, col in zip(row, columns,
                                                                                                   strict=True)]
                for row in rows]
        third = (self.page_break_trigger - self.t_margin) / 3
        whole = head_h + sum(max((c.height for c in row), default=0.0) + 2 * pad for row in body)
        if whole < third:  # a short table stays in one piece
            self.keep(whole + 1)
        first = max((c.height for c in body[0]), default=0.0) if body else 0.0
        if first > third:  # a tall first row may start here and continue overleaf
            first = max((c.lines[0].height if c.lines else 0 for c in body[0]), default=0.0)
        self.keep(head_h + first + 2 * pad + 1)
        self._table_head(columns, heads, head_h, pad)
        for n, cells in enumerate(body):
            fill = PANEL if zebra and n % 2 else WHITE
            remaining = [list(c.lines) for c in cells]
            while True:
                room = self.space_left() - 2 * pad
                chunk: list[list[_Line]] = []
                for lines in remaining:
                    taken, used = [], 0.0
                    for line in lines:
                        if used + line.height > room + 1e-6:
                            break
                        taken.append(line)
                        used += line.height
                    chunk.append(taken)
                done = all(len(t) == len(r) for t, r in zip(chunk, remaining, strict=True))
                row_h = max(sum(line.height for line in r) for r in remaining) + 2 * pad
                short = row_h < third
                if not done and (short or not any(chunk)) and self.y > self.t_margin + head_h + 1:
                    self.add_page()
                    self._table_head(columns, heads, head_h, pad)
                    continue
                self._table_row(columns, chunk, fill, pad)
                if done:
                    break
                remaining = [r[len(t):] for t, r in zip(chunk, remaining, strict=True)]
                self.add_page()
                self._table_head(columns, heads, head_h, pad)
        self.set_x(self.l_margin)
        self.gap(3)

    @staticmethod
    def _runs(cell: str | Run | Sequence[Run], size: float) -> list[Run]:
        if isinstance(cell, str):
            return [Run(cell, "", size)]
        if isinstance(cell, Run):
            return [cell]
        return list(cell)

    def _cell_lines(self, runs: Sequence[Run], width: float) -> _CellLines:
        out = _CellLines()
        for run in runs:
            if not run.text:
                continue
            lh = self.line_height(run.size) * 0.9
            for line in self.lines_of(run.text, width, run.size, run.style):
                out.lines.append(_Line(line, run, lh))
        return out

    def _table_head(self, columns: Sequence[Column], heads: list[_CellLines], height: float, pad: float) -> None:
        if not height:
            return
        x, y = self.l_margin, self.y
        self.set_fill_color(*RED)
        self.rect(x, y, sum(c.width for c in columns), height, style="F")
        for col, head in zip(columns, heads, strict=True):
            self._draw_lines(head.lines, x + pad, y + pad, col.width - 2 * pad, col.align)
            x += col.width
        self.set_xy(self.l_margin, y + height)

    def _table_row(self, columns: Sequence[Column], chunk: list[list[_Line]], fill: RGB, pad: float) -> None:
        x, y = self.l_margin, self.y
        height = max(sum(line.height for line in lines) for lines in chunk) + 2 * pad
        total = sum(c.width for c in columns)
        self.set_fill_color(*fill)
        self.rect(x, y, total, height, style="F")
        for col, lines in zip(columns, chunk, strict=True):
            self._draw_lines(lines, x + pad, y + pad, col.width - 2 * pad, col.align)
            x += col.width
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, y + height, self.l_margin + total, y + height)
        self.set_xy(self.l_margin, y + height)

    def _draw_lines(self, lines: Sequence[_Line], x: float, y: float, width: float, align: str) -> None:
        for line in lines:
            self.font(line.run.size, line.run.style, line.run.color)
            self.set_xy(x, y)
            self.cell(width, line.height, line.text, align=align, new_x=XPos.LEFT, new_y=YPos.NEXT)
            y += line.height

    # -- images and boxes

    def chart_height(self, svg: str) -> float:
        """Height in mm at which a chart prints."""
        return report_svg.size(self, svg)[1]

    def chart(self, svg: str) -> None:
        """Place a vl-convert SVG chart, centred, as vector graphics with real text (see ``report_svg``).

        fpdf2 draws SVG text in one font, without the fallbacks: a label with a character outside
        the shipped fonts (堃 in a model's criterion name) would lose it, so that chart goes in as
        vl-convert's PNG, which draws it.
        """
        labels = self.safe(html.unescape("".join(_SVG_TEXT.findall(svg))))  # without fallbacks: raises
        report_svg.place(self, svg, raster=bool(pdftext.missing_glyphs(labels, _SHIPPED_FILES)))

    def figures(self, items: Sequence[tuple[str, str, str] | tuple[str, str, str, str]], *,
                height: float = 24.0) -> None:
        """A row of key-figure boxes: (label, big value, small note[, stars shown after the value])."""
        n = len(items)
        gap = 3.0
        w = (self.body_width - gap * (n - 1)) / n
        self.keep(height + 4)
        y = self.y
        for k, (label, value, note, *extra) in enumerate(items):
            x = self.l_margin + k * (w + gap)
            self.set_fill_color(*PANEL)
            self.rect(x, y, w, height, style="F")
            self.set_fill_color(*RED)
            self.rect(x, y, w, 0.8, style="F")
            self.font(8.5, "", GREY)
            self.set_xy(x + 3, y + 2.5)
            self.cell(w - 6, 4, self.fit(self.safe(label), w - 6))
            big = 17 if len(value) <= 6 else 12
            self.font(big, "B", RED)
            self.set_xy(x + 3, y + 7.5)
            shown = self.fit(self.safe(value), w - 6)
            self.cell(self.get_string_width(shown) + 1.5, 8, shown)
            if extra and extra[0]:
                room = x + w - 3 - self.x
                size = 10.0
                self.font(size, "", RED)
                while size > 5 and self.get_string_width(extra[0]) > room:
                    size -= 0.5
                    self.font(size, "", RED)
                self.cell(room, 8.6, self.safe(extra[0]) if self.get_string_width(extra[0]) <= room else "")
            self.font(8.5, "", INK)
            self.set_xy(x + 3, y + 16.5)
            self.cell(w - 6, 4.5, self.fit(self.safe(note), w - 6))
        self.set_xy(self.l_margin, y + height)
        self.gap(4)

    def tag(self, text: str, *, color: RGB = RED, fill: RGB = RED_PALE, size: float = 8.5) -> None:
        """A small filled label inline at the current position (e.g. 低置信)."""
        self.font(size, "B", color)
        s = self.safe(text)
        w = self.get_string_width(s) + 3
        h = size * PT * 1.5
        self.set_fill_color(*fill)
        self.rect(self.x, self.y + 0.6, w, h, style="F")
        self.cell(w, h + 1.2, s, align="C")
