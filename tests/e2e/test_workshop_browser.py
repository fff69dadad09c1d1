"""A workshop in chromium: the host opens a session, a phone joins by code and answers, the host screen updates."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import host_and_phone, shot, submit_group
from tests.e2e.test_selfcheck_browser import idle

pytestmark = pytest.mark.e2e


def test_host_and_participant(server, browser):
    with host_and_phone(browser) as (host, phone):
        host.goto(f"{server}/workshop_host")
        host.get_by_label("研讨会名称").fill("2026 年度品牌工会研讨会")
        host.get_by_role("button", name="创建研讨会").click()
        host.get_by_text("加入码", exact=True).wait_for()
        idle(host)
        assert "k=" in host.url and "w=" in host.url
        code = re.search(r"[?&]w=([A-Z0-9]{6})", host.url).group(1)
        host.get_by_text("还没有人加入").wait_for()
        shot(host, "ws-01-host-empty")

        phone.goto(f"{server}/workshop")
        phone.get_by_label(re.compile("加入码")).fill(code.lower())  # typed in lower case on a phone
        phone.get_by_role("button", name="加入").click()
        phone.get_by_text(re.compile("已答 0 / 34 题")).wait_for()
        assert "p=" in phone.url
        submit_group(phone, "规范级", 4, "已保存“引领力”的 4 个答案")
        idle(phone)
        # the next criterion's form follows at once
        phone.locator('[data-testid="stForm"]').filter(has_text="1. ").first.wait_for()
        assert phone.get_by_role("heading", name=re.compile("组织力")).count() == 1
        shot(phone, "ws-02-phone-answered")

        # the host panel refreshes itself every 5 s (st.fragment run_every)
        metrics = host.locator('[data-testid="stMetricValue"]')
        host.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')].map(e => e.innerText)"
            ".join('|') === '1|4'", timeout=20_000)
        assert metrics.all_inner_texts() == ["1", "4"]  # 1 participant, 4 answers
        shot(host, "ws-03-host-one-answer")
