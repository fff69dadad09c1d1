"""The report's entry points: the data of an assessment or a workshop, rendered by ``_render``.

Cheap to import: fpdf2, the fonts and the charts load on the first build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..aggregate import IndicatorAggregate, group_answers
from ..assessment import Assessment
from ..filenames import download_name
from ..i18n import normalise, t
from ..loader import LoadedModel
from ..scoring import Result, score
from . import _vl

__all__ = ["build_report", "build_workshop_report", "report_filename"]


def build_report(
    loaded: LoadedModel, assessment: Assessment, *, lang: str = "zh", result: Result | None = None
) -> bytes:
    """The PDF of one assessment in ``lang`` (zh or en); ``result`` saves re-scoring it."""
    _vl.start()  # vl-convert warms up in its own process while fpdf2 and altair load here
    from ._data import ReportData
    from ._render import render

    model = loaded.model
    if result is None:
        result = score(model, assessment.answers, assessment.targets)
    data = ReportData(
        loaded=loaded, lang=normalise(lang), result=result, answers=dict(assessment.answers),
        notes=dict(assessment.notes), organisation=dict(assessment.organisation),
        assessed_at=assessment.assessed_at, answered_version=assessment.model_version,
    )
    return render(data)


def build_workshop_report(
    loaded: LoadedModel,
    *,
    title: str,
    organisation: dict[str, Any],
    aggregates: Mapping[str, IndicatorAggregate],
    participants: int,
    lang: str = "zh",
    assessed_at: str | None = None,
) -> bytes:
    """The PDF of a workshop: scored on the group answers, with each question's distribution."""
    _vl.start()
    from ._data import ReportData, WorkshopData
    from ._render import render

    answers = group_answers(aggregates)
    data = ReportData(
        loaded=loaded, lang=normalise(lang), result=score(loaded.model, answers), answers=answers, notes={},
        organisation=dict(organisation), assessed_at=assessed_at or dt.date.today().isoformat(),
        answered_version=loaded.model.version,
        workshop=WorkshopData(title=title, aggregates=dict(aggregates), participants=participants),
    )
    return render(data)


def report_filename(organisation_name: str, date: str, lang: str, *, workshop: bool = False) -> str:
    """'某某公司工会-诊断报告-2026-11-26.pdf' (a workshop's: '<title>-集体诊断报告-<date>.pdf'); see ``filenames``."""
    kind = t("files.workshop_report" if workshop else "report.file_stem", lang)
    return download_name(organisation_name, kind, date, "pdf", lang)
