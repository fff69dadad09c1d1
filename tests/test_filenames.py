"""Download file names: one style for PDF, CSV, Excel and JSON, safe on every OS, in zh and en (issue 8)."""

from __future__ import annotations

import ast
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maturity import tables
from maturity.filenames import MAX_BYTES, download_name
from maturity.report import report_filename

DAY = "2026-11-26"
FORBIDDEN = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')


@pytest.mark.parametrize(
    ("name", "kind", "ext", "lang", "expected"),
    [
        ("某某公司工会", "诊断报告", "pdf", "zh", "某某公司工会-诊断报告-2026-11-26.pdf"),
        ("某某公司工会", "路线图", "xlsx", "zh", "某某公司工会-路线图-2026-11-26.xlsx"),
        ("年度研讨会", "原始答案", "csv", "zh", "年度研讨会-原始答案-2026-11-26.csv"),
        ("Example Union", "roadmap", "CSV", "en", "Example Union-roadmap-2026-11-26.csv"),
        # the old PDF name turned spaces into '_': '某某_·_工会_品牌工会诊断报告_…'
        ("某某 · 工会", "诊断报告", "pdf", "zh", "某某 · 工会-诊断报告-2026-11-26.pdf"),
        ("  多个   空格\t和\n换行  ", "自评", "json", "zh", "多个 空格 和 换行-自评-2026-11-26.json"),
        ('a/b\\c:d*e?f"g<h>i|j', "路线图", "csv", "zh", "a_b_c_d_e_f_g_h_i_j-路线图-2026-11-26.csv"),
        ("../../etc/passwd", "诊断报告", "pdf", "zh", "etc_passwd-诊断报告-2026-11-26.pdf"),
        ("C:\\Windows\\system32", "路线图", "csv", "en", "C_Windows_system32-路线图-2026-11-26.csv"),
        ("x\u202egpj.exe", "诊断报告", "pdf", "zh", "xgpj.exe-诊断报告-2026-11-26.pdf"),  # RLO dropped
        ("零\u200b宽\ufeff字符", "路线图", "csv", "zh", "零宽字符-路线图-2026-11-26.csv"),
        ("\x00\x07名\x1b称\x7f", "路线图", "csv", "zh", "名称-路线图-2026-11-26.csv"),
        ("堃𠀋😀 工会", "路线图", "csv", "zh", "堃𠀋😀 工会-路线图-2026-11-26.csv"),
        ("CON", "路线图", "csv", "zh", "CON-路线图-2026-11-26.csv"),
        # a name that cleans to nothing is the translated 'unnamed'
        ("   ", "诊断报告", "pdf", "zh", "未命名-诊断报告-2026-11-26.pdf"),
        ("...", "diagnosis-report", "pdf", "en", "unnamed-diagnosis-report-2026-11-26.pdf"),
        (". . .", "路线图", "xlsx", "zh", "未命名-路线图-2026-11-26.xlsx"),
        ("\x00\u202e", "roadmap", "csv", "en", "unnamed-roadmap-2026-11-26.csv"),
        ("/", "路线图", "csv", "zh", "未命名-路线图-2026-11-26.csv"),
        # no name at all (a listing of every assessment) leaves the part out
        ("", "历史自评", "csv", "zh", "历史自评-2026-11-26.csv"),
        ("工会", "诊断报告", "p.d/f", "zh", "工会-诊断报告-2026-11-26.pdf"),
    ],
)
def test_download_name_table(name, kind, ext, lang, expected):
    assert download_name(name, kind, DAY, ext, lang) == expected


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_long_names_are_bounded_without_parting_a_character_from_its_marks(lang):
    for name in ["堃" * 600, "a" * 600, "e\u0301" * 300, "🇨🇳" * 200]:
        out = download_name(name, "路线图", DAY, "csv", lang)
        assert len(out.encode("utf-8")) <= MAX_BYTES and out.endswith(f"-路线图-{DAY}.csv"), out
        assert not unicodedata.category(out.split("-")[0][0]).startswith("M")
    marked = download_name("q\u0307" * 300, "k", DAY, "csv", lang)  # q̇ has no composed form
    assert marked.split("-")[0].endswith("q\u0307"), marked  # a cut never leaves a bare 'q'


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["zh", "en"]))
def test_any_name_gives_a_safe_file_name(name, lang):
    out = download_name(name, "路线图", DAY, "csv", lang)
    stem = out.removesuffix(".csv")
    assert out.endswith(".csv") and stem
    assert not FORBIDDEN.search(out), out
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in out), out
    assert stem[0] not in " .-" and stem[-1] not in " .", out
    assert len(out.encode("utf-8")) <= MAX_BYTES
    assert stem.endswith(f"路线图-{DAY}")


@pytest.mark.parametrize(
    ("lang", "workshop", "expected"),
    [
        ("zh", False, "某某公司工会-诊断报告-2026-11-26.pdf"),
        ("en", False, "某某公司工会-diagnosis-report-2026-11-26.pdf"),
        ("zh", True, "某某公司工会-集体诊断报告-2026-11-26.pdf"),
        ("en", True, "某某公司工会-group-diagnosis-report-2026-11-26.pdf"),
    ],
)
def test_pdf_and_table_names_share_one_style(lang, workshop, expected):
    assert report_filename("某某公司工会", DAY, lang, workshop=workshop) == expected
    assert tables.export_filename("某某公司工会", "路线图", DAY, "xlsx", lang) == "某某公司工会-路线图-2026-11-26.xlsx"
    assert report_filename(" ", DAY, lang).startswith("未命名-" if lang == "zh" else "unnamed-")


def test_every_download_button_is_named_by_the_one_function(root):
    """No page builds a download's file name itself (the workshop CSV used f'{code}_{day}.csv')."""
    namers = {"export_filename", "report_filename", "download_name", "uploaded_name", "docx_filename"}
    seen = 0
    for path in [*sorted((root / "pages").glob("*.py")), root / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "download_button":
                seen += 1
                names = [k.value for k in node.keywords if k.arg == "file_name"]
                assert len(names) == 1, f"{path.name}:{node.lineno}: download_button without file_name="
                call = names[0]
                func = call.func if isinstance(call, ast.Call) else None
                name = getattr(func, "attr", None) or getattr(func, "id", None)
                assert name in namers, f"{path.name}:{node.lineno}: file_name= is not one of {sorted(namers)}"
    assert seen >= 8


def test_an_uploaded_file_downloads_under_its_own_name_made_safe():
    from maturity.filenames import uploaded_name

    assert uploaded_name("职代会决议.pdf", "pdf") == "职代会决议.pdf"
    assert uploaded_name("照片.JPG", "jpeg") == "照片.JPG"
    assert uploaded_name("扫描件.pdf", "png") == "扫描件.pdf.png"  # a PNG named .pdf downloads as what it is
    assert uploaded_name('a:b*c?.docx', "docx") == "a_b_c_.docx"
    assert uploaded_name("...", "pdf").endswith(".pdf")
