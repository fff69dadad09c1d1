"""The PDF report's appendix lists the evidence per question: file name, size, sha256, date (issue 12).

Read back with poppler's pdftotext (tests/test_report.py's helper), so a missing or cut name fails.
"""

from __future__ import annotations

import hashlib

import pytest

from maturity.assessment import read_json
from maturity.bundle import file_size
from maturity.report import build_report
from maturity.store import Store
from tests.test_report import poppler, squash

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 3000
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
# A long name with no space in its Latin part: it must wrap inside its column, not run over the next
LONG = ("关于2026年度职工之家建设和工会经费足额拨缴情况的专题会议纪要及签到表_final_v3_"
        "REALLY_FINAL_version_with_a_long_latin_tail.pdf")


@pytest.fixture
def with_evidence(root, tiny, tmp_path):
    """A stored tiny assessment with a photo and a long-named PDF on one question and a PDF on another."""
    store = Store(f"sqlite:///{tmp_path / 'r.db'}")
    store.create_schema()
    a = read_json(root / "tests" / "frameworks" / "tiny-assessment.json", tiny.model)
    record = store.import_assessment(a, tiny)
    store.evidence.add(record.token, "leading.party", "现场照片.png", PNG)
    store.evidence.add(record.token, "leading.party", LONG, PDF)
    store.evidence.add(record.token, "digital.platform", "平台台账.pdf", PDF + b"%x")
    yield store, record.token, a
    store.dispose()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_appendix_lists_every_file_with_size_sha256_and_date(with_evidence, tiny, tmp_path, lang):
    store, token, a = with_evidence
    files = store.evidence.list(token)
    pdf = build_report(tiny, a, lang=lang, evidence=files)
    title = "佐证材料清单" if lang == "zh" else "Evidence files"
    appendix = squash(poppler("pdftotext", pdf, tmp_path).split(title)[-1])
    for f in files:
        assert squash(f.filename) in appendix  # the whole name, wrapped but not cut
        assert f.sha256 in appendix and f.sha256 == hashlib.sha256(store.evidence.data(token, f.id)).hexdigest()
        assert squash(file_size(f.size)) in appendix
        assert f.created_at.strftime("%Y-%m-%d") in appendix
    # per question, in the model's order: the photo and the long name under the first, the register under the other
    party, platform = tiny.model.indicator_by_id["leading.party"], tiny.model.indicator_by_id["digital.platform"]
    q1, q2 = squash(tiny.model.t(party.question, lang)), squash(tiny.model.t(platform.question, lang))
    laid_out = squash(poppler("pdftotext", pdf, tmp_path, "-layout").split(title)[-1])  # the page's reading order
    assert laid_out.index(q1) < laid_out.index("现场照片.png") < laid_out.index(q2) < laid_out.index("平台台账.pdf")


def test_no_evidence_says_so(tiny, root, tmp_path):
    a = read_json(root / "tests" / "frameworks" / "tiny-assessment.json", tiny.model)
    text = squash(poppler("pdftotext", build_report(tiny, a, lang="zh"), tmp_path))
    assert "佐证材料清单" in text and "本自评未附佐证材料。" in text


def test_file_sizes_read_as_people_say_them():
    assert [file_size(n) for n in (812, 45_000, 2_345_678)] == ["812 B", "43.9 KB", "2.2 MB"]
