"""The public surface of the core is written down: ``__all__`` lists it, and the pages use nothing else.

As httpx's tests/test_exported_members.py does for its package: a module's ``__all__`` names exactly
its public names (those not starting with "_"). Read from the source with ``ast``, so a name a module
merely imports is not one of its own: a plain module's own names are the ones it defines; a package's
``__init__`` is its public face, so the names it imports count there too. A plain module may list an
imported name as well (a re-export), as long as it is bound.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "maturity"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _core_files() -> list[Path]:
    skip = {"__main__.py", "build_subset.py"}  # the entry point; a script run by hand to cut the font subset
    return sorted(p for p in CORE.rglob("*.py") if p.name not in skip and "migrations" not in p.relative_to(CORE).parts)


def _is_public_module(path: Path) -> bool:
    rel = path.relative_to(CORE)
    return not any(part.startswith("_") and part != "__init__.py" for part in rel.parts)


def _targets(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Tuple | ast.List):
        return [n for elt in node.elts for n in _targets(elt)]
    return []


def _top_level(tree: ast.Module) -> tuple[set[str], set[str], list[str] | None]:
    """(names defined, names imported, ``__all__`` or None) at a module's top level (``if`` blocks included).

    Names imported from inside the core (relative or ``maturity.``) are marked with a leading "." in the
    imported set, so that a package's ``__init__`` can tell its re-exports from a helper like ``Path``.
    """
    defined: set[str] = set()
    imported: set[str] = set()
    exported: list[str] | None = None

    def visit(body: list[ast.stmt]) -> None:
        nonlocal exported
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                defined.add(node.name)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    names = _targets(target)
                    if names == ["__all__"]:
                        exported = list(ast.literal_eval(node.value))
                    defined.update(names)
            elif isinstance(node, ast.AnnAssign | ast.AugAssign):
                defined.update(_targets(node.target))
            elif type(node).__name__ == "TypeAlias":  # `type X = ...` (Python 3.12)
                defined.add(node.name.id)  # type: ignore[attr-defined]
            elif isinstance(node, ast.Import | ast.ImportFrom):
                ours = isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "").startswith("maturity"))
                for alias in node.names:
                    name = alias.asname or alias.name.split(".")[0]
                    imported.add(name)
                    if ours:
                        imported.add("." + name)
            elif isinstance(node, ast.If):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)

    visit(tree.body)
    return defined, imported, exported


def _parse(path: Path) -> tuple[set[str], set[str], list[str] | None]:
    return _top_level(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))


def _exports(path: Path) -> list[str] | None:
    return _parse(path)[2]


@pytest.mark.parametrize("path", [p for p in _core_files() if _is_public_module(p)], ids=_module_name)
def test_every_public_core_module_has_all(path):
    assert _exports(path) is not None, f"{_module_name(path)} has no __all__"


@pytest.mark.parametrize("path", [p for p in _core_files() if _exports(p) is not None], ids=_module_name)
def test_all_lists_the_public_names(path):
    defined, imported, exported = _parse(path)
    assert exported is not None
    public = {n for n in defined if not n.startswith("_")}
    if path.name == "__init__.py":
        public |= {n[1:] for n in imported if n.startswith(".") and not n.startswith("._")}
    assert len(exported) == len(set(exported)), "a name is listed twice"
    assert public - set(exported) == set(), "public but not in __all__ (export it, or give it a leading underscore)"
    assert set(exported) - (defined | imported) == set(), "in __all__ but not bound in the module"


def _imports_of(path: Path) -> list[tuple[int, str, str | None]]:
    """(line, module, name) for every ``import maturity...`` / ``from maturity... import name`` in a file."""
    found: list[tuple[int, str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.split(".")[0] == "maturity":
            found += [(node.lineno, node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, None) for alias in node.names if alias.name.split(".")[0] == "maturity"]
    return found


def _core_path(module: str) -> Path:
    base = ROOT.joinpath(*module.split("."))
    return base if base.is_dir() else base.with_suffix(".py")


@pytest.mark.parametrize("path", [*sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"], ids=lambda p: p.name)
def test_pages_import_only_the_public_surface(path):
    wrong = []
    for line, module, name in _imports_of(path):
        where = f"{path.name}:{line}"
        if any(part.startswith("_") for part in module.split(".")):
            wrong.append(f"{where}: private module {module}")
        elif name is None:
            continue
        elif name.startswith("_"):
            wrong.append(f"{where}: private name {module}.{name}")
        elif _core_path(f"{module}.{name}").exists():
            continue  # a submodule, public by its name (checked above once imported as a module path)
        else:
            target = _core_path(module)
            target = target / "__init__.py" if target.is_dir() else target
            exported = _exports(target) if target.is_file() else None
            if exported is not None and name not in exported:
                wrong.append(f"{where}: {module}.{name} is not in {module}.__all__")
    assert wrong == []
