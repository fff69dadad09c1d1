"""In chromium, one assessment in two tabs of one browser: a stale save loses nothing, a conflict is shown (issue 8.8)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import shot
from tests.e2e.test_selfcheck_browser import idle

pytestmark = pytest.mark.e2e


def option(page, level_name: str, question: int):
    """The radio option ``level_name`` of the ``question``-th question (0-based) of the step's form."""
    return page.locator('[data-testid="stForm"] label').filter(has_text=level_name).nth(question)


def save(page) -> None:
    page.get_by_role("button", name="保存本组", exact=True).click()
    page.wait_for_timeout(500)
    idle(page)
    assert not page.locator('[data-testid="stException"]').count()


def test_two_tabs_of_one_assessment(server, browser):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    a = ctx.new_page()
    a.set_default_timeout(30_000)
    try:
        a.goto(f"{server}/start")
        a.get_by_label("工会名称 *").fill("两个窗口的工会")
        a.get_by_role("button", name="开始自评").click()
        a.get_by_role("heading", name="自评问卷").wait_for()
        idle(a)
        b = ctx.new_page()
        b.set_default_timeout(30_000)
        b.goto(a.url)  # the same link in a second tab
        b.get_by_role("heading", name="自评问卷").wait_for()
        idle(b)

        option(a, "规范级", 0).click()
        a.get_by_label("备注（依据、例子、说明）").first.fill("A 窗口的备注 **不是粗体**")
        save(a)
        a.get_by_text("已保存“引领力”的 1 个答案。").wait_for()

        option(b, "品牌级", 1).click()  # B still shows question 1 empty
        save(b)
        b.get_by_text("已保存“引领力”的 1 个答案。").wait_for()
        assert not b.get_by_text("别处已修改").count()
        # B now shows what A saved: nothing was reverted
        assert option(b, "规范级", 0).locator("input").is_checked()
        assert b.get_by_label("备注（依据、例子、说明）").first.input_value() == "A 窗口的备注 **不是粗体**"

        option(a, "引领级", 0).click()
        save(a)
        option(b, "起步级", 0).click()
        save(b)
        b.get_by_text("别处已修改", exact=False).first.wait_for()
        b.get_by_text("A 窗口的备注 **不是粗体**", exact=False).first.wait_for()  # shown as text, not Markdown
        shot(b, "two-tabs-01-conflict")
        b.get_by_role("button", name="采用对方的").click()
        b.get_by_text("已采用对方的答案", exact=False).wait_for()
        idle(b)
        assert option(b, "引领级", 0).locator("input").is_checked()
        assert not b.get_by_text("别处已修改").count()

        a.reload()  # what the database holds, seen afresh
        a.get_by_role("heading", name="自评问卷").wait_for()
        idle(a)
        assert option(a, "引领级", 0).locator("input").is_checked()
        assert option(a, "品牌级", 1).locator("input").is_checked()
        a.get_by_text("已答 2 / 34 题").wait_for()
        shot(a, "two-tabs-02-after")
    finally:
        ctx.close()
