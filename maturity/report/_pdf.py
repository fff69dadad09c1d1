"""The report's document: the typographic ``Page`` with tables, charts and key-figure boxes.

Tables wrap their cells as paragraphs are wrapped and continue their rows on the next page;
charts (vl-convert's SVG, adapted by ``_svg``) move to the next page when they do not fit.
"""

from __future__ import annotations

import html
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from fpdf.enums import XPos, YPos

from . import _pdftext, _svg, _vl
from ._page import BODY, GREY, INK, PANEL, PT, RED, RED_PALE, RGB, RULE, SMALL, WHITE, NeedsFallbackFonts, Page
from .fonts import BOLD, REGULAR

LOG = logging.getLogger(__name__)

_SHIPPED_FILES: tuple[_pdftext.FontFile, ...] = ((str(REGULAR), 0), (str(BOLD), 0))
_SVG_TEXT = re.compile(r">([^<>]+)<")  # what is between tags: <text> and <tspan> contents


# ---------------------------------------------------------------- table cells


@dataclass(frozen=True)
class Run:
    """One paragraph inside a table cell."""

    text: str
    style: str = ""
    size: float = BODY
    color: RGB = INK


Cell = str | Run | Sequence[Run]  # what a table cell holds: plain text, one paragraph, or several


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


class ReportPDF(Page):
    """A4 report with the shipped CJK fonts, running header and page x / y footer."""

    # -- tables

    def data_table(self, columns: Sequence[Column], rows: Sequence[Sequence[Cell]], *,
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

    def table_start_height(self, columns: Sequence[Column], rows: Sequence[Sequence[Cell]], *,
                           size: float = SMALL + 0.5, pad: float = 1.6) -> float:
        """How much of the page :meth:`data_table` needs to start: the whole table when it stays in one piece
        (under a third of a page), else its header and first row; keep a heading with it by adding its own."""
        heads = [self._cell_lines([Run(c.title, "B", size, WHITE)], c.width - 2 * pad) for c in columns]
        head_h = max(h.height for h in heads) + 2 * pad
        rows_h = [max(self._cell_lines(self._runs(cell, size), col.width - 2 * pad).height
                      for cell, col in zip(row, columns, strict=True)) + 2 * pad for row in rows]
        whole = head_h + sum(rows_h)
        third = (self.page_break_trigger - self.t_margin) / 3
        return whole + 1 if whole < third else head_h + (rows_h[0] if rows_h else 0.0) + 1

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

    def chart_size(self, svg: str) -> tuple[float, float]:
        """Width and height in mm at which a chart prints: its natural size, within the body."""
        px_w, px_h = _svg.pixel_size(svg)
        w = min(self.body_width, px_w * _svg.PX_MM * _svg.CHART_ZOOM)
        h = w * px_h / px_w
        limit = self.page_break_trigger - self.t_margin - 12
        if h > limit:
            w, h = w * limit / h, limit
        return w, h

    def chart_height(self, svg: str) -> float:
        """Height in mm at which a chart prints."""
        return self.chart_size(svg)[1]

    def chart(self, svg: str) -> None:
        """Place a vl-convert SVG chart, centred, as vector graphics with real text (see ``_svg``).

        fpdf2 draws SVG text in one font, without the fallbacks: a label with a character outside
        the shipped fonts (堃 in a model's criterion name) would lose it, so that chart goes in as
        vl-convert's PNG, which draws it.
        """
        labels = self.safe(html.unescape("".join(_SVG_TEXT.findall(svg))))  # without fallbacks: raises
        self._place(svg, raster=bool(_pdftext.missing_glyphs(labels, _SHIPPED_FILES)))

    def _place(self, svg: str, *, raster: bool = False) -> None:
        """Place a chart centred at the current position, on the next page if it does not fit (``raster``: as PNG)."""
        w, h = self.chart_size(svg)
        self.keep(h + 2)
        x = self.l_margin + (self.body_width - w) / 2
        if not raster:
            try:
                self.image(io.BytesIO(_svg.for_fpdf(svg, self.safe, family=_pdftext.FAMILY).encode()), x=x, y=self.y, w=w, h=h)
            except NeedsFallbackFonts:
                raise
            except Exception:  # fpdf2's SVG support is partial; a raster copy always works
                LOG.warning("chart placed as PNG: fpdf2 could not read its SVG", exc_info=True)
                raster = True
        if raster:
            self.image(io.BytesIO(_vl.svg_to_png(svg, scale=2)), x=x, y=self.y, w=w, h=h)
        self.set_xy(self.l_margin, self.y + h)
        self.gap(2)

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
