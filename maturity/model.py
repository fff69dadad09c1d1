"""Typed maturity model of the ``maturity-model/1`` format (see docs/framework-format.md).

Texts are stored as ``{language: text}`` mappings that always contain the model's
default language; use :meth:`MaturityModel.t` to read one in a given language.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "EFFORTS",
    "FORMAT",
    "HORIZONS",
    "ID_PATTERN",
    "ITEM_ID_PATTERN",
    "MAX_VERSION",
    "Action",
    "Criterion",
    "Group",
    "Indicator",
    "MaturityModel",
    "ScaleLevel",
    "Tag",
    "Text",
    "Weight",
]

FORMAT = "maturity-model/1"
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"
ITEM_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"
HORIZONS = ("quick", "mid", "long")
EFFORTS = ("low", "medium", "high")
MAX_VERSION = 200  # the VARCHAR of model_snapshots.version and assessments.model_version


def _no_nul(value: str) -> str:
    """PostgreSQL refuses NUL in text that SQLite would store: refuse it for both, here."""
    if "\x00" in value:
        raise PydanticCustomError("no_nul", "must not contain a NUL character")
    return value


def _coerce_text(value: Any, info: ValidationInfo) -> Any:
    """A plain string means the default language."""
    if isinstance(value, str):
        default = (info.context or {}).get("default_language", "zh")
        return {default: value}
    return value


Text = Annotated[dict[str, str], BeforeValidator(_coerce_text)]
Weight = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScaleLevel(_Strict):
    """One level of the scale, lowest first."""

    level: StrictInt
    name: Text
    description: Text | None = None
    # The score of an answer at this level (0 to 1, rising; lowest 0, highest 1), for scales whose
    # answers are not evenly spaced. Given on every level or on none (the loader checks it).
    value: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | None = None


class Tag(_Strict):
    """A cross-cutting dimension, such as one of the three systems."""

    id: Annotated[str, Field(pattern=ITEM_ID_PATTERN)]
    name: Text
    description: Text | None = None


class Action(_Strict):
    """A recommended step that lifts a criterion from one level."""

    title: Text
    detail: Text | None = None
    horizon: Literal["quick", "mid", "long"]
    owner: Text | None = None
    effort: Literal["low", "medium", "high"] | None = None
    tags: list[str] = []


class Indicator(_Strict):
    """A question with one anchored answer for every scale level."""

    id: Annotated[str, Field(pattern=ITEM_ID_PATTERN)]
    name: Text | None = None  # a short name where the question is too long to quote (the 必备项 sentences)
    question: Text
    help: Text | None = None
    weight: Weight = 1.0
    allow_na: bool = True
    # A 必备项: its answer caps its criterion's achieved level; it cannot be N/A (the loader
    # refuses ``allow_na: true`` beside it; left out, allow_na is false).
    essential: bool = False
    # The 佐证材料 a reviewer asks for (会议纪要、台账、制度文件…): shown under the question, in the PDF and the Excel form.
    evidence: list[Text] = []
    tags: list[str] = []
    answers: dict[StrictInt, Text]

    @model_validator(mode="before")
    @classmethod
    def _essential_not_na(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("essential") is True and "allow_na" not in data:
            return {**data, "allow_na": False}
        return data


class Criterion(_Strict):
    """A scored criterion: its indicators and the actions that lift it."""

    id: Annotated[str, Field(pattern=ITEM_ID_PATTERN)]
    name: Text
    description: Text | None = None
    weight: Weight = 1.0
    target_level: StrictInt | None = None
    indicators: Annotated[list[Indicator], Field(min_length=1)]
    actions: dict[StrictInt, list[Action]] = {}


class Group(_Strict):
    """A named group of criteria (e.g. 三力, 五化)."""

    id: Annotated[str, Field(pattern=ITEM_ID_PATTERN)]
    name: Text
    description: Text | None = None
    criteria: Annotated[list[Criterion], Field(min_length=1)]


class MaturityModel(_Strict):
    """A whole model file."""

    format: str
    id: Annotated[str, Field(pattern=ID_PATTERN)]
    version: Annotated[str, Field(min_length=1, max_length=MAX_VERSION), AfterValidator(_no_nul)]
    title: Text
    description: Text | None = None
    instructions: Text | None = None  # how to answer: before the first question and in the PDF's method appendix
    languages: Annotated[list[str], Field(min_length=1)]
    scale: Annotated[list[ScaleLevel], Field(min_length=2, max_length=10)]
    target_level: StrictInt | None = None
    tags: list[Tag] = []
    groups: Annotated[list[Group], Field(min_length=1)]

    @property
    def default_language(self) -> str:
        """The first declared language."""
        return self.languages[0]

    def t(self, text: dict[str, str] | None, lang: str) -> str:
        """``text`` in ``lang``, falling back to the default language."""
        if not text:
            return ""
        return text.get(lang) or text.get(self.default_language) or next(iter(text.values()))

    @property
    def lmin(self) -> int:
        """Lowest scale level."""
        return self.scale[0].level

    @property
    def lmax(self) -> int:
        """Highest scale level."""
        return self.scale[-1].level

    @cached_property
    def levels(self) -> dict[int, ScaleLevel]:
        """Scale levels by number."""
        return {s.level: s for s in self.scale}

    @cached_property
    def level_values(self) -> dict[int, float] | None:
        """The scale's ``value`` per level, or None when the scale is linear (no values given)."""
        if any(s.value is None for s in self.scale):
            return None
        return {s.level: float(s.value) for s in self.scale if s.value is not None}

    @cached_property
    def criteria(self) -> list[Criterion]:
        """All criteria in model order."""
        return [c for g in self.groups for c in g.criteria]

    @cached_property
    def criterion_by_id(self) -> dict[str, Criterion]:
        """Criteria by id."""
        return {c.id: c for c in self.criteria}

    @cached_property
    def group_of(self) -> dict[str, Group]:
        """The group each criterion belongs to, by criterion id."""
        return {c.id: g for g in self.groups for c in g.criteria}

    @cached_property
    def indicators(self) -> list[Indicator]:
        """All indicators in model order."""
        return [i for c in self.criteria for i in c.indicators]

    @cached_property
    def indicator_by_id(self) -> dict[str, Indicator]:
        """Indicators by id."""
        return {i.id: i for i in self.indicators}

    @cached_property
    def criterion_of(self) -> dict[str, Criterion]:
        """The criterion each indicator belongs to, by indicator id."""
        return {i.id: c for c in self.criteria for i in c.indicators}

    @cached_property
    def essentials(self) -> dict[str, list[Indicator]]:
        """The 必备项 of each criterion that has any, by criterion id, in model order."""
        out: dict[str, list[Indicator]] = {}
        for crit in self.criteria:
            found = [i for i in crit.indicators if i.essential]
            if found:
                out[crit.id] = found
        return out

    @cached_property
    def tag_by_id(self) -> dict[str, Tag]:
        """Tags by id."""
        return {t.id: t for t in self.tags}
