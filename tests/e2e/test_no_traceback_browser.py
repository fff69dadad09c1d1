"""A database that stops taking writes, seen in chromium: a translated message with an error id, no traceback.

A real server (``streamlit run app.py``, the README's command, with .streamlit/config.toml) on
PostgreSQL. Once the app is up, the database is made read-only and the app's sessions are
dropped, so every write it then tries fails inside PostgreSQL. DATABASE_URL carries a password,
which must appear neither in the page nor in the server log.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from maturity.loader import load_model
from maturity.store import Store
from tests.conftest import PG_ADMIN_URL
from tests.e2e.conftest import ROOT, app_server, choose, shot

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

PASSWORD = "Pw-" + secrets.token_hex(8)
ERROR_ID = re.compile(r"错误编号 (E-[A-Z2-9]{5})")
LEAKS = ("Traceback", "sqlalchemy", "psycopg", "site-packages", "/work/", str(ROOT), "File \"", PASSWORD)


@pytest.fixture(scope="module")
def database() -> Iterator[tuple[str, str]]:
    """A fresh PostgreSQL database owned by a role with a password: (its URL, its name)."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"maturity_e2e_{secrets.token_hex(5)}"
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE {name} LOGIN PASSWORD '{PASSWORD}'"))
        conn.execute(text(f'CREATE DATABASE "{name}" OWNER {name}'))
    yield f"postgresql://{name}:{PASSWORD}@127.0.0.1:5432/{name}", name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f"DROP ROLE IF EXISTS {name}"))
    admin.dispose()


@pytest.fixture(scope="module")
def served(database, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """``streamlit run app.py`` on that database: (base URL, server log)."""
    url, _ = database
    log_path = tmp_path_factory.mktemp("e2e-db") / "server.log"
    with app_server(url, log_path) as base:
        yield base, log_path


def idle(page) -> None:
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')")


def make_read_only(name: str) -> None:
    """From now on PostgreSQL refuses every write to the database; the app's open sessions are dropped."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
    admin.dispose()


def assert_clean(page, where: str) -> str:
    """The page shows the translated message with an error id and nothing of the server's insides."""
    message = page.get_by_text(ERROR_ID).first
    message.wait_for()
    idle(page)
    body = page.locator("body").inner_text()
    message.scroll_into_view_if_needed()
    shot(page, f"db-failure-{where}")
    for leak in LEAKS:
        assert leak not in body, (leak, body)
    assert "保存失败" in body and "未保存" in body
    found = ERROR_ID.search(body)
    assert found, body
    return found.group(1)


def test_a_read_only_database_shows_error_ids_not_tracebacks(served, database, page):
    base, log_path = served
    url, name = database
    page.goto(f"{base}/history")  # the app opens its database (and creates its tables) while it can
    page.get_by_role("heading", name="历史记录与对比").wait_for()
    idle(page)
    store = Store(url)
    store.create_schema()  # the page may still be migrating on a busy machine; this waits for it (advisory lock)
    record = store.create_assessment(load_model(ROOT / "frameworks" / "brand-union.yaml"), {"name": "某某公司工会"},
                                     assessed_at="2026-12-01")
    store.dispose()
    make_read_only(name)

    # a write in the script run: starting a self-check
    page.goto(f"{base}/start")
    page.get_by_label("工会名称 *").fill("只读数据库测试工会")
    idle(page)
    page.get_by_role("button", name="开始自评").click()
    first = assert_clean(page, "start")

    # a write in a form callback: saving a step of the questionnaire
    page.goto(f"{base}/questionnaire?a={record.token}")
    form = page.locator('[data-testid="stForm"]').first
    form.wait_for()
    idle(page)
    choose(form.locator('[data-testid="stRadioOption"]').filter(has_text="规范级").first)
    page.get_by_role("button", name="保存本组").click()
    second = assert_clean(page, "questionnaire")

    # a read in the script run, caught by app.py's last net: the database refuses the app's connections
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" CONNECTION LIMIT 0'))
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
    admin.dispose()
    page.reload()
    page.get_by_text("数据库暂时无法读取").wait_for()
    idle(page)
    body = page.locator("body").inner_text()
    shot(page, "db-failure-read")
    for leak in LEAKS:
        assert leak not in body, (leak, body)
    third = ERROR_ID.search(body).group(1)

    assert len({first, second, third}) == 3
    log = log_path.read_text(encoding="utf-8")
    for error_id in (first, second, third):
        assert error_id in log
    assert "read-only transaction" in log  # the cause is in the server log, under the id
    assert PASSWORD not in log
