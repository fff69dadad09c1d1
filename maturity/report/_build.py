"""The report's entry points: the data of an assessment or a workshop, rendered by ``_render``.

Cheap to import: fpdf2, the fonts and the charts load on the first build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..aggregate import IndicatorAggregate, group_answers
from ..assessment import Assessment
from ..filenames import download_name
from ..i18n import normalise, t
from ..loader import LoadedModel
from ..model import MaturityModel
from ..scoring import Result, score
from . import _vl

if TYPE_CHECKING:
    from ..evidence import EvidenceFile
    from ..portfolio import Basis, Portfolio
    from ..round_types import Round
    from ._data import ReportData

__all__ = ["assessment_data", "build_portfolio_report", "build_report", "build_workshop_report", "criteria_of", "report_filename",
           "session_model", "workshop_data"]


def build_report(
    loaded: LoadedModel, assessment: Assessment, *, lang: str = "zh", result: Result | None = None,
    evidence: Sequence[EvidenceFile] = (),
) -> bytes:
    """The PDF of one assessment in ``lang`` (zh or en); ``result`` saves re-scoring it.

    ``evidence`` (the store's ``evidence.list(token)``) is listed per question in the appendix.
    """
    _vl.start()  # vl-convert warms up in its own process while fpdf2 and altair load here
    from ._render import render

    return render(assessment_data(loaded, assessment, lang, result, evidence))


def build_portfolio_report(p: Portfolio, rnd: Round, lang: str, *, basis: Basis = "self") -> bytes:
    """The portfolio PDF (汇总报告) of ``p``, a round or one subtree of it, on ``basis`` (自评 or 复评)."""
    _vl.start()
    from ._portfolio import render_portfolio

    return render_portfolio(p, rnd, lang, basis=basis)


def assessment_data(loaded: LoadedModel, assessment: Assessment, lang: str, result: Result | None,
                    evidence: Sequence[EvidenceFile]) -> ReportData:
    """What the PDF and the Word report of one assessment say: the ``ReportData`` both render."""
    from ._data import ReportData

    if result is None:
        result = score(loaded.model, assessment.answers, assessment.targets)
    return ReportData(
        loaded=loaded, lang=normalise(lang), result=result, answers=dict(assessment.answers),
        notes=dict(assessment.notes), organisation=dict(assessment.organisation),
        assessed_at=assessment.assessed_at, answered_version=assessment.model_version, evidence=tuple(evidence),
    )


def build_workshop_report(
    loaded: LoadedModel,
    *,
    title: str,
    organisation: dict[str, Any],
    aggregates: Mapping[str, IndicatorAggregate],
    participants: int,
    lang: str = "zh",
    assessed_at: str | None = None,
    criteria: Sequence[str] | None = None,
) -> bytes:
    """The PDF of a workshop: scored on the group answers, with each question's distribution.

    Only the session's ``criteria`` are reported, and coverage counts their questions only; without
    ``criteria``, the session is the criteria that have a question in ``aggregates`` (what
    :meth:`maturity.workshop.WorkshopService.aggregates` returns for a subset session).
    """
    _vl.start()
    from ._render import render

    return render(workshop_data(loaded, title, organisation, aggregates, participants, lang, assessed_at, criteria))


def workshop_data(loaded: LoadedModel, title: str, organisation: dict[str, Any],
                  aggregates: Mapping[str, IndicatorAggregate], participants: int, lang: str,
                  assessed_at: str | None, criteria: Sequence[str] | None) -> ReportData:
    """What the PDF and the Word report of a workshop say: scored on the group answers of the session's criteria."""
    from ._data import ReportData, WorkshopData

    session = session_model(loaded, criteria if criteria is not None else criteria_of(loaded.model, aggregates))
    kept = {k: v for k, v in aggregates.items() if k in session.model.indicator_by_id}
    answers = group_answers(kept)
    return ReportData(
        loaded=session, lang=normalise(lang), result=score(session.model, answers), answers=answers, notes={},
        organisation=dict(organisation), assessed_at=assessed_at or dt.date.today().isoformat(),
        answered_version=loaded.model.version,
        workshop=WorkshopData(title=title, aggregates=kept, participants=participants,
                              model_criteria=None if session is loaded else len(loaded.model.criteria)),
    )


def criteria_of(model: MaturityModel, aggregates: Mapping[str, IndicatorAggregate]) -> list[str]:
    """The criteria with a question among ``aggregates``, in model order."""
    return [c.id for c in model.criteria if any(i.id in aggregates for i in c.indicators)]


def session_model(loaded: LoadedModel, criteria: Sequence[str]) -> LoadedModel:
    """``loaded`` cut to ``criteria`` (groups without any left out), so that every section and the
    coverage count the session's questions only; the whole model when ``criteria`` is empty or all."""
    model = loaded.model
    keep = {c for c in criteria if c in model.criterion_by_id}
    if not keep or keep == set(model.criterion_by_id):
        return loaded
    raw = model.model_dump()
    groups = [{**g, "criteria": [c for c in g["criteria"] if c["id"] in keep]} for g in raw["groups"]]
    cut = MaturityModel.model_validate({**raw, "groups": [g for g in groups if g["criteria"]]})
    return dataclasses.replace(loaded, model=cut)


def report_filename(organisation_name: str, date: str, lang: str, *, workshop: bool = False) -> str:
    """'某某公司工会-诊断报告-2026-11-26.pdf' (a workshop's: '<title>-集体诊断报告-<date>.pdf'); see ``filenames``."""
    kind = t("files.workshop_report" if workshop else "report.file_stem", lang)
    return download_name(organisation_name, kind, date, "pdf", lang)
