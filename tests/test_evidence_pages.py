"""佐证材料 on the pages (issue 12): the questionnaire's evidence panel (upload judged by content, list,
thumbnail, download, remove with a confirm, the reviewer's checklist, the 📎 mark), the results page's
counts, and a read-only record with no uploader."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from maturity.evidence import Limits
from maturity.i18n import t
from maturity.limits import MIB, UPLOAD_MB_EVIDENCE
from maturity.loader import LoadedModel, load_model
from maturity.store import Store
from pages._evidence import file_data
from tests import helpers
from tests.conftest import TEST_FRAMEWORKS

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 200


def png(size=(300, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (179, 38, 30)).save(buf, "PNG")
    return buf.getvalue()


def zip_bomb_xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<x/>")
        zf.writestr("xl/sharedStrings.xml", b"0" * (120 * MIB))
    return buf.getvalue()


@pytest.fixture(scope="module")
def essential() -> LoadedModel:
    """tests/frameworks/essential.yaml: its questions carry evidence lists (the reviewer's checklist)."""
    return load_model(TEST_FRAMEWORKS / "essential.yaml")


@pytest.fixture
def record(store: Store, essential):
    return store.create_assessment(essential, {"name": "某某公司工会"}, assessed_at="2026-03-01")


def first_id(model: LoadedModel) -> str:
    return model.model.criteria[0].indicators[0].id


def questionnaire(root, token: str, lang: str = "zh") -> AppTest:
    at = helpers.open_page(root, "questionnaire", lang, token)
    assert not at.exception
    return at


def upload(at: AppTest, iid: str, *files: tuple[str, bytes, str]) -> AppTest:
    at.file_uploader(key=f"ev-up-{iid}-{gen(at, iid)}").set_value(list(files)).run()
    assert not at.exception
    return at


def gen(at: AppTest, iid: str) -> int:
    return int(at.session_state[f"ev-gen-{iid}"]) if f"ev-gen-{iid}" in at.session_state else 0


def expander(at: AppTest, iid: str):
    return next(e for e in at.expander if e.proto.label.startswith("📎") and e.key == f"ev-exp-{iid}")


def texts(block) -> str:
    return "\n".join(e.value for kind in ("markdown", "caption", "text", "success", "error", "warning", "info")
                     for e in getattr(block, kind))


def test_a_png_and_a_pdf_are_taken_listed_with_a_thumbnail_and_downloadable(root, store, essential, record):
    iid = first_id(essential)
    photo = png()
    at = upload(questionnaire(root, record.token), iid, ("活动照片.png", photo, "image/png"),
                ("会议纪要.pdf", PDF, "application/pdf"))
    files = store.evidence.list(record.token)
    assert [(f.filename, f.kind, f.indicator_id) for f in files] == [("活动照片.png", "png", iid), ("会议纪要.pdf", "pdf", iid)]
    box = expander(at, iid)
    assert box.proto.label.endswith("（2）")
    shown = texts(box)
    assert "活动照片.png" in shown and "会议纪要.pdf" in shown and "PNG · " in shown and "PDF · " in shown
    assert len(box.get("image")) == 1  # the photo's thumbnail; the PDF has an icon
    thumb = box.get("image")[0]
    assert thumb.proto.imgs[0].url  # drawn (as a small PNG made from the photo)
    # one download per file, reading the file's own bytes on the click; the uploader is a fresh one
    assert [b.key for b in box.get("download_button")] == [f"ev-dl-{f.id}" for f in files]
    assert all(b.proto.deferred_file_id for b in box.get("download_button"))
    assert file_data(record.token, files[0].id) == photo and file_data(record.token, files[1].id) == PDF
    assert not at.file_uploader(key=f"ev-up-{iid}-1").value
    # the model's evidence list for the question is shown as the reviewer's checklist
    ind = essential.model.indicator_by_id[iid]
    assert ind.evidence and all(essential.model.t(e, "zh") in shown for e in ind.evidence)
    # the answer form marks the question: 📎 2
    assert any("📎 2" in m.value for m in at.markdown if m.value.startswith("**1.1"))


def test_a_png_renamed_pdf_is_taken_as_a_png(root, store, essential, record):
    iid = first_id(essential)
    at = upload(questionnaire(root, record.token), iid, ("扫描件.pdf", png(), "application/pdf"))
    [f] = store.evidence.list(record.token)
    assert (f.filename, f.kind, f.mime) == ("扫描件.pdf", "png", "image/png")
    box = expander(at, iid)
    assert "PNG · " in texts(box) and len(box.get("image")) == 1


@pytest.mark.parametrize(("name", "make", "code"), [
    ("照片.png", lambda: EXE, "type"),
    ("大文件.pdf", lambda: PDF + b"0" * (Limits().file_bytes + 1), "too_big"),
    ("预算表.xlsx", zip_bomb_xlsx, "zip_bomb"),
])
def test_a_refused_file_says_why_and_changes_nothing(root, store, essential, record, name, make, code):
    iid = first_id(essential)
    at = upload(questionnaire(root, record.token), iid, ("已有.pdf", PDF, "application/pdf"))
    before = store.get_assessment(record.token)
    at = upload(at, iid, (name, make(), "application/octet-stream"))
    assert [f.filename for f in store.evidence.list(record.token)] == ["已有.pdf"]
    after = store.get_assessment(record.token)
    assert (after.answers, after.notes) == (before.answers, before.notes)
    box = expander(at, iid)
    errors = [e.value for e in box.error]
    assert len(errors) == 1
    assert errors[0].replace("\\", "") == t(f"evidence.refused.{code}", "zh", **_params(code, name)).replace("\\", "")
    assert box.proto.label.endswith("（1）") and not at.exception


def _params(code: str, name: str) -> dict[str, str]:
    return {"type": {"name": name}, "zip_bomb": {},
            "too_big": {"name": name, "size": f"{(len(PDF) + Limits().file_bytes + 1) / MIB:.1f}",
                        "limit": f"{Limits().file_bytes / MIB:.1f}"}}[code]


def test_one_refused_file_among_several_leaves_the_others_taken(root, store, essential, record):
    iid = first_id(essential)
    at = upload(questionnaire(root, record.token), iid, ("a.pdf", PDF, "application/pdf"), ("b.png", EXE, "image/png"))
    assert [f.filename for f in store.evidence.list(record.token)] == ["a.pdf"]
    box = expander(at, iid)
    assert len(box.success) == 1 and len(box.error) == 1


def test_remove_asks_first_and_cancel_keeps_the_file(root, store, essential, record):
    iid = first_id(essential)
    f = store.evidence.add(record.token, iid, "纪要.pdf", PDF)
    at = questionnaire(root, record.token)
    at.button(key=f"ev-rm-{f.id}").click().run()
    assert store.evidence.list(record.token)  # only asked
    assert any("纪要\\.pdf" in w.value for w in expander(at, iid).warning)  # the confirm names the file
    at.button(key=f"ev-no-{f.id}").click().run()
    assert store.evidence.list(record.token) and not at.button(key=f"ev-rm-{f.id}").disabled
    with pytest.raises(KeyError):
        at.button(key=f"ev-yes-{f.id}")
    at.button(key=f"ev-rm-{f.id}").click().run()
    at.button(key=f"ev-yes-{f.id}").click().run()
    assert not at.exception and store.evidence.list(record.token) == []
    box = expander(at, iid)
    assert box.proto.label.endswith("（0）") and len(box.success) == 1


def test_a_file_removed_elsewhere_meanwhile_is_said_so(root, store, essential, record):
    f = store.evidence.add(record.token, first_id(essential), "纪要.pdf", PDF)
    at = questionnaire(root, record.token)
    at.button(key=f"ev-rm-{f.id}").click().run()
    store.evidence.remove(record.token, f.id)  # the other tab
    at.button(key=f"ev-yes-{f.id}").click().run()
    assert not at.exception
    assert t("evidence_ui.gone", "zh") in [i.value for i in expander(at, first_id(essential)).info]


def test_a_file_name_is_shown_as_text(root, store, essential, record):
    name = helpers.HOSTILE + ".pdf"
    f = store.evidence.add(record.token, first_id(essential), name, PDF)
    at = questionnaire(root, record.token)
    assert f.filename in [e.value for e in at.text]
    assert not any("<script>" in m.value for m in at.markdown)


def test_a_broken_image_has_no_thumbnail_and_no_traceback(root, store, essential, record):
    store.evidence.add(record.token, first_id(essential), "坏图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    at = questionnaire(root, record.token)
    box = expander(at, first_id(essential))
    assert not at.exception and not box.get("image") and "坏图.png" in texts(box)


def test_the_results_count_answered_questions_with_evidence(root, store, essential, record):
    m = essential.model
    first, second = m.criteria[0], m.criteria[1]
    answers = {i.id: 3 for i in first.indicators} | {second.indicators[0].id: 2}
    store.save_answers(record.token, answers)
    store.evidence.add(record.token, first.indicators[0].id, "a.pdf", PDF)
    store.evidence.add(record.token, first.indicators[0].id, "b.png", png())  # two files: one answer backed
    store.evidence.add(record.token, first.indicators[1].id, "c.pdf", PDF)
    store.evidence.add(record.token, second.indicators[1].id, "d.pdf", PDF)  # unanswered: not counted
    at = helpers.open_page(root, "results", "zh", record.token)
    assert not at.exception
    assert t("evidence_ui.backed", "zh", backed=2, answered=len(answers)) in [c.value for c in at.caption]
    table = at.dataframe[0].value
    column = table[t("evidence_ui.col", "zh")].tolist()
    assert column[0] == f"2/{len(first.indicators)}" and column[1] == "0/1"
    assert set(column[2:]) == {"—"}


def test_english_texts(root, store, essential, record):
    at = upload(questionnaire(root, record.token, "en"), first_id(essential), ("x.png", EXE, "image/png"))
    box = expander(at, first_id(essential))
    assert box.proto.label.endswith("(0)")
    assert "not a file type" in box.error[0].value or "x\\.png" in box.error[0].value


def test_a_read_only_record_lists_and_downloads_but_offers_no_upload_or_remove(root, store, essential, record):
    f = store.evidence.add(record.token, first_id(essential), "纪要.pdf", PDF)
    view = store.issue_view_token(record.token)
    at = questionnaire(root, view)
    uploaders = [u for u in at.file_uploader if str(u.key).startswith("ev-up-")]
    assert not uploaders
    assert not [b for b in at.button if str(b.key).startswith("ev-rm-")]
    assert expander(at, first_id(essential)).proto.label.endswith("（1）")  # listed, downloadable
    assert [b.key for b in at.get("download_button") if str(b.key).startswith("ev-dl-")] == [f"ev-dl-{f.id}"]
    assert t("evidence_ui.panel_read_only", "zh") in [c.value for c in at.caption]


def test_the_uploader_takes_what_the_store_takes_and_the_server_allows_it(root):
    import tomllib

    config = tomllib.loads((root / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert Limits().file_bytes <= UPLOAD_MB_EVIDENCE * MIB
    assert config["server"]["maxUploadSize"] >= UPLOAD_MB_EVIDENCE


def test_the_settings_total_is_held_across_uploads(root, store, essential, record, monkeypatch):
    monkeypatch.setenv("MATURITY_EVIDENCE_TOTAL_MB", "1")
    iid = first_id(essential)
    big = PDF + b"0" * (600 * 1024)
    at = upload(questionnaire(root, record.token), iid, ("一.pdf", big, "application/pdf"))
    at = upload(at, iid, ("二.pdf", big, "application/pdf"))
    assert [f.filename for f in store.evidence.list(record.token)] == ["一.pdf"]
    [error] = expander(at, iid).error
    assert error.value.replace("\\", "") == t("evidence.refused.total", "zh", name="二.pdf", used="0.6", limit="1.0")


@pytest.fixture
def fault(store):
    """Every write to the app's database fails while ``fault.mode`` is set (tests/test_db_failures.py's switch)."""
    import os

    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    from pages._ui import _store
    from tests.test_db_failures import DatabaseFault

    f = DatabaseFault(str(store.engine.url.database))
    _store(os.environ["DATABASE_URL"])
    event.listen(Pool, "checkout", f)
    yield f
    event.remove(Pool, "checkout", f)


@pytest.mark.parametrize("mode", ["readonly", "full"])
def test_a_database_failure_on_upload_or_remove_is_said_with_an_error_id(root, store, essential, record, fault, caplog,
                                                                         mode):
    from tests.test_db_failures import assert_failure_shown

    iid = first_id(essential)
    kept = store.evidence.add(record.token, iid, "已有.pdf", PDF)
    at = questionnaire(root, record.token)
    fault.mode = mode
    at = upload(at, iid, ("新.pdf", PDF, "application/pdf"))
    assert_failure_shown(at, "zh", caplog)
    at.button(key=f"ev-rm-{kept.id}").click().run()
    at.button(key=f"ev-yes-{kept.id}").click().run()
    assert_failure_shown(at, "zh", caplog)
    fault.mode = None
    assert [f.filename for f in store.evidence.list(record.token)] == ["已有.pdf"]
