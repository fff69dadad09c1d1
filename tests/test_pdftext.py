"""Chinese text in the PDF: shipped fonts, fallbacks, placeholders and kinsoku line breaking."""

from __future__ import annotations

import io
import itertools
import logging
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from fpdf import FPDF
from pypdf import PdfReader

from maturity.report import _pdftext as pdftext
from maturity.report._pdftext import NO_LINE_END, NO_LINE_START, PLACEHOLDER, FontInfo
from maturity.report.fonts import BOLD, REGULAR
from maturity.report.fonts.build_subset import (
    SC_FONT_NUMBER,
    SOURCE_DIR,
    SOURCES,
    default_text_files,
    gb2312_chars,
    text_chars,
)

SHIPPED = [REGULAR, BOLD]
FONT_SIZE = 12
POPPLER = shutil.which("pdffonts") and shutil.which("pdftotext")
NO_POPPLER = "poppler-utils is not installed (it is listed in .ci/apt-packages.txt)"


@pytest.fixture
def pdf_and_fonts(monkeypatch: pytest.MonkeyPatch) -> tuple[FPDF, FontInfo]:
    """An A4 FPDF with a page, the shipped fonts and this machine's fallbacks, at 12 pt."""
    monkeypatch.delenv(pdftext.FALLBACK_ENV, raising=False)
    pdf = FPDF()
    pdf.add_page()
    info = pdftext.register_fonts(pdf)
    pdf.set_font(pdftext.FAMILY, "", FONT_SIZE)
    return pdf, info


