"""Docs stay true: the format page holds the tested example, and the README names what exists."""

from __future__ import annotations

import re

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
