"""A whole room in chromium: a host, a projector and three participants (one on a phone) run a session end to end.

Join by link and by typed code, a reload that resumes, one real disagreement (1/3/5) that tops "discuss
first" while close answers elsewhere do not, consensus with a note, reveal, close, a late answer refused,
the group PDF, CSV and Excel downloaded and read, the presenter link without the host key or controls.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from pathlib import Path

import pytest

from maturity.loader import load_model
from tests.e2e.conftest import ROOT, app_server, choose, shot
from tests.e2e.test_selfcheck_browser import idle

pytestmark = pytest.mark.e2e

TITLE = "2026 年职代会品牌工会研讨"
NOTE = "先按 **3 级** 记，<b>明年</b>复评"  # typed by the host: shown as itself, never as Markdown or HTML
SPLIT = [1, 3, 5]  # the first question of 引领力: the one real disagreement
CLOSE = [[3, 3, 4], [3, 4, 4], [2, 3, 3]]  # the other questions of 引领力: close answers, not flagged
ORGANISING = [3, 4, 3]  # every question of 组织力
WAIT = 60_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on its own SQLite file, not reloading modules when a source file changes meanwhile (an
    edit during the long run would otherwise swap classes under the running sessions)."""
    db = tmp_path_factory.mktemp("room") / "room.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")
        with app_server(f"sqlite:///{db}", db.with_suffix(".log")) as url:
            yield url


@pytest.fixture(scope="module")
def model():
    return load_model(ROOT / "frameworks" / "brand-union.yaml").model


def _context(browser, width: int, height: int, **kw):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height}, **kw)
    page = ctx.new_page()
    page.set_default_timeout(WAIT)
    return ctx, page


def _answer(page, model, crit_id: str, levels: list[int]) -> None:
    """Answer the criterion's form shown on ``page`` with one level per question, submit, wait for the save."""
    crit = model.criterion_by_id[crit_id]
    form = page.locator('[data-testid="stForm"]').filter(has_text=model.t(crit.indicators[0].question, "zh")[:12])
    form.wait_for()
    idle(page)
    for q, level in enumerate(levels):
        options = form.locator('[data-testid="stRadio"]').nth(q).locator('[data-testid="stRadioOption"]')
        choose(options.nth(level - model.lmin))
    page.get_by_role("button", name="提交本组答案").click()
    page.get_by_text(re.compile(f"已保存“{model.t(crit.name, 'zh')}”的 {len(levels)} 个答案")).wait_for()
    idle(page)


def _metrics(page, expected: str) -> None:
    page.wait_for_function(
        "(want) => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')].map(e => e.innerText)"
        ".join('|') === want", arg=expected, timeout=WAIT)


def _tall_shot(page, name: str) -> None:
    """A screenshot of the whole page: Streamlit scrolls its main area, so the viewport is made as tall."""
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height) + 40, 8000))})
    page.wait_for_timeout(500)
    shot(page, name)
    page.set_viewport_size(size)


def _main_controls(page) -> int:
    """How many widgets a viewer could use in the page's main area (buttons, inputs, selects, forms)."""
    return page.locator('[data-testid="stMain"]').locator(
        '[data-testid="stButton"], [data-testid="stDownloadButton"], [data-testid="stLinkButton"], '
        '[data-testid="stCheckbox"], [data-testid="stSelectbox"], [data-testid="stTextInput"], '
        '[data-testid="stForm"], [data-testid="stRadio"]').count()


