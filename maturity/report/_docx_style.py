"""The Word report's page and styles: a clean default, and 公文格式 after GB/T 9704-2012.

Everything here is a real Word style (Title, Heading 1–3, Normal, Body Text, Caption, Table Grid),
so an office restyles the whole report by editing a style. Fonts are set in all four slots of
``w:rFonts``: Word on a Chinese PC takes the ``w:eastAsia`` name for Chinese text and the ASCII one
for Latin text; the theme attributes of python-docx's template, which would override both, are
removed. The fields (table of contents, page number) are Word's own: Word fills them on open.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle, CharacterStyle
from docx.text.paragraph import Paragraph

__all__ = ["BLACK", "GREY", "RED", "STYLES", "DocStyle", "Font", "add_field", "apply", "set_fonts", "update_fields_on_open"]

RED = RGBColor(0xB7, 0x1C, 0x1C)
GREY = RGBColor(0x59, 0x59, 0x59)
BLACK = RGBColor(0, 0, 0)


@dataclass(frozen=True)
class Font:
    """One style's font: the East Asian and the Latin name, the size, bold, the colour."""

    east_asia: str
    latin: str
    size: float
    bold: bool = False
    color: RGBColor = BLACK


@dataclass(frozen=True)
class DocStyle:
    """A report style: page margins (mm), fonts per paragraph style, the body's line pitch."""

    name: str
    margins: tuple[float, float, float, float]  # top, bottom, left, right
    title: Font
    heading1: Font
    heading2: Font
    heading3: Font
    body: Font
    small: Font  # tables, captions, notes
    footer: Font
    line_pitch: float | None  # exact line spacing in pt (公文: 28 pt); None: single
    first_line_chars: int  # body paragraphs' first-line indent in characters
    page_dashes: bool  # the page number as '— 1 —'

    @property
    def text_width_mm(self) -> float:
        """The A4 page's text width."""
        return 210 - self.margins[2] - self.margins[3]


STYLES: dict[str, DocStyle] = {
    "default": DocStyle(
        name="default", margins=(25, 25, 25, 25),
        title=Font("微软雅黑", "Calibri", 26, True, RED),
        heading1=Font("微软雅黑", "Calibri", 16, True, RED),
        heading2=Font("微软雅黑", "Calibri", 13, True),
        heading3=Font("微软雅黑", "Calibri", 11.5, True),
        body=Font("宋体", "Calibri", 10.5),
        small=Font("宋体", "Calibri", 9.5),
        footer=Font("宋体", "Calibri", 9, False, GREY),
        line_pitch=None, first_line_chars=0, page_dashes=False,
    ),
    # GB/T 9704-2012: A4; 天头 37 mm, 订口 28 mm; 标题 2 号小标宋; 正文 3 号仿宋, 22 lines a page
    # (a 28–29 pt pitch); 一级标题 黑体, 二级标题 楷体; 页码 4 号宋体 '— 1 —'.
    "gongwen": DocStyle(
        name="gongwen", margins=(37, 35, 28, 26),
        title=Font("方正小标宋简体", "Times New Roman", 22),
        heading1=Font("黑体", "Times New Roman", 16),
        heading2=Font("楷体_GB2312", "Times New Roman", 16),
        heading3=Font("仿宋_GB2312", "Times New Roman", 16, True),
        body=Font("仿宋_GB2312", "Times New Roman", 16),
        small=Font("仿宋_GB2312", "Times New Roman", 12),
        footer=Font("宋体", "Times New Roman", 14),
        line_pitch=28, first_line_chars=2, page_dashes=True,
    ),
}


def set_fonts(rpr_owner: CharacterStyle, font: Font) -> None:
    """Put ``font`` on a style or a run: every ``w:rFonts`` slot, size, bold, colour."""
    f = rpr_owner.font
    f.name = font.latin
    f.size = Pt(font.size)
    f.bold = font.bold
    f.color.rgb = font.color
    rpr = rpr_owner.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), font.latin)
    fonts.set(qn("w:eastAsia"), font.east_asia)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font wins over the names: drop it


