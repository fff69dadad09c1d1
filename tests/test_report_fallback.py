"""Text whose line starts with a fallback-font glyph (堃, 昇) reads back whole, and stays in the margins.

fpdf2 2.8.9 sets the page's font inside the first such line's ``q … Q`` (its fix for #1772), so
the font is lost at ``Q`` and the lines after it printed one font's glyph ids in another: a bold
jumble, in the text layer as on the page (issue 8). Each test reads back what was drawn with
pdftotext and compares whole paragraphs (whitespace removed), and renders pages with pdftoppm to
check that nothing is drawn past the right margin. poppler-utils is required: without it these
tests fail, they do not skip.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from maturity import i18n
from maturity.aggregate import aggregate, group_answers
from maturity.assessment import Assessment
from maturity.loader import LoadedModel, load_model_text
from maturity.report import _sections, build_report, build_workshop_report
from maturity.report._data import ReportData, WorkshopData
from maturity.report._page import MARGIN
from maturity.report._pdf import Column, ReportPDF, Run
from maturity.scoring import Answer, score

FB = "堃昇"  # outside the shipped GB2312 subset: drawn from the system's Noto Sans CJK
UNION = f"{FB}科技集团有限公司工会"
SENTENCE = ("工会围绕企业发展战略开展职工建功立业活动，把服务职工与服务企业结合起来，"
            "每季度向党委汇报一次，形成纪要并跟踪落实。")


_STRAIGHT: dict[str, str | int | None] = {"“": '"', "”": '"', "‘": "'", "’": "'"}


def squash(text: str) -> str:
    """Text without whitespace and with straight quotes, so wrapped lines and Latin quotes still match."""
    return re.sub(r"\s+", "", text).translate(str.maketrans(_STRAIGHT))


def _tool(name: str) -> str:
    exe = shutil.which(name)
    assert exe, f"{name} not found: install poppler-utils (see .ci/apt-packages.txt)"
    return exe


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    return subprocess.run([_tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout


def ink_past_right_margin(pdf: bytes, tmp_path: Path, *, first_page: int = 1) -> dict[int, int]:
    """Per page from ``first_page``: how many pixel columns right of the margin (+1.5 mm) hold ink, at 60 dpi."""
    path = tmp_path / "render.pdf"
    path.write_bytes(pdf)
    prefix = tmp_path / "page"
    subprocess.run([_tool("pdftoppm"), "-r", "60", "-gray", "-f", str(first_page), str(path), str(prefix)],
                   check=True, timeout=120)
    out = {}
    for n, image in enumerate(sorted(tmp_path.glob("page*.pgm")), first_page):
        width, height, pixels = _read_pgm(image.read_bytes())
        edge = round((210 - MARGIN + 1.5) / 25.4 * 60)
        top = round(10 / 25.4 * 60)  # below the cover's full-width red band
        out[n] = sum(1 for x in range(edge, width)
                     if any(pixels[y * width + x] < 200 for y in range(top, height)))
    return out


def _read_pgm(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and 8-bit pixels of a binary PGM (what ``pdftoppm -gray`` writes)."""
    fields = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert fields, data[:20]
    return int(fields[1]), int(fields[2]), data[fields.end():]


# ---------------------------------------------------------------- every way ReportPDF writes text


def _doc() -> ReportPDF:
    return ReportPDF(header_left=f"{FB}的报告", header_right=UNION, footer="{page} / {pages}", fallbacks=True)


def _paragraphs(pdf: ReportPDF) -> list[str]:
    texts = [f"{FB}{SENTENCE}" * 2, f"{FB}{SENTENCE}", f"昇 {SENTENCE} 堃"]
    pdf.paragraph(texts[0])
    pdf.paragraph(texts[1], style="B", size=12)
    pdf.paragraph(texts[2], size=9, color=(110, 110, 110), indent=5)
    return texts


def _headings(pdf: ReportPDF) -> list[str]:
    texts = [f"{FB}一级标题" + "很长" * 20, f"{FB}二级标题" + "很长" * 22, f"{FB}三级标题" + "很长" * 24]
    for level, text in enumerate(texts, 1):
        pdf.heading(text, level)
        pdf.paragraph(SENTENCE)
    return [*texts, SENTENCE]


def _bullets(pdf: ReportPDF) -> list[str]:
    texts = [f"{FB}{SENTENCE}", f"堃{SENTENCE}{SENTENCE}"]
    pdf.bullets(texts)
    return texts


def _table(pdf: ReportPDF) -> list[str]:
    head, cell, owner = f"{FB}表头" + "说明" * 6, f"{FB}{SENTENCE}", f"昇{SENTENCE[:30]}"
    pdf.data_table([Column(head, 60), Column("责任部门", 50), Column("说明", 60)],
                   [[Run(cell, "B"), owner, [Run(f"堃{SENTENCE}"), Run(f"昇{SENTENCE}", "", 8.5)]],
                    [cell, Run(owner, "B"), "短"]])
    return [head, cell, owner, f"堃{SENTENCE}", f"昇{SENTENCE}"]


def _page_breaks(pdf: ReportPDF) -> list[str]:
    # Every line starts with 堃 and the paragraph runs over three pages: the first line of each
    # new page is drawn before the page has any font of its own.
    lines = [f"堃{n:02d}{SENTENCE[:40]}" for n in range(120)]
    pdf.paragraph("\n".join(lines))
    return lines


def _boxes(pdf: ReportPDF) -> list[str]:
    pdf.figures([(f"{FB}指数", "45.0", f"{FB}满分"), ("阶段", f"{FB}级", "说明", "★★☆")])
    pdf.tag(f"{FB}低置信")
    pdf.ln(8)
    pdf.paragraph(SENTENCE)
    return [f"{FB}指数", f"{FB}满分", f"{FB}级", f"{FB}低置信", SENTENCE]


