"""Issue 12, evidence in chromium: a union chair attaches a photo (PNG), a JPEG and a PDF to two answers of the
bundled model, sees them listed with thumbnails, downloads one back byte for byte, and the results page
counts the backed answers."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from maturity.loader import load_model
from maturity.store import Store
from tests.e2e.conftest import ROOT, app_server, shot

pytestmark = pytest.mark.e2e

NAME = "堃山机械厂工会"
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def picture(kind: str, colour: tuple[int, int, int]) -> bytes:
    img = Image.new("RGB", (640, 480), colour)
    for x in range(0, 640, 80):  # stripes, so the thumbnail is visibly the picture
        img.paste((255, 255, 255), (x, 0, x + 20, 480))
    buf = io.BytesIO()
    img.save(buf, kind)
    return buf.getvalue()


def css_key(key: str) -> str:
    """The st-key- class Streamlit gives a widget's container (other characters become '-')."""
    return ".st-key-" + "".join(c if c.isascii() and (c.isalnum() or c in "_-") else "-" for c in key)


@pytest.fixture(scope="module")
def chair(tmp_path_factory):
    """An assessment of frameworks/brand-union.yaml with its first criterion answered, stored before the app starts."""
    loaded = load_model(ROOT / "frameworks" / "brand-union.yaml")
    first = loaded.model.criteria[0]
    folder = tmp_path_factory.mktemp("evidence")
    url = f"sqlite:///{folder / 'app.db'}"
    store = Store(url)
    store.create_schema()
    record = store.create_assessment(loaded, {"name": NAME})
    store.save_answers(record.token, {i.id: 3 for i in first.indicators})
    with app_server(url, folder / "app.log") as server:
        yield server, record.token, [i.id for i in first.indicators], store
    store.dispose()


def attach(page, iid: str, files: list[dict[str, object]]) -> None:
    box = page.locator(css_key(f"ev-exp-{iid}"))
    if not box.locator(f'{css_key(f"ev-up-{iid}-0")}, [data-testid="stFileUploader"]').first.is_visible():
        box.locator("summary").click()
    box.locator('input[type="file"]').set_input_files(files)
    # stored: the question's count says so, and each file is listed (the uploader is a fresh, empty one)
    expect(box.locator("summary")).to_contain_text(f"（{len(files)}）", timeout=30_000)
    for f in files:
        expect(box.locator('[data-testid="stText"]').get_by_text(str(f["name"]), exact=True)).to_be_visible()


def test_a_chair_attaches_a_photo_and_a_pdf_to_two_answers(chair, page, tmp_path):
    server, token, ids, store = chair
    photo, jpeg = picture("PNG", (179, 38, 30)), picture("JPEG", (30, 90, 160))
    page.goto(f"{server}/questionnaire?a={token}")
    page.get_by_text(NAME, exact=True).first.wait_for()
    attach(page, ids[0], [{"name": "职代会现场.png", "mimeType": "image/png", "buffer": photo},
                          {"name": "职代会决议.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    attach(page, ids[1], [{"name": "入会登记.jpg", "mimeType": "image/jpeg", "buffer": jpeg}])
    assert [(f.indicator_id, f.filename, f.kind) for f in store.evidence.list(token)] == [
        (ids[0], "职代会现场.png", "png"), (ids[0], "职代会决议.pdf", "pdf"), (ids[1], "入会登记.jpg", "jpeg")]
    first = page.locator(css_key(f"ev-exp-{ids[0]}"))
    second = page.locator(css_key(f"ev-exp-{ids[1]}"))
    second.get_by_text("入会登记.jpg", exact=True).wait_for()
    if not first.get_by_text("职代会现场.png", exact=True).is_visible():
        first.locator("summary").click()
    for box, n in ((first, 1), (second, 1)):  # a thumbnail per picture, drawn
        imgs = box.locator('[data-testid="stImage"] img')
        imgs.first.wait_for()
        assert imgs.count() == n
        assert imgs.first.evaluate("i => i.complete && i.naturalWidth > 0 && i.naturalWidth <= 160")
    assert re.search(r"（2）", first.locator("summary").inner_text())
    # the answer form marks both questions
    assert page.get_by_text("📎 2").count() >= 1 and page.get_by_text("📎 1").count() >= 1
    assert not page.locator('[data-testid="stException"]').count()
    first.scroll_into_view_if_needed()
    shot(page, "evidence-questionnaire")
    with page.expect_download() as info:
        first.get_by_role("button", name=re.compile("下载")).first.click()
    saved = tmp_path / "back.png"
    info.value.save_as(saved)
    assert info.value.suggested_filename == "职代会现场.png" and saved.read_bytes() == photo
    # remove the PDF: asked first, then gone; the photo stays
    pdf_id = next(f.id for f in store.evidence.list(token) if f.kind == "pdf")
    page.locator(css_key(f"ev-rm-{pdf_id}")).get_by_role("button").click()
    confirm = page.locator(css_key(f"ev-confirm-{pdf_id}"))
    confirm.get_by_text("确定删除“职代会决议.pdf”吗", exact=False).wait_for()
    confirm.scroll_into_view_if_needed()
    shot(page, "evidence-remove-confirm")
    confirm.get_by_role("button", name="确定删除").click()
    expect(first.locator("summary")).to_contain_text("（1）")
    assert [f.filename for f in store.evidence.list(token) if f.indicator_id == ids[0]] == ["职代会现场.png"]

    page.goto(f"{server}/results?a={token}")
    page.get_by_text(f"📎 有佐证：2/{len(ids)}").wait_for()
    # the table's column header (the grid is drawn on a canvas; its accessible table holds the header)
    page.locator('[role="columnheader"]', has_text=re.compile("^佐证$")).first.wait_for(state="attached")
    assert not page.locator('[data-testid="stException"]').count()
    shot(page, "evidence-results")
    page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
    shot(page, "evidence-results-table")
