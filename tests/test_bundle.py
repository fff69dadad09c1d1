"""The evidence bundle (issue 12): export → import keeps every file byte for byte; a bad bundle saves nothing.

Every store test runs on a SQLite file and on the machine's PostgreSQL.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from streamlit.testing.v1 import AppTest

from maturity import migrations
from maturity import schema as S
from maturity.assessment import AssessmentInvalid
from maturity.bundle import (
    MANIFEST_PATH,
    Bundle,
    BundledFile,
    BundleRefused,
    export_bundle,
    import_bundle,
    max_bundle_bytes,
    read_bundle,
    safe_name,
)
from maturity.evidence import EvidenceRefused, Limits
from maturity.limits import MIB
from maturity.store import Store
from tests import helpers

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 64
LONG = "关于2026年度职工之家建设和工会经费足额拨缴情况的专题会议纪要及附件材料（含签到表、照片）" * 3 + ".pdf"


def docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.fixture(params=["sqlite-file", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'b.db'}" if request.param == "sqlite-file" else request.getfixturevalue("pg_database")
    store = Store(url)
    store.create_schema()
    yield store
    if request.param == "postgresql":
        migrations.drop_all(store.engine)
    store.dispose()


@pytest.fixture
def filled(db, tiny) -> str:
    """An assessment of the tiny model with answers, a note, a target and three evidence files."""
    record = db.create_assessment(tiny, {"name": "堃山工会"})
    db.save_answers(record.token, {"leading.party": 3, "digital.platform": 2}, notes={"leading.party": "见纪要"})
    db.set_targets(record.token, {"leading": 4})
    db.evidence.add(record.token, "leading.party", "现场照片.png", PNG)
    db.evidence.add(record.token, "leading.party", LONG, PDF)
    db.evidence.add(record.token, "digital.platform", "台账/制度.docx", docx())
    return str(record.token)


def counts(store: Store) -> tuple[int, int]:
    with store.db.read() as conn:
        return (int(conn.scalar(select(func.count()).select_from(S.assessments)) or 0),
                int(conn.scalar(select(func.count()).select_from(S.evidence)) or 0))


def members(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def rebuild(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_the_bundle_holds_the_json_export_the_files_and_their_manifest(db, filled):
    raw = export_bundle(db, filled)
    assert raw == export_bundle(db, filled)  # deterministic
    parts = members(raw)
    record = db.get_assessment(filled)
    assert record is not None
    assert parts["assessment.json"] == record.to_assessment().to_json().encode("utf-8")
    manifest = json.loads(parts[MANIFEST_PATH])
    assert (manifest["format"], manifest["version"]) == ("maturity-bundle", 1)
    assert manifest["assessment"]["sha256"] == hashlib.sha256(parts["assessment.json"]).hexdigest()
    stored = db.evidence.list(filled)
    assert [(e["indicator_id"], e["filename"], e["kind"], e["size"], e["sha256"]) for e in manifest["files"]] == [
        (f.indicator_id, f.filename, f.kind, f.size, f.sha256) for f in stored]
    paths = [e["path"] for e in manifest["files"]]
    assert paths[0] == "evidence/001-现场照片.png" and paths[2] == "evidence/003-制度.docx"
    assert list(parts) == [MANIFEST_PATH, "assessment.json", *paths]
    assert len(paths[1]) < 100 and paths[1].endswith(".pdf")  # a long name is shortened, its extension kept


def test_export_then_import_is_byte_identical_per_file(db, filled, tiny):
    before = db.get_assessment(filled)
    assert before is not None
    bundle = read_bundle(export_bundle(db, filled), [tiny])
    created = import_bundle(db, bundle)
    assert created.token != filled
    after = db.get_assessment(created.token)
    assert after is not None
    assert (after.answers, after.notes, after.targets) == (before.answers, before.notes, before.targets)
    assert after.organisation["name"] == "堃山工会"
    old, new = db.evidence.list(filled), db.evidence.list(created.token)
    assert [(f.indicator_id, f.filename, f.kind, f.size, f.sha256, f.created_at) for f in new] == [
        (f.indicator_id, f.filename, f.kind, f.size, f.sha256, f.created_at) for f in old]
    for a, b in zip(old, new, strict=True):
        data = db.evidence.data(created.token, b.id)
        assert data == db.evidence.data(filled, a.id)
        assert hashlib.sha256(data).hexdigest() == a.sha256
    # and the imported assessment exports to the same bytes again
    assert members(export_bundle(db, created.token)) == members(export_bundle(db, filled))


def test_the_read_only_link_exports_the_same_bundle(db, filled):
    view = db.issue_view_token(filled)
    assert export_bundle(db, view) == export_bundle(db, filled)  # a read: the view link may give it to a reviewer


def test_a_truncated_bundle_changes_nothing(db, filled, tiny):
    raw = export_bundle(db, filled)
    before = counts(db)
    for cut in (len(raw) // 2, len(raw) - 10, 30):
        with pytest.raises(BundleRefused) as err:
            read_bundle(raw[:cut], [tiny])
        assert err.value.code == "not_zip"
        assert "不完整" in err.value.describe("zh")[0]
    assert counts(db) == before


def tampered(raw: bytes, change: Callable[[dict[str, bytes], dict], None]) -> bytes:
    parts = members(raw)
    manifest = json.loads(parts[MANIFEST_PATH])
    change(parts, manifest)
    parts[MANIFEST_PATH] = json.dumps(manifest).encode()
    return rebuild(parts)


def _swap_bytes(parts: dict[str, bytes], m: dict) -> None:
    path = m["files"][0]["path"]
    parts[path] = parts[path][:-1] + b"X"  # same size, other bytes


def _grow(parts: dict[str, bytes], m: dict) -> None:
    parts[m["files"][1]["path"]] += b"\n"


def _drop(parts: dict[str, bytes], m: dict) -> None:
    del parts[m["files"][2]["path"]]


def _extra(parts: dict[str, bytes], m: dict) -> None:
    parts["evidence/004-病毒.png"] = PNG


def _wrong_kind(parts: dict[str, bytes], m: dict) -> None:
    m["files"][0]["kind"] = "pdf"


def _exe(parts: dict[str, bytes], m: dict) -> None:
    path = m["files"][0]["path"]
    parts[path] = EXE
    m["files"][0].update(size=len(EXE), sha256=hashlib.sha256(EXE).hexdigest())


def _json_changed(parts: dict[str, bytes], m: dict) -> None:
    parts["assessment.json"] = parts["assessment.json"].replace(b'"leading.party": 3', b'"leading.party": 4')


def _bad_version(parts: dict[str, bytes], m: dict) -> None:
    m["version"] = 2


@pytest.mark.parametrize(("change", "error", "code", "words"), [
    (_swap_bytes, BundleRefused, "sha256", "校验值"),
    (_grow, BundleRefused, "size", "大小"),
    (_drop, BundleRefused, "missing", "不在压缩包里"),
    (_extra, BundleRefused, "extra", "不在清单里"),
    (_wrong_kind, BundleRefused, "kind", "类型"),
    (_exe, EvidenceRefused, "type", "按文件内容判断"),
    (_json_changed, BundleRefused, "sha256", "assessment.json"),
    (_bad_version, BundleRefused, "version", "第 1 版"),
])
def test_a_tampered_bundle_is_refused_with_its_reason_and_saves_nothing(db, filled, tiny, change, error, code, words):
    raw = tampered(export_bundle(db, filled), change)
    before = counts(db)
    with pytest.raises(error) as err:
        read_bundle(raw, [tiny])
    assert err.value.code == code
    assert words in err.value.describe("zh")[0]
    assert err.value.describe("en")[0] != err.value.describe("zh")[0]
    assert counts(db) == before


def test_an_encrypted_member_is_refused_as_no_bundle_of_this_app(db, filled, tiny):
    raw = bytearray(export_bundle(db, filled))
    for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # the flags of the first local and central header
        i = raw.index(sig) + at
        raw[i] |= 0x1
    with pytest.raises(BundleRefused) as err:
        read_bundle(bytes(raw), [tiny])
    assert err.value.code == "not_zip"


def test_no_manifest_not_a_zip_and_a_broken_manifest_are_refused(db, filled, tiny):
    parts = members(export_bundle(db, filled))
    manifest = parts.pop(MANIFEST_PATH)
    with pytest.raises(BundleRefused, match="no_manifest"):
        read_bundle(rebuild(parts), [tiny])
    with pytest.raises(BundleRefused, match="not_zip"):
        read_bundle(PDF, [tiny])
    with pytest.raises(BundleRefused, match="bad_manifest"):
        read_bundle(rebuild({**parts, MANIFEST_PATH: manifest[:-5]}), [tiny])
    with pytest.raises(BundleRefused, match="bad_manifest"):
        read_bundle(rebuild({**parts, MANIFEST_PATH: b'{"format": "maturity-bundle", "version": 1, "files": 3}'}), [tiny])


def test_the_json_is_refused_where_the_json_import_refuses_it(db, filled, tiny):
    def unknown_model(parts: dict[str, bytes], m: dict) -> None:
        text = parts["assessment.json"].replace(b'"tiny-example"', b'"no-such-model"')
        parts["assessment.json"] = text
        m["assessment"].update(size=len(text), sha256=hashlib.sha256(text).hexdigest())

    with pytest.raises(AssessmentInvalid) as err:
        read_bundle(tampered(export_bundle(db, filled), unknown_model), [tiny])
    assert [e.code for e in err.value.errors] == ["model_not_found"]


def test_a_bundle_bomb_is_refused_before_it_is_expanded(db, filled, tiny):
    parts = members(export_bundle(db, filled))
    manifest = json.loads(parts[MANIFEST_PATH])
    zeros = b"\x00" * (11 * MIB)  # over the 10 MB a file may have; packs to about 11 KB
    manifest["files"].append({"path": "evidence/004-a.pdf", "indicator_id": "leading.party", "filename": "a.pdf",
                              "kind": "pdf", "size": len(zeros), "sha256": hashlib.sha256(zeros).hexdigest(),
                              "created_at": "2026-01-01T00:00:00+00:00"})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in {**parts, MANIFEST_PATH: json.dumps(manifest).encode(), "evidence/004-a.pdf": zeros}.items():
            zf.writestr(name, data)
    raw = buf.getvalue()
    assert len(raw) < MIB
    before = counts(db)
    with pytest.raises(BundleRefused) as err:
        read_bundle(raw, [tiny])
    assert err.value.code == "bomb"
    assert "解压后过大" in err.value.describe("zh")[0]
    assert counts(db) == before


def test_the_total_limit_holds_for_a_bundle(db, filled, tiny):
    raw = export_bundle(db, filled)
    with pytest.raises(EvidenceRefused) as err:
        read_bundle(raw, [tiny], Limits(file_bytes=10 * MIB, total_bytes=len(PNG) + 10))
    assert err.value.code == "total"
    small = Limits(file_bytes=MIB, total_bytes=MIB)
    with pytest.raises(BundleRefused, match="too_big"):  # what the upload is, before it is opened as a zip
        read_bundle(b"PK\x03\x04" + bytes(max_bundle_bytes(small)), [tiny], small)


def test_a_failing_import_leaves_no_half_assessment(db, filled, tiny):
    bundle = read_bundle(export_bundle(db, filled), [tiny])
    before = counts(db)
    last = BundledFile("leading.party", "a.pdf", "pdf", None, PDF)
    broken = Bundle(bundle.assessment, bundle.loaded, (*bundle.files, last))
    with pytest.raises(IntegrityError):  # the last file's row is refused (created_at NOT NULL), after the others
        import_bundle(db, broken)
    assert counts(db) == before


def test_member_names_are_safe_and_readable():
    assert safe_name(1, "会议纪要.pdf") == "evidence/001-会议纪要.pdf"
    assert safe_name(12, 'a:b*c?"<>|.png') == "evidence/012-a_b_c_____.png"
    assert safe_name(3, "../../etc/passwd") == "evidence/003-passwd"


# ---------------------------------------------------------------- the transfer page (AppTest)

ZIP_MIME = "application/zip"


def on_page(root, token: str | None = None, lang: str = "zh") -> AppTest:
    return helpers.open_page(root, "transfer", lang, token)


def a_bundle(store: Store, tiny) -> tuple[str, bytes]:
    record = store.create_assessment(tiny, {"name": "堃山工会"})
    store.save_answers(record.token, {"leading.party": 3}, notes={"leading.party": "见纪要"})
    store.evidence.add(record.token, "leading.party", "纪要.pdf", PDF)
    store.evidence.add(record.token, "leading.party", "照片.png", PNG)
    return str(record.token), export_bundle(store, record.token)


def test_the_page_offers_the_bundle_and_imports_it_with_its_files(root, store, tiny):
    token, raw = a_bundle(store, tiny)
    at = on_page(root, token)
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "下载压缩包（含佐证材料）" in labels
    at = at.file_uploader[0].set_value(("审核.zip", raw, ZIP_MIME)).run()
    assert not at.exception
    assert "检查通过" in at.success[0].value
    assert any("佐证材料 2 个" in c.value for c in at.caption)
    assert [r.options for r in at.radio if r.key == "transfer_mode"] == [["作为一份新的自评"]]  # a bundle never replaces
    at.button(key="transfer_go_new").click().run()
    assert not at.exception
    assert "已导入为新的自评" in at.success[0].value
    new = at.session_state["token"]
    assert new != token
    assert [(f.filename, f.sha256) for f in store.evidence.list(new)] == [
        (f.filename, f.sha256) for f in store.evidence.list(token)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_refuses_a_truncated_bundle_and_saves_nothing(root, store, tiny, lang):
    _, raw = a_bundle(store, tiny)
    before = counts(store)
    at = on_page(root, lang=lang)
    at = at.file_uploader[0].set_value(("x.zip", raw[: len(raw) // 2], ZIP_MIME)).run()
    assert not at.exception
    assert at.error and ("未保存任何内容" in at.error[0].value if lang == "zh" else "nothing was saved" in at.error[0].value)
    assert "不完整" in at.code[0].value if lang == "zh" else "incomplete" in at.code[0].value
    assert not at.button  # nothing to click: nothing can be imported
    assert counts(store) == before
