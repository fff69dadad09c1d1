"""The Word report (.docx, issue 12): read back with python-docx, in both styles, zh and en, workshop too.

What a reader sees in Word is checked through the file's own parts: the text of every paragraph
and table cell, the paragraph styles (Heading 1/2/3 feed the navigation pane), the TOC and PAGE
field codes, the fonts in the ``w:eastAsia`` slots and the section's page size and margins.
LibreOffice renders were looked at by hand (issue 12); they are not part of this suite.
"""

from __future__ import annotations

import io
import random
import subprocess
import sys
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from maturity import i18n
from maturity.aggregate import aggregate
from maturity.assessment import Assessment
from maturity.display import fmt_index
from maturity.loader import load_model
from maturity.model import HORIZONS
from maturity.report import (
    DOCX_MIME,
    build_docx_report,
    build_workshop_docx,
    docx_filename,
    report_filename,
)
from maturity.scoring import NA, Answer, score

UNION = "张堃所在的某某工会"  # 堃 is outside GB2312


@pytest.fixture(scope="module")
def brand(root):
    """The main model."""
    return load_model(root / "frameworks" / "brand-union.yaml")


@pytest.fixture(scope="module")
def assessment(brand) -> Assessment:
    """Mixed answers with N/A, one unanswered question and a note with a rare character."""
    model = brand.model
    rng = random.Random(9)
    ids = [i.id for i in model.indicators]
    answers: dict[str, Answer] = {i: rng.choice([1, 2, 2, 3, 3, 4, 5]) for i in ids}
    answers[ids[2]] = NA
    del answers[ids[3]]
    return Assessment(model_id=model.id, model_version=model.version,
                      organisation={"name": UNION, "enterprise": "某某有限公司", "assessor": "王小明"},
                      assessed_at="2026-11-26", answers=answers, notes={ids[0]: "张堃负责，每季度形成纪要。"})


@pytest.fixture(scope="module")
def built(brand, assessment):
    """The four Word reports (zh/en × default/gongwen), built once, by (lang, style)."""
    return {(lang, style): build_docx_report(brand, assessment, lang=lang, style=style)
            for lang in ("zh", "en") for style in ("default", "gongwen")}


def texts(data: bytes) -> list[str]:
    """Every paragraph's text, body and table cells, in document order."""
    d = docx.Document(io.BytesIO(data))
    out = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            out += [c.text for c in row.cells]
    return out


def styled(data: bytes, style: str) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.style is not None and p.style.name == style]


