"""The checks of a model file beyond YAML: the schema (pydantic) and the cross-checks, every error located.

:mod:`maturity.loader` reads the file and runs :class:`Checker`; this module says what is wrong and where.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from . import _yaml
from .i18n import t
from .model import (
    FORMAT,
    Action,
    Criterion,
    Group,
    Indicator,
    MaturityModel,
    ScaleLevel,
    Tag,
)

__all__ = ["NUMBER_KEYS", "TEXT_KEYS", "Checker", "ModelError", "format_path"]

TEXT_KEYS = frozenset({"title", "description", "instructions", "name", "question", "help", "detail", "owner"})


NUMBER_KEYS = frozenset({"level", "weight", "target_level"})


@dataclass(frozen=True)
class ModelError:
    """One problem in a model file, located and translatable."""

    file: str
    line: int
    col: int
    path: str
    code: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def message(self, lang: str = "en") -> str:
        """The message alone, in ``lang``."""
        return t(f"model_error.{self.code}", lang, **self.params)

    def format(self, lang: str = "en") -> str:
        """``file:line:col: path: message``."""
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}:{self.col}: {where}{self.message(lang)}"


def format_path(data: Any, path: tuple[Any, ...]) -> str:
    """``groups[0].criteria[2].answers.3`` style path, list indices in brackets."""
    out = ""
    node = data
    for step in path:
        if isinstance(node, list) and isinstance(step, int):
            out += f"[{step}]"
            node = node[step] if 0 <= step < len(node) else None
        else:
            out += f".{step}" if out else str(step)
            node = node.get(step) if isinstance(node, dict) else None
    return out


def _from_problem(file: str, p: _yaml.YamlProblem, data: Any) -> ModelError:
    return ModelError(file, p.line, p.col, format_path(data, p.path), p.code, p.params)

# Which model class owns the mapping at a path, to suggest valid keys.
def _kind_at(path: tuple[Any, ...]) -> type[BaseModel] | None:
    if not path:
        return MaturityModel
    names = [s for s in path if isinstance(s, str)]
    last = names[-1] if names else ""
    if path[-1] == last:
        return None
    if last == "scale" and len(path) == 2:
        return ScaleLevel
    if last == "tags" and len(path) == 2:
        return Tag
    if last == "groups":
        return Group
    if last == "criteria":
        return Criterion
    if last == "indicators":
        return Indicator
    if last == "actions" and len(path) >= 2 and isinstance(path[-2], int):
        return Action
    return None


class Checker:
    """Runs the schema (pydantic) and the cross-checks, collecting every error."""

    def __init__(self, file: str, data: Any, pos: _yaml.Positions) -> None:
        self.file, self.data, self.pos = file, data, pos
        self.errors: list[ModelError] = []
        self.warnings: list[ModelError] = []

    def error(self, path: tuple[Any, ...], code: str, *, key: bool = False, **params: Any) -> None:
        line, col = self.pos.find(path, key=key)
        self.errors.append(ModelError(self.file, line, col, format_path(self.data, path), code, params))

    def warn(self, path: tuple[Any, ...], code: str, **params: Any) -> None:
        line, col = self.pos.find(path)
        self.warnings.append(ModelError(self.file, line, col, format_path(self.data, path), code, params))

    def quoted_numbers(self) -> None:
        """A number written in quotes where the format expects a number (``weight: "2"``) is an error that says so."""
        for path in sorted(self.pos.quoted, key=str):
            if path and path[-1] in NUMBER_KEYS:
                value = _value_at(self.data, path)
                if isinstance(value, str) and _is_number(value):
                    self.error(path, "quoted_number", value=_yaml._clip(value))

    def run(self) -> MaturityModel | None:
        data = self.data
        if not isinstance(data, dict):
            self.error((), "not_mapping")
            return None
        if data.get("format") != FORMAT:
            code = "no_format" if "format" not in data else "bad_format"
            self.error(("format",) if "format" in data else (), code, value=data.get("format"), expected=FORMAT)
            return None
        langs = data.get("languages")
        self.languages = [x for x in langs if isinstance(x, str)] if isinstance(langs, list) else []
        self.levels = self._scale_levels(data.get("scale"))
        self._scale_values(data.get("scale"))
        self._texts(data, ())
        self._ids_and_refs(data)
        model = None
        try:
            ctx = {"default_language": self.languages[0] if self.languages else "zh"}
            model = MaturityModel.model_validate(data, context=ctx)
        except ValidationError as exc:
            for err in exc.errors():
                self._pydantic_error(err)
        return model

    def _pydantic_error(self, err: Any) -> None:
        loc = tuple(s for s in err["loc"] if s != "[key]")
        kind = err["type"]
        if kind == "extra_forbidden":
            owner = _kind_at(loc[:-1])
            valid = sorted(owner.model_fields) if owner else []
            close = difflib.get_close_matches(str(loc[-1]), valid, n=1, cutoff=0.6)
            code = "unknown_key_hint" if close else "unknown_key"
            self.error(loc, code, key=True, key_name=loc[-1], hint=close[0] if close else "",
                       valid=", ".join(valid))
            return
        ctx = {k: v for k, v in (err.get("ctx") or {}).items()}
        value = err.get("input")
        shown = value if isinstance(value, (int, float, bool, type(None))) else type(value).__name__
        if isinstance(value, str):
            shown = _yaml._clip(value)
        params = {"detail": err["msg"], "value": shown, **{k: str(v) for k, v in ctx.items()}}
        known = t(f"model_error.pyd.{kind}", "en") != f"model_error.pyd.{kind}"
        self.error(loc, f"pyd.{kind}" if known else "invalid", **params)

    def _scale_levels(self, scale: Any) -> list[int]:
        if not isinstance(scale, list):
            return []
        levels = [s.get("level") for s in scale if isinstance(s, dict)]
        ints = [x for x in levels if isinstance(x, int) and not isinstance(x, bool)]
        if len(ints) != len(scale):
            return []
        for i in range(1, len(ints)):
            if ints[i] != ints[i - 1] + 1:
                self.error(("scale", i, "level"), "scale_not_consecutive", got=ints[i], expected=ints[i - 1] + 1)
                return []
        return ints

    def _scale_values(self, scale: Any) -> None:
        """``value`` on every level or on none; numbers from 0 (lowest) to 1 (highest), rising."""
        if not isinstance(scale, list) or not all(isinstance(s, dict) for s in scale):
            return
        given = ["value" in s for s in scale]
        if not any(given):
            return
        if not all(given):
            self.error(("scale", given.index(False)), "scale_values_partial")
            return
        values = [s["value"] for s in scale]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            return  # the schema says which one is not a number
        if values[0] != 0 or values[-1] != 1:
            bad = 0 if values[0] != 0 else len(values) - 1
            self.error(("scale", bad, "value"), "scale_value_ends", value=values[bad])
            return
        for i in range(1, len(values)):
            if values[i] <= values[i - 1]:
                self.error(("scale", i, "value"), "scale_values_not_rising", value=values[i], before=values[i - 1])
                return

    def _texts(self, node: Any, path: tuple[Any, ...]) -> None:
        if isinstance(node, list):
            for i, item in enumerate(node):
                self._texts(item, (*path, i))
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            child = (*path, key)
            if key == "evidence" and isinstance(value, list):
                for i, item in enumerate(value):
                    self._one_text(item, (*child, i))
            elif key in TEXT_KEYS or (len(path) >= 1 and path[-1] == "answers"):
                self._one_text(value, child)
            elif key != "languages":
                self._texts(value, child)

    def _one_text(self, value: Any, path: tuple[Any, ...]) -> None:
        if isinstance(value, dict):
            self._text(value, path)
        elif isinstance(value, str) and len(self.languages) > 1:
            self.warn(path, "missing_translation", langs=", ".join(self.languages[1:]))

    def _text(self, value: dict[Any, Any], path: tuple[Any, ...]) -> None:
        if not self.languages:
            return
        default = self.languages[0]
        for lang in value:
            if lang not in self.languages:
                close = difflib.get_close_matches(str(lang), self.languages, n=1)
                self.error((*path, lang), "undeclared_language", key=True, lang=lang,
                           declared=", ".join(self.languages), hint=close[0] if close else "")
        if default not in value:
            self.error(path, "text_no_default", lang=default)
        missing = [x for x in self.languages[1:] if x not in value]
        if missing:
            self.warn(path, "missing_translation", langs=", ".join(missing))

    def _ids_and_refs(self, data: dict[str, Any]) -> None:
        tags = _items(data.get("tags"))
        declared = {tag.get("id") for _, tag in tags}
        self._unique("tag", [(("tags", i), tag) for i, tag in tags])
        self._target(data.get("target_level"), ("target_level",))
        groups = [(("groups", i), g) for i, g in _items(data.get("groups"))]
        self._unique("group", groups)
        criteria = [((*gp, "criteria", j), c) for gp, g in groups for j, c in _items(g.get("criteria"))]
        self._unique("criterion", criteria)
        indicators = [((*cp, "indicators", k), ind) for cp, c in criteria for k, ind in _items(c.get("indicators"))]
        self._unique("indicator", indicators)
        for cp, crit in criteria:
            self._target(crit.get("target_level"), (*cp, "target_level"))
            self._actions(crit.get("actions"), (*cp, "actions"), declared)
        for ip, ind in indicators:
            if ind.get("essential") is True and ind.get("allow_na") is True:
                self.error((*ip, "allow_na"), "essential_na", id=ind.get("id"))
            self._tag_refs(ind.get("tags"), (*ip, "tags"), declared)
            self._answers(ind.get("answers"), (*ip, "answers"))

    def _unique(self, what: str, items: list[tuple[tuple[Any, ...], dict[str, Any]]]) -> None:
        seen: dict[Any, str] = {}
        for path, item in items:
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            if ident in seen:
                self.error((*path, "id"), "duplicate_id", what=what, id=ident, first=seen[ident])
            else:
                seen[ident] = format_path(self.data, path)

    def _target(self, value: Any, path: tuple[Any, ...]) -> None:
        if self.levels and isinstance(value, int) and not isinstance(value, bool) and value not in self.levels:
            self.error(path, "level_off_scale", level=value, lmin=self.levels[0], lmax=self.levels[-1])

    def _tag_refs(self, tags: Any, path: tuple[Any, ...], declared: set[Any]) -> None:
        if not isinstance(tags, list):
            return
        for i, tag in enumerate(tags):
            if isinstance(tag, str) and tag not in declared:
                names = [d for d in declared if isinstance(d, str)]
                close = difflib.get_close_matches(tag, names, n=1)
                self.error((*path, i), "undeclared_tag", tag=tag, hint=close[0] if close else "")

    def _answers(self, answers: Any, path: tuple[Any, ...]) -> None:
        if not isinstance(answers, dict) or not self.levels:
            return
        keys = {k for k in answers if isinstance(k, int) and not isinstance(k, bool)}
        for key in answers:
            if key not in self.levels:
                self.error((*path, key), "answer_off_scale", key=True, level=key,
                           lmin=self.levels[0], lmax=self.levels[-1])
        for level in self.levels:
            if level not in keys:
                self.error(path, "missing_answer", level=level)

    def _actions(self, actions: Any, path: tuple[Any, ...], declared: set[Any]) -> None:
        if not isinstance(actions, dict):
            return
        for key, items in actions.items():
            if self.levels and key not in self.levels[:-1]:
                self.error((*path, key), "action_level", key=True, level=key,
                           lmin=self.levels[0], top=self.levels[-1])
            for i, action in _items(items):
                self._tag_refs(action.get("tags"), (*path, key, i, "tags"), declared)


def _items(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The mapping items of a list, with their indices; anything else yields nothing."""
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        if isinstance(data, dict):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data


def _is_number(text: str) -> bool:
    try:
        float(text.strip())
    except ValueError:
        return False
    return True
