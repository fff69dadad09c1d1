"""Chinese text for fpdf2 reports: fonts, fallbacks, glyph checks and kinsoku line breaking.

``register_fonts`` adds the shipped Noto Sans SC subset and any fallback fonts to a PDF
(write with a ``FallbackSafeFPDF``, which keeps fpdf2 2.8.9 from losing the page's font);
``safe_text`` swaps what no registered font can draw for a visible placeholder and says so;
``wrap_lines`` breaks lines as Chinese typesetting expects; ``write_paragraph`` writes them.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import CoreFont, TTFFont

from .fonts import BOLD, REGULAR

__all__ = [
    "FALLBACK_ENV",
    "FAMILY",
    "LINE_SPACING",
    "NO_LINE_END",
    "NO_LINE_START",
    "PLACEHOLDER",
    "SYSTEM_FALLBACKS",
    "FallbackSafeFPDF",
    "FontFile",
    "FontInfo",
    "missing_glyphs",
    "register_fonts",
    "safe_text",
    "wrap_lines",
    "write_paragraph",
]

FAMILY = "NotoSansSC"
PLACEHOLDER = "□"  # in the shipped subset (GB2312 row 1), so it always prints
FALLBACK_ENV = "MATURITY_PDF_FALLBACK_FONTS"
LINE_SPACING = 1.6  # line height as a multiple of the font size; Chinese body text wants air

FontFile = tuple[str, int]  # (path, font number inside a .ttc collection)

# (regular, bold or None, collection number), tried in this order after the env var's fonts.
SYSTEM_FALLBACKS: tuple[tuple[str, str | None, int], ...] = (
    # fonts-noto-cjk: the full SC font, so GBK/Big5 hanzi (堃) and 2,361 Ext-B ones (𠀋)
    (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        2,
    ),
    # fonts-hanazono: every CJK Extension B-F ideograph (a Mincho face, a last resort)
    ("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", None, 0),
    # fonts-symbola: monochrome emoji and symbols; colour (CBDT) emoji fonts cannot be embedded
    ("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf", None, 0),
)

# Kinsoku: a line may not start with a closing mark nor end with an opening one.
NO_LINE_START = frozenset("，。、；：？！）」》』〕】〗〙〛｝］〉｠”’…‥—–·・～〜%％‰℃°,.;:?!)]}")
NO_LINE_END = frozenset("（「《『〔【〖〘〚｛［〈｟“‘([{¥￥$＄£€")
_OPENING = "".join(NO_LINE_END)
_NO_BREAK_SPACES = frozenset("\u00a0\u2007\u202f")
_LINE_BREAKS = frozenset("\n\r\u2028\u2029")


@dataclass(frozen=True)
class FontInfo:
    """What ``register_fonts`` added to a PDF."""

    family: str
    files: tuple[FontFile, ...]  # every registered file, shipped ones first
    fallbacks: tuple[str, ...]  # fpdf2 family names of the fallback fonts, in order
    warnings: tuple[str, ...] = ()  # fallback fonts that were asked for but are unusable


class FallbackSafeFPDF(FPDF):
    """An FPDF on which a line that starts with a fallback-font glyph leaves the page's font intact.

    fpdf2 2.8.9 (its fix for #1772) sets the page's font for such a line *inside* the line's own
    text object, which it wraps in ``q … Q`` whenever the line changes a colour or a font: the
    ``Q`` discards that font, while fpdf2 records it as set. The next lines in the same font
    carry no ``Tf`` of their own, so they print one font's glyph ids in the font of before
    (a bold jumble past the margin, in the text layer too). Python's ``current_font`` is right
    all along; only the PDF's text state is wrong. Here the font is also set at page level,
    outside the ``q``, as fpdf2 does for a line that starts in the page's own font.
    """

    def _set_font_for_page(self, font: CoreFont | TTFFont, font_size_pt: float, wrap_in_text_object: bool = True) -> str:
        # Called unwrapped while the page has no font only from that path of _render_styled_text_line.
        if not wrap_in_text_object and not self.current_font_is_set_on_page:
            self._out(super()._set_font_for_page(font, font_size_pt))
        return super()._set_font_for_page(font, font_size_pt, wrap_in_text_object)


_FACTS: dict[FontFile, tuple[frozenset[int], frozenset[str]]] = {}


def _font_facts(path: str, number: int) -> tuple[frozenset[int], frozenset[str]]:
    """Return a font's code points and table tags (parsed once per process)."""
    facts = _FACTS.get((path, number))
    if facts is None:
        font = TTFont(path, fontNumber=number, lazy=True)
        try:
            facts = _FACTS[path, number] = frozenset(font.getBestCmap() or {}), frozenset(font.keys())
        finally:
            font.close()
    return facts


def _remember_facts(pdf: FPDF, family: str, style: str, path: str, number: int) -> None:
    """Take a font's facts from fpdf2, which has just parsed its character map (saves parsing it again)."""
    font = pdf.fonts.get(f"{family.lower()}{style}")  # fpdf2's font key
    cmap, ttfont = getattr(font, "cmap", None), getattr(font, "ttfont", None)
    if (path, number) not in _FACTS and isinstance(cmap, dict) and cmap and ttfont is not None \
            and not getattr(font, "is_symbol", False):
        _FACTS[path, number] = frozenset(cmap), frozenset(ttfont.keys())


def _font_problem(path: str, number: int) -> str | None:
    """Say why fpdf2 cannot use a font file, or return None."""
    if not os.path.isfile(path):
        return "file not found"
    try:
        _, tables = _font_facts(path, number)
    except Exception as exc:  # fontTools raises many types for a bad or foreign file
        return f"cannot be read ({exc})"
    if not tables & {"glyf", "CFF "}:
        return "has no outlines fpdf2 can embed (a colour bitmap font?)"
    return None


def _env_fallbacks() -> tuple[list[tuple[str, str | None, int]], list[str]]:
    """Parse ``MATURITY_PDF_FALLBACK_FONTS``: paths, each optionally ``path#number``."""
    fonts: list[tuple[str, str | None, int]] = []
    warnings: list[str] = []
    for entry in filter(None, os.environ.get(FALLBACK_ENV, "").split(os.pathsep)):
        path, _, number = entry.partition("#")
        if number and not number.isdigit():
            warnings.append(f"{FALLBACK_ENV}: bad font number in {entry!r}")
            continue
        fonts.append((path, None, int(number or 0)))
    return fonts, warnings


def register_fonts(pdf: FPDF, *, system_fallbacks: bool = True, needed_for: str | None = None) -> FontInfo:
    """Add the shipped fonts as ``FAMILY`` ("" and "B") and the usable fallback fonts.

    With ``needed_for``, only fallbacks that draw one of its characters are added (each
    costs ~0.2 s to parse); text written later that needs others gets the placeholder.
    """
    pdf.add_font(FAMILY, "", str(REGULAR))
    pdf.add_font(FAMILY, "B", str(BOLD))
    _remember_facts(pdf, FAMILY, "", str(REGULAR), 0)
    _remember_facts(pdf, FAMILY, "B", str(BOLD), 0)
    files: list[FontFile] = [(str(REGULAR), 0), (str(BOLD), 0)]
    candidates, warnings = _env_fallbacks()
    if system_fallbacks:
        # Optional: without them, safe_text() prints the placeholder and says so.
        candidates += [c for c in SYSTEM_FALLBACKS if os.path.isfile(c[0])]
    families: list[str] = []
    for regular, bold, number in candidates:
        family = f"fallback{len(families)}"
        problem = _font_problem(regular, number)
        if problem:
            warnings.append(f"fallback font {regular}: {problem}")
            continue
        if needed_for is not None:
            needed = missing_glyphs(needed_for, files)
            if not needed - missing_glyphs("".join(needed), [(regular, number)]):
                continue
        styles = [("", regular)]
        if bold and not _font_problem(bold, number):
            styles.append(("B", bold))
        for style, path in styles:
            pdf.add_font(family, style, path, collection_font_number=number)
            files.append((path, number))
        families.append(family)
    if families:
        # exact_match=False: bold text may borrow a regular-only fallback rather than lose a glyph.
        pdf.set_fallback_fonts(families, exact_match=False)
    return FontInfo(FAMILY, tuple(files), tuple(families), tuple(warnings))


def _as_file(font: FontFile | str | Path) -> FontFile:
    return font if isinstance(font, tuple) else (str(font), 0)


def _is_layout(char: str) -> bool:
    """Line breaks and tabs are layout, not glyphs."""
    return char in _LINE_BREAKS or char == "\t"


def _is_invisible(char: str) -> bool:
    """Controls, format characters and variation selectors draw nothing."""
    cp = ord(char)
    return unicodedata.category(char) in ("Cc", "Cf") or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def missing_glyphs(text: str, fonts: Iterable[FontFile | str | Path]) -> set[str]:
    """Return the characters of ``text`` that none of ``fonts`` has a glyph for."""
    missing = set(text) - _covered(tuple(_as_file(font) for font in fonts))
    return {c for c in missing if not _is_layout(c)} if missing else missing


@lru_cache(maxsize=16)
def _covered(fonts: tuple[FontFile, ...]) -> frozenset[str]:
    """Every character one of ``fonts`` has a glyph for (every string printed is checked against it)."""
    return frozenset(chr(cp) for font in fonts for cp in _font_facts(*font)[0])


def safe_text(text: str, font_info: FontInfo) -> tuple[str, list[str]]:
    """Replace characters no registered font has with ``PLACEHOLDER``; return text and warnings."""
    text = text.replace("\t", " ")  # no font draws a tab; fpdf2 would drop it
    missing = missing_glyphs(text, font_info.files)
    if not missing:
        return text, []
    warnings = [
        f"U+{ord(c):04X} {c!r} is in no PDF font; "
        + ("removed (it is invisible)" if _is_invisible(c) else f"printed as {PLACEHOLDER}")
        for c in sorted(missing)
    ]
    out = "".join(("" if _is_invisible(c) else PLACEHOLDER) if c in missing else c for c in text)
    return out, warnings


def _is_break_space(char: str) -> bool:
    return char.isspace() and char not in _NO_BREAK_SPACES


def _kind(char: str) -> str:
    """Classify a character: break space, wide (breakable on either side) or narrow."""
    if _is_break_space(char):
        return "space"
    return "wide" if unicodedata.east_asian_width(char) in ("W", "F") else "narrow"


def _atoms(paragraph: str) -> list[str]:
    """Split a paragraph into unbreakable pieces: wide characters, words and space runs."""
    tokens: list[str] = []
    last = ""
    for c in paragraph:
        kind = _kind(c)
        # Narrow characters (Latin words, numbers, URLs) and spaces run together;
        # wide ones stand alone, as Chinese may break between any two of them.
        if kind == last and kind != "wide":
            tokens[-1] += c
        else:
            tokens.append(c)
        last = kind
    atoms: list[str] = []
    for tok in tokens:
        # A mark travels with its neighbour, so it never dangles; across one space too ("URL 。").
        start = len(atoms) - (2 if len(atoms) > 1 and _kind(atoms[-1][0]) == "space" else 1)
        before = atoms[start] if atoms else ""
        if _kind(tok[0]) == "space" or not before or _kind(before[-1]) == "space":
            atoms.append(tok)
        elif tok[0] in NO_LINE_START or before[-1] in NO_LINE_END:
            atoms[start:] = ["".join(atoms[start:]) + tok]
        else:
            atoms.append(tok)
    return atoms


def _split(atom: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Cut an atom wider than ``width`` into pieces that fit, keeping kinsoku where it can."""
    pieces: list[str] = []
    piece = ""
    for c in atom:
        # A closing mark never starts a piece: it hangs past the edge of the previous one.
        if piece and c not in NO_LINE_START and measure(piece + c) > width:
            kept = piece.rstrip(_OPENING)  # an opening mark goes down with what it opens
            pieces.append(kept or piece)
            piece = piece[len(kept) :] if kept else ""
        piece += c
    return [*pieces, piece]


def _wrap_paragraph(paragraph: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Greedy fill of one paragraph, atom by atom."""
    lines: list[str] = []
    line, line_w, gap, gap_w = "", 0.0, "", 0.0
    for atom in _atoms(paragraph):
        w = measure(atom)
        if _kind(atom[0]) == "space":
            if line.strip():
                gap, gap_w = atom, w
            elif not lines:
                line, line_w = line + atom, line_w + w  # a paragraph's leading spaces indent it
            continue  # spaces at a break vanish
        if line.strip() and line_w + gap_w + w > width:
            lines.append(line)
            line, line_w, gap, gap_w = "", 0.0, "", 0.0
        if not line.strip() and line_w + w > width:
            # Only a word wider than the whole line is cut, and only where it must be.
            *full, line = _split(line + atom, width, measure)
            lines.extend(full)
            line_w = measure(line)
            continue
        line, line_w = line + gap + atom, line_w + gap_w + w
        gap, gap_w = "", 0.0
    return [*lines, line]


def wrap_lines(pdf: FPDF, text: str, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` in the current font, with kinsoku."""
    widths: dict[str, float] = {}

    def measure(s: str) -> float:
        for c in s:
            if c not in widths:
                widths[c] = pdf.get_string_width(c)
        # Without text shaping there is no kerning: a string is as wide as its characters.
        return sum(widths[c] for c in s)

    paragraphs = text.replace("\t", " ").splitlines() or [""]
    # The tolerance keeps float noise from pushing an exactly fitting line over.
    return [line for p in paragraphs for line in _wrap_paragraph(p, width + 1e-6, measure)]


def write_paragraph(
    pdf: FPDF,
    text: str,
    width: float | None = None,
    line_height: float | None = None,
    *,
    align: str = "L",
    font_info: FontInfo | None = None,
) -> list[str]:
    """Write ``text`` as wrapped lines from the current position; return glyph warnings.

    With fallback fonts, ``pdf`` should be a ``FallbackSafeFPDF`` (see there why).
    """
    warnings: list[str] = []
    if font_info is not None:
        text, warnings = safe_text(text, font_info)
    w = width if width is not None else pdf.w - pdf.r_margin - pdf.x
    h = line_height if line_height is not None else pdf.font_size * LINE_SPACING
    x = pdf.x
    for line in wrap_lines(pdf, text, w - 2 * pdf.c_margin):
        pdf.set_x(x)
        # One cell per line so fpdf2 never re-wraps; cell() breaks the page when the line won't fit.
        pdf.cell(w, h, line, align=align, new_x=XPos.LEFT, new_y=YPos.NEXT)
    return warnings
