"""vl-convert's SVG charts adapted to fpdf2, text to text, so they print as vectors with real, selectable text.

fpdf2 reads SVG with a few gaps (rules without a start point, empty paths, text-anchor on
<tspan> lines, a black default stroke); ``for_fpdf`` adapts the SVG text to it, and first drops
what draws nothing (Vega's unpainted group backgrounds, ARIA and class attributes, wrapper
groups without attributes, opacity 1): fpdf2 spends its time per element. A chart that fpdf2
still cannot read goes in as a PNG of the same SVG (``ReportPDF.chart`` places both).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

PX_MM = 25.4 / 96  # mm per CSS pixel
CHART_ZOOM = 1.0  # charts print at their natural size: 11 px labels become 8.25 pt

_SVG_SIZE = re.compile(r'<svg[^>]*?width="([\d.]+)"[^>]*?height="([\d.]+)"')
_SVG_FONT = re.compile(r'font-family="[^"]*"')
_SVG_EMPTY_PATH = re.compile(r'<path[^>]*\sd=""[^>]*/>')
_SVG_LINE = re.compile(r"<line (?![^>]*\bx1=)")
_SVG_TAG = re.compile(r"<(?:path|line|rect|circle|ellipse|polygon|polyline)\b[^>]*>")
_SVG_TEXT = re.compile(r">([^<>]*[^<>\s][^<>]*)<")
_SVG_MULTILINE = re.compile(r"<text([^>]*)>((?:<tspan[^>]*>[^<]*</tspan>)+)</text>")
_SVG_TSPAN = re.compile(r"<tspan([^>]*)>([^<]*)</tspan>")
_SVG_DY = re.compile(r'\bdy="([-\d.]+)"')
# Vega's group backgrounds carry their fill and stroke; without either (under the root
# <g fill="none">) they draw nothing.
_SVG_UNPAINTED = re.compile(r'<path class="background"(?![^>]*\s(?:fill|stroke)=)[^>]*/>')
_SVG_NOISE = re.compile(r'\s(?:class|role|aria-[\w-]+|pointer-events)="[^"]*"')
_SVG_GROUP = re.compile(r"<(/?)g\b([^>]*?)(/?)>")


def _split_lines(match: re.Match[str]) -> str:
    """One <text> per line: fpdf2 ignores text-anchor on the <tspan> lines Vega writes."""
    attrs, dy, out = match[1], 0.0, []
    for span_attrs, text in _SVG_TSPAN.findall(match[2]):
        step = _SVG_DY.search(span_attrs)
        dy += float(step[1]) if step else 0.0
        out.append(f'<text{attrs} dy="{dy:g}">{text}</text>' if dy else f"<text{attrs}>{text}</text>")
    return "".join(out)


def pixel_size(svg: str) -> tuple[float, float]:
    """The chart's width and height in CSS pixels, as vl-convert wrote them (600 x 400 when absent)."""
    match = _SVG_SIZE.search(svg)
    return (float(match[1]), float(match[2])) if match else (600.0, 400.0)


def _unwrap_groups(svg: str) -> str:
    """Drop the tags of <g> elements without attributes (their children stay where they are)."""
    out: list[str] = []
    keep: list[bool] = []  # per open <g>: whether its tags stay
    pos = 0
    for match in _SVG_GROUP.finditer(svg):
        out.append(svg[pos:match.start()])
        pos = match.end()
        closing, has_attrs, empty = match[1], bool(match[2].strip()), match[3]
        if closing:
            if not keep or keep.pop():  # a stray </g> stays as it was
                out.append(match[0])
        elif empty:  # <g .../>: nothing inside
            if has_attrs:
                out.append(match[0])
        else:
            keep.append(has_attrs)
            if has_attrs:
                out.append(match[0])
    out.append(svg[pos:])
    return "".join(out)


def simplify(svg: str) -> str:
    """The same picture with fewer elements and attributes for fpdf2 to read (see the module doc)."""
    if "<style" in svg:  # class attributes may matter
        return svg
    svg = _SVG_UNPAINTED.sub("", svg)
    svg = _SVG_NOISE.sub("", svg).replace(' opacity="1"', "")
    return _unwrap_groups(svg)


def for_fpdf(svg: str, safe: Callable[[str], str], *, family: str) -> str:
    """Adapt vl-convert's SVG to fpdf2: the PDF's font ``family``, explicit defaults, text checked by ``safe``."""
    svg = simplify(svg)
    svg = _SVG_FONT.sub(f'font-family="{family}"', svg)
    svg = _SVG_EMPTY_PATH.sub("", svg)
    svg = _SVG_LINE.sub('<line x1="0" y1="0" ', svg)  # Vega omits the zero start of rules
    svg = _SVG_MULTILINE.sub(_split_lines, svg)
    # A mark with a stroke width but no stroke colour has none; fpdf2 would draw black.
    svg = _SVG_TAG.sub(lambda m: m[0] if "stroke=" in m[0] or "stroke-width" not in m[0]
                       else m[0].replace(" stroke-width=", ' stroke="none" stroke-width=', 1), svg)
    return _SVG_TEXT.sub(lambda m: ">" + html.escape(safe(html.unescape(m[1])), quote=False) + "<", svg)
