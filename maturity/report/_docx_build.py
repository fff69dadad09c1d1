"""The Word report's entry points: the same ``ReportData`` as the PDF's, written by ``_docx``.

Cheap to import: python-docx, the fonts and the charts load on the first build.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from ..aggregate import IndicatorAggregate
from ..assessment import Assessment
from ..filenames import download_name
from ..i18n import t
from ..loader import LoadedModel
from ..scoring import Result
from . import _vl
from ._build import assessment_data, workshop_data

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
    from ._docx import render_docx

    return render_docx(assessment_data(loaded, assessment, lang, result, evidence), _style(style))


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
    from ._docx import render_docx

    data = workshop_data(loaded, title, organisation, aggregates, participants, lang, assessed_at, criteria)
    return render_docx(data, _style(style))


def docx_filename(organisation_name: str, date: str, lang: str, *, workshop: bool = False) -> str:
    """The PDF's file name (``report_filename``) with .docx: '某某公司工会-诊断报告-2026-11-26.docx'."""
    kind = t("files.workshop_report" if workshop else "report.file_stem", lang)
    return download_name(organisation_name, kind, date, "docx", lang)


def _style(style: str) -> str:
    if style not in DOCX_STYLES:
        raise ValueError(f"unknown Word report style {style!r}; one of {', '.join(DOCX_STYLES)}")
    return style