@pytest.fixture(scope="module")
def pdf() -> FPDF:
    """An FPDF with only the shipped fonts at 12 pt, shared by the tests that measure text."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(pdftext.FALLBACK_ENV, raising=False)
        pdf = FPDF()
        pdftext.register_fonts(pdf, system_fallbacks=False)
    pdf.set_font(pdftext.FAMILY, "", FONT_SIZE)
    return pdf


def em(pdf: FPDF, n: float) -> float:
    """Width of ``n`` full-width characters in the current font."""
    return n * pdf.get_string_width("中")


# --- wrapping -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ems", "expected"),
    [
        ("一二三四五六", 3, ["一二三", "四五六"]),
        # the break would put "，" first: "四" comes down with it
        ("一二三四，五六", 4, ["一二三", "四，五六"]),
        ("一二三四。」五六", 4, ["一二三", "四。」五", "六"]),
        # "「" would end the line: it goes down with "四"
        ("一二三「四五」", 4, ["一二三", "「四五」"]),
        ("一二三（四）五", 4, ["一二三", "（四）五"]),
        ("第一行\n\n第三行", 10, ["第一行", "", "第三行"]),
        ("末尾\n", 10, ["末尾"]),
        ("", 10, [""]),
        ("　　缩进保留", 10, ["　　缩进保留"]),
    ],
)
def test_wrap_table(pdf: FPDF, text: str, ems: float, expected: list[str]) -> None:
    assert pdftext.wrap_lines(pdf, text, em(pdf, ems)) == expected


SENTENCE = (
    "工会的组织力、服务力和影响力，是本次评估的重点。我们建议：第一，完善《会员服务清单》；"
    "第二，建立“职工之家”的持续改进机制（每季度一次）！你同意吗？好的……就这样——开始吧。"
)


@pytest.mark.parametrize("ems", [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 17, 23])
def test_chinese_kinsoku_at_every_width(pdf: FPDF, ems: int) -> None:
    width = em(pdf, ems)
    lines = pdftext.wrap_lines(pdf, SENTENCE, width)
    assert "".join(lines) == SENTENCE  # nothing lost or added
    assert len(lines) > 1
    for before, line in itertools.pairwise(lines):
        assert line[0] not in NO_LINE_START, (before, line)
        assert before[-1] not in NO_LINE_END, (before, line)
    # Only in a line too narrow for a word and its marks may closing marks hang past the edge.
    hanging = "".join(NO_LINE_START) if ems < 4 else ""
    assert all(pdf.get_string_width(line.rstrip(hanging)) <= width + 1e-6 for line in lines)


MIXED = "使用 Streamlit 和 PostgreSQL 数据库"


@pytest.mark.parametrize("ems", [6, 6.5, 7, 8, 9, 10, 12, 15])
def test_latin_words_stay_whole(pdf: FPDF, ems: float) -> None:
    width = em(pdf, ems)
    assert pdf.get_string_width("PostgreSQL") < width  # so neither word ever needs cutting
    lines = pdftext.wrap_lines(pdf, MIXED, width)
    assert sum("Streamlit" in line for line in lines) == 1
    assert sum("PostgreSQL" in line for line in lines) == 1
    assert "".join(lines).replace(" ", "") == MIXED.replace(" ", "")  # only spaces vanish, at breaks
    assert all(line == line.strip() for line in lines)
    assert all(pdf.get_string_width(line) <= width + 1e-6 for line in lines)


def test_break_between_chinese_and_latin_without_space(pdf: FPDF) -> None:
    lines = pdftext.wrap_lines(pdf, "我们使用Streamlit开发", em(pdf, 6))
    assert lines == ["我们使用", "Streamlit开", "发"]


URL = "https://example.org/union/maturity/report/2024/index.html"


def test_long_word_moves_down_whole_when_it_fits_a_line(pdf: FPDF) -> None:
    width = pdf.get_string_width(URL) + 1
    assert pdftext.wrap_lines(pdf, f"请见 {URL} 。", width) == ["请见", f"{URL} 。"]


def test_long_word_is_cut_only_when_it_alone_is_too_wide(pdf: FPDF) -> None:
    width = pdf.get_string_width(URL) / 2.5
    lines = pdftext.wrap_lines(pdf, f"请见 {URL}", width)
    assert lines[0] == "请见"  # the word starts on a fresh line before it is cut
    assert "".join(lines[1:]) == URL
    assert len(lines) == 4
    for piece, following in itertools.pairwise(lines[1:]):
        # each piece is as full as it can be: one more character would not fit
        assert pdf.get_string_width(piece + following[0]) > width
    assert all(pdf.get_string_width(line) <= width + 1e-6 for line in lines)


def test_latin_text_wraps_at_spaces(pdf: FPDF) -> None:
    text = "Organising power, service power and influence are assessed."
    lines = pdftext.wrap_lines(pdf, text, pdf.get_string_width("Organising power, service"))
    assert lines == ["Organising power, service", "power and influence are", "assessed."]


# --- glyph coverage -------------------------------------------------------------------------


def test_shipped_subset_covers_gb2312_and_keeps_the_licence_names() -> None:
    every, hanzi = gb2312_chars()
    assert len(hanzi) == 6763
    for path in SHIPPED:
        assert path.stat().st_size < 2_300_000, path  # about 1.35 MB once git compresses it
        assert pdftext.missing_glyphs("".join(every) + PLACEHOLDER + "，。、“”《》…—￥①", [path]) == set()
        names = TTFont(path, lazy=True)["name"]
        assert "Adobe" in names.getDebugName(0)
        assert "Open Font License" in names.getDebugName(13)
    assert (REGULAR.parent / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") == 1


def test_shipped_subset_covers_the_models_and_catalogues() -> None:
    files = default_text_files()
    assert files, "no frameworks/*.yaml or maturity/locales/*.yaml found"
    text = "".join(text_chars(files))
    source = SOURCE_DIR / SOURCES[REGULAR]
    if source.is_file():
        # Characters the source font lacks (emoji) cannot be in the subset; fallbacks draw them.
        text = "".join(c for c in text if c not in pdftext.missing_glyphs(text, [(str(source), SC_FONT_NUMBER)]))
    else:
        text = "".join(c for c in text if unicodedata.east_asian_width(c) != "W" or "CJK" in unicodedata.name(c, ""))
    missing = pdftext.missing_glyphs(text, [REGULAR])
    assert not missing, f"run `python -m maturity.report.fonts.build_subset`; not in the subset: {sorted(missing)}"


def test_missing_glyphs_is_the_gap_of_all_fonts() -> None:
    assert pdftext.missing_glyphs("张堃 and 𠀋\n", [REGULAR]) == {"堃", "𠀋"}
    assert pdftext.missing_glyphs("张三\t李四\n", SHIPPED) == set()


def test_placeholder_and_warning_without_fallbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pdftext.FALLBACK_ENV, raising=False)
    info = pdftext.register_fonts(FPDF(), system_fallbacks=False)
    assert info.fallbacks == ()
    text, warnings = pdftext.safe_text("张堃说😀\ufe0f好", info)
    assert text == f"张{PLACEHOLDER}说{PLACEHOLDER}好"
    assert len(warnings) == 3
    assert any("U+5803" in w and PLACEHOLDER in w for w in warnings)
    assert any("U+FE0F" in w and "removed" in w for w in warnings)
    assert pdftext.safe_text("普通中文，English.", info) == ("普通中文，English.", [])


def test_env_fallbacks_are_used_and_bad_ones_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    not_a_font = tmp_path / "broken.ttf"
    not_a_font.write_bytes(b"not a font")
    entries = [str(REGULAR), str(tmp_path / "absent.ttf"), str(not_a_font), f"{REGULAR}#x"]
    monkeypatch.setenv(pdftext.FALLBACK_ENV, ":".join(entries))
    info = pdftext.register_fonts(FPDF(), system_fallbacks=False)
    assert info.fallbacks == ("fallback0",)
    assert (str(REGULAR), 0) in info.files[2:]
    assert len(info.warnings) == 3
    for problem in ("bad font number", "absent.ttf: file not found", "broken.ttf: cannot be read"):
        assert any(problem in warning for warning in info.warnings), problem


# --- a real PDF -----------------------------------------------------------------------------

SAMPLE = "工会会员张堃提交了自评。生僻字𠀋，表情😀，还有最新的🫨。组织力、服务力与影响力。"
SPECIAL = ["堃", "𠀋", "😀", "🫨"]


def build_pdf(pdf: FPDF, info: FontInfo) -> tuple[bytes, list[str]]:
    """Write SAMPLE in regular and bold and a multi-page paragraph; return bytes and warnings."""
    warnings = pdftext.write_paragraph(pdf, SAMPLE, font_info=info)
    pdf.set_font(info.family, "B", FONT_SIZE)
    warnings += pdftext.write_paragraph(pdf, SAMPLE, font_info=info)
    pdf.set_font(info.family, "", FONT_SIZE)
    warnings += pdftext.write_paragraph(pdf, "一二三四五六七八九十，" * 200, width=60)
    return bytes(pdf.output()), warnings


def check_no_silent_drop(extracted: str, info: FontInfo, warnings: list[str]) -> None:
    """Each special character is either printed (a font has it) or a placeholder with a warning."""
    flat = "".join(extracted.split())
    assert "工会会员张" in flat and "提交了自评" in flat and "组织力、服务力与影响力" in flat
    placeholders = 0
    for char in SPECIAL:
        if pdftext.missing_glyphs(char, info.files):
            assert any(f"U+{ord(char):04X}" in w for w in warnings), char
            assert char not in flat
            placeholders += 1
        else:
            assert char in flat, char
    assert flat.count(PLACEHOLDER) == 2 * placeholders  # regular and bold copies
    assert placeholders >= 1  # 🫨 (Unicode 15) is in none of the fonts here


@pytest.mark.parametrize("system_fallbacks", [True, False], ids=["fallbacks", "placeholders"])
def test_pdf_keeps_every_character(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path, system_fallbacks: bool
) -> None:
    monkeypatch.delenv(pdftext.FALLBACK_ENV, raising=False)
    pdf = FPDF()
    pdf.add_page()
    info = pdftext.register_fonts(pdf, system_fallbacks=system_fallbacks)
    pdf.set_font(info.family, "", FONT_SIZE)
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        data, warnings = build_pdf(pdf, info)
    # fpdf2 only logs when it drops a glyph; any such line means a silent loss in the PDF.
    assert not [r for r in caplog.records if "missing" in r.getMessage()]
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    check_no_silent_drop("".join(page.extract_text() for page in reader.pages), info, warnings)
    embedded = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]  # pypdf types a dictionary's value as any PdfObject
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            embedded.append(any(k in descriptor for k in ("/FontFile2", "/FontFile3")))
    assert embedded and all(embedded)


def test_poppler_sees_embedded_subsets_and_the_text(pdf_and_fonts: tuple[FPDF, FontInfo], tmp_path: Path) -> None:
    assert POPPLER, NO_POPPLER
    pdf, info = pdf_and_fonts
    data, warnings = build_pdf(pdf, info)
    path = tmp_path / "sample.pdf"
    path.write_bytes(data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and any("NotoSansCJKSC" in row[0] for row in rows)
    for row in rows:
        assert row[0].startswith("MPDFAA+")  # a subset
        assert row[-5:-2] == ["yes", "yes", "yes"], row  # embedded, subset, ToUnicode
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    check_no_silent_drop(text, info, warnings)


def test_needed_for_registers_only_the_fallbacks_the_text_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pdftext.FALLBACK_ENV, raising=False)
    plain = pdftext.register_fonts(FPDF(), needed_for="普通中文，English 123。")
    assert plain.fallbacks == ()
    rare = pdftext.register_fonts(FPDF(), needed_for="张堃")
    text, warnings = pdftext.safe_text("张堃", rare)
    if rare.fallbacks:  # fonts-noto-cjk is installed: its full font draws 堃
        assert (text, warnings) == ("张堃", [])
        assert len(rare.fallbacks) == 1
    else:
        assert text == f"张{PLACEHOLDER}" and warnings


def test_lines_after_one_that_starts_with_a_fallback_glyph_keep_their_font(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """fpdf2 2.8.9 lost the page's font in the q…Q of a coloured line starting with 堃 (issue 8)."""
    assert POPPLER, NO_POPPLER
    monkeypatch.delenv(pdftext.FALLBACK_ENV, raising=False)
    pdf = pdftext.FallbackSafeFPDF()
    info = pdftext.register_fonts(pdf)
    assert info.fallbacks, "fonts-noto-cjk is needed for 堃"
    pdf.add_page()
    text = "堃昇" + "工会围绕企业发展战略开展职工建功立业活动，把服务职工与服务企业结合起来。" * 4
    pdf.set_font(info.family, "B", 16)
    pdf.cell(0, 10, "标题", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(info.family, "", FONT_SIZE)
    pdf.set_text_color(40, 40, 40)  # a colour: fpdf2 wraps each line in q … Q
    pdftext.write_paragraph(pdf, text, font_info=info)
    path = tmp_path / "fallback-first.pdf"
    path.write_bytes(bytes(pdf.output()))
    read = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "".join(text.split()) in "".join(read.split())
