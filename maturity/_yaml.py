"""Safe YAML reading that remembers where every key and value stood in the file.

PyYAML's SafeLoader builds plain data but forgets positions; we compose the node
tree ourselves, refuse aliases (so an alias bomb never expands), flag duplicate
keys (which SafeLoader silently overwrites) and record a ``(line, col)`` for each
path so that validation errors can point at the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_BYTES = 1024 * 1024

Path = tuple[str | int, ...]


@dataclass
class Positions:
    """1-based (line, column) of each value and each mapping key, by path."""

    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def find(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Position of the deepest known prefix of ``path``."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)


@dataclass
class YamlProblem:
    """A problem found while reading: position, path and an i18n message key."""

    line: int
    col: int
    path: Path
    code: str
    params: dict[str, Any] = field(default_factory=dict)


class YamlReadError(Exception):
    """Raised when a file cannot be read into data at all."""

    def __init__(self, problem: YamlProblem) -> None:
        super().__init__(problem.code)
        self.problem = problem


# libyaml when present (about 15x faster than the pure-Python parser), else PyYAML's own.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_aliases(text: str) -> None:
    """Scan the event stream (cheap; nothing is built) and refuse the first alias."""
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise YamlReadError(YamlProblem(mark.line + 1, mark.column + 1, (), "yaml.alias"))


def decode(raw: bytes) -> str:
    """Decode UTF-8 (BOM allowed), refusing oversize or other encodings with a position."""
    if len(raw) > MAX_BYTES:
        raise YamlReadError(
            YamlProblem(1, 1, (), "yaml.too_big", {"size": len(raw), "limit": MAX_BYTES})
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlReadError(
            YamlProblem(line, col, (), "yaml.not_utf8", {"byte": f"0x{raw[exc.start]:02X}"})
        ) from None


def read(text: str) -> tuple[Any, Positions, list[YamlProblem]]:
    """Parse YAML text into plain data, positions and non-fatal problems (duplicate keys)."""
    try:
        _refuse_aliases(text)
        # Composing does not expand aliases, and there are none left anyway.
        node = yaml.compose(text, Loader=_SafeLoader)
    except YamlReadError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = exc.problem or str(exc)
        raise YamlReadError(YamlProblem(line, col, (), "yaml.syntax", {"detail": detail})) from None
    except yaml.YAMLError as exc:
        raise YamlReadError(YamlProblem(1, 1, (), "yaml.syntax", {"detail": str(exc)})) from None
    positions = Positions()
    problems: list[YamlProblem] = []
    if node is None:
        return None, positions, problems
    data = _build(node, (), positions, problems)
    return data, positions, problems


def _build(node: yaml.Node, path: Path, pos: Positions, problems: list[YamlProblem]) -> Any:
    pos.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or isinstance(key, (list, dict)):
                line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                problems.append(YamlProblem(line, col, path, "yaml.bad_key"))
                continue
            child = (*path, key)
            if key in out:
                line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                problems.append(YamlProblem(line, col, child, "yaml.duplicate_key", {"key": key}))
            pos.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _build(value_node, child, pos, problems)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), pos, problems) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    # A fresh constructor per scalar: cheap, and no state shared between threads.
    value = yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    # Dates and binary become text: the model format has no use for them.
    if not isinstance(value, (str, int, float, bool, type(None))):
        return str(node.value)
    return value
