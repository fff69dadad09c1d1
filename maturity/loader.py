"""Load ``maturity-model/1`` files, reporting every error with file, line, column and path."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import _yaml
from ._checks import TEXT_KEYS, Checker, ModelError, format_path
from .errors import MaturityError
from .model import MaturityModel

__all__ = [
    "TEXT_KEYS",
    "Catalog",
    "LoadedModel",
    "ModelError",
    "ModelLoadError",
    "format_path",
    "load_folder",
    "load_model",
    "load_model_bytes",
    "load_model_text",
]

class ModelLoadError(MaturityError):
    """A model file that could not be loaded; ``errors`` lists every problem."""

    def __init__(self, errors: list[ModelError]) -> None:
        super().__init__("\n".join(e.format() for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class LoadedModel:
    """A valid model with the exact text it came from."""

    model: MaturityModel
    source: str
    sha256: str
    file: str
    warnings: tuple[ModelError, ...] = ()


@dataclass
class Catalog:
    """Every model file of a folder: the valid ones by id, the broken ones by file."""

    models: dict[str, LoadedModel] = field(default_factory=dict)
    broken: dict[str, list[ModelError]] = field(default_factory=dict)


def load_model(path: str | Path) -> LoadedModel:
    """Load one model file or raise :class:`ModelLoadError` with all its errors."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ModelLoadError(
            [ModelError(str(path), 1, 1, "", "unreadable", {"detail": exc.strerror or str(exc)})]
        ) from None
    return load_model_bytes(raw, str(path))


def load_model_bytes(raw: bytes, file: str = "<model>") -> LoadedModel:
    """Load a model from the bytes of a file (an upload, say)."""
    try:
        text = _yaml.decode(raw)
    except _yaml.YamlReadError as exc:
        raise ModelLoadError([_from_problem(file, exc.problem, None)]) from None
    return load_model_text(text, file)


def load_model_text(text: str, file: str = "<model>") -> LoadedModel:
    """Load a model from YAML text."""
    if len(text.encode("utf-8")) > _yaml.MAX_BYTES:
        too_big = _yaml.YamlProblem(1, 1, (), "yaml.too_big", {"limit": _yaml.MAX_BYTES})
        raise ModelLoadError([_from_problem(file, too_big, None)])
    try:
        data, pos, problems = _yaml.read(text)
    except _yaml.YamlReadError as exc:
        raise ModelLoadError([_from_problem(file, exc.problem, None)]) from None
    data = _as_written(data, pos)
    check = Checker(file, data, pos)
    check.quoted_numbers()
    model = check.run()
    # A value the reader refused reads as missing: the schema's complaint about it there is noise.
    refused = {(p.line, p.col) for p in problems}
    check.errors = [e for e in check.errors if (e.line, e.col) not in refused]
    check.errors += [_from_problem(file, problem, data) for problem in problems]
    if check.errors or model is None:
        errors = sorted(set(check.errors), key=lambda e: (e.line, e.col, e.path, e.code))
        raise ModelLoadError(errors)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return LoadedModel(model, text, digest, file, tuple(check.warnings))


def load_folder(folder: str | Path) -> Catalog:
    """Load every ``*.yaml``/``*.yml`` file of ``folder``; one broken file never stops the rest."""
    catalog = Catalog()
    files = sorted([*Path(folder).glob("*.yaml"), *Path(folder).glob("*.yml")])
    for path in files:
        try:
            loaded = load_model(path)
        except ModelLoadError as exc:
            catalog.broken[str(path)] = exc.errors
            continue
        except (RecursionError, MemoryError, ValueError, TypeError) as exc:
            # A reader bug must not take the other models (and every page listing them) down with it.
            catalog.broken[str(path)] = [ModelError(str(path), 1, 1, "", "unreadable", {"detail": type(exc).__name__})]
            continue
        if loaded.model.id in catalog.models:
            first = catalog.models[loaded.model.id].file
            err = ModelError(str(path), 1, 1, "id", "duplicate_model", {"id": loaded.model.id, "other": first})
            catalog.broken[str(path)] = [err]
            continue
        catalog.models[loaded.model.id] = loaded
    return catalog


# Where the format expects text, a plain scalar is taken as written: YAML 1.1 would read `en: No` as false,
# `version: 1.10` as the number 1.1 and `languages: [no]` as false. Where it expects a number, quotes are refused.
_WRITTEN_KEYS = TEXT_KEYS | {"id", "version"}


def _as_written(data: Any, pos: _yaml.Positions, path: tuple[Any, ...] = ()) -> Any:
    """``data`` with the text as written wherever the format expects text and YAML read something else."""
    def text(value: Any, at: tuple[Any, ...]) -> Any:
        if isinstance(value, dict):  # {zh: …, en: …}
            return {k: pos.written.get((*at, k), v) for k, v in value.items()}
        return pos.written.get(at, value)

    if isinstance(data, list):
        return [_as_written(item, pos, (*path, i)) for i, item in enumerate(data)]
    if not isinstance(data, dict):
        return data
    out: dict[Any, Any] = {}
    for key, value in data.items():
        child = (*path, key)
        if key in _WRITTEN_KEYS:
            out[key] = text(value, child)
        elif key == "answers" and isinstance(value, dict):
            out[key] = {k: text(v, (*child, k)) for k, v in value.items()}
        elif key == "evidence" and isinstance(value, list):
            out[key] = [text(v, (*child, i)) for i, v in enumerate(value)]
        elif key in ("languages", "tags") and isinstance(value, list) and not any(isinstance(v, dict) for v in value):
            out[key] = [pos.written.get((*child, i), v) for i, v in enumerate(value)]
        else:
            out[key] = _as_written(value, pos, child)
    return out


def _from_problem(file: str, p: _yaml.YamlProblem, data: Any) -> ModelError:
    return ModelError(file, p.line, p.col, format_path(data, p.path), p.code, p.params)
