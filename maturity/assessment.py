"""The ``maturity-assessment/1`` file: one assessment as JSON (DESIGN §3b)."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from .assessment_labels import clip as _clip
from .assessment_labels import describe
from .errors import MaturityError
from .i18n import t

# The length limits live in maturity.limits (the forms, the import and the store read the same
# numbers); re-exported here, where the pages and the workshop have imported them from.
from .limits import (
    MAX_ASSESSMENT_BYTES,
    MAX_KEY,
    MAX_LANGUAGE,
    MAX_MEMBERS,
    MAX_MODEL_ID,
    MAX_NAME,
    MAX_NOTE,
    ORGANISATION_LIMITS,
)
from .limits import MAX_PARTICIPANT_NAME as MAX_PARTICIPANT_NAME
from .limits import MAX_REGION as MAX_REGION
from .limits import MAX_WORKSHOP_TITLE as MAX_WORKSHOP_TITLE
from .model import MAX_VERSION, MaturityModel
from .scoring import NA, Answer

__all__ = [
    "FORMAT",
    "MAX_ASSESSMENT_BYTES",
    "MAX_DEPTH",
    "MAX_NAME",
    "MAX_NOTE",
    "MAX_NUMBER_CHARS",
    "MAX_PARTICIPANT_NAME",
    "MAX_REGION",
    "MAX_WORKSHOP_TITLE",
    "Assessment",
    "AssessmentError",
    "AssessmentInvalid",
    "describe",
    "parse",
    "parse_bytes",
    "read_json",
]

FORMAT = "maturity-assessment/1"
_TOP_KEYS = ("format", "model", "organisation", "assessed_at", "language", "answers", "notes", "targets")

MAX_DEPTH = 64  # JSON nesting; a real file nests 3 levels
MAX_NUMBER_CHARS = 64


@dataclass(frozen=True)
class AssessmentError:
    """One problem in an assessment file, naming the key (or, for a spreadsheet, the cell)."""

    key: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    item: str = ""  # the file's own path (``answers.<id>``) when ``key`` names a cell instead

    part: ClassVar[str] = "assessment_error"

    @property
    def path(self) -> str:
        """The machine path in the file format, e.g. ``answers.leading.party``."""
        return self.item or self.key

    def text(self, lang: str = "en") -> str:
        """The message alone, in ``lang``."""
        return t(f"{self.part}.{self.code}", lang, **self.params)

    def message(self, lang: str = "en") -> str:
        """``key: message`` in ``lang`` (the machine form, for the command line)."""
        text = self.text(lang)
        return f"{self.key}: {text}" if self.key else text


class AssessmentInvalid(MaturityError):
    """An assessment file with problems; ``errors`` lists them all."""

    def __init__(self, errors: list[AssessmentError], model: MaturityModel | None = None) -> None:
        super().__init__("\n".join(e.message() for e in errors))
        self.errors = errors
        self.model = model  # the model the file was checked against, to name its questions

    def describe(self, lang: str, model: MaturityModel | None = None) -> list[str]:
        """Every error as a chair reads it (see :func:`describe`)."""
        return [describe(e, model or self.model, lang) for e in self.errors]


@dataclass
class Assessment:
    """One union's answers against one model version."""

    model_id: str
    model_version: str
    organisation: dict[str, Any] = field(default_factory=dict)
    assessed_at: str = field(default_factory=lambda: dt.date.today().isoformat())
    language: str = "zh"
    answers: dict[str, Answer] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    targets: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready mapping of the file format."""
        return {
            "format": FORMAT,
            "model": {"id": self.model_id, "version": self.model_version},
            "organisation": dict(self.organisation),
            "assessed_at": self.assessed_at,
            "language": self.language,
            "answers": dict(self.answers),
            "notes": dict(self.notes),
            "targets": dict(self.targets),
        }

    def to_json(self) -> str:
        """Pretty, UTF-8-friendly JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def read_json(path: str | Path, model: MaturityModel | None = None) -> Assessment:
    """Read and validate an assessment file."""
    return parse_bytes(Path(path).read_bytes(), model)


