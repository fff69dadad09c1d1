"""Types that are checked: mypy, configured in pyproject.toml ([tool.mypy]), has no error to report.

The core (``maturity/``) is checked strictly; the pages and app.py relaxed (no annotation demanded,
no error allowed). mypy keeps its cache in .mypy_cache (git-ignored), so a second run takes seconds;
a cold run of everything takes about 45 s on a 2-core machine.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

# The core modules checked strictly. Each module is listed once it has no error; modules being moved
# in issue 9 join the list when they have landed. Imports of modules not listed are followed silently.
CORE_MODULES = (
    "maturity",
    "maturity.__main__",
    "maturity._yaml",
    "maturity.advice",
    "maturity.aggregate",
    "maturity.assessment",
    "maturity.cells",
    "maturity.cli",
    "maturity.compare",
    "maturity.db",
    "maturity.display",
    "maturity.errors",
    "maturity.explain",
    "maturity.filenames",
    "maturity.i18n",
    "maturity.limits",
    "maturity.loader",
    "maturity.model",
    "maturity.records",
    "maturity.report",
    "maturity.report._build",
    "maturity.report._data",
    "maturity.report._pdf",
    "maturity.report._pdftext",
    "maturity.revisions",
    "maturity.schema",
    "maturity.scoring",
    "maturity.settings",
    "maturity.snapshots",
    "maturity.spreadsheet",
    "maturity.store",
    "maturity.tables",
    "maturity.throttle",
)


# Packages checked whole (every module in them).
CORE_PACKAGES = ("maturity.charts", "maturity.migrations")


def _mypy(root, *args: str) -> None:
    out = subprocess.run([sys.executable, "-m", "mypy", *args], cwd=root, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.slow
def test_core_type_checks_strictly(root):
    modules = [arg for name in CORE_MODULES for arg in ("-m", name)]
    modules += [arg for name in CORE_PACKAGES for arg in ("-p", name)]
    _mypy(root, "--follow-imports=silent", *modules)
