"""The Word report's entry points: the same ``ReportData`` as the PDF's, written by ``_docx``.

Cheap to import: python-docx, the fonts and the charts load on the first build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from ..aggregate import IndicatorAggregate, group_answers
from ..assessment import Assessment
from ..filenames import download_name
from ..i18n import normalise, t
from ..loader import LoadedModel
from ..scoring import Result, score
from . import _vl
from ._build import criteria_of, session_model

if TYPE_CHECKING:
    from ..evidence import EvidenceFile

__all__ = ["DOCX_MIME", "DOCX_STYLES", "DocxStyle", "build_docx_report", "build_workshop_docx", "docx_filename"]

DocxStyle = Literal["default", "gongwen"]
DOCX_STYLES: tuple[DocxStyle, ...] = ("default", "gongwen")
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def build_docx_report(
    loaded: LoadedModel, assessment: Assessment, *, lang: str = "zh", result: Result | None = None,
    style: DocxStyle = "default", evidence: Sequence[EvidenceFile] = (),
) -> bytes:
    """The editable Word report (.docx) of one assessment; ``style`` 'gongwen' follows GB/T 9704-2012.

    ``evidence`` (the store's ``evidence.list(token)``) is listed per question in the appendix, as in the PDF.
    """
    _vl.start()
    from ._data import ReportData
    from ._docx import render_docx

    model = loaded.model
    if result is None:
        result = score(model, assessment.answers, assessment.targets)
    data = ReportData(
        loaded=loaded, lang=normalise(lang), result=result, answers=dict(assessment.answers),
        notes=dict(assessment.notes), organisation=dict(assessment.organisation),
        assessed_at=assessment.assessed_at, answered_version=assessment.model_version, evidence=tuple(evidence),
    )
    return render_docx(data, _style(style))


def build_workshop_docx(
    loaded: LoadedModel,
    *,
    title: str,
    organisation: dict[str, Any],
    aggregates: Mapping[str, IndicatorAggregate],
    participants: int,
    lang: str = "zh",
    assessed_at: str | None = None,
    criteria: Sequence[str] | None = None,
    style: DocxStyle = "default",
) -> bytes:
    """The Word report of a workshop, from the same inputs as ``build_workshop_report``."""
    _vl.start()
    from ._data import ReportData, WorkshopData
    from ._docx import render_docx

    session = session_model(loaded, criteria if criteria is not None else criteria_of(loaded.model, aggregates))
    kept = {k: v for k, v in aggregates.items() if k in session.model.indicator_by_id}
    answers = group_answers(kept)
    data = ReportData(
        loaded=session, lang=normalise(lang), result=score(session.model, answers), answers=answers, notes={},
        organisation=dict(organisation), assessed_at=assessed_at or dt.date.today().isoformat(),
        answered_version=loaded.model.version,
        workshop=WorkshopData(title=title, aggregates=kept, participants=participants,
                              model_criteria=None if session is loaded else len(loaded.model.criteria)),
    )
    return render_docx(data, _style(style))


def docx_filename(organisation_name: str, date: str, lang: str, *, workshop: bool = False) -> str:
    """The PDF's file name (``report_filename``) with .docx: '某某公司工会-诊断报告-2026-11-26.docx'."""
    kind = t("files.workshop_report" if workshop else "report.file_stem", lang)
    return download_name(organisation_name, kind, date, "docx", lang)


def _style(style: str) -> str:
    if style not in DOCX_STYLES:
        raise ValueError(f"unknown Word report style {style!r}; one of {', '.join(DOCX_STYLES)}")
    return style
