"""The ``maturity-assessment/1`` file: one assessment as JSON (DESIGN §3b)."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .i18n import t
from .model import MaturityModel
from .scoring import NA, Answer

FORMAT = "maturity-assessment/1"
MAX_BYTES = 2 * 1024 * 1024
_TOP_KEYS = ("format", "model", "organisation", "assessed_at", "language", "answers", "notes", "targets")


@dataclass(frozen=True)
class AssessmentError:
    """One problem in an assessment file, naming the key."""

    key: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        """``key: message`` in ``lang``."""
        text = t(f"assessment_error.{self.code}", lang, **self.params)
        return f"{self.key}: {text}" if self.key else text


class AssessmentInvalid(Exception):
    """An assessment file with problems; ``errors`` lists them all."""

    def __init__(self, errors: list[AssessmentError]) -> None:
        super().__init__("\n".join(e.message() for e in errors))
        self.errors = errors


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
    """Parse JSON bytes (an upload, say), refusing huge or non-UTF-8 input clearly."""
    if len(raw) > MAX_BYTES:
        raise AssessmentInvalid([AssessmentError("", "too_big", {"limit": MAX_BYTES})])
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise AssessmentInvalid([AssessmentError("", "not_utf8")]) from None
    except json.JSONDecodeError as exc:
        raise AssessmentInvalid(
            [AssessmentError("", "bad_json", {"line": exc.lineno, "col": exc.colno, "detail": exc.msg})]
        ) from None
    return parse(data, model)


def parse(data: Any, model: MaturityModel | None = None) -> Assessment:
    """Validate a decoded mapping; with ``model``, also check ids and levels against it."""
    errors: list[AssessmentError] = []
    if not isinstance(data, dict):
        raise AssessmentInvalid([AssessmentError("", "not_object")])
    if data.get("format") != FORMAT:
        raise AssessmentInvalid([AssessmentError("format", "bad_format", {"value": data.get("format"), "expected": FORMAT})])
    for key in data:
        if key not in _TOP_KEYS:
            errors.append(AssessmentError(str(key), "unknown_key"))
    ref = data.get("model")
    if not isinstance(ref, dict) or not isinstance(ref.get("id"), str) or not isinstance(ref.get("version"), str):
        errors.append(AssessmentError("model", "bad_model_ref"))
        ref = {"id": "", "version": ""}
    elif model is not None and ref["id"] != model.id:
        errors.append(AssessmentError("model.id", "wrong_model", {"value": ref["id"], "expected": model.id}))
    org = _mapping(data, "organisation", errors)
    if "members" in org and org["members"] is not None and not _is_int(org["members"]):
        errors.append(AssessmentError("organisation.members", "not_int"))
    for key, value in org.items():
        if value is not None and not isinstance(value, (str, int, float)):
            errors.append(AssessmentError(f"organisation.{key}", "not_scalar"))
    assessed_at = data.get("assessed_at", dt.date.today().isoformat())
    if not isinstance(assessed_at, str) or not _is_date(assessed_at):
        errors.append(AssessmentError("assessed_at", "bad_date", {"value": assessed_at}))
    language = data.get("language", "zh")
    if not isinstance(language, str) or not language:
        errors.append(AssessmentError("language", "not_text"))
    answers = _answers(_mapping(data, "answers", errors), model, errors)
    notes = _mapping(data, "notes", errors)
    for key, value in notes.items():
        if not isinstance(value, str):
            errors.append(AssessmentError(f"notes.{key}", "not_text"))
        elif model is not None and key not in model.indicator_by_id:
            errors.append(AssessmentError(f"notes.{key}", "unknown_indicator"))
    targets = _targets(_mapping(data, "targets", errors), model, errors)
    if errors:
        raise AssessmentInvalid(errors)
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
        where = f"answers.{key}"
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
            errors.append(AssessmentError(where, "bad_answer", {"value": value}))
            continue
        if model is not None and not model.lmin <= value <= model.lmax:
            errors.append(AssessmentError(where, "off_scale", {"value": value, "lmin": model.lmin, "lmax": model.lmax}))
            continue
        out[key] = int(value) if float(value).is_integer() else float(value)
    return out


def _targets(raw: dict[str, Any], model: MaturityModel | None, errors: list[AssessmentError]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in raw.items():
        where = f"targets.{key}"
        if model is not None and key not in model.criterion_by_id:
            errors.append(AssessmentError(where, "unknown_criterion"))
        elif value is None:
            continue
        elif not _is_number(value):
            errors.append(AssessmentError(where, "bad_answer", {"value": value}))
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
