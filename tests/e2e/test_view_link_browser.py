"""Issue 12, the view link in chromium: the owner issues it on the results page, a second browser (the Party
secretary) opens it, sees the results, downloads the PDF and finds no way to change anything; a re-issued
link leaves the old one dead."""

from __future__ import annotations

import re
import subprocess

import pytest

from maturity.loader import load_model
from maturity.store import Store
from tests.e2e.conftest import ROOT, app_server, shot

pytestmark = pytest.mark.e2e

NAME = "堃山机械厂工会"


def _png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (120, 80), (180, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def owned(tmp_path_factory):
    """An answered brand-union self-check stored before the app starts; the server and its edit token."""
    loaded = load_model(ROOT / "frameworks" / "brand-union.yaml")
    folder = tmp_path_factory.mktemp("viewlink")
    url = f"sqlite:///{folder / 'app.db'}"
    store = Store(url)
    store.create_schema()
    record = store.create_assessment(loaded, {"name": NAME})
    store.save_answers(record.token, {i.id: 3 for i in loaded.model.indicators}, {})
    store.evidence.add(record.token, loaded.model.indicators[0].id, "党委会会议纪要.png", _png())
    store.dispose()
    with app_server(url, folder / "app.log") as server:
        yield server, record.token


def no_way_to_change(pg) -> None:
    """Nothing on the page writes: no form, no uploader, no button but downloads and the language switch."""
    assert not pg.locator('[data-testid="stForm"]').count()
    assert not pg.locator('[data-testid="stFileUploader"]').count()
    assert not pg.locator('[data-testid="stException"]').count()
    buttons = pg.evaluate("""() => Array.from(document.querySelectorAll(
        '[data-testid="stBaseButton-secondary"], [data-testid="stBaseButton-primary"]'))
        .filter(b => !b.closest('[data-testid="stDownloadButton"]')).map(b => b.innerText)""")
    assert not buttons, buttons


def test_the_owner_shares_a_view_link_and_the_reader_changes_nothing(owned, page, browser, tmp_path):
    server, token = owned
    page.goto(f"{server}/results?a={token}")
    page.get_by_role("heading", name="只读查看链接").wait_for()
    page.get_by_role("button", name="生成只读链接").click()
    page.get_by_text("已生成只读链接").wait_for()
    link = page.locator('[data-testid="stCode"]').filter(has_text="/results?a=").inner_text().strip()
    assert re.fullmatch(rf"{re.escape(server)}/results\?a=[A-Za-z0-9_-]{{16,64}}", link), link
    assert token not in link
    page.get_by_role("heading", name="只读查看链接").scroll_into_view_if_needed()
    shot(page, "viewlink-owner")

    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    reader = ctx.new_page()
    reader.set_default_timeout(30_000)
    try:
        reader.goto(link)
        reader.get_by_role("heading", name="诊断结果").wait_for()
        reader.get_by_text(NAME, exact=True).first.wait_for()
        reader.get_by_text("只读查看：你可以查看结果和路线图").first.wait_for()
        assert not reader.get_by_role("heading", name="只读查看链接").count()
        assert token not in reader.content()
        shot(reader, "viewlink-reader-top")
        with reader.expect_download() as info:
            reader.get_by_role("button", name=re.compile("PDF")).first.click()
        pdf = tmp_path / "report.pdf"
        info.value.save_as(pdf)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert NAME in re.sub(r"\s+", "", text)
        no_way_to_change(reader)
        shot(reader, "viewlink-reader-results")
        view = link.rsplit("=", 1)[1]
        for path, title, says in (("questionnaire", "问卷", "只读查看：可以逐项查看答案"),
                                  ("transfer", "导入导出", "只读链接不能导入或替换"),
                                  ("roadmap", "路线图", "只读查看：你可以"), ("history", "历史对比", "只读链接不能打开自评列表")):
            # by the sidebar, as a reader would: the page keeps the view link in its address
            reader.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()
            reader.wait_for_url(re.compile(rf"/{path}(\?|$)"))
            reader.get_by_text(says).first.wait_for()
            if path != "history":
                assert f"a={view}" in reader.url
            if path == "questionnaire":  # the evidence of 1.1 opens for download, with no upload and no remove
                reader.locator('[data-testid="stExpander"] summary').filter(has_text="1.1").first.click()
                reader.get_by_text("党委会会议纪要.png").first.wait_for()
                reader.get_by_role("button", name=re.compile("下载")).first.wait_for()
            reader.wait_for_timeout(500)  # let the rest of the page draw before looking for controls
            no_way_to_change(reader)
            assert token not in reader.content()
            shot(reader, f"viewlink-reader-{path}")

        page.get_by_role("button", name=re.compile("重新生成")).click()
        page.get_by_text("之前发出的链接已失效").wait_for()
        reader.goto(link)
        reader.get_by_text("这个链接无效或已被删除").wait_for()
        shot(reader, "viewlink-reader-revoked")
    finally:
        ctx.close()
