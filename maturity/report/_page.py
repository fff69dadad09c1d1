"""The report's page: A4 with a running header and "page x / y" footer, and its typography.

``Page`` adds what the sections need on top of fpdf2: headings, paragraphs and lists broken
by ``_pdftext`` (Chinese line-breaking rules) that move to the next page as needed, and
``safe()``, which checks every string's glyphs against the fonts. Tables, charts and key-figure
boxes are in ``_pdf`` (``ReportPDF``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, cast

from fpdf.enums import XPos, YPos

from . import _pdftext
from ._fontcache import install_fonts

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


_LATIN_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


# ---------------------------------------------------------------- the document


class Page(_pdftext.FallbackSafeFPDF):
    """A4 page with the shipped CJK fonts, running header, page x / y footer, paragraphs and headings."""

    def __init__(self, *, header_left: str, header_right: str, footer: str, fallbacks: bool,
                 latin_quotes: bool = False) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.fallbacks = fallbacks
        # The CJK font's curly quotes are full-width; English text reads better with straight ones.
        self.latin_quotes = latin_quotes
        self.font_info = install_fonts(self, fallbacks)
        self._shipped_keys = {k for k in self.fonts if k.startswith(_pdftext.FAMILY.lower())}
        self.warnings: list[str] = []
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(True, BOTTOM)
        self.c_margin = 0.0
        self.header_left = self.safe(header_left)
        self.header_right = self.safe(header_right)
        self.footer_template = footer  # with {page} and {pages}
        self.alias_nb_pages("{nb}")
        self.set_font(_pdftext.FAMILY, "", BODY)

    # -- text safety

    def safe(self, value: object) -> str:
        """``value`` as printable text: characters no font has become □ (and are logged)."""
        s = "" if value is None else str(value)
        if self.latin_quotes:
            s = s.translate(_LATIN_QUOTES)
        if not self.fallbacks:
            if _pdftext.missing_glyphs(s, self.font_info.files):
                raise NeedsFallbackFonts(s)
            return s
        out, warnings = _pdftext.safe_text(s, self.font_info)
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

    def output(self, *args: Any, **kwargs: Any) -> bytearray:  # type: ignore[override]
        """The PDF, without the fallback fonts that no page used (each would cost a subset)."""
        try:
            from fpdf.enums import PDFResourceType

            used = self._resource_catalog.get_used_resources(PDFResourceType.FONT)
            for key in [k for k, f in self.fonts.items() if k not in self._shipped_keys and f.i not in used]:
                del self.fonts[key]
        except AttributeError:  # another fpdf2 version: embed them all
            LOG.debug("cannot prune unused fonts", exc_info=True)
        return cast(bytearray, super().output(*args, **kwargs))

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
            lines = self._wrapped[key] = _pdftext.wrap_lines(self, text, width)
        return lines

    def _write_lines(self, text: str, width: float, line_height: float, align: str) -> None:
        """Write ``text`` from the current position as pdftext breaks it (as ``_pdftext.write_paragraph``)."""
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
        self.set_font(_pdftext.FAMILY, "", 8.5)
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
        self.set_font(_pdftext.FAMILY, "", 8.5)
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
        self.set_font(_pdftext.FAMILY, style, size)
        self.set_text_color(*color)

    def line_height(self, size: float) -> float:
        """Line height in mm for a font size in pt."""
        return size * PT * _pdftext.LINE_SPACING

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
