"""docs/deploy.md, tested: Debian's nginx in front of two app processes on PostgreSQL, in shared mode.

``docs/deploy/behind_nginx.py`` starts it all as the guide says; chromium then does a self-check, a
workshop whose phones land on both processes, and a round's portfolio, every request through nginx.
nginx's access log (its ``upstream=`` field) tells which process served what: each browser stays on one
process (the route cookie), and the room is spread over both.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from maturity.store import Store
from maturity.workshop import WorkshopService
from tests.conftest import fresh_pg_database
from tests.e2e.conftest import ROOT, choose, shot, submit_group
from tests.e2e.test_selfcheck_browser import answer_current_step, idle

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.slow]

ADMIN_KEY = "deploy-e2e-" + secrets.token_hex(8)
LOCK = "退出管理查看"
LINE = re.compile(r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ upstream=(?P<up>.+?) route=(?P<route>\S+)')


@dataclass
class Deployment:
    site: str
    ports: list[int]
    pids: list[int]
    work: Path
    database_url: str
    proc: subprocess.Popen[str]

    def log(self) -> list[dict[str, str]]:
        """nginx's access log so far, one dict per request."""
        lines = (self.work / "access.log").read_text(encoding="utf-8").splitlines()
        return [m.groupdict() for m in map(LINE.search, lines) if m]

    def route_to(self, port: int, prefix: str) -> str:
        """A route cookie value that nginx sends to the app process on ``port`` (asked of nginx itself)."""
        for i in range(200):
            route = f"{prefix}-{i}"
            req = urllib.request.Request(f"{self.site}/_stcore/health", headers={"Cookie": f"maturity_route={route}"})
            with urllib.request.urlopen(req, timeout=5):
                pass
            time.sleep(0.05)  # nginx writes the line when the request ends
            if any(r["route"] == route and r["up"].endswith(f":{port}") for r in self.log()):
                return route
        raise AssertionError(f"no route to {port} in 200 tries: the upstream hash ignores the cookie")


def _free_ports(n: int) -> int:
    """The first of ``n`` consecutive free loopback ports."""
    for _ in range(100):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + n < 65000 and all(_free(base + i) for i in range(n)):
            return base
    raise RuntimeError("no free ports")


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    yield from fresh_pg_database("maturity_deploy")


@pytest.fixture(scope="module")
def deployment(database, tmp_path_factory) -> Iterator[Deployment]:
    work = tmp_path_factory.mktemp("nginx")
    port, app_port = _free_ports(1), _free_ports(2)
    env = {**os.environ, "DATABASE_URL": database, "MATURITY_MODE": "shared", "MATURITY_ADMIN_KEY": ADMIN_KEY,
           "MATURITY_FRAMEWORKS": str(ROOT / "frameworks")}
    proc = subprocess.Popen([sys.executable, "docs/deploy/behind_nginx.py", "--port", str(port), "--app-port",
                             str(app_port), "--workdir", str(work)], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    out: list[str] = []
    for line in proc.stdout:
        out.append(line)
        if line.startswith("logs "):
            break
    else:
        pytest.fail("behind_nginx.py did not start:\n" + "".join(out))
    site = next(x.split()[1] for x in out if x.startswith("ready "))
    ports = [int(p) for p in next(x for x in out if x.startswith("processes ")).split()[1:]]
    pids = [int(p) for p in next(x for x in out if x.startswith("pids ")).split()[1:]]
    try:
        yield Deployment(site, ports, pids, work, database, proc)
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=40)
        if proc.poll() is None:
            proc.kill()
        for port in ports:  # every app process stopped with the script
            assert not _listening(port), f"app process on {port} still running"
    assert ADMIN_KEY not in "".join(out) + "".join(proc.stdout or [])


@pytest.fixture
def new_context(browser):
    """Browser contexts (new users) that close after the test; ``route`` pins one to a process."""
    made: list[object] = []

    def make(site: str, *, phone: bool = False, route: str | None = None):
        ctx = browser.new_context(locale="zh-CN", accept_downloads=True, is_mobile=phone,
                                  viewport={"width": 390, "height": 844} if phone else {"width": 1280, "height": 900})
        if route:
            ctx.add_cookies([{"name": "maturity_route", "value": route, "url": site}])
        made.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(45_000)
        return page

    yield make
    for ctx in made:
        ctx.close()


def _cookie(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "maturity_route")


