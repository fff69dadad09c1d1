"""Deployment settings and who may list every assessment (DESIGN §7)."""

from __future__ import annotations

import pytest

from maturity.settings import Settings, can_list


def test_defaults_are_local_without_key():
    s = Settings.from_env({})
    assert (s.mode, s.admin_key, s.database_url) == ("local", None, None)


def test_from_env_reads_the_three_variables():
    env = {"MATURITY_MODE": " Shared ", "MATURITY_ADMIN_KEY": "k3y-sEcret", "DATABASE_URL": "postgresql://db/m"}
    s = Settings.from_env(env)
    assert (s.mode, s.admin_key, s.database_url) == ("shared", "k3y-sEcret", "postgresql://db/m")


def test_from_env_defaults_to_the_process_environment(monkeypatch):
    monkeypatch.setenv("MATURITY_MODE", "shared")
    monkeypatch.delenv("MATURITY_ADMIN_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert Settings.from_env() == Settings(mode="shared")


def test_an_unknown_mode_fails_closed():
    assert Settings.from_env({"MATURITY_MODE": "shraed"}).mode == "shared"


def test_the_key_never_shows_in_repr():
    s = Settings(mode="shared", admin_key="k3y-sEcret", database_url="postgresql://u:pw@db/m")
    assert "k3y-sEcret" not in repr(s) and "pw" not in repr(s)


@pytest.mark.parametrize(
    ("mode", "admin_key", "provided", "allowed"),
    [
        ("local", None, None, True),
        ("local", "k3y", "wrong", True),
        ("shared", "k3y-sEcret", "k3y-sEcret", True),
        ("shared", "k3y-sEcret", " k3y-sEcret\n", True),  # pasted with whitespace
        ("shared", "k3y-sEcret", "k3y-secret", False),
        ("shared", "k3y-sEcret", "k3y-sEcret-", False),
        ("shared", "k3y-sEcret", "", False),
        ("shared", "k3y-sEcret", None, False),
        ("shared", None, None, False),
        ("shared", None, "", False),
        ("shared", None, "anything", False),
        ("shared", "钥匙🔑", "钥匙🔑", True),
    ],
)
def test_can_list(mode, admin_key, provided, allowed):
    assert can_list(Settings(mode=mode, admin_key=admin_key), provided) is allowed