def parse_bytes(raw: bytes, model: MaturityModel | None = None) -> Assessment:
    """Parse JSON bytes (an upload, say), refusing huge, deep, duplicated or non-UTF-8 input clearly."""
    if len(raw) > MAX_ASSESSMENT_BYTES:
        raise AssessmentInvalid([AssessmentError("", "too_big", {"limit": MAX_ASSESSMENT_BYTES})])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AssessmentInvalid([AssessmentError("", "not_utf8")]) from None
    duplicates: list[str] = []
    try:
        data = json.loads(text, object_pairs_hook=lambda pairs: _object(pairs, duplicates), parse_int=_int)
    except json.JSONDecodeError as exc:
        raise AssessmentInvalid(
            [AssessmentError("", "bad_json", {"line": exc.lineno, "col": exc.colno, "detail": exc.msg})]
        ) from None
    except _LongNumber:
        line, col = _locate(text, _LONG_NUMBER.search(text))
        raise AssessmentInvalid([AssessmentError("", "long_number", {"line": line, "col": col,
                                                                     "limit": MAX_NUMBER_CHARS})]) from None
    except RecursionError:
        line, col = _too_deep_at(text)
        raise AssessmentInvalid([AssessmentError("", "too_deep", {"line": line, "col": col, "limit": MAX_DEPTH})]) from None
    if duplicates:
        raise AssessmentInvalid([AssessmentError("", "duplicate_key", {"key": _clip(k)})
                                 for k in dict.fromkeys(duplicates)])
    if _depth(data) > MAX_DEPTH:
        line, col = _too_deep_at(text)
        raise AssessmentInvalid([AssessmentError("", "too_deep", {"line": line, "col": col, "limit": MAX_DEPTH})])
    return parse(data, model)


class _LongNumber(ValueError):
    pass


_LONG_NUMBER = re.compile(r"-?\d{" + str(MAX_NUMBER_CHARS + 1) + ",}")
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _int(digits: str) -> int:
    # int() of 5,000 digits raises ValueError in Python 3.11+ and costs quadratic time before that.
    if len(digits) > MAX_NUMBER_CHARS:
        raise _LongNumber(digits[:20])
    return int(digits)


