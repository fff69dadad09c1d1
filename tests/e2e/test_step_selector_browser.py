"""In chromium: a second 保存本组 on one group, and 刷新 after the workshop's last criterion, show no error (issue 8.2)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose, host_and_phone, shot
from tests.e2e.test_selfcheck_browser import idle

pytestmark = pytest.mark.e2e


def no_exception(page, name: str) -> None:
    page.wait_for_timeout(500)
    idle(page)
    if page.locator('[data-testid="stException"]').count():
        shot(page, f"failed-{name}")
        pytest.fail(page.locator('[data-testid="stException"]').first.inner_text())


def step_selector(page):
    """The step selector (not the sidebar's language switch)."""
    return page.locator('[data-testid="stRadio"]').filter(has_text="1 引领力").first


def test_saving_one_group_twice(server, page):
    page.goto(f"{server}/start")
    page.get_by_label("工会名称 *").fill("某某公司工会")
    page.get_by_role("button", name="开始自评").click()
    page.get_by_role("heading", name="自评问卷").wait_for()
    idle(page)
    form = page.locator('[data-testid="stForm"]')
    choose(form.locator('[data-testid="stRadioOption"]').filter(has_text="规范级").first)
    page.get_by_role("button", name="保存本组", exact=True).click()
    page.get_by_text("已保存“引领力”的 1 个答案。").wait_for()
    no_exception(page, "first-save")
    choose(form.locator('[data-testid="stRadioOption"]').filter(has_text="品牌级").nth(1))
    page.get_by_role("button", name="保存本组", exact=True).click()  # the group's progress mark changed meanwhile
    page.get_by_text("已保存“引领力”的 2 个答案。").wait_for()
    no_exception(page, "second-save")
    step_selector(page).get_by_text("已答 2/4").wait_for()
    page.get_by_role("button", name="保存并进入下一组").click()
    page.get_by_role("heading", name=re.compile(r"2\. .*组织力")).wait_for()
    no_exception(page, "save-next")
    shot(page, "steps-01-saved-twice")


def test_workshop_refresh_after_the_last_criterion_on_a_phone(server, browser):
    with host_and_phone(browser) as (host, phone):
        host.goto(f"{server}/workshop_host")
        host.get_by_label("研讨会名称").fill("步骤研讨会")
        host.get_by_role("button", name="创建研讨会").click()
        host.get_by_text("加入码", exact=True).wait_for()
        idle(host)
        code = re.search(r"[?&]w=([A-Z0-9]{6})", host.url).group(1)

        phone.goto(f"{server}/workshop?w={code}")
        phone.get_by_role("button", name="加入").click()
        phone.get_by_text(re.compile("已答 0 / 34 题")).wait_for()
        idle(phone)
        steps = step_selector(phone)
        steps.locator("label").filter(has_text="8 数智化").click()
        phone.get_by_role("heading", name=re.compile("数智化")).wait_for()
        idle(phone)
        form = phone.locator('[data-testid="stForm"]')
        options = form.locator('[data-testid="stRadioOption"]').filter(has_text="规范级")
        expect(options).to_have_count(4)
        for k in range(4):
            choose(options.nth(k))
        phone.get_by_role("button", name="提交本组答案").click()
        phone.get_by_text(re.compile("已保存“数智化”的 4 个答案")).wait_for()
        no_exception(phone, "ws-submit-last")
        shot(phone, "steps-02-phone-last-criterion")
        phone.get_by_role("button", name="刷新").click()
        phone.wait_for_timeout(800)
        no_exception(phone, "ws-refresh")
        phone.get_by_role("heading", name=re.compile("数智化")).wait_for()
        steps.get_by_text("✓ 已完成").wait_for()
        shot(phone, "steps-03-phone-after-refresh")
