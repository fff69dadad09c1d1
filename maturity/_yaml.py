"""Safe YAML reading that remembers where every key and value stood in the file.

PyYAML's SafeLoader builds plain data but forgets positions; we compose the node
tree ourselves, refuse aliases (so an alias bomb never expands), flag duplicate
keys (which SafeLoader silently overwrites) and record a ``(line, col)`` for each
path so that validation errors can point at the source.

Before anything is composed, one pass over the parser's flat event stream refuses
aliases, tags other than the plain core ones, and nesting deeper than
:data:`MAX_DEPTH`: libyaml's composer recurses in C and, in PyYAML 6.0.3, crashes the
whole process on ``'- ' * 25000`` in a thread, and the pure-Python one raises
RecursionError. Every scalar is then built with its errors caught and located, so
reading raises only :class:`YamlReadError` or returns :class:`YamlProblem` records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import yaml

from .limits import MAX_MODEL_BYTES as MAX_BYTES  # the byte limits live in maturity.limits

__all__ = [
    "ALLOWED_TAGS",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NUMBER_CHARS",
    "Path",
    "Positions",
    "YamlProblem",
    "YamlReadError",
    "decode",
    "read",
]

MAX_DEPTH = 64  # mappings and lists inside each other; a real model nests fewer than 20
MAX_NUMBER_CHARS = 64  # longer numbers are refused, not computed (int() of 5,000 digits raises)

# Explicit tags a model may use: the core scalar and collection tags. Everything else
# (!!python/…, !!timestamp, !!binary, !custom) is refused before composing.
_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset({"!", *(_CORE + name for name in ("str", "int", "float", "bool", "null", "map", "seq"))})

Path = tuple[str | int, ...]


@dataclass
class Positions:
    """1-based (line, column) of each value and each mapping key, by path."""

    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    # Plain scalars that YAML 1.1 read as something other than text (No -> False, 1.10 -> 1.1, ~ -> None),
    # with the text as written, so that a reader expecting text can take it as the author wrote it.
    written: dict[Path, str] = field(default_factory=dict)
    # Values written in quotes ("2"): text by the author's choice, wrong where a number is expected.
    quoted: set[Path] = field(default_factory=set)

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


def _scan(text: str) -> None:
    """One pass over the event stream (flat, nothing built): refuse aliases, odd tags, deep nesting."""
    depth = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        kind = type(event)
        if kind is yaml.ScalarEvent:
            tag = cast(yaml.ScalarEvent, event).tag
            if tag is not None and tag not in ALLOWED_TAGS:
                _fail(event, "yaml.tag", tag=_clip(tag.replace(_CORE, "!!", 1)))
        elif kind in _OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                _fail(event, "yaml.too_deep", limit=MAX_DEPTH)
            tag = cast(yaml.CollectionStartEvent, event).tag
            if tag is not None and tag not in ALLOWED_TAGS:
                _fail(event, "yaml.tag", tag=_clip(tag.replace(_CORE, "!!", 1)))
        elif kind in _CLOSE:
            depth -= 1
        elif kind is yaml.AliasEvent:
            _fail(event, "yaml.alias")


_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _fail(event: yaml.Event, code: str, **params: Any) -> None:
    mark = event.start_mark
    assert mark is not None  # the parser marks every event it emits
    raise YamlReadError(YamlProblem(mark.line + 1, mark.column + 1, (), code, params))


def _clip(text: str, limit: int = 40) -> str:
    """A piece of the file quoted in a message, never a page long."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        _scan(text)
        # Composing is safe now: no aliases to expand, no tags to run, nesting bounded.
        node = yaml.compose(text, Loader=_SafeLoader)
    except YamlReadError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = _clip(exc.problem or str(exc), 200)
        raise YamlReadError(YamlProblem(line, col, (), "yaml.syntax", {"detail": detail})) from None
    except yaml.YAMLError as exc:
        raise YamlReadError(YamlProblem(1, 1, (), "yaml.syntax", {"detail": _clip(str(exc), 200)})) from None
    positions = Positions()
    problems: list[YamlProblem] = []
    if node is None:
        return None, positions, problems
    data = _build(node, (), positions, problems)
    return data, positions, problems


def _build(node: yaml.Node, path: Path, pos: Positions, problems: list[YamlProblem]) -> Any:
    pos.values[path] = _where(node)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _CORE + "merge":
                problems.append(YamlProblem(*_where(key_node), path, "yaml.merge_key"))
                continue
            key = _scalar(key_node, path, problems) if isinstance(key_node, yaml.ScalarNode) else None
            if key is _BAD:
                continue
            if key is None or isinstance(key, (list, dict)):
                problems.append(YamlProblem(*_where(key_node), path, "yaml.bad_key"))
                continue
            child = (*path, key)
            if key in out:
                problems.append(YamlProblem(*_where(key_node), child, "yaml.duplicate_key", {"key": _clip(str(key))}))
            pos.keys[child] = _where(key_node)
            out[key] = _build(value_node, child, pos, problems)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), pos, problems) for i, item in enumerate(node.value)]
    value = _scalar(node, path, problems)
    if isinstance(node, yaml.ScalarNode):
        if node.style in ("'", '"'):
            pos.quoted.add(path)
        elif not node.style and isinstance(value, (bool, int, float)):  # plain: None, or "" from libyaml
            pos.written[path] = str(node.value)
    return None if value is _BAD else value


def _where(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_BAD = object()
# What PyYAML's constructors raise for a bad scalar (``!!int ""`` is an IndexError, ``!!bool x`` a KeyError).
_SCALAR_ERRORS = (yaml.YAMLError, ValueError, LookupError, TypeError, ArithmeticError)


def _scalar(node: yaml.Node, path: Path, problems: list[YamlProblem]) -> Any:
    """The scalar's value, or _BAD after recording a located problem."""
    tag, text = node.tag, str(node.value)
    if tag == _CORE + "merge":  # "<<" as a value is only text
        return text
    if tag == _CORE + "timestamp":  # dates stay text: the model format has no use for them
        return text
    if tag in (_CORE + "int", _CORE + "float") and len(text) > MAX_NUMBER_CHARS:
        problems.append(YamlProblem(*_where(node), path, "yaml.long_number", {"limit": MAX_NUMBER_CHARS}))
        return _BAD
    try:
        # A fresh constructor per scalar: cheap, and no state shared between threads.
        value = yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    except _SCALAR_ERRORS:
        problems.append(YamlProblem(*_where(node), path, "yaml.bad_value",
                                    {"tag": tag.removeprefix(_CORE), "value": _clip(text)}))
        return _BAD
    if not isinstance(value, (str, int, float, bool, type(None))):
        return text
    return value