def _object(pairs: list[tuple[str, Any]], duplicates: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            duplicates.append(key)
        out[key] = value
    return out


def _depth(value: Any) -> int:
    """Nesting depth of decoded JSON, without recursion (the decoder already bounded it)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                break
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def _too_deep_at(text: str) -> tuple[int, int]:
    """Line and column of the first bracket nested deeper than MAX_DEPTH (strings skipped)."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _locate(text, match)
        elif token in "]}":
            depth -= 1
    return (1, 1)


def _locate(text: str, match: re.Match[str] | None) -> tuple[int, int]:
    if match is None:
        return (1, 1)
    start = match.start()
    return text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1


def parse(data: Any, model: MaturityModel | None = None) -> Assessment:
    """Validate a decoded mapping; with ``model``, also check ids and levels against it."""
    errors: list[AssessmentError] = []
    if not isinstance(data, dict):
        raise AssessmentInvalid([AssessmentError("", "not_object")])
    if data.get("format") != FORMAT:
        raise AssessmentInvalid([AssessmentError("format", "bad_format",
                                                 {"value": _clip(data.get("format")), "expected": FORMAT})])
    for key in data:
        if key not in _TOP_KEYS:
            errors.append(AssessmentError(_clip(key, MAX_KEY), "unknown_key"))
    ref = data.get("model")
    if not isinstance(ref, dict) or not isinstance(ref.get("id"), str) or not isinstance(ref.get("version"), str):
        errors.append(AssessmentError("model", "bad_model_ref"))
        ref = {"id": "", "version": ""}
    elif model is not None and ref["id"] != model.id:
        errors.append(AssessmentError("model.id", "wrong_model", {"value": _clip(ref["id"]), "expected": model.id}))
    else:
        _text_ok(errors, "model.id", ref["id"], MAX_MODEL_ID)
        _text_ok(errors, "model.version", ref["version"], MAX_VERSION)
    org = _mapping(data, "organisation", errors)
    for key, value in org.items():
        where = f"organisation.{_clip(key, MAX_KEY)}"
        if not _text_ok(errors, where, key, MAX_KEY):
            continue
        if key == "members" and value is not None:
            if not _is_int(value):
                errors.append(AssessmentError(where, "not_int"))
            elif value > MAX_MEMBERS:
                errors.append(AssessmentError(where, "too_many", {"limit": MAX_MEMBERS}))
        elif isinstance(value, str):
            _text_ok(errors, where, value, ORGANISATION_LIMITS.get(key, MAX_NAME))
        elif value is not None and not _is_number(value):
            errors.append(AssessmentError(where, "not_scalar"))
    assessed_at = data.get("assessed_at", dt.date.today().isoformat())
    if not isinstance(assessed_at, str) or not _is_date(assessed_at):
        errors.append(AssessmentError("assessed_at", "bad_date", {"value": _clip(assessed_at)}))
    language = data.get("language", "zh")
    if not isinstance(language, str) or not language:
        errors.append(AssessmentError("language", "not_text"))
    else:
        _text_ok(errors, "language", language, MAX_LANGUAGE)
    answers = _answers(_mapping(data, "answers", errors), model, errors)
    notes = _mapping(data, "notes", errors)
    for key, value in notes.items():
        where = f"notes.{_clip(key, MAX_KEY)}"
        if not isinstance(value, str):
            errors.append(AssessmentError(where, "not_text"))
        elif model is not None and key not in model.indicator_by_id:
            errors.append(AssessmentError(where, "unknown_indicator"))
        elif len(value) > MAX_NOTE:
            # Refused, never cut: the form would silently shorten it on the next save.
            errors.append(AssessmentError(where, "too_long", {"length": len(value), "limit": MAX_NOTE}))
    targets = _targets(_mapping(data, "targets", errors), model, errors)
    if errors:
        raise AssessmentInvalid(errors, model)
    return Assessment(
        model_id=ref["id"],
        model_version=ref["version"],
        organisation=dict(org),
        assessed_at=assessed_at,
        language=language,
        answers=answers,
        notes={k: v for k, v in notes.items() if isinstance(v, str)},
        targets=targets,
    )


def _text_ok(errors: list[AssessmentError], where: str, value: str, limit: int) -> bool:
    """Check a text for its column: no longer than ``limit`` and free of NUL (PostgreSQL refuses it)."""
    if len(value) > limit:
        errors.append(AssessmentError(where, "too_long", {"length": len(value), "limit": limit}))
        return False
    if "\x00" in value:
        errors.append(AssessmentError(where, "has_nul"))
        return False
    return True


def _mapping(data: dict[str, Any], key: str, errors: list[AssessmentError]) -> dict[str, Any]:
    value = data.get(key, {})
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.append(AssessmentError(key, "not_object"))
        return {}
    return value


def _answers(raw: dict[str, Any], model: MaturityModel | None, errors: list[AssessmentError]) -> dict[str, Answer]:
    out: dict[str, Answer] = {}
    for key, value in raw.items():
        where = f"answers.{_clip(key, MAX_KEY)}"
        ind = model.indicator_by_id.get(key) if model else None
        if model is not None and ind is None:
            errors.append(AssessmentError(where, "unknown_indicator"))
            continue
        if value is None:
            continue
        if value == NA:
            if ind is not None and not ind.allow_na:
                errors.append(AssessmentError(where, "na_not_allowed"))
                continue
            out[key] = NA
            continue
        if not _is_number(value):
            errors.append(AssessmentError(where, "bad_answer", {"value": _clip(value)}))
            continue
        if model is not None and not model.lmin <= value <= model.lmax:
            errors.append(AssessmentError(where, "off_scale", {"value": value, "lmin": model.lmin, "lmax": model.lmax}))
            continue
        out[key] = int(value) if float(value).is_integer() else float(value)
    return out


def _targets(raw: dict[str, Any], model: MaturityModel | None, errors: list[AssessmentError]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in raw.items():
        where = f"targets.{_clip(key, MAX_KEY)}"
        if model is not None and key not in model.criterion_by_id:
            errors.append(AssessmentError(where, "unknown_criterion"))
        elif value is None:
            continue
        elif not _is_number(value):
            errors.append(AssessmentError(where, "bad_answer", {"value": _clip(value)}))
        elif model is not None and not model.lmin <= value <= model.lmax:
            errors.append(AssessmentError(where, "off_scale", {"value": value, "lmin": model.lmin, "lmax": model.lmax}))
        else:
            out[key] = int(value) if float(value).is_integer() else float(value)
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
