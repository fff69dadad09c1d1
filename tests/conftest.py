"""Shared fixtures: paths, the tiny documented model and builders for small scales."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from maturity import migrations
from maturity.loader import LoadedModel, load_model, load_model_text
from maturity.store import Store
from maturity.workshop import WorkshopService

ROOT = Path(__file__).resolve().parent.parent
TEST_FRAMEWORKS = ROOT / "tests" / "frameworks"


def pytest_configure(config) -> None:
    """Tests see a page's exceptions (AppTest's ``at.exception``), as a developer would.

    .streamlit/config.toml hides exception details from browsers (client.showErrorDetails = "none"),
    and the app then shows a translated message instead of raising; tests/test_db_failures.py sets
    "none" where it checks that. The e2e server reads the file itself.
    """
    from streamlit import config as st_config

    st_config.set_option("client.showErrorDetails", "full")


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture(scope="session")
def tiny() -> LoadedModel:
    """The tiny 4-level example model of docs/framework-format.md (tests/frameworks/tiny.yaml)."""
    return load_model(TEST_FRAMEWORKS / "tiny.yaml")


def make_model(levels: list[int], criteria: dict[str, list[tuple[str, float]]], **extra: str) -> LoadedModel:
    """A one-group model on ``levels`` with criteria -> [(indicator id, weight)], built in YAML."""
    lines = [
        "format: maturity-model/1",
        "id: generated",
        'version: "1"',
        "title: 生成的模型",
        "languages: [zh]",
        "scale:",
        *[f"  - {{level: {lv}, name: 等级{lv}}}" for lv in levels],
        *[f"{k}: {v}" for k, v in extra.items()],
        "groups:",
        "  - id: g",
        "    name: 组",
        "    criteria:",
    ]
    for cid, indicators in criteria.items():
        cweight: float = 1
        if ":" in cid:
            cid, w = cid.split(":")
            cweight = float(w)
        lines += [f"      - id: {cid}", f"        name: {cid}", f"        weight: {cweight}", "        indicators:"]
        for iid, weight in indicators:
            lines += [f"          - id: {iid}", f"            question: {iid}?", f"            weight: {weight}",
                      "            answers:", *[f"              {lv}: 答案{lv}" for lv in levels]]
    return load_model_text("\n".join(lines) + "\n", "<generated>")


@pytest.fixture(scope="session")
def model_factory():
    """Build a small model from levels and criteria (see ``make_model``)."""
    return make_model


@pytest.fixture
def store(root, tmp_path, monkeypatch):
    """A fresh SQLite database and a model folder holding only the tiny model, both set for the app.

    Local mode (no MATURITY_MODE / MATURITY_ADMIN_KEY). test_store.py defines its own ``store``.
    """
    import shutil

    from maturity.store import Store

    folder = tmp_path / "frameworks"
    folder.mkdir()
    shutil.copy(TEST_FRAMEWORKS / "tiny.yaml", folder / "tiny.yaml")
    url = f"sqlite:///{tmp_path}/t.db"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("MATURITY_FRAMEWORKS", str(folder))
    monkeypatch.delenv("MATURITY_MODE", raising=False)
    monkeypatch.delenv("MATURITY_ADMIN_KEY", raising=False)
    s = Store(url)
    s.create_schema()
    return s


PG_ADMIN_URL = os.environ.get("MATURITY_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def fresh_pg_database(prefix: str) -> Iterator[str]:
    """A new PostgreSQL database named ``<prefix>_<random>`` on the test server, dropped when the generator ends."""
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{secrets.token_hex(6)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end (runs never collide)."""
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"maturity_test_{secrets.token_hex(6)}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any connection problem means "no server here"
        admin.dispose()
        pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL} ({type(exc).__name__}); start it or set "
                    "MATURITY_TEST_PG, or deselect these tests with -m 'not postgres'")
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite-file", pytest.param("postgresql", marks=pytest.mark.postgres)])
def service(request, tmp_path) -> Iterator[WorkshopService]:
    """(test_workshop*.py) A WorkshopService on a fresh SQLite file or on the session's PostgreSQL database (emptied after)."""
    url = f"sqlite:///{tmp_path / 'ws.db'}" if request.param == "sqlite-file" else request.getfixturevalue("pg_database")
    store = Store(url)
    store.create_schema()
    yield WorkshopService(store)
    if request.param == "postgresql":
        migrations.drop_all(store.engine)
    store.dispose()