def xml_of(data: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(part).decode()


CASES = [("zh", "default"), ("zh", "gongwen"), ("en", "default"), ("en", "gongwen")]


@pytest.mark.parametrize(("lang", "style"), CASES)
def test_the_word_report_has_the_union_every_criterion_the_index_and_the_roadmap(built, brand, assessment,
                                                                                 lang, style):
    data = built[lang, style]
    model = brand.model
    all_text = "\n".join(texts(data))
    assert UNION in all_text and "张堃负责，每季度形成纪要。" in all_text
    h3 = styled(data, "Heading 3")
    for c in model.criteria:
        assert model.t(c.name, lang) in h3, c.id  # each criterion is a heading of its own
    result = score(model, assessment.answers, assessment.targets)
    shown = fmt_index(result.overall.index)  # as the results page prints it
    assert shown in all_text
    assert i18n.t("report.narrative.overall", lang, index=shown, avg="x", stage="y", stars="z").split(shown)[0] \
        in all_text
    from maturity.advice import roadmap

    titles = [model.t(item.action.title, lang) for h in HORIZONS for item in roadmap(model, result).by_horizon.get(h, ())]
    assert titles
    for title in titles:
        assert title in all_text, title


@pytest.mark.parametrize(("lang", "style"), CASES)
def test_section_titles_are_word_headings(built, brand, lang, style):
    data = built[lang, style]
    h1 = styled(data, "Heading 1")
    for key in ("summary.title", "charts.title", "criteria.title", "roadmap.title", "appendix.title"):
        assert i18n.t(f"report.{key}", lang) in h1, key
    h2 = styled(data, "Heading 2")
    for h in HORIZONS:
        assert i18n.t(f"report.horizon.{h}", lang) in h2
    assert i18n.t("report.title", lang) in styled(data, "Title")


@pytest.mark.parametrize(("lang", "style"), CASES)
def test_the_table_of_contents_and_page_number_are_word_fields(built, lang, style):
    data = built[lang, style]
    body = xml_of(data, "word/document.xml")
    assert 'TOC \\o "1-2"' in body and 'w:fldCharType="begin"' in body
    assert i18n.t("docx.toc_hint", lang) in "\n".join(texts(data))  # the document says Word fills it
    assert 'w:updateFields w:val="true"' in xml_of(data, "word/settings.xml")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
    assert any(" PAGE " in f for f in footers)
    assert any("— " in f for f in footers) == (style == "gongwen")


def test_the_charts_are_pictures_sharp_enough_to_print(built):
    data = built["zh", "default"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        pngs = [z.read(n) for n in z.namelist() if n.startswith("word/media/") and n.endswith(".png")]
    assert len(pngs) >= 3
    from PIL import Image

    for png in pngs:
        width = Image.open(io.BytesIO(png)).size[0]
        assert width >= 1700  # ~300 dpi across 16 cm


EAST_ASIA = {"Title": "方正小标宋简体", "Heading 1": "黑体", "Heading 2": "楷体_GB2312", "Normal": "仿宋_GB2312",
             "Body Text": "仿宋_GB2312", "Footer": "宋体"}
SIZES = {"Title": 22, "Heading 1": 16, "Heading 2": 16, "Normal": 16, "Footer": 14}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gongwen_fonts_sizes_and_page_follow_gb_t_9704(built, lang):
    d = docx.Document(io.BytesIO(built[lang, "gongwen"]))
    for name, font in EAST_ASIA.items():
        rfonts = d.styles[name].element.rPr.rFonts
        assert rfonts.get(qn("w:eastAsia")) == font, name
        assert rfonts.get(qn("w:ascii")) == "Times New Roman", name
        assert rfonts.get(qn("w:eastAsiaTheme")) is None and rfonts.get(qn("w:asciiTheme")) is None, name
    for name, size in SIZES.items():
        assert d.styles[name].font.size.pt == size, name
    assert d.styles["Normal"].paragraph_format.line_spacing.pt == 28
    for section in d.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
        assert tuple(round(m.mm) for m in margins) == (37, 35, 28, 26)


def test_the_default_style_is_a4_and_not_gongwen(built):
    d = docx.Document(io.BytesIO(built["zh", "default"]))
    assert all((round(s.page_width.mm), round(s.page_height.mm)) == (210, 297) for s in d.sections)
    assert d.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) != "黑体"


def test_english_word_report_has_no_chinese_of_its_own(brand):
    model = brand.model
    a = Assessment(model_id=model.id, model_version=model.version, organisation={"name": "Acme Union"},
                   assessed_at="2026-11-26", answers={i.id: 3 for i in model.indicators})
    text = "\n".join(texts(build_docx_report(brand, a, lang="en")))
    assert not [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_workshop_word_report_has_distributions(brand, lang):
    model = brand.model
    ids = [i.id for i in model.indicators]
    people = [{i: 3 for i in ids} for _ in range(5)]
    people[0][ids[0]], people[1][ids[0]] = 1, 5
    aggs = aggregate(model, people, consensus={ids[2]: 4})
    data = build_workshop_docx(brand, title="年度品牌工会研讨会", organisation={"name": UNION}, aggregates=aggs,
                               participants=5, lang=lang, assessed_at="2026-11-20", style="gongwen")
    text = "\n".join(texts(data))
    assert "年度品牌工会研讨会" in text and UNION in text
    assert i18n.t("report.workshop_title", lang) in styled(data, "Title")
    assert i18n.t("report.criteria.stats", lang, n=5, na=0, mean="3.0", sd="1.26") in text
    assert i18n.t("report.criteria.disagreement", lang) in text


def test_an_unknown_style_is_refused(brand, assessment):
    with pytest.raises(ValueError, match="gongwen"):
        build_docx_report(brand, assessment, style="fancy")


def test_the_file_name_is_the_pdfs_with_docx():
    assert docx_filename("某某公司工会", "2026-11-26", "zh") == "某某公司工会-诊断报告-2026-11-26.docx"
    assert docx_filename("a/b", "2026-11-26", "en", workshop=True) == \
        report_filename("a/b", "2026-11-26", "en", workshop=True).removesuffix(".pdf") + ".docx"
    assert DOCX_MIME.endswith("wordprocessingml.document")


def test_cli_writes_a_word_report_from_the_extension(root, tmp_path):
    out = tmp_path / "r.docx"
    proc = subprocess.run(
        [sys.executable, "-m", "maturity", "report", "tests/frameworks/tiny-assessment.json",
         "--model", "tests/frameworks/tiny.yaml", "-o", str(out), "--lang", "zh", "--style", "gongwen"],
        cwd=root, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    d = docx.Document(str(out))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "引领力" in text
    assert d.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


@pytest.mark.parametrize("style", ["default", "gongwen"])
def test_the_appendix_lists_the_evidence_files_as_the_pdf_does(root, tiny, tmp_path, style):
    from maturity.assessment import read_json
    from maturity.store import Store

    store = Store(f"sqlite:///{tmp_path / 'r.db'}")
    store.create_schema()
    try:
        a = read_json(root / "tests" / "frameworks" / "tiny-assessment.json", tiny.model)
        token = store.import_assessment(a, tiny).token
        store.evidence.add(token, "leading.party", "现场照片（张堃摄）.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 3000)
        store.evidence.add(token, "digital.platform", "平台台账.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n")
        files = store.evidence.list(token)
        data = build_docx_report(tiny, a, lang="zh", style=style, evidence=files)
    finally:
        store.dispose()
    assert i18n.t("bundle.report.title", "zh") in styled(data, "Heading 2")
    cells = texts(data)
    for f in files:
        assert f.filename in cells and f.sha256 in cells and f.created_at.strftime("%Y-%m-%d") in cells
    assert i18n.t("bundle.report.none", "zh") in "\n".join(texts(build_docx_report(tiny, a, lang="zh")))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_results_page_offers_the_word_report_beside_the_pdf(root, store, tiny, lang):
    from tests import helpers

    record = store.create_assessment(store.get_model_snapshot(store.save_model_snapshot(tiny)), {"name": UNION})
    store.save_answers(record.token, {"leading.party": 2}, {})
    at = helpers.open_page(root, "results", lang, record.token)
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    pdf, word = i18n.t("r.download_pdf", lang), i18n.t("docx.download", lang)
    assert pdf in labels and word in labels and labels.index(word) == labels.index(pdf) + 1
    style = at.radio(key="r_docx_style")
    assert list(style.options) == [i18n.t("docx.style_default", lang), i18n.t("docx.style_gongwen", lang)]


def test_typed_text_with_control_characters_is_written_not_refused(brand):
    """A name or note pasted with a control character (lxml refuses them in XML) still gives a report."""
    model = brand.model
    first = model.indicators[0].id
    a = Assessment(model_id=model.id, model_version=model.version,
                   organisation={"name": "张堃\x00工会\x1b", "assessor": "王\x0b小明"}, assessed_at="2026-11-26",
                   answers={i.id: 2 for i in model.indicators}, notes={first: "**纪要**\x08<b>已存档</b>"})
    text = "\n".join(texts(build_docx_report(brand, a, style="gongwen")))
    assert "张堃工会" in text and "**纪要**<b>已存档</b>" in text  # as typed, as text: no Markdown, no HTML


def test_the_workshop_host_page_offers_the_word_report_beside_its_pdf(root, store, tiny):
    from maturity.workshop import WorkshopService
    from tests.test_pages_workshop import open_with

    svc = WorkshopService(store)
    ws, key = svc.create(tiny, "职代会前研讨")
    svc.submit(svc.join(ws.code).token, {i.id: 3 for i in tiny.model.indicators})
    svc.close(ws.code, key)  # the results and downloads come once the session is closed
    at = open_with(root, "workshop_host", w=ws.code, k=key)
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    pdf, word = i18n.t("wshost.pdf", "zh"), i18n.t("docx.download", "zh")
    assert pdf in labels and word in labels and labels.index(word) == labels.index(pdf) + 1
    assert at.radio(key="wsh_docx_style").options == [i18n.t("docx.style_default", "zh"),
                                                      i18n.t("docx.style_gongwen", "zh")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gongwen_page_numbers_sit_on_the_outer_side(built, lang):
    """GB/T 9704: 单页码居右空一字，双页码居左空一字 — odd pages right, even pages left; the default centres one."""
    gongwen = docx.Document(io.BytesIO(built[lang, "gongwen"]))
    assert gongwen.settings.odd_and_even_pages_header_footer
    for section in gongwen.sections:
        odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
        assert (odd.alignment, even.alignment) == (WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT)
        assert odd.paragraph_format.right_indent == Pt(14) and even.paragraph_format.left_indent == Pt(14)
        assert odd.text == even.text == "— 1 —"
    default = docx.Document(io.BytesIO(built[lang, "default"]))
    assert not default.settings.odd_and_even_pages_header_footer
    assert {s.footer.paragraphs[0].alignment for s in default.sections} == {WD_ALIGN_PARAGRAPH.CENTER}
