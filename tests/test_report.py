"""PDF diagnosis report: text really in the file (pypdf and pdftotext), fonts embedded, odd models and inputs.

poppler-utils (pdftotext, pdffonts) is required: without it these tests fail, they do not skip.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import sys
import xml.dom.minidom
from pathlib import Path

import pypdf
import pytest

from maturity import i18n
from maturity.advice import roadmap
from maturity.aggregate import aggregate
from maturity.assessment import Assessment, read_json
from maturity.display import join_names
from maturity.explain import fmt_index
from maturity.loader import load_model, load_model_text
from maturity.report import _render, _svg, _vl, build_report, build_workshop_report, report_filename
from maturity.report._data import ReportData
from maturity.scoring import NA, Answer, score

UNION = "张堃所在的某某工会"  # 堃 is outside GB2312: it needs the fallback font
CLOSING = "，。、；：？！）》」』】”’…"


def squash(text: str) -> str:
    """Text without any whitespace, so wrapped lines still match."""
    return re.sub(r"\s+", "", text)


def pypdf_text(pdf: bytes) -> str:
    """All text pypdf extracts.

    fpdf2 writes a CFF fallback font (堃 comes from the system's Noto Sans CJK .ttc) with a
    custom encoding CMap that pypdf splits into one-byte codes, adding a NUL before the glyph;
    poppler reads it right. The NULs are dropped here; the glyph itself must be there.
    """
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return "\n".join(page.extract_text() for page in pages).replace("\x00", "")


def poppler(tool: str, pdf: bytes, tmp_path, *args: str) -> str:
    """Run a poppler tool on ``pdf``; fails (never skips) when poppler-utils is missing."""
    exe = shutil.which(tool)
    assert exe, f"{tool} not found: install poppler-utils (see .ci/apt-packages.txt)"
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([exe, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
                         capture_output=True, text=True, check=True, timeout=60)
    return out.stdout


def embedded_fonts(pdf: bytes, tmp_path) -> list[tuple[str, str]]:
    """(font name, emb column) for every font pdffonts lists."""
    lines = poppler("pdffonts", pdf, tmp_path).splitlines()
    rows = [line.split() for line in lines[2:] if line.strip()]
    return [(row[0], row[-5]) for row in rows]  # columns end with: emb sub uni object-number generation


@pytest.fixture(scope="module")
def brand(root):
    """The main model."""
    return load_model(root / "frameworks" / "brand-union.yaml")


def brand_assessment(model, org_name: str) -> Assessment:
    """Mixed answers with N/A, one unanswered question and notes."""
    rng = random.Random(9)
    ids = [i.id for i in model.indicators]
    answers: dict[str, Answer] = {i: rng.choice([1, 2, 2, 3, 3, 4, 5]) for i in ids}
    answers[ids[2]] = NA
    del answers[ids[3]]
    return Assessment(model_id=model.id, model_version=model.version,
                      organisation={"name": org_name, "enterprise": "某某有限公司", "assessor": "王小明"},
                      assessed_at="2026-11-26", answers=answers,
                      notes={ids[0]: "每季度党委会听取工会汇报，形成纪要。", ids[1]: "张堃负责"})


@pytest.fixture(scope="module")
def tiny_assessment(root, tiny) -> Assessment:
    """The tiny example assessment, by a union whose name has a rare character."""
    a = read_json(root / "tests" / "frameworks" / "tiny-assessment.json", tiny.model)
    a.organisation["name"] = UNION
    return a


CASES = [("tiny", "zh"), ("tiny", "en"), ("brand", "zh"), ("brand", "en")]


@pytest.fixture(scope="module")
def built(tiny, brand, tiny_assessment):
    """The four reports of CASES, built once: (loaded, assessment, pdf bytes)."""
    out = {}
    for which, lang in CASES:
        if which == "tiny":
            loaded, a = tiny, tiny_assessment
        else:
            loaded, a = brand, brand_assessment(brand.model, UNION)
        out[which, lang] = (loaded, a, build_report(loaded, a, lang=lang))
    return out


@pytest.mark.parametrize(("which", "lang"), CASES)
def test_report_text_is_real_and_complete(built, which, lang, tmp_path):
    loaded, a, pdf = built[which, lang]
    model = loaded.model
    result = score(model, a.answers, a.targets)
    assert pdf.startswith(b"%PDF")
    needles = [UNION, fmt_index(result.overall.index)]
    needles += [model.t(c.name, lang) for c in model.criteria]
    needles += [model.t(item.action.title, lang) for item in roadmap(model, result).items]
    assert len(roadmap(model, result)) > 0
    for text in (pypdf_text(pdf), poppler("pdftotext", pdf, tmp_path)):
        flat = squash(text)
        missing = [n for n in needles if squash(n) not in flat]
        assert not missing, missing
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    footer = i18n.t("report.footer", lang, page=pages, pages=pages)
    assert squash(footer) in squash(pypdf_text(pdf))


@pytest.mark.parametrize(("which", "lang"), CASES)
def test_every_font_is_embedded(built, which, lang, tmp_path):
    fonts = embedded_fonts(built[which, lang][2], tmp_path)
    assert fonts and all(emb == "yes" for _, emb in fonts), fonts
    # 堃 came from the fallback font: it is embedded too, and unused fallbacks are left out.
    assert 2 <= len(fonts) <= 4, fonts


def test_user_text_notes_and_answers_are_printed(built, tmp_path):
    loaded, a, pdf = built["brand", "zh"]
    text = squash(poppler("pdftotext", pdf, tmp_path))
    for note in a.notes.values():
        assert squash(note) in text
    first = loaded.model.indicators[0]
    assert squash(loaded.model.t(first.answers[a.answers[first.id]], "zh")) in text
    assert squash(i18n.t("report.criteria.answer_na", "zh")) in text
    assert squash(i18n.t("report.criteria.answer_none", "zh")) in text
    assert loaded.sha256 in text


def test_chinese_lines_never_start_with_closing_punctuation(built, tmp_path):
    for key in (("brand", "zh"), ("tiny", "zh")):
        lines = poppler("pdftotext", built[key][2], tmp_path).splitlines()
        bad = [line for line in lines if line.strip() and line.strip()[0] in CLOSING]
        assert not bad, bad[:5]


def test_english_report_has_no_chinese_of_its_own(brand, tmp_path):
    a = brand_assessment(brand.model, "Example Union")
    a.notes = {}
    a.organisation = {"name": "Example Union", "assessor": "Jane Doe"}
    text = poppler("pdftotext", build_report(brand, a, lang="en"), tmp_path)
    assert not re.findall(r"[\u3400-\u9fff]", text)
    assert "Page 1 / " in text


def test_zh_report_has_no_catalogue_keys_or_placeholders(built, tmp_path):
    text = poppler("pdftotext", built["brand", "zh"][2], tmp_path)
    assert "report." not in text and "chart." not in text
    assert not re.search(r"\{[a-z_]+\}", text)
    assert "第 1 页 / 共" in text


def test_ten_level_third_party_model_renders(tmp_path):
    lines = ["format: maturity-model/1", "id: ten-levels", 'version: "3"', "title: {zh: 十级模型, en: Ten levels}",
             "languages: [zh, en]", "scale:"]
    lines += [f"  - {{level: {lv}, name: {{zh: 第{lv}档, en: Band {lv}}}}}" for lv in range(10)]
    lines += ["groups:", "  - id: g", "    name: 甲组", "    criteria:"]
    for c in range(4):
        lines += [f"      - id: c{c}", f"        name: 准则{c}", "        indicators:",
                  f"          - id: c{c}.q", f"            question: 问题{c}？", "            answers:"]
        lines += [f"              {lv}: 答案{lv}" for lv in range(10)]
        lines += ["        actions:", "          2:", f"            - {{title: 行动{c}, horizon: mid}}"]
    loaded = load_model_text("\n".join(lines) + "\n", "ten.yaml")
    answers = {"c0.q": 2, "c1.q": 9, "c2.q": 0, "c3.q": 5}
    a = Assessment(model_id="ten-levels", model_version="3", organisation={"name": "十级工会"}, answers=answers)
    pdf = build_report(loaded, a, lang="zh")
    text = squash(poppler("pdftotext", pdf, tmp_path))
    assert all(f"第{lv}档" in text for lv in range(10))
    assert "★★★☆☆☆☆☆☆☆" in text  # level 2 of 0–9
    assert "行动0" in text and fmt_index(score(loaded.model, answers).overall.index) in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_all_na_assessment_says_there_is_no_score(brand, lang, tmp_path):
    answers = {i.id: NA for i in brand.model.indicators}
    a = Assessment(model_id=brand.model.id, model_version=brand.model.version, organisation={"name": "全不适用工会"},
                   answers=answers)
    pdf = build_report(brand, a, lang=lang)
    text = squash(poppler("pdftotext", pdf, tmp_path))
    assert squash(i18n.t("report.narrative.no_scores", lang)) in text
    assert squash(i18n.t("report.roadmap.empty", lang)) in text
    assert all(emb == "yes" for _, emb in embedded_fonts(pdf, tmp_path))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_workshop_report_shows_distributions_and_disagreement(brand, lang, tmp_path):
    model = brand.model
    ids = [i.id for i in model.indicators]
    people = [{i: 3 for i in ids} for _ in range(5)]
    people[0][ids[0]], people[1][ids[0]] = 1, 5  # spread of 4 levels: disagreement
    people[2][ids[1]] = NA
    aggs = aggregate(model, people, consensus={ids[2]: 4})
    assert aggs[ids[0]].disagreement
    pdf = build_workshop_report(brand, title="年度品牌工会研讨会", organisation={"name": UNION}, aggregates=aggs,
                                participants=5, lang=lang, assessed_at="2026-11-20")
    text = squash(poppler("pdftotext", pdf, tmp_path))
    assert squash(i18n.t("report.criteria.disagreement", lang)) in text
    assert squash(i18n.t("report.narrative.disagreement", lang, n=1)) in text
    assert squash(i18n.t("report.criteria.stats", lang, n=5, na=0, mean="3.0", sd="1.26")) in text
    assert squash(i18n.t("report.criteria.count_na", lang, n=1)) in text
    assert "年度品牌工会研讨会" in text and squash(UNION) in text
    assert squash(i18n.t("report.workshop_title", lang)) in text


def _subset_session(brand, criteria):
    """Three people on the questions of ``criteria`` only, one consensus with a note: a subset session."""
    model = brand.model
    ids = [i.id for i in model.indicators if model.criterion_of[i.id].id in criteria]
    people = [{i: 1 + (n + k) % 5 for k, i in enumerate(ids)} for n in range(3)]
    aggs = aggregate(model, people, consensus={ids[0]: 4}, notes={ids[0]: "以党委意见为准"})
    return ids, {k: v for k, v in aggs.items() if k in ids}  # what WorkshopService.aggregates returns


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_subset_workshop_reports_its_own_criteria_and_coverage(brand, lang, tmp_path):
    """Issue 10: a session on 2 of 8 criteria said "8 / 32 answered (25%)" and listed six criteria nobody discussed."""
    model = brand.model
    _, aggs = _subset_session(brand, ["leading", "digital"])
    title = "2026 年职代会品牌工会研讨"
    pdf = build_workshop_report(brand, title=title, organisation={"name": title}, aggregates=aggs, participants=3,
                                lang=lang, assessed_at="2026-12-02")
    text = squash(poppler("pdftotext", pdf, tmp_path))
    assert squash(i18n.t("report.cover.coverage_value", lang, answered=8, total=8,
                         coverage=i18n.t("report.percent", lang, value="100"))) in text
    assert "32" not in squash(i18n.t("report.cover.coverage_value", lang, answered=8, total=8, coverage="x"))
    assert squash(i18n.t("report.no_data", lang)) not in text
    assert squash(i18n.t("report.criteria.low_confidence", lang)) + squash(i18n.t("report.criteria.low_confidence_note",
                  lang, valid=0, total=4)) not in text
    names = {c.id: model.t(c.name, lang) for c in model.criteria}
    chosen = join_names([names["leading"], names["digital"]], lang)
    scope = squash(i18n.t("wsfacil.scope_value", lang, n=2, total=8, names=chosen))
    assert squash(i18n.t("wsfacil.scope", lang) + chosen) in text and scope[:len(scope) // 2] in text  # (wrapped)
    # a section for each of the session's criteria (its name, then its index), none for the six nobody discussed
    index = {"zh": "指数", "en": "index"}[lang]
    for cid, name in names.items():
        assert (squash(name) + index in text) is (cid in ("leading", "digital")), (cid, name)
    assert squash(i18n.t("wsfacil.consensus_note", lang, note="以党委意见为准")) in text
    assert squash(i18n.t("report.charts.radar", lang)) not in text  # two axes make no radar; the bars remain
    assert squash(i18n.t("report.charts.gap", lang)) in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_workshop_cover_prints_the_title_once(brand, lang, tmp_path):
    _, aggs = _subset_session(brand, ["leading", "digital"])
    title = "年度品牌工会研讨会"
    pdf = build_workshop_report(brand, title=title, organisation={"name": title}, aggregates=aggs, participants=3,
                                lang=lang, assessed_at="2026-12-02")
    cover = squash(poppler("pdftotext", pdf, tmp_path, "-f", "1", "-l", "1"))
    assert cover.count(title) == 1, cover
    # a union named apart from the session: the union big, the session once in its row
    pdf = build_workshop_report(brand, title=title, organisation={"name": UNION}, aggregates=aggs, participants=3,
                                lang=lang, assessed_at="2026-12-02")
    cover = squash(poppler("pdftotext", pdf, tmp_path, "-f", "1", "-l", "1"))
    assert cover.count(title) == 1 and squash(UNION) in cover
    assert squash(i18n.t("report.cover.session", lang)) + title in cover


def test_a_whole_model_workshop_has_no_scope_line_and_counts_every_question(brand, tmp_path):
    model = brand.model
    people = [{i.id: 3 for i in model.indicators} for _ in range(3)]
    pdf = build_workshop_report(brand, title="全模型研讨", organisation={"name": "全模型研讨"},
                                aggregates=aggregate(model, people), participants=3, lang="zh", assessed_at="2026-12-02")
    text = squash(poppler("pdftotext", pdf, tmp_path))
    assert squash(i18n.t("wsfacil.scope", "zh")) not in text
    assert "已答34/34题" in text and squash(i18n.t("report.charts.radar", "zh")) in text


def test_the_session_criteria_can_be_given_and_beat_the_aggregates(brand, tmp_path):
    from maturity.report._build import criteria_of, session_model

    _, aggs = _subset_session(brand, ["leading", "digital"])
    assert criteria_of(brand.model, aggs) == ["leading", "digital"]
    cut = session_model(brand, ["digital", "leading", "nope"])
    assert [c.id for c in cut.model.criteria] == ["leading", "digital"] and len(cut.model.indicators) == 8
    assert cut.sha256 == brand.sha256 and brand.model.criteria[1].id == "organising"  # the original untouched
    assert session_model(brand, []) is brand and session_model(brand, [c.id for c in brand.model.criteria]) is brand
    pdf = build_workshop_report(brand, title="只谈引领力", organisation={"name": "只谈引领力"}, aggregates=aggs,
                                participants=3, lang="zh", assessed_at="2026-12-02", criteria=["leading"])
    text = squash(poppler("pdftotext", pdf, tmp_path))
    assert "已答4/4题" in text


def test_missing_glyphs_are_shown_not_dropped(tiny, tiny_assessment, tmp_path):
    a = Assessment(**{**tiny_assessment.__dict__, "notes": {"leading.party": "备注\U0010fffd结束"}})
    text = poppler("pdftotext", build_report(tiny, a, lang="zh"), tmp_path)
    assert "备注□结束" in text


def test_chart_falls_back_to_png_when_fpdf_cannot_read_the_svg(tiny, tiny_assessment, monkeypatch, tmp_path):
    monkeypatch.setattr(_svg, "for_fpdf", lambda svg, safe, family: "<svg><broken")
    pdf = build_report(tiny, tiny_assessment, lang="zh")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    images = [img for page in reader.pages for img in page.images]
    assert len(images) >= 3


def test_report_filename_is_safe():
    # The full table of hostile names is in test_filenames.py; the PDF shares its one style.
    assert report_filename("某某公司工会", "2026-11-26", "zh") == "某某公司工会-诊断报告-2026-11-26.pdf"
    assert report_filename('a/b\\c:d*e?"f<g>h|i\n', "2026-11-26", "en") == \
        "a_b_c_d_e_f_g_h_i-diagnosis-report-2026-11-26.pdf"
    assert report_filename("  ", "2026-11-26", "zh").startswith("未命名-")
    assert report_filename("../../etc", "2026-11-26", "zh") == "etc-诊断报告-2026-11-26.pdf"


def test_cli_writes_the_report(root, tmp_path):
    out = tmp_path / "r.pdf"
    proc = subprocess.run(
        [sys.executable, "-m", "maturity", "report", "tests/frameworks/tiny-assessment.json",
         "--model", "tests/frameworks/tiny.yaml", "-o", str(out), "--lang", "zh"],
        cwd=root, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    text = squash(poppler("pdftotext", out.read_bytes(), tmp_path))
    assert "某某公司工会" in text and "引领力" in text


# ---------------------------------------------------------------- charts: font, helper process, SVG for fpdf2


def report_data(loaded, assessment, lang: str = "zh") -> ReportData:
    return ReportData(loaded=loaded, lang=lang, result=score(loaded.model, assessment.answers),
                      answers=dict(assessment.answers), notes={}, organisation=dict(assessment.organisation),
                      assessed_at=assessment.assessed_at, answered_version=assessment.model_version)


def test_chart_font_is_the_shipped_subset_renamed():
    from fontTools.ttLib import TTFont

    from maturity.report.fonts import BOLD, REGULAR

    family, (directory,) = _vl._chart_fonts()
    assert family == _vl.REPORT_FONT
    copies = sorted(p for p in Path(directory).iterdir() if p.suffix == ".ttf")
    assert [p.name for p in copies] == ["MaturityReportSansSC-Bold.ttf", "MaturityReportSansSC-Regular.ttf"]
    for copy, shipped in zip(copies, (BOLD, REGULAR), strict=True):
        a, b = TTFont(copy, lazy=True), TTFont(shipped, lazy=True)
        assert a["name"].getDebugName(1) == _vl.REPORT_FONT
        # Same glyphs and advance widths: labels are measured as the PDF prints them.
        assert a.getBestCmap() == b.getBestCmap()
        assert a["hmtx"].metrics == b["hmtx"].metrics
        assert a.reader["glyf"] == b.reader["glyf"]


def test_helper_draws_what_vl_convert_draws_here(brand):
    d = report_data(brand, brand_assessment(brand.model, "某某工会"))
    _vl.start()
    assert _vl._helper is not None and _vl._helper.usable
    def same(svg: str) -> str:  # clip ids count the charts a JavaScript runtime has drawn
        return re.sub(r"clip\d+", "clip", svg)

    for spec in _render.chart_specs(d).values():
        assert same(_vl.to_svg(spec)) == same(_vl._here().vegalite_to_svg(spec))


def test_report_is_built_when_the_helper_dies(tiny, tiny_assessment, tmp_path):
    _vl.start()
    _vl._helper.proc.kill()
    _vl._helper.proc.wait()
    _render._svg.cache_clear()
    text = squash(poppler("pdftotext", build_report(tiny, tiny_assessment, lang="zh"), tmp_path))
    assert squash(i18n.t("report.charts.title", "zh")) in text
    assert _vl._helper.usable  # the next build started a new one


def test_chart_is_drawn_here_when_the_helper_dies_on_a_request():
    spec = '{"data": {"values": [{"a": 1}]}, "mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}}}'
    here = _vl._here().vegalite_to_svg(spec)
    _vl.start()
    helper = _vl._helper
    helper.proc.stdout = io.BytesIO(b"")  # the reply never comes: the pipe ends mid-request
    assert _vl.to_svg(spec) == here
    assert helper.broken and not helper.usable and helper.proc.poll() is not None  # closed, it ended
    _vl.start()
    _vl._helper.proc.kill()  # dead before the request
    _vl._helper.proc.wait()
    assert _vl.to_svg(spec) == here


def test_bad_spec_raises_vl_converts_own_error():
    _vl.start()
    with pytest.raises(ValueError):
        _vl.to_svg('{"mark": "no-such-mark", "data": {"values": []}}')
    assert _vl._helper.usable  # an error in one chart does not stop the helper


def test_simplified_svg_keeps_every_painted_element(brand):
    d = report_data(brand, brand_assessment(brand.model, "某某工会"))
    for svg in _render.chart_svgs(d).values():
        out = _svg.simplify(svg)
        for tag in ("<text", "<line", "<tspan", "<rect", "<clipPath", "clip-path="):
            assert out.count(tag) == svg.count(tag), tag
        painted = [p for p in re.findall(r"<path[^>]*>", svg) if 'class="background"' not in p or " fill=" in p
                   or " stroke=" in p]
        assert len(re.findall(r"<path[^>]*>", out)) == len(painted)
        assert len(re.findall(r"<g\b[^>]*[^/]>|<g>", out)) == out.count("</g>") and len(out) < len(svg)
        xml.dom.minidom.parseString(out)  # well-formed


def test_unwrapping_groups_keeps_structure():
    svg = ('<svg><g fill="none"><g><g class="a" role="b"><line x2="1"/></g><g/><g class="c"/>'
           '<g transform="translate(1,2)"><g><text>x</text></g></g></g></g></svg>')
    assert _svg.simplify(svg) == ('<svg><g fill="none"><line x2="1"/><g transform="translate(1,2)">'
                                        '<text>x</text></g></g></svg>')
    styled = '<svg><style>.a{fill:red}</style><g class="a"><path class="background" d="M0,0h1"/></g></svg>'
    assert _svg.simplify(styled) == styled
