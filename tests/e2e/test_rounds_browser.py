"""An organiser who has never used the tool runs a round in chromium (issue 13, "done when").

40 units from the Excel template, the links sent out (list, Excel, QR), one unit answering on a phone
by its own link, progress and the chase list, then the portfolio: where the group should invest, and
its Excel. The other units' answers are saved through the store, as their own links would.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from maturity.loader import load_model
from maturity.rounds import RoundService
from maturity.store import Store
from tests.e2e.conftest import ROOT, app_server, choose, shot
from tests.e2e.test_selfcheck_browser import idle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TITLE = "2026 年度品牌工会建设自评 <b>试点</b>"
BRANCHES = ["华东分公司工会", "华南分公司工会", "西北分公司工会"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[str, str]]:
    db = tmp_path_factory.mktemp("rounds") / "rounds.db"
    url = f"sqlite:///{db}"
    with app_server(url, db.with_suffix(".log")) as base:
        yield base, url


def _fill_template(raw: bytes, path: Path) -> None:
    """The downloaded template with its example rows replaced by 40 units in three levels."""
    book = openpyxl.load_workbook(io.BytesIO(raw))
    ws = book.worksheets[0]
    ws.delete_rows(2, ws.max_row)
    rows: list[tuple[str, str | None, int, str | None]] = [("集团公司工会", None, 12000, "王主席 13800000000")]
    rows += [(b, "集团公司工会", 3000, None) for b in BRANCHES]
    rows += [(f"{b[:2]}第{i}基层分会", b, 80 + 10 * i, f"联系人{i}") for b in BRANCHES for i in range(1, 13)]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    assert len(rows) == 40
    book.save(path)


def _answer_step(page, number: int, criterion: str, level: str) -> None:
    """Every question of the questionnaire's current step at ``level``; saved."""
    page.get_by_role("heading", name=re.compile(f"{number}\\. .*{criterion}")).wait_for()
    form = page.locator('[data-testid="stForm"]').filter(has_text=f"{number}.1 ")
    form.wait_for()
    idle(page)
    for group in form.locator('[data-testid="stRadio"]').all():
        choose(group.locator('[data-testid="stRadioOption"]').filter(has_text=level).first)
    page.get_by_role("button", name="保存并进入下一组").click()
    page.get_by_text(re.compile(f"已保存“{criterion}”的 \\d+ 个答案")).wait_for()


def test_an_organiser_imports_40_units_sends_links_watches_progress_and_sees_where_to_invest(site, browser, tmp_path):
    base, url = site
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = ctx.new_page()
    page.set_default_timeout(45_000)
    page.goto(f"{base}/rounds")
    page.get_by_role("heading", name="测评批次").wait_for()
    page.get_by_label("批次名称 *").fill(TITLE)
    choose(page.locator('[data-testid="stRadioOption"]').filter(has_text="从 Excel 导入"))
    with page.expect_download() as info:
        page.get_by_role("button", name="下载单位名单模板").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    sheet = tmp_path / "单位名单.xlsx"
    _fill_template(Path(info.value.path()).read_bytes(), sheet)
    page.locator('input[type="file"]').set_input_files(str(sheet))
    page.get_by_text("已读取 40 个单位。").wait_for()
    shot(page, "rounds-01-imported")
    page.get_by_role("button", name="创建批次并生成链接").click()
    page.get_by_text(re.compile("批次已创建")).wait_for()
    page.get_by_text(TITLE, exact=True).first.wait_for()  # typed text shown as text, not HTML
    assert "r=" in page.url and "k=" in page.url
    idle(page)
    shot(page, "rounds-02-created")

    page.get_by_role("tab", name="发送链接").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="下载链接清单（Excel）").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()), read_only=True)
    links = {str(r[0]): str(r[4]) for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)
             if r[4] and str(r[4]).startswith("http")}
    assert len(links) == 40 and len(set(links.values())) == 40
    assert all("/questionnaire?a=" in link for link in links.values())
    page.locator('[data-testid="stImage"]').first.wait_for()  # the QR code of the unit picked
    shot(page, "rounds-03-links")

    # one unit opens its own link on a phone and answers two of the eight criteria
    phone_ctx = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = phone_ctx.new_page()
    phone.set_default_timeout(45_000)
    phone.goto(links["华东第3基层分会"])
    phone.get_by_role("heading", name="自评问卷").wait_for()
    phone.get_by_text("华东第3基层分会", exact=True).first.wait_for()
    _answer_step(phone, 1, "引领力", "规范级")
    _answer_step(phone, 2, "组织力", "起步级")
    shot(phone, "rounds-04-phone-unit")
    phone_ctx.close()

    # 30 more units answer everything (through the store, as their links would), 9 never start
    store = Store(url)
    loaded = load_model(ROOT / "frameworks" / "brand-union.yaml")
    code = re.search(r"[?&]r=([^&]+)", page.url).group(1)
    key = re.search(r"[?&]k=([^&]+)", page.url).group(1)
    rng = random.Random(13)
    units = RoundService(store).units(code, key)
    answering = [u for u in units if u.name != "华东第3基层分会"][:30]
    for u in answering:
        strength = rng.randint(1, 4)
        store.save_answers(u.token, {i.id: min(5, max(1, strength + rng.choice([-1, 0, 0, 1])))
                                     for i in loaded.model.indicators})

    page.reload()
    page.get_by_role("tab", name="进度").click()
    page.get_by_text("未完成的单位（10 个）").wait_for()
    chase = page.locator('[data-testid="stCode"]').filter(has_text="请以下单位").inner_text()
    assert "华东第3基层分会" in chase and chase.count("/questionnaire?a=") == 10
    assert all(u.name not in chase for u in answering)
    shot(page, "rounds-05-progress")

    page.get_by_role("link", name="打开汇总看板").first.click()
    page.get_by_role("heading", name="汇总看板").wait_for()
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    idle(page)
    shot(page, "rounds-06-portfolio-heatmap")
    page.locator("[data-testid=\"stButtonGroup\"] button").filter(has_text="投入方向").click()
    page.get_by_text(re.compile("最值得集中投入的方向")).wait_for()
    idle(page)
    shot(page, "rounds-07-portfolio-invest")
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("下载汇总表")).click()
    assert info.value.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()), read_only=True)
    cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any("华东第3基层分会" in c for c in cells)
    assert len(book.worksheets) >= 4  # heatmap, ranking, stages, where to invest, ...
    ctx.close()
