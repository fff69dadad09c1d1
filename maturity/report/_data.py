"""What a report prints (``ReportData``) and the wording helpers every section shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..advice import Roadmap, roadmap
from ..aggregate import IndicatorAggregate
from ..display import fmt_level, join_names, level_name
from ..evidence import EvidenceFile
from ..i18n import t
from ..loader import LoadedModel
from ..model import Indicator, MaturityModel
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


def cover_rows(d: ReportData) -> list[tuple[str, str]]:
    """The cover's facts (who, when, against what), as the PDF and the Word report both print them."""
    m, L, r, org = d.model, d.lang, d.result, d.organisation
    rows: list[tuple[str, str]] = [(t("report.cover.date", L), date_text(d))]
    if d.workshop:
        if d.workshop.title.strip() != d.org:
            rows.append((t("report.cover.session", L), d.workshop.title))
        rows.append((t("report.cover.participants", L), t("report.cover.participants_value", L,
                                                          n=d.workshop.participants)))
        if d.workshop.model_criteria:
            rows.append((t("wsfacil.scope", L), t("wsfacil.scope_value", L, n=len(m.criteria),
                                                  total=d.workshop.model_criteria,
                                                  names=join_list(d, [m.t(c.name, L) for c in m.criteria]))))
    for key in ("assessor", "enterprise", "region"):
        value = str(org.get(key) or "").strip()
        if value and not (key == "enterprise" and value == d.org):
            rows.append((t(f"report.cover.{key}", L), value))
    if org.get("members") not in (None, ""):
        rows.append((t("report.cover.members", L), t("report.cover.members_value", L, members=org["members"])))
    rows.append((t("report.cover.model_label", L), t("report.cover.model", L, model=m.t(m.title, L),
                                                      version=m.version)))
    rows.append((t("report.cover.coverage", L), t("report.cover.coverage_value", L, answered=r.answered,
                                                   total=r.total, coverage=percent(d, r.coverage))))
    return rows


def model_info(d: ReportData) -> list[tuple[str, str]]:
    """The appendix's lines on the model: title, id, version (and the one answered, if another), sha256, file."""
    m, L = d.model, d.lang
    info = [
        (t("report.appendix.model_title", L), m.t(m.title, L)),
        (t("report.appendix.model_id", L), m.id),
        (t("report.appendix.model_version", L), m.version),
    ]
    if d.answered_version and d.answered_version != m.version:
        info.append((t("report.appendix.answered_version", L), d.answered_version))
    info += [
        (t("report.appendix.sha256", L), d.loaded.sha256),
        (t("report.appendix.file", L), Path(d.loaded.file).name),
        (t("report.appendix.generated", L), dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
    ]
    return info


def answer_line(d: ReportData, ind: Indicator, value: float, agg: IndicatorAggregate | None) -> str:
    """A question's answer as the PDF and the Word report write it: the nearest level and its text; a consensus,
    or a mean (a workshop's, or any fractional answer) said as such."""
    m, L = d.model, d.lang
    nearest = min(m.levels, key=lambda lv: (abs(lv - value), lv))
    text = m.t(ind.answers[nearest], L)
    if agg is not None and agg.consensus is not None:
        return t("report.criteria.answer_consensus", L, level=level_text(d, nearest), text=text)
    if not value.is_integer() or agg is not None:
        return t("report.criteria.answer_mean", L, value=fmt_level(value), level=level_text(d, nearest), text=text)
    return t("report.criteria.answer", L, level=level_text(d, nearest), text=text)