def apply(doc: Document, style: DocStyle, lang: str) -> None:
    """A4 with the style's margins, its fonts on the paragraph styles, the page number in the footer."""
    for section in doc.sections:
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(210), Mm(297)
        top, bottom, left, right = style.margins
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        section.footer_distance = Mm(18 if style.page_dashes else 12)
    styles = doc.styles
    _language(doc, lang)
    normal = styles["Normal"]
    set_fonts(normal, style.body)
    pf = normal.paragraph_format
    pf.space_before, pf.space_after = Pt(0), Pt(0 if style.line_pitch else 4)
    if style.line_pitch:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(style.line_pitch)
    else:
        pf.line_spacing = 1.2
    body = styles["Body Text"]
    set_fonts(body, style.body)
    body.paragraph_format.first_line_indent = Pt(style.body.size * style.first_line_chars)
    body.paragraph_format.space_after = Pt(0 if style.line_pitch else 6)
    for name, font in (("Title", style.title), ("Heading 1", style.heading1), ("Heading 2", style.heading2),
                       ("Heading 3", style.heading3)):
        s = styles[name]
        set_fonts(s, font)
        s.font.italic = False
        spf = s.paragraph_format
        spf.keep_with_next = True
        spf.page_break_before = name == "Heading 1"  # each part on a page of its own, as in the PDF
        if style.line_pitch:
            spf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            spf.line_spacing = Pt(max(style.line_pitch, font.size * 1.3))
            spf.space_before, spf.space_after = Pt(0), Pt(0)
        else:
            spf.space_before, spf.space_after = Pt(font.size * 0.9), Pt(font.size * 0.4)
        if name == "Title":
            spf.alignment = WD_ALIGN_PARAGRAPH.CENTER if style.page_dashes else WD_ALIGN_PARAGRAPH.LEFT
            _no_border(s)
    for name in ("Caption", "Table Text", "List Bullet"):
        s = styles[name] if name in styles else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if name == "Table Text":
            s.base_style = normal
        set_fonts(s, style.small if name != "List Bullet" else style.body)
        s.font.italic = False
        tpf = s.paragraph_format
        tpf.line_spacing_rule = WD_LINE_SPACING.SINGLE if name == "Table Text" else tpf.line_spacing_rule
        tpf.space_after = Pt(2 if name == "Table Text" else 4)
        if name == "Caption":
            s.font.color.rgb = GREY
    _footer(doc, style)


def _language(doc: Document, lang: str) -> None:
    """The document's languages, so Word checks spelling and breaks lines as Chinese or English."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    tag = rpr.find(qn("w:lang"))
    if tag is None:
        tag = OxmlElement("w:lang")
        rpr.append(tag)
    tag.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-GB")
    tag.set(qn("w:eastAsia"), "zh-CN")


def _no_border(style: BaseStyle) -> None:
    ppr = style.element.find(qn("w:pPr"))
    if ppr is not None and (border := ppr.find(qn("w:pBdr"))) is not None:
        ppr.remove(border)


def _footer(doc: Document, style: DocStyle) -> None:
    """The page number in every footer, in the footer font: '1' centred; in 公文 '— 1 —' on the outer side, as
    GB/T 9704 has it (单页码居右空一字，双页码居左空一字): odd pages right, even pages left, one character in."""
    set_fonts(doc.styles["Footer"], style.footer)
    if style.page_dashes:
        doc.settings.odd_and_even_pages_header_footer = True
    for section in doc.sections:
        footers = [(section.footer, WD_ALIGN_PARAGRAPH.CENTER)]
        if style.page_dashes:
            footers = [(section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)]
        for footer, align in footers:
            p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            p.alignment = align
            p.style = doc.styles["Footer"]
            if style.page_dashes:  # one character (the footer's size) in from the margin
                indent = Pt(style.footer.size)
                if align == WD_ALIGN_PARAGRAPH.RIGHT:
                    p.paragraph_format.right_indent = indent
                else:
                    p.paragraph_format.left_indent = indent
                p.add_run("— ")
            add_field(p, "PAGE", "1")
            if style.page_dashes:
                p.add_run(" —")


def add_field(p: Paragraph, code: str, shown: str) -> None:
    """A Word field (``PAGE``, ``TOC …``) in ``p``, showing ``shown`` until Word updates it."""
    def fld(kind: str) -> BaseOxmlElement:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            el.set(qn("w:dirty"), "true")  # Word recomputes it when the file opens
        return el

    p.add_run()._r.append(fld("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    p.add_run()._r.append(instr)
    p.add_run()._r.append(fld("separate"))
    p.add_run(shown)
    p.add_run()._r.append(fld("end"))


def update_fields_on_open(doc: Document) -> None:
    """Ask Word to update the fields (the table of contents) when the file opens."""
    settings = doc.settings.element
    flag = settings.find(qn("w:updateFields"))
    if flag is None:
        flag = OxmlElement("w:updateFields")
        settings.append(flag)
    flag.set(qn("w:val"), "true")
