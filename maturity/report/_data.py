"""What a report prints (``ReportData``) and the wording helpers every section shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..advice import Roadmap, roadmap
from ..aggregate import IndicatorAggregate
from ..display import join_names, level_name
from ..evidence import EvidenceFile
from ..i18n import t
from ..loader import LoadedModel
from ..model import MaturityModel
from ..scoring import Answer, CriterionResult, Result


@dataclass
class WorkshopData:
    """What a workshop adds: its title, each question's distribution, the number of participants."""

    title: str
    aggregates: dict[str, IndicatorAggregate]
    participants: int
    model_criteria: int | None = None  # a subset session: the whole model's number of criteria


@dataclass
class ReportData:
    """Everything the report prints."""

    loaded: LoadedModel
    lang: str
    result: Result
    answers: dict[str, Answer]
    notes: dict[str, str]
    organisation: dict[str, Any]
    assessed_at: str
    answered_version: str
    workshop: WorkshopData | None = None
    charts: Mapping[str, str] = field(default_factory=dict)  # SVG by name
    evidence: Sequence[EvidenceFile] = ()  # 佐证材料 files, listed in the appendix

    @property
    def model(self) -> MaturityModel:
        """The model."""
        return self.loaded.model

    @cached_property
    def roadmap(self) -> Roadmap:
        """The roadmap of the result."""
        return roadmap(self.model, self.result)

    @property
    def org(self) -> str:
        """The union's name."""
        return str(self.organisation.get("name") or "").strip() or t("report.unnamed", self.lang)

    @property
    def scored(self) -> bool:
        """Whether any criterion has a score."""
        return self.result.overall.value is not None


def level_text(d: ReportData, level: int | None) -> str:
    if level is None:
        return t("report.cover.no_score", d.lang)
    return t("report.level_named", d.lang, level=level, name=level_name(d.model, level, d.lang))


def quote(d: ReportData, text: str) -> str:
    return t("report.quote", d.lang, text=text)


def join_list(d: ReportData, items: list[str]) -> str:
    return join_names(items, d.lang)


def date_text(d: ReportData) -> str:
    try:
        day = dt.date.fromisoformat(d.assessed_at)
    except (TypeError, ValueError):
        return str(d.assessed_at)
    return t("report.date", d.lang, y=day.year, m=day.month, d=day.day)


def percent(d: ReportData, share: float) -> str:
    return t("report.percent", d.lang, value=f"{100 * share:.0f}")


def criterion_name(d: ReportData, cid: str) -> str:
    return d.model.t(d.model.criterion_by_id[cid].name, d.lang)


def scored_criteria(d: ReportData) -> list[CriterionResult]:
    return [d.result.criteria[c.id] for c in d.model.criteria if d.result.criteria[c.id].score.value is not None]
