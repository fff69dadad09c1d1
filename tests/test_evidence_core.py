"""佐证材料 in the core (issue 12): accepted by content, bounded, stored in the database; the view link reads, never writes.

Every store test runs on a SQLite file and on the machine's PostgreSQL.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest

from maturity import migrations
from maturity.errors import ReadOnlyLink, UnknownAssessment
from maturity.evidence import EvidenceRefused, Limits, check_file, clean_filename, sniff
from maturity.limits import MIB
from maturity.store import Store

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 64


def office(kind: str, extra: dict[str, bytes] | None = None, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    part = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(part, "<x/>")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_the_kind_comes_from_the_bytes_not_the_name():
    assert [sniff(x) for x in (PNG, JPEG, PDF, office("docx"), office("xlsx"))] == ["png", "jpeg", "pdf", "docx", "xlsx"]
    limits = Limits()
    assert check_file("scan.pdf", PNG, limits) == "png"  # a PNG renamed .pdf is a PNG
    with pytest.raises(EvidenceRefused) as err:
        check_file("photo.png", EXE, limits)  # an .exe renamed .png is refused
    assert err.value.code == "type"
    assert "按文件内容判断" in err.value.describe("zh")[0] and "photo.png" in err.value.describe("zh")[0]
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as zf:
        zf.writestr("a.txt", "x")
    assert sniff(plain_zip.getvalue()) is None  # a zip that is no Office package
    assert sniff(b"PK\x03\x04 broken") is None


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_read():
    bomb = office("xlsx", {"xl/sharedStrings.xml": b"0" * (120 * MIB)})  # 120 MB of zeros: about 120 KB packed
    assert len(bomb) < MIB
    with pytest.raises(EvidenceRefused) as err:
        check_file("预算表.xlsx", bomb, Limits())
    assert err.value.code == "zip_bomb"
    dense = office("xlsx", {"xl/a.xml": b"1" * (5 * MIB)})  # inflates far past 200× its packed size
    with pytest.raises(EvidenceRefused):
        check_file("a.xlsx", dense, Limits())
    assert check_file("ok.xlsx", office("xlsx", {"xl/b.xml": bytes(range(256)) * 100}), Limits()) == "xlsx"


def test_size_limits_per_file_and_per_assessment():
    limits = Limits(file_bytes=1000, total_bytes=1500)
    assert check_file("a.png", PNG, limits) == "png"
    with pytest.raises(EvidenceRefused) as err:
        check_file("big.png", PNG + b"0" * 1000, limits)
    assert err.value.code == "too_big"
    with pytest.raises(EvidenceRefused) as err:
        check_file("b.png", PNG + b"0" * 600, limits, used_bytes=900)  # 900 + 672 > 1500
    assert err.value.code == "total"
    with pytest.raises(EvidenceRefused) as err:
        check_file("empty.pdf", b"", limits)
    assert err.value.code == "empty"
    assert Limits.from_env({"MATURITY_EVIDENCE_FILE_MB": "3", "MATURITY_EVIDENCE_TOTAL_MB": "50"}) == Limits(3 * MIB,
                                                                                                          50 * MIB)
    assert Limits.from_env({"MATURITY_EVIDENCE_FILE_MB": "lots"}) == Limits()


def test_file_names_lose_paths_and_control_characters_and_keep_their_extension():
    assert clean_filename("C:\\Users\\张\\会议纪要.pdf") == "会议纪要.pdf"
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("a\x00b\nc.png") == "abc.png"
    long = clean_filename("长" * 400 + ".docx")
    assert len(long) == 255 and long.endswith(".docx")
    assert clean_filename("") == "file"


@pytest.fixture(params=["sqlite-file", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'e.db'}" if request.param == "sqlite-file" else request.getfixturevalue("pg_database")
    store = Store(url)
    store.create_schema()
    yield store
    if request.param == "postgresql":
        migrations.drop_all(store.engine)
    store.dispose()


def test_evidence_is_stored_listed_read_and_removed(db, tiny):
    record = db.create_assessment(tiny, {"name": "堃山工会"})
    photo = db.evidence.add(record.token, "leading.party", "现场照片.jpg", JPEG)
    minutes = db.evidence.add(record.token, "leading.party", "纪要.pdf", PDF)
    sheet = db.evidence.add(record.token, "digital.platform", "台账.xlsx", office("xlsx"))
    listed = db.evidence.list(record.token)
    assert [(f.filename, f.kind, f.size) for f in listed] == [
        ("现场照片.jpg", "jpeg", len(JPEG)), ("纪要.pdf", "pdf", len(PDF)), ("台账.xlsx", "xlsx", len(office("xlsx")))]
    assert db.evidence.data(record.token, minutes.id) == PDF
    assert db.evidence.used_bytes(record.token) == photo.size + minutes.size + sheet.size
    assert db.evidence.remove(record.token, photo.id) is True
    assert db.evidence.remove(record.token, photo.id) is False
    assert [f.id for f in db.evidence.list(record.token)] == [minutes.id, sheet.id]
    with pytest.raises(EvidenceRefused):
        db.evidence.add(record.token, "no.such.question", "a.pdf", PDF)
    with pytest.raises(EvidenceRefused):
        db.evidence.add(record.token, "leading.party", "virus.png", EXE)
    assert len(db.evidence.list(record.token)) == 2  # nothing half-saved by the refusals


def test_one_assessment_cannot_read_or_remove_another_ones_files(db, tiny):
    a = db.create_assessment(tiny, {"name": "甲"})
    b = db.create_assessment(tiny, {"name": "乙"})
    mine = db.evidence.add(a.token, "leading.party", "a.pdf", PDF)
    with pytest.raises(KeyError):
        db.evidence.data(b.token, mine.id)
    assert db.evidence.remove(b.token, mine.id) is False
    assert db.evidence.list(b.token) == []
    assert db.evidence.data(a.token, mine.id) == PDF


def test_the_total_limit_counts_what_is_stored(db, tiny):
    record = db.create_assessment(tiny, {"name": "甲"})
    limits = Limits(file_bytes=1000, total_bytes=200)
    db.evidence.add(record.token, "leading.party", "a.png", PNG, limits)
    with pytest.raises(EvidenceRefused) as err:
        db.evidence.add(record.token, "leading.party", "b.png", PNG + b"1" * 60, limits)
    assert err.value.code == "total"


def test_a_deleted_assessment_takes_its_files_with_it(db, tiny):
    record = db.create_assessment(tiny, {"name": "甲"})
    db.evidence.add(record.token, "leading.party", "a.pdf", PDF)
    db.delete_assessment(record.token)
    with pytest.raises(UnknownAssessment):
        db.evidence.list(record.token)


def test_the_view_link_reads_and_the_store_refuses_every_write_with_it(db, tiny):
    record = db.create_assessment(tiny, {"name": "甲"})
    db.save_answers(record.token, {"leading.party": 3}, {"leading.party": "纪要"})
    db.evidence.add(record.token, "leading.party", "a.pdf", PDF)
    view = db.issue_view_token(record.token)
    assert view != record.token and db.view_token_of(record.token) == view
    seen = db.get_assessment(view)
    assert seen is not None and seen.read_only and seen.token == view  # the edit token is never handed out
    assert seen.answers == {"leading.party": 3} and seen.notes == {"leading.party": "纪要"}
    assert [f.filename for f in db.evidence.list(view)] == ["a.pdf"]
    assert db.view_token_of(view) is None  # a viewer cannot learn the view token's owner link either
    writes = [
        lambda: db.save_answers(view, {"leading.party": 1}),
        lambda: db.set_targets(view, {"leading": 2}),
        lambda: db.update_assessment(view, organisation={"name": "改名"}),
        lambda: db.evidence.add(view, "leading.party", "b.pdf", PDF),
        lambda: db.evidence.remove(view, db.evidence.list(view)[0].id),
        lambda: db.issue_view_token(view),
        lambda: db.revoke_view_token(view),
    ]
    for write in writes:
        with pytest.raises(ReadOnlyLink):
            write()
    db.delete_assessment(view)  # not a deletion either
    after = db.get_assessment(record.token)
    assert after is not None and after.answers == {"leading.party": 3} and len(db.evidence.list(record.token)) == 1
    assert not after.read_only
    # re-issued: the old view link stops working; revoked: none works
    again = db.issue_view_token(record.token)
    assert again != view and db.get_assessment(view) is None
    db.revoke_view_token(record.token)
    assert db.get_assessment(again) is None and db.view_token_of(record.token) is None
    assert "只读" in ReadOnlyLink(view).describe("zh")[0]


def test_a_view_link_cannot_carry_the_self_check_over_either(db, tiny):
    from maturity.versions import carry_over

    record = db.create_assessment(tiny, {"name": "甲"})
    view = db.issue_view_token(record.token)
    with pytest.raises(ReadOnlyLink):
        carry_over(db, view, tiny)
    assert len(db.list_assessments()) == 1
