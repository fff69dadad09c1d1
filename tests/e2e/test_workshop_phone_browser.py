"""The participant's page on a phone in chromium: compact, big answers, and a group chart whose bars are drawn.

The host's actions and the other participants' answers go through WorkshopService on the server's
own database; the phone joins by the link, answers through the page, and after the reveal the test
measures the revealed chart's SVG marks: every bar of a non-zero count drawn, widths proportional to
the counts, the widest row at least half the screen, every label and the legend inside the screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from maturity.loader import load_model
from maturity.store import Store
from maturity.workshop import WorkshopService
from tests.e2e.conftest import ARTIFACTS, ROOT, app_server, choose, shot
from tests.e2e.test_selfcheck_browser import idle

pytestmark = pytest.mark.e2e

WAIT = 60_000
OTHERS = [[1, 3, 3, 3], [5, 4, 4, 4]]  # two other participants' answers to 引领力's four questions
MINE = [3, 4, 2, 3]  # the phone's
NOTE = "先按 **3 级** 记，<b>明年</b>复评"  # the host's typed note: shown as itself


@pytest.fixture(scope="module")
def room(tmp_path_factory) -> Iterator[tuple[str, WorkshopService]]:
    """The app on its own SQLite file, and the workshop service on the same file (for the host's actions)."""
    db = tmp_path_factory.mktemp("phone") / "phone.db"
    store = Store(f"sqlite:///{db}")
    store.create_schema()
    with app_server(f"sqlite:///{db}", db.with_suffix(".log")) as url:
        yield url, WorkshopService(store)


@pytest.fixture(scope="module")
def loaded():
    return load_model(ROOT / "frameworks" / "brand-union.yaml")


def _element_shot(locator, name: str) -> Path:
    """A screenshot of one element (the app scrolls inside its own container, so a full page shows one screen)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    locator.screenshot(path=str(path))
    return path


BARS_JS = """(chart) => {
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; };
  return {
    bars: [...chart.querySelectorAll('g.mark-rect path')].map(box),
    texts: [...chart.querySelectorAll('g.mark-text text')].filter(t => getComputedStyle(t).opacity !== '0'
             && t.getAttribute('opacity') !== '0').map(e => [...box(e), e.textContent]),
    legend: [...chart.querySelectorAll('.role-legend text, .role-legend path')].map(box),
    svg: box(chart.querySelector('svg')),
  };
}"""


def _measure(chart, counts: list[list[int]], width: int) -> dict:
    """Check the drawn bars against ``counts`` (the non-zero counts of each question, in order); the numbers."""
    got = chart.evaluate(BARS_JS)
    bars = sorted(got["bars"], key=lambda b: (round(b[2]), b[0]))  # rows top to bottom, segments left to right
    flat = [c for row in counts for c in row]
    assert len(bars) == len(flat), (len(bars), flat)
    widths = [b[1] - b[0] for b in bars]
    assert min(widths) > 0, widths  # no bar of a non-zero count is drawn 0 px wide
    unit = sum(widths) / sum(flat)
    for w, c in zip(widths, flat, strict=True):
        assert abs(w - c * unit) <= 2.5, (widths, flat)  # proportional to the counts
    rows, k = [], 0
    for row in counts:
        rows.append(sum(widths[k:k + len(row)]))
        k += len(row)
    assert max(rows) >= 0.5 * width, (rows, width)  # the bars take most of the screen
    for left, right, _, _, text in got["texts"]:
        assert left >= -0.5 and right <= width + 0.5, (text, left, right, width)  # no label cut at the edges
    assert got["legend"], "the legend is drawn"
    for left, right, _, _ in got["legend"]:
        assert left >= -0.5 and right <= width + 0.5, ("legend", left, right, width)
    assert got["svg"][1] <= width + 0.5
    return {"widths": [round(w, 1) for w in widths], "rows": [round(r, 1) for r in rows], "unit": round(unit, 1)}


@pytest.mark.parametrize("width", [390, 360])
def test_a_phone_joins_answers_and_reads_the_group_chart(room, browser, loaded, width):
    base, svc = room
    m = loaded.model
    ws, key = svc.create(loaded, f"手机研讨会 {width}")
    leading = m.criteria[0]
    ids = [i.id for i in leading.indicators]
    for levels in OTHERS:
        svc.submit(svc.join(ws.code).token, dict(zip(ids, levels, strict=True)))

    ctx = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 844}, is_mobile=True,
                              has_touch=True)
    phone = ctx.new_page()
    phone.set_default_timeout(WAIT)
    try:
        phone.goto(f"{base}/workshop?w={ws.code}")  # join by the link
        phone.get_by_text("本场为匿名研讨，不需要填写姓名。").wait_for()
        idle(phone)
        # the link fills the code in (waited for: on a busy machine the input gets its value a moment after the page)
        expect(phone.get_by_label(re.compile("加入码"))).to_have_value(ws.code)
        shot(phone, f"phone-{width}-00-join")
        phone.get_by_role("button", name="加入").click()
        phone.get_by_text(re.compile("已答 0 / 34 题")).wait_for()
        idle(phone)
        form = phone.locator('[data-testid="stForm"]').filter(has_text=m.t(leading.indicators[0].question, "zh")[:12])
        form.wait_for()

        # phone-first: no page title above the work, a small criterion heading, the first answer on the first screen
        assert phone.locator('[data-testid="stMain"] h1').count() == 0
        heading = phone.get_by_role("heading", name=re.compile("引领力"))
        assert float(heading.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) <= 20
        first = form.locator('[data-testid="stRadioOption"]').first
        assert first.bounding_box()["y"] + 20 < 844, first.bounding_box()
        # each answer is a card at least 44 px high, and a tap on its text (the caption) chooses it
        cards = form.locator('[data-testid="stRadioGroup"]').first.locator(":scope > div")
        heights = [cards.nth(k).bounding_box()["height"] for k in range(cards.count())]
        assert min(heights) >= 44, heights
        caption = cards.nth(1).locator('[data-testid="stRadioCaption"]')
        caption.evaluate("e => e.scrollIntoView({block: 'center'})")
        box = caption.bounding_box()
        phone.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # on the text, not the circle
        phone.wait_for_function("(el) => el.checked", arg=cards.nth(1).locator("input").element_handle())
        shot(phone, f"phone-{width}-01-form")

        for q, level in enumerate(MINE):
            options = form.locator('[data-testid="stRadio"]').nth(q).locator('[data-testid="stRadioOption"]')
            choose(options.nth(level - m.lmin))
        phone.get_by_role("button", name="提交本组答案").click()
        saved = phone.get_by_text(re.compile("已保存“引领力”的 4 个答案"))
        saved.wait_for()
        # the next criterion follows, and the page is brought back up to the message and its heading
        phone.get_by_role("heading", name=re.compile("组织力")).wait_for()
        phone.wait_for_function(
            "(h) => { const r = [...document.querySelectorAll('[data-testid=\"stAlert\"]')].find("
            "a => a.innerText.includes('已保存')); if (!r) return false; const b = r.getBoundingClientRect();"
            " return b.top >= 0 && b.bottom <= h; }", arg=844, timeout=20_000)
        phone.get_by_text(re.compile("已答 4 / 34 题")).wait_for()
        idle(phone)
        shot(phone, f"phone-{width}-02-next")

        # the host records a consensus with a note and reveals
        svc.set_consensus(ws.code, key, ids[0], 3, note=NOTE)
        svc.reveal(ws.code, key)
        choose(phone.locator('[data-testid="stRadioOption"]').filter(has_text="引领力").first)
        chart = phone.locator('[data-testid="stVegaLiteChart"]').first
        chart.wait_for()
        phone.wait_for_function("(el) => el.querySelectorAll('g.mark-rect path').length > 0",
                                arg=chart.element_handle())
        idle(phone)
        phone.get_by_text("1.1 共识等级：3 体系级").wait_for()
        phone.get_by_text(f"主持人备注：{NOTE}").wait_for()  # literally: no bold, no HTML

        aggs = svc.aggregates(ws.code, key)
        counts = [[c for c in [*(aggs[i].counts.get(lv, 0) for lv in range(m.lmin, m.lmax + 1)), aggs[i].n_na] if c]
                  for i in ids]
        measured = _measure(chart, counts, width)
        print(f"\n{width} px: bar widths {measured['widths']}, rows {measured['rows']}, {measured['unit']} px per answer")
        group = phone.locator(".st-key-wsj_group")
        group.scroll_into_view_if_needed()
        _element_shot(group, f"phone-{width}-03-group")
    finally:
        ctx.close()


def test_the_same_chart_on_the_desktop_and_the_host_screen(room, browser, loaded):
    base, svc = room
    m = loaded.model
    ws, key = svc.create(loaded, "桌面研讨会")
    ids = [i.id for i in m.criteria[0].indicators]
    people = [svc.join(ws.code) for _ in range(3)]
    for person, levels in zip(people, [*OTHERS, MINE], strict=True):
        svc.submit(person.token, dict(zip(ids, levels, strict=True)))
    svc.set_consensus(ws.code, key, ids[0], 3, note=NOTE)
    svc.reveal(ws.code, key)
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(WAIT)
    try:
        for name, url in (("participant", f"{base}/workshop?p={people[2].token}"),
                          ("host", f"{base}/workshop_host?w={ws.code}&k={key}")):
            page.goto(url)
            chart = page.locator('[data-testid="stVegaLiteChart"]').first
            chart.wait_for()
            page.wait_for_function("(el) => el.querySelectorAll('g.mark-rect path').length > 0",
                                   arg=chart.element_handle())
            idle(page)
            got = chart.evaluate(BARS_JS)
            widths = [b[1] - b[0] for b in got["bars"]]
            chart_width = got["svg"][1] - got["svg"][0]
            assert widths and min(widths) > 0, widths
            assert max(widths) >= 0.2 * chart_width, (widths, chart_width)
            for left, right, _, _, text in got["texts"]:
                assert got["svg"][0] - 0.5 <= left and right <= got["svg"][1] + 0.5, text
            chart.scroll_into_view_if_needed()
            _element_shot(chart, f"desktop-{name}-chart")
            shot(page, f"desktop-{name}")
    finally:
        ctx.close()
