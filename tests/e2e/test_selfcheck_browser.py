"""A new user does the quick check in chromium, reloads half way, finishes, sees the radar, exports JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import choose, shot

pytestmark = pytest.mark.e2e

NAME = "张堃的测试工会 **粗体** <b>x</b>"


def idle(page) -> None:
    """Wait until the app has finished its script run."""
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')")


CRITERIA = ["引领力", "组织力", "服务力", "服务化", "体系化", "品牌化", "创新化", "数智化"]


def answer_current_step(page, step: int, level_name: str) -> None:
    page.get_by_role("heading", name=re.compile(f"{step + 1}\\. .*{CRITERIA[step]}")).wait_for()
    # the heading is drawn before the form: wait until the form itself is this step's
    form = page.locator('[data-testid="stForm"]').filter(has_text=f"{step + 1}.1 ")
    form.wait_for()
    idle(page)
    choose(form.locator('[data-testid="stRadioOption"]').filter(has_text=level_name).first)
    page.get_by_role("button", name="保存并进入下一组").click()
    try:
        page.get_by_text(f"已保存“{CRITERIA[step]}”的 1 个答案。").wait_for()
    except Exception:
        shot(page, f"failed-step-{step}")
        raise


def test_quick_check_reload_results_export(server, page):
    page.goto(f"{server}/start")
    page.get_by_text("开始新的自评").wait_for()
    shot(page, "01-start")
    page.get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=re.compile("品牌工会建设快速自测")).click()
    page.get_by_label("工会名称 *").fill(NAME)
    page.get_by_role("button", name="开始自评").click()
    page.get_by_role("heading", name="自评问卷").wait_for()
    assert "a=" in page.url

    levels = ["规范级", "品牌级", "起步级", "引领级", "规范级", "品牌级", "规范级", "起步级"]
    for step in range(4):
        answer_current_step(page, step, levels[step])
    shot(page, "02-questionnaire-half")

    page.reload()  # a dropped connection or a reload: the link in the address bar resumes
    page.get_by_text("已答 4 / 8 题").wait_for()
    for step in range(4, 8):
        answer_current_step(page, step, levels[step])
    page.get_by_text("全部题目已作答").wait_for()
    # the union's name is shown literally, not as Markdown or HTML
    page.get_by_text(NAME, exact=True).wait_for()
    shot(page, "03-questionnaire-done")

    page.get_by_role("link", name="结果").first.click()
    page.get_by_role("heading", name="诊断结果").wait_for()
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.wait_for()
    chart.locator("svg text", has_text="引领力").first.wait_for()
    shot(page, "04-results")
    page.get_by_role("link", name="导入导出").first.click()
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("JSON")).first.click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["format"] == "maturity-assessment/1"
    assert data["organisation"]["name"] == NAME
    assert len(data["answers"]) == 8
    shot(page, "05-export")


def test_every_page_in_both_languages_for_the_record(server, page):
    """Open every page by its address (zh, then ?lang=en) and keep a screenshot of each under tests/artifacts/."""
    titles = {"zh": ["品牌工会建设成熟度自评", "开始自评", "自评问卷", "诊断结果"],
              "en": ["Brand-Building Union Maturity Self-Check", "Start a self-check"]}
    paths = ["", "start", "questionnaire", "results", "roadmap", "history", "transfer", "models"]
    for lang in ("zh", "en"):
        for n, path in enumerate(paths):
            page.goto(f"{server}/{path}?lang={lang}")
            page.locator('[data-testid="stSidebarNav"]').wait_for()
            page.locator('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]').first.wait_for()
            idle(page)
            page.wait_for_timeout(300)
            assert not page.locator('[data-testid="stException"]').count(), path
            assert not page.get_by_text("Page not found").count(), path
            if n < len(titles[lang]) and path in ("", "start"):
                assert page.locator("h1").first.inner_text().strip() == titles[lang][n]
            shot(page, f"page-{lang}-{n}-{path or 'home'}")
