"""Docs stay true: the format page holds the tested example, and the README names what exists."""

from __future__ import annotations

import ast
import re

import pytest

from maturity.loader import load_model_text


def test_format_doc_example_is_the_tested_file_and_loads(root):
    doc = (root / "docs/framework-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, flags=re.S)
    tiny = (root / "tests/frameworks/tiny.yaml").read_text(encoding="utf-8")
    assert blocks[-1] == tiny
    loaded = load_model_text(blocks[-1], "doc-example.yaml")
    assert loaded.model.id == "tiny-example"


def test_format_doc_lists_every_key_of_the_schema(root):
    from maturity.model import Action, Criterion, Group, Indicator, MaturityModel, ScaleLevel, Tag

    doc = (root / "docs/framework-format.md").read_text(encoding="utf-8")
    structure = re.findall(r"```yaml\n(.*?)```", doc, flags=re.S)[0]
    for cls in (MaturityModel, ScaleLevel, Tag, Group, Criterion, Indicator, Action):
        for name in cls.model_fields:
            assert re.search(rf"\b{name}:", structure), f"{cls.__name__}.{name} is not documented"


# ---------------------------------------------------------------- the layout docs name the tree that exists

_PATH = re.compile(r"(?<![\w./-])((?:[\w-]+/)*[\w-]+(?:\.py|\.md|/))(?![\w/])")
# where a short name in the docs may live: the repository, the core, the pages, the docs
_BASES = ("", "maturity/", "pages/", "docs/")


def _layout_section(root) -> str:
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Layout\n(.*?)(?=^## )", readme, flags=re.S | re.M)
    assert section, "README.md has no '## Layout' section"
    return section.group(1)


def _named_paths(text: str) -> set[str]:
    """Every path-like word (``x.py``, ``x.md``, ``dir/``) of ``text``; placeholders (``<key>``, ``*``) and URLs left out."""
    text = re.sub(r"\S*[<*{]\S*|https?://\S+", " ", text)
    return set(_PATH.findall(text))


def _core_modules(root) -> list[str]:
    """maturity/**/*.py relative to maturity/, without package __init__s and the migration revisions."""
    core = root / "maturity"
    return sorted(
        p.relative_to(core).as_posix() for p in core.rglob("*.py")
        if p.name != "__init__.py" and "versions" not in p.relative_to(core).parts
    )


@pytest.mark.parametrize("doc", ["README.md#Layout", "docs/architecture.md"])
def test_every_path_the_layout_docs_name_exists(root, doc):
    text = _layout_section(root) if doc.startswith("README") else (root / doc).read_text(encoding="utf-8")
    named = _named_paths(text)
    assert len(named) > 10, named
    missing = [p for p in sorted(named) if not any((root / base / p).exists() for base in _BASES)]
    assert not missing, f"{doc} names what does not exist: {missing}"


def test_architecture_names_every_core_module(root):
    named = _named_paths((root / "docs/architecture.md").read_text(encoding="utf-8"))
    named |= {p.removeprefix("maturity/") for p in named}
    missing = [m for m in _core_modules(root) if m not in named]
    assert not missing, f"docs/architecture.md does not name {missing}"


def test_readme_layout_names_every_top_level_core_module_and_package(root):
    named = _named_paths(_layout_section(root))
    named |= {p.removeprefix("maturity/") for p in named}
    core = root / "maturity"
    top = [p.name for p in core.glob("*.py") if p.name not in {"__init__.py", "__main__.py"}]
    top += [p.name + "/" for p in core.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    missing = sorted(m for m in top if m not in named)
    assert not missing, f"README's Layout does not name {missing}"


_ROWS = ("entry", "present", "storage", "files", "domain", "base")


def _diagram_rows(root) -> dict[str, int]:
    """Each top-level core module or package of architecture.md's diagram -> its row (0 = top)."""
    doc = (root / "docs/architecture.md").read_text(encoding="utf-8")
    core = root / "maturity"
    names = {p.stem for p in core.glob("*.py")} | {p.name for p in core.iterdir() if (p / "__init__.py").exists()}
    rows: dict[str, int] = {}
    row = -1
    for line in doc.split("maturity/ (no streamlit)")[1].split("```")[0].splitlines():
        head = line.split()[0] if line.split() else ""
        if head in _ROWS:
            row = _ROWS.index(head)
        if row < 0:
            continue
        for word in re.findall(r"\w+", re.sub(r"\(.*?\)", " ", line)):
            if word in names or word == "__init__":
                assert rows.setdefault(word, row) == row, f"{word} is in two rows"
    return rows


def _imports(path) -> set[str]:
    """The top-level core modules ``path`` imports, anywhere in it except under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)}
    depth = len(path.parts) - path.parts.index("maturity") - 1  # 1 for maturity/x.py, 2 for maturity/p/x.py
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip or not isinstance(node, ast.ImportFrom):
            continue
        if node.level == 0:
            parts = (node.module or "").split(".")
            if parts[0] == "maturity" and len(parts) > 1:
                found.add(parts[1])
        elif node.level == depth:  # relative to maturity/ itself
            found.update([node.module.split(".")[0]] if node.module else [a.name for a in node.names])
    return found


def test_imports_go_the_way_the_architecture_diagram_says(root):
    rows = _diagram_rows(root)
    core = root / "maturity"
    up = []
    for path in sorted(core.rglob("*.py")):
        rel = path.relative_to(core).parts
        if "versions" in rel or "fonts" in rel:
            continue
        source = "__init__" if rel == ("__init__.py",) else rel[0].removesuffix(".py")
        for target in _imports(path) - {source}:
            if target in rows and rows[target] < rows[source]:
                up.append(f"{'/'.join(rel)} imports {target} ({_ROWS[rows[target]]} above {_ROWS[rows[source]]})")
    assert set(rows) >= {p.stem for p in core.glob("*.py")} - {"__init__"}, "a module is missing from the diagram"
    assert not up, up
