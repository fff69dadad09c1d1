"""The report's fonts, parsed once per process and shared by every document.

``_pdftext.register_fonts`` reads the shipped CJK fonts (and, when a text needs them, the
system fallbacks) into fpdf2; parsing them costs 0.1 s, or about 1 s with the fallbacks.
"""

from __future__ import annotations

import copy
import logging
from functools import cache

from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
from fpdf import FPDF
from fpdf.fonts import TTFFont

from . import _pdftext
from ._pdftext import FontInfo

LOG = logging.getLogger(__name__)


@cache
def _font_template(fallbacks: bool) -> tuple[FPDF, FontInfo]:
    """An empty FPDF holding the parsed fonts; documents copy its font objects."""
    pdf = FPDF()
    return pdf, _pdftext.register_fonts(pdf, system_fallbacks=fallbacks)


def install_fonts(pdf: FPDF, fallbacks: bool) -> FontInfo:
    """Give ``pdf`` the fonts of ``register_fonts`` without parsing the font files again.

    Parsing a CJK font's cmap and metrics costs 0.1 s (1 s with the system fallbacks) per
    document; the parsed tables never change, so each document shares them and gets a fresh,
    lazily opened file for fpdf2's subsetter, which rewrites the font it is given.
    """
    template, info = _font_template(fallbacks)
    try:
        for key, font in template.fonts.items():
            assert isinstance(font, TTFFont)  # the template holds the fonts register_fonts added, TrueType all
            mine = copy.copy(font)
            mine.ttfont = TTFont(font.ttffile, recalcTimestamp=False, fontNumber=font.collection_font_number,
                                 lazy=True)
            # Glyphs are copied byte for byte: re-encoding every outline only to recompute
            # bounding boxes took most of the output time.
            mine.ttfont.recalcBBoxes = False
            _share_tables(font.ttfont, mine.ttfont)
            mine.subset = type(font.subset)(mine)
            mine.missing_glyphs = []
            mine.biggest_size_pt = 0
            mine.cw = font.cw.copy()
            pdf.fonts[key] = mine
        if info.fallbacks:
            pdf.set_fallback_fonts(list(info.fallbacks), exact_match=False)
    except (AttributeError, TypeError, KeyError):  # another fpdf2 version: register the ordinary way
        LOG.debug("font sharing unavailable; parsing the fonts again", exc_info=True)
        pdf.fonts.clear()
        return _pdftext.register_fonts(pdf, system_fallbacks=fallbacks)
    return info


def _share_tables(parsed: TTFont, fresh: TTFont) -> None:
    """Hand ``fresh`` the glyph order, character map and metrics already decoded in ``parsed``.

    The subsetter replaces these (it never edits them in place), so the lists and dicts are
    copied shallowly; decoding them again cost a tenth of a second per font and document.
    """
    if not hasattr(parsed, "glyphOrder") or "cmap" not in parsed.tables:
        return
    fresh.setGlyphOrder(list(parsed.getGlyphOrder()))
    cmap = newTable("cmap")
    cmap.tableVersion = parsed["cmap"].tableVersion
    cmap.tables = []
    for sub in parsed["cmap"].tables:
        if sub.format == 14:  # variation sequences: fpdf2 does not use them
            continue
        mine = CmapSubtable.newSubtable(sub.format)
        mine.platformID, mine.platEncID, mine.language = sub.platformID, sub.platEncID, sub.language
        mine.cmap = dict(sub.cmap)
        cmap.tables.append(mine)
    fresh["cmap"] = cmap
    if "hmtx" in parsed.tables:
        hmtx = newTable("hmtx")
        hmtx.metrics = dict(parsed["hmtx"].metrics)
        fresh["hmtx"] = hmtx
