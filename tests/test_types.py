"""Types that are checked: mypy, configured in pyproject.toml ([tool.mypy]), has no error to report.

The core (the whole ``maturity`` package, migrations included) is checked strictly; the pages,
app.py and the tests relaxed (the overrides in pyproject.toml: no annotation demanded, no error
allowed). mypy keeps its cache in .mypy_cache (git-ignored), so a second run takes seconds; the
three runs below take about 40 s cold on a 2-core machine (the pages and the tests reuse what the
core's run cached).
"""

from __future__ import annotations

import subprocess
import sys

import pytest


def _mypy(root, *args: str) -> None:
    out = subprocess.run([sys.executable, "-m", "mypy", *args], cwd=root, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.slow
def test_core_type_checks_strictly(root):
    _mypy(root, "-p", "maturity")


@pytest.mark.slow
def test_pages_type_check(root):
    _mypy(root, "pages", "app.py")


@pytest.mark.slow
def test_tests_type_check(root):
    _mypy(root, "tests")