def test_a_full_room(server, browser, model, tmp_path):
    from playwright.sync_api import expect

    contexts = []
    try:
        host_ctx, host = _context(browser, 1280, 900, accept_downloads=True)
        contexts.append(host_ctx)
        # -- the host creates a session on two criteria
        host.goto(f"{server}/workshop_host")
        host.get_by_label("研讨会名称").fill(TITLE)
        for name in ("引领力", "组织力"):
            host.locator('[data-testid="stMultiSelect"]').click()
            host.get_by_role("option", name=name, exact=True).click()
        host.keyboard.press("Escape")
        host.get_by_role("button", name="创建研讨会").click()
        host.get_by_text("加入码", exact=True).wait_for()
        idle(host)
        code = re.search(r"[?&]w=([A-Z0-9]{6})", host.url).group(1)
        key = re.search(r"[?&]k=([^&]+)", host.url).group(1)
        present_url = host.locator('[data-testid="stCode"]').filter(has_text="v=").inner_text().strip()
        assert "k=" not in present_url and key not in present_url and f"w={code}" in present_url

        # -- the projector opens the presenter link
        proj_ctx, projector = _context(browser, 1600, 900)
        contexts.append(proj_ctx)
        projector.goto(present_url)
        projector.get_by_role("heading", name=TITLE).wait_for()
        projector.get_by_text(code, exact=True).wait_for()  # the big join code
        expect(projector.locator('[data-testid="stMain"] [data-testid="stImage"] img')).to_have_count(1)  # the QR

        # -- three participants: a desktop by link, a phone and another desktop by typed code
        a_ctx, a = _context(browser, 1280, 900)
        b_ctx, b = _context(browser, 390, 844, is_mobile=True, has_touch=True)
        c_ctx, c = _context(browser, 1280, 900)
        contexts += [a_ctx, b_ctx, c_ctx]
        a.goto(f"{server}/workshop?w={code}")
        a.get_by_text("本场为匿名研讨，不需要填写姓名。").wait_for()
        a.get_by_role("button", name="加入").click()
        for page, typed in ((b, code.lower()), (c, f"{code[:3]} {code[3:]}")):
            page.goto(f"{server}/workshop")
            page.get_by_label(re.compile("加入码")).fill(typed)
            if page is b:
                page.get_by_label(re.compile("姓名")).fill("王小明")  # an anonymous session keeps no name
            page.get_by_role("button", name="加入").click()
        n_lead = len(model.criterion_by_id["leading"].indicators)
        n_org = len(model.criterion_by_id["organising"].indicators)
        total = n_lead + n_org  # the session's questions: 引领力 and 组织力 (4 and 5 in brand-union 2026.1)
        for page in (a, b, c):
            page.get_by_text(re.compile(f"已答 0 / {total} 题")).wait_for()
            assert "p=" in page.url

        leading = [SPLIT, *CLOSE]
        for k, page in enumerate((a, b, c)):
            _answer(page, model, "leading", [answers[k] for answers in leading])
        # c reloads: the link resumes where it was
        c.reload()
        c.get_by_text(re.compile(f"已答 {n_lead} / {total} 题")).wait_for()
        for k, page in enumerate((a, b, c)):
            if page is c:
                choose(c.locator('[data-testid="stRadioOption"]').filter(has_text="组织力").first)
            _answer(page, model, "organising", [ORGANISING[k]] * n_org)

        # -- the host's panel: everybody's answers, and the one real split on top of "discuss first"
        _metrics(host, f"3|{3 * total}")
        split_q = model.t(model.indicator_by_id["leading.party-building"].question, "zh")
        discuss = host.locator('[data-testid="stMarkdownContainer"]').filter(has_text=re.compile(r"^⚠ \d+\.\d+ "))
        discuss.filter(has_text=split_q).wait_for()
        assert discuss.count() == 1, discuss.all_inner_texts()  # 2/3/4-like answers elsewhere are not flagged
        assert discuss.first.inner_text().startswith("⚠ 1.1 ")
        host.get_by_text(re.compile(r"标准差 1\.63 · 最低 1 级、最高 5 级（相差 4 级）")).wait_for()
        _metrics(projector, f"3|{3 * total}")  # the projector follows by itself
        projector.locator('[data-testid="stMarkdownContainer"]').filter(has_text=split_q).first.wait_for()
        _tall_shot(host, "room-01-host-live")
        _tall_shot(projector, "room-02-presenter-live")

        # -- consensus with a note on the split question
        editor = host.locator('[data-testid="stExpander"]').filter(has_text="引领力").filter(
            has_text="保存这一组的共识").first
        editor.locator("summary").click()
        editor.locator('[data-testid="stSelectbox"]').first.click()
        host.get_by_role("option", name=re.compile(r"^3 ")).click()
        editor.locator('[data-testid="stTextInput"] input').first.fill(NOTE)
        editor.get_by_role("button", name="保存这一组的共识").click()
        host.get_by_text("已保存“引领力”的共识。").wait_for()
        idle(host)
        host.get_by_text(f"说明：{NOTE}").wait_for()  # literally, beside the split in "discuss first"

        # -- reveal: the participants see the group result and the note
        host.get_by_text("向参会者公布集体结果").click()
        idle(host)
        choose(a.locator('[data-testid="stRadioOption"]').filter(has_text="引领力").first)
        a.get_by_role("button", name=re.compile("刷新")).click()
        idle(a)
        a.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
        a.get_by_text(NOTE).first.wait_for()
        b.get_by_role("button", name=re.compile("刷新")).click()
        idle(b)
        b.locator('[data-testid="stVegaLiteChart"]').first.wait_for()

        # -- close; a late answer is refused with the message
        host.get_by_text("我确认要结束本场研讨").click()
        host.get_by_role("button", name="结束研讨").click()
        host.get_by_role("heading", name="集体结果").wait_for()
        idle(host)
        expect(host.get_by_role("button", name="结束研讨", exact=True)).to_have_count(0)  # the close box goes
        expect(host.locator('[data-testid="stMain"] h2').first).to_contain_text("集体结果")  # results first
        expect(host.locator('[data-testid="stMain"] [data-testid="stImage"]')).to_have_count(0)  # no big QR
        host.get_by_text(re.compile(f"加入码 {code} · 本场研讨已结束")).wait_for()  # one small line instead
        c.get_by_role("button", name="提交本组答案").click()
        c.get_by_text(re.compile("主持人已结束本场研讨")).first.wait_for()

        # -- keep the result, twice: the second click updates the same self-check
        host.get_by_role("button", name=re.compile("保存为本单位的自评结果")).click()
        host.get_by_text("已保存为本单位的自评结果。").wait_for()
        link = host.get_by_role("link", name=re.compile("打开保存的自评结果")).get_attribute("href")
        host.get_by_role("button", name=re.compile("保存为本单位的自评结果")).click()
        host.get_by_text(re.compile("已更新先前保存的自评结果")).wait_for()
        assert host.get_by_role("link", name=re.compile("打开保存的自评结果")).get_attribute("href") == link
        _tall_shot(host, "room-03-host-closed")

        # -- downloads
        pdf = _download(host, "下载集体诊断报告（PDF）", tmp_path)
        cover = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                               text=True, check=True).stdout
        assert cover.count(TITLE) == 1, cover
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "引领力" in text and "组织力" in text
        raw = _download(host, "下载原始答案（CSV）", tmp_path).read_bytes().decode("utf-8-sig")
        assert "王小明" not in raw
        rows = list(csv.reader(io.StringIO(raw, newline="")))
        assert len(rows) == 1 + 3 * total and {r[0] for r in rows[1:]} == {"1", "2", "3"}
        assert sorted(r[4] for r in rows[1:] if r[2] == "leading.party-building") == ["1", "3", "5"]
        from openpyxl import load_workbook

        sheet = load_workbook(_download(host, "下载原始答案（Excel）", tmp_path)).active
        cells = [[c.value for c in row] for row in sheet.iter_rows()]
        assert len(cells) == 1 + 3 * total and "王小明" not in str(cells)

        # -- the projector after close: the results, no host key, no controls
        projector.get_by_role("heading", name="集体结果").wait_for(timeout=WAIT)
        idle(projector)
        assert "k=" not in projector.url and key not in projector.content()
        expect(projector.locator('[data-testid="stMain"] [data-testid="stImage"]')).to_have_count(0)
        assert _main_controls(projector) == 0
        assert not projector.locator('[data-testid="stSidebar"]').is_visible()
        _tall_shot(projector, "room-04-presenter-closed")

        # -- the kept result opens like any self-check
        host.goto(link if link.startswith("http") else f"{server}{link}")
        host.get_by_text(TITLE).first.wait_for()
        assert "a=" in host.url
    except BaseException:
        for n, ctx in enumerate(contexts):  # what each screen showed when it failed
            for page in ctx.pages:
                shot(page, f"room-failed-{n}")
        raise
    finally:
        for ctx in contexts:
            ctx.close()


def _download(page, label: str, folder: Path) -> Path:
    # A deferred download (data=callable) that a rerun overtakes between the click and the browser's fetch is
    # cancelled by the browser ("Download.save_as: canceled", seen once in CI on this host page, whose panel
    # refreshes itself); a user clicks again, and so does this test, once. Twice in a row is a failure.
    for attempt in (1, 2):
        with page.expect_download(timeout=WAIT) as info:
            page.get_by_role("button", name=re.compile(re.escape(label))).click()
        target = folder / info.value.suggested_filename
        try:
            info.value.save_as(target)
            break
        except Exception as exc:  # playwright.Error
            if attempt == 2 or "canceled" not in str(exc):
                raise
    assert TITLE.replace(" ", "") in target.name.replace(" ", "") or "研讨" in target.name
    return target
