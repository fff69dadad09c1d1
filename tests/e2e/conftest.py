"""A real app server and Debian's chromium driven by Playwright, for the e2e tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def app_server(database_url: str, log_path: Path) -> Iterator[str]:
    """``streamlit run app.py`` (the README's command) on a free loopback port; yields the base URL."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "MATURITY_FRAMEWORKS": str(ROOT / "frameworks")}
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
             str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.3)
        else:
            proc.kill()
            pytest.fail("the app server did not start")
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The app on its own SQLite file; yields the base URL."""
    db = tmp_path_factory.mktemp("e2e") / "e2e.db"
    with app_server(f"sqlite:///{db}", db.with_suffix(".log")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's chromium, headless, through Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking",
                                                              "--disable-gpu", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (a new user) with a Chinese locale and downloads allowed."""
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    ctx.close()


@contextlib.contextmanager
def host_and_phone(browser, accept_downloads: bool = False) -> Iterator[tuple[object, object]]:
    """A facilitator's desktop page and a participant's phone page (390×844), each its own browser context."""
    host_ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900},
                                   accept_downloads=accept_downloads)
    phone_ctx = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    host, phone = host_ctx.new_page(), phone_ctx.new_page()
    for pg in (host, phone):
        pg.set_default_timeout(30_000)
    try:
        yield host, phone
    finally:
        host_ctx.close()
        phone_ctx.close()


def choose(option) -> None:
    """Click a radio option until its input is checked.

    On a busy machine Streamlit may still be swapping the previous step's elements for this
    step's, and a click can land on one that is being replaced.
    """
    from playwright.sync_api import expect

    for _ in range(5):
        option.click()
        if option.locator("input").is_checked():
            return
        option.page.wait_for_timeout(300)
    expect(option.locator("input")).to_be_checked()


def submit_group(phone, level: str, questions: int, saved: str) -> None:
    """A workshop participant picks ``level`` for the first ``questions`` of the shown group, submits, and
    waits for the ``saved`` confirmation (a regular expression)."""
    import re

    form = phone.locator('[data-testid="stForm"]')
    for option in form.locator('[data-testid="stRadioOption"]').filter(has_text=level).all()[:questions]:
        choose(option)
    phone.get_by_role("button", name="提交本组答案").click()
    phone.get_by_text(re.compile(saved)).wait_for()


def shot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/artifacts/ (look at them)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
