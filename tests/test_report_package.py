"""The report package's shape: a listed public surface, imports that go one way, a cheap import."""

from __future__ import annotations

import ast
import subprocess
import sys
import types
from pathlib import Path

import pytest

import maturity.report

PACKAGES = ("report", "charts")


def _imports(path: Path, package: str) -> set[str]:
    """The modules of ``maturity.<package>`` that ``path`` imports, at any depth (TYPE_CHECKING too)."""
    here = path.stem
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:  # from . import x / from .x import y
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(alias.name for alias in node.names)
            elif node.level == 0 and node.module and node.module.startswith(f"maturity.{package}."):
                found.add(node.module.split(".")[2])
    return found - {here}


def _graph(root: Path, package: str) -> dict[str, set[str]]:
    folder = root / "maturity" / package
    modules = {p.stem: p for p in folder.glob("*.py")}
    subpackages = {p.parent.name for p in folder.glob("*/__init__.py")}
    return {name: _imports(path, package) & (set(modules) | subpackages) for name, path in modules.items()}


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_imports_one_that_imports_it_back(root, package):
    graph = _graph(root, package)
    assert graph, package
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, f"import cycle in maturity.{package}: {' -> '.join((*path, name))}"
        if name in done:
            return
        for dep in sorted(graph.get(name, ())):
            visit(dep, (*path, name))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())


def test_the_svg_module_is_text_to_text(root):
    assert _graph(root, "report")["_svg"] == set()


@pytest.mark.parametrize("package", PACKAGES)
def test_modules_stay_small(root, package):
    for path in (root / "maturity" / package).rglob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 400, f"{path.relative_to(root)}: {lines} lines"


def test_exported_members_are_the_public_names():
    public = {name for name, value in vars(maturity.report).items()
              if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"}
    assert sorted(maturity.report.__all__) == sorted(public)
    assert set(maturity.report.__all__) == {"build_report", "build_workshop_report", "report_filename",
                                            "DOCX_MIME", "DOCX_STYLES", "build_docx_report", "build_workshop_docx",
                                            "docx_filename", "build_portfolio_report"}


def test_importing_the_report_is_cheap(root):
    """Pages import ``report_filename`` at the top: fpdf2, altair and vl-convert load on the first build."""
    code = ("import sys\nfrom maturity.report import report_filename\n"
            "print(sorted(m for m in ('fpdf', 'altair', 'vl_convert', 'fontTools', 'docx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_charts_export_their_public_names():
    from maturity import charts

    public = {name for name, value in vars(charts).items()
              if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"}
    assert sorted(charts.__all__) == sorted(public)