def _streams(dep: Deployment, route: str) -> list[dict[str, str]]:
    """The websockets of ``route`` in nginx's log, once they have closed."""
    for _ in range(50):
        if found := [r for r in dep.log() if r["route"] == route and r["path"].startswith("/_stcore/stream")]:
            return found
        time.sleep(0.2)
    return []


def _upstreams(dep: Deployment, route: str) -> set[str]:
    return {r["up"] for r in dep.log() if r["route"] == route}


def test_the_guide_runs_this_very_configuration(deployment):
    site = (ROOT / "docs/deploy/nginx-site.conf").read_text(encoding="utf-8")
    ran = (deployment.work / "site.conf").read_text(encoding="utf-8")
    assert ran.count("server 127.0.0.1:") == 2
    for directive in ("hash $maturity_route consistent;", "proxy_set_header Upgrade $http_upgrade;",
                      "location /_stcore/stream", "proxy_read_timeout 1d;", "client_max_body_size 12m;"):
        assert directive in site and directive in ran
    guide = (ROOT / "docs/deploy.md").read_text(encoding="utf-8")
    assert "docs/deploy/nginx-site.conf" in guide and "docs/deploy/behind_nginx.py" in guide
    with urllib.request.urlopen(f"{deployment.site}/_stcore/health", timeout=5) as reply:
        assert reply.read() == b"ok"


def test_a_self_check_through_nginx_stays_on_one_process(deployment, new_context):
    page = new_context(deployment.site)
    page.goto(f"{deployment.site}/start")
    page.get_by_text("开始新的自评").wait_for()
    page.get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=re.compile("品牌工会建设快速自测")).click()
    page.get_by_label("工会名称 *").fill("经由 nginx 的测试工会")
    page.get_by_role("button", name="开始自评").click()
    page.get_by_role("heading", name="自评问卷").wait_for()
    for step, level in enumerate(["规范级", "品牌级", "起步级", "引领级", "规范级", "品牌级", "规范级", "起步级"]):
        answer_current_step(page, step, level)
    page.get_by_text("全部题目已作答").wait_for()
    page.get_by_role("link", name="结果").first.click()
    page.get_by_role("heading", name="诊断结果").wait_for()
    page.locator('[data-testid="stVegaLiteChart"]').first.locator("svg text", has_text="引领力").first.wait_for()
    shot(page, "deploy-01-results")
    # a download is served from the memory of the process that holds the session: it works only if sticky
    page.get_by_role("link", name="导入导出").first.click()
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("JSON")).first.click()
    assert "经由 nginx 的测试工会" in Path(info.value.path()).read_text(encoding="utf-8")
    route = _cookie(page)
    page.context.close()  # nginx logs a websocket when it closes
    streams = _streams(deployment, route)
    assert streams and all(r["status"] == "101" for r in streams), streams  # the websocket went through, upgraded
    assert len(_upstreams(deployment, route)) == 1, "one browser's requests went to two processes"


def _host_workshop(dep: Deployment, new_context, title: str) -> tuple[object, str]:
    host = new_context(dep.site)
    host.goto(f"{dep.site}/workshop_host")
    host.get_by_label("研讨会名称").fill(title)
    host.get_by_role("button", name="创建研讨会").click()
    host.get_by_text("加入码", exact=True).wait_for()
    idle(host)
    return host, re.search(r"[?&]w=([A-Z0-9]{6})", host.url).group(1)  # type: ignore[union-attr]


def test_a_workshop_whose_phones_land_on_both_processes(deployment, new_context):
    host, code = _host_workshop(deployment, new_context, "经由 nginx 的研讨会")

    routes = [deployment.route_to(port, f"phone{n}") for port in deployment.ports for n in range(2)]
    phones = [new_context(deployment.site, phone=True, route=r) for r in routes]
    for phone in phones:  # by the join link, as a QR code opens it
        phone.goto(f"{deployment.site}/workshop?w={code}")
        phone.get_by_role("button", name="加入").click()
        phone.get_by_text(re.compile("已答 0 / 34 题")).wait_for()
    for i, phone in enumerate(phones):
        submit_group(phone, "规范级", 4, "已保存“引领力”的 4 个答案")
        shot(phone, f"deploy-02-phone-{i}")
    # the host's panel (on its own process) sees every phone's answers, from both processes, in PostgreSQL
    host.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')].map(e => e.innerText)"
        f".join('|') === '{len(phones)}|{4 * len(phones)}'", timeout=30_000)
    shot(host, "deploy-03-host")
    for phone in phones:
        phone.context.close()
    assert all(_streams(deployment, route) for route in routes)  # each phone's websocket, through nginx
    served = {route: _upstreams(deployment, route) for route in routes}
    assert all(len(ups) == 1 for ups in served.values()), served
    assert {next(iter(ups)) for ups in served.values()} == {f"127.0.0.1:{p}" for p in deployment.ports}