WRITERS = {"paragraph": _paragraphs, "heading": _headings, "bullets": _bullets, "table": _table,
           "page_breaks": _page_breaks, "boxes": _boxes}


@pytest.mark.parametrize("kind", WRITERS)
def test_text_after_a_fallback_glyph_reads_back_whole(kind, tmp_path):
    pdf = _doc()
    pdf.add_page()
    pdf.add_page()  # page 2 has the running header, whose right half starts with 堃
    expected = WRITERS[kind](pdf)
    pdf.paragraph(f"结尾{SENTENCE}")  # and text after it, in the body font, is still right
    data = bytes(pdf.output())
    text = squash(pdftotext(data, tmp_path))
    missing = [s for s in [*expected, f"结尾{SENTENCE}", UNION, f"{FB}的报告"] if squash(s) not in text]
    assert not missing, (missing, text[:400])
    assert not any(ink_past_right_margin(data, tmp_path).values())


# ---------------------------------------------------------------- the reports


@pytest.fixture(scope="module")
def brand() -> LoadedModel:
    """The main model, with every action's owner starting with a fallback glyph (zh and en)."""
    path = Path(__file__).resolve().parent.parent / "frameworks" / "brand-union.yaml"
    text, n = re.subn(r"(owner: \{zh: )(.*?)(, en: )", r"\g<1>昇\g<2>\g<3>昇 ", path.read_text(encoding="utf-8"))
    assert n > 10
    return load_model_text(text, str(path))


def _assessment(model) -> Assessment:
    answers: dict[str, Answer] = {ind.id: 2 + n % 3 for n, ind in enumerate(model.indicators)}
    ids = list(answers)
    return Assessment(model_id=model.id, model_version=model.version,
                      organisation={"name": UNION, "enterprise": "某某有限公司", "assessor": f"昇{FB}"},
                      assessed_at="2026-11-26", answers=answers,
                      notes={ids[0]: f"{FB}负责，{SENTENCE}", ids[1]: f"堃 note {SENTENCE}"})


def _expected(loaded: LoadedModel, data: ReportData, lang: str) -> list[str]:
    """The narrative paragraphs as the code builds them, the notes and the owners as printed."""
    m = loaded.model
    owners = [m.t(item.action.owner, lang) for item in data.roadmap.items if item.action.owner]
    assert owners and all(o.startswith("昇") for o in owners)
    notes = [i18n.t("report.criteria.note", lang, note=note) for note in data.notes.values()]
    return [*_sections.narrative(data), *notes, *owners, UNION]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_narrative_notes_and_owners_read_back_whole(brand, lang, tmp_path):
    a = _assessment(brand.model)
    pdf = build_report(brand, a, lang=lang)
    data = ReportData(loaded=brand, lang=lang, result=score(brand.model, a.answers, a.targets),
                      answers=dict(a.answers), notes=dict(a.notes), organisation=dict(a.organisation),
                      assessed_at=a.assessed_at, answered_version=a.model_version)
    text = squash(pdftotext(pdf, tmp_path))
    expected = _expected(brand, data, lang)
    assert len(expected) >= 5
    missing = [s for s in expected if squash(s) not in text]
    assert not missing, missing
    ink = ink_past_right_margin(pdf, tmp_path, first_page=2)
    assert not any(ink.values()), ink


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_workshop_report_reads_back_whole(brand, lang, tmp_path):
    model = brand.model
    people = [{i.id: 2 + (n + k) % 3 for k, i in enumerate(model.indicators)} for n in range(4)]
    aggs = aggregate(model, people)
    title = f"{FB}年度品牌工会研讨会"
    pdf = build_workshop_report(brand, title=title, organisation={"name": title}, aggregates=aggs,
                                participants=4, lang=lang, assessed_at="2026-11-20")
    answers = group_answers(aggs)
    data = ReportData(loaded=brand, lang=lang, result=score(model, answers), answers=answers, notes={},
                      organisation={"name": title}, assessed_at="2026-11-20", answered_version=model.version,
                      workshop=WorkshopData(title=title, aggregates=dict(aggs), participants=4))
    text = squash(pdftotext(pdf, tmp_path))
    expected = [*_sections.narrative(data), title]
    missing = [s for s in expected if squash(s) not in text]
    assert not missing, missing
    ink = ink_past_right_margin(pdf, tmp_path, first_page=2)
    assert not any(ink.values()), ink


def test_chart_label_with_a_fallback_glyph_is_drawn_not_dropped(brand, tmp_path, caplog):
    """fpdf2's SVG text has no fallback fonts: such a chart goes in as vl-convert's PNG, which draws 堃."""
    path = Path(__file__).resolve().parent.parent / "frameworks" / "brand-union.yaml"
    first = brand.model.criteria[0]
    name = brand.model.t(first.name, "zh")
    text = path.read_text(encoding="utf-8").replace(f"name: {{zh: {name},", f"name: {{zh: 堃{name},", 1)
    loaded = load_model_text(text, str(path))
    assert loaded.model.t(loaded.model.criteria[0].name, "zh") == f"堃{name}"
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        pdf = build_report(loaded, _assessment(loaded.model), lang="zh")
    dropped = [r.getMessage() for r in caplog.records if "missing" in r.getMessage()]
    assert not dropped, dropped
    assert squash(f"堃{name}") in squash(pdftotext(pdf, tmp_path))
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    assert sum(len(page.images) for page in pages) >= 3  # radar, groups, gaps: each names the criterion
