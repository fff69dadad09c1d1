"""Assessment errors as a chair reads them: the question's number and words instead of an internal id.

``answers.leading.strategy: level 9 out of range`` becomes
``1.2 工会工作与企业发展战略对接…：等级 9 超出量表范围（1–5）``. Kept apart from the file reader
(:mod:`maturity.assessment`), which only finds the errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .display import label_value, parenthesised
from .i18n import t
from .model import MaturityModel

if TYPE_CHECKING:
    from .assessment import AssessmentError

__all__ = ["clip", "describe"]


def clip(value: Any, limit: int = 40) -> str:
    """A value quoted in a message: scalars as text, cut to ``limit``; anything else by its kind."""
    if isinstance(value, (dict, list)):
        return "{…}" if isinstance(value, dict) else "[…]"
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(error: AssessmentError, model: MaturityModel | None, lang: str) -> str:
    """The error as a chair reads it: the question's number and words instead of an internal id.

    ``answers.leading.strategy`` becomes ``1.2 工会工作与企业发展战略对接…：等级 9 超出量表范围（1–5）``;
    a spreadsheet cell is kept in brackets after it, so the cell can still be found.
    """
    label = _label(error.path, model, lang)
    cell = error.key if error.item and error.key != error.item else ""
    if cell:
        label = parenthesised(label, cell, lang)
    text = error.text(lang)
    if not label:
        return text
    return label_value(label, text, lang)


def _label(path: str, model: MaturityModel | None, lang: str) -> str:
    head, _, rest = path.partition(".")
    if head in ("answers", "notes") and model is not None and rest in model.indicator_by_id:
        item = _question_label(model, rest, lang)
        return t("field.note", lang, item=item) if head == "notes" else item
    if head in ("answers", "notes") and rest:
        return t("field.unknown_indicator", lang, id=rest)
    if head == "targets" and model is not None and rest in model.criterion_by_id:
        number = model.criteria.index(model.criterion_by_id[rest]) + 1
        item = f"{number} {model.t(model.criterion_by_id[rest].name, lang)}"
        return t("field.target", lang, item=item)
    if head == "targets" and rest:
        return t("field.unknown_criterion", lang, id=rest)
    if head == "organisation" and rest:
        if rest in ("name", "enterprise", "members", "region", "assessor"):
            return t(f"field.organisation.{rest}", lang)
        return t("field.organisation.other", lang, key=rest)
    if path in ("model", "model.id", "model.version", "language", "assessed_at", "format"):
        return t(f"field.{path.replace('.', '_')}", lang)
    return path


def _question_label(model: MaturityModel, indicator_id: str, lang: str) -> str:
    """``2.3 question text…`` numbered as the questionnaire numbers it (criterion, then question)."""
    crit = model.criterion_of[indicator_id]
    step = model.criteria.index(crit) + 1
    n = next(i for i, ind in enumerate(crit.indicators, start=1) if ind.id == indicator_id)
    question = model.t(model.indicator_by_id[indicator_id].question, lang)
    return f"{step}.{n} {clip(question, 20 if lang == 'zh' else 60)}"