def test_a_round_portfolio_through_nginx_and_nobody_else_sees_it(deployment, new_context):
    made = subprocess.run([sys.executable, "-m", "maturity", "sample", "--units", "12", "--rounds", "2",
                           "--site", deployment.site, "--lang", "zh"], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "DATABASE_URL": deployment.database_url})
    assert made.returncode == 0, made.stderr
    links = re.findall(r"https?://\S+/rounds\?\S+", made.stdout)
    assert len(links) == 2
    page = new_context(deployment.site)
    page.goto(links[-1])  # the newer round
    idle(page)
    shot(page, "deploy-04-round")
    page.get_by_role("link", name="打开汇总看板").first.click()
    page.get_by_role("heading", name="汇总看板").wait_for()
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    idle(page)
    shot(page, "deploy-04-portfolio")
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("下载汇总表")).click()
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()), read_only=True)
    cells = {str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c}
    assert sum("工会" in c for c in cells) >= 12  # the units' names

    # shared mode through nginx: a stranger without the round key or the admin key sees no round and no list
    stranger = new_context(deployment.site)
    code = re.search(r"[?&]r=([^&]+)", links[-1]).group(1)
    stranger.goto(f"{deployment.site}/portfolio?r={code}&k=wrong-key")
    stranger.get_by_role("heading", name="汇总看板").wait_for()
    idle(stranger)
    body = stranger.locator("body").inner_text()
    assert "热力图" not in body and "单位数" not in body
    stranger.goto(f"{deployment.site}/history")
    stranger.get_by_text("查看全部自评记录需要输入管理密钥").wait_for()
    stranger.get_by_label("管理密钥").fill(ADMIN_KEY)
    stranger.get_by_role("button", name="确认").click()
    stranger.get_by_role("button", name=re.compile(LOCK)).wait_for()  # the admin key opens the list
    assert stranger.get_by_text("查看全部自评记录需要输入管理密钥").count() == 0


def test_a_killed_process_sends_its_phones_to_the_other_and_nothing_is_lost(deployment, new_context):
    """Last in the module: one app process is killed (kill -9) while a phone on it is in a workshop."""
    _, code = _host_workshop(deployment, new_context, "进程中断演练")
    victim, survivor = deployment.ports
    phone = new_context(deployment.site, phone=True, route=deployment.route_to(victim, "victim"))
    phone.goto(f"{deployment.site}/workshop?w={code}")
    phone.get_by_role("button", name="加入").click()
    phone.get_by_text(re.compile("已答 0 / 34 题")).wait_for()
    token = re.search(r"[?&]p=([^&]+)", phone.url).group(1)
    submit_group(phone, "规范级", 4, "已保存“引领力”的 4 个答案")
    idle(phone)

    os.kill(deployment.pids[deployment.ports.index(victim)], signal.SIGKILL)
    # Streamlit's page reconnects by itself; nginx sends it to the survivor, where the link (?w=&p=) opens
    # the same participant
    # (a new session: it opens at the first criterion, with this participant's answers; the rest is a click away)
    phone.wait_for_timeout(3000)
    phone.get_by_text("已完成").first.wait_for(timeout=60_000)
    idle(phone)
    choose(phone.locator('[data-testid="stRadioOption"]').filter(has_text="组织力").first)
    phone.get_by_role("heading", name=re.compile("组织力")).wait_for()
    idle(phone)
    submit_group(phone, "起步级", 5, "已保存“组织力”的 \\d+ 个答案")
    shot(phone, "deploy-05-phone-after-kill")
    store = Store(deployment.database_url)
    try:
        assert len(WorkshopService(store).answers_of(token)) >= 8  # both criteria, from both processes
    finally:
        store.dispose()
    served = {r["up"] for r in deployment.log() if r["route"].startswith("victim")}
    assert any(up.endswith(f":{survivor}") for up in served), served  # after the kill, the survivor served it
