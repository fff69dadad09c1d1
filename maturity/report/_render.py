"""Lay the report out: the charts drawn while the pages are built, then the sections in order.

``render`` lays the report out with the shipped fonts and, only when some text needs them,
again with the fallback fonts. The sections are in ``_sections`` (cover, summary, charts) and
``_details`` (criteria, roadmap, appendix).
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from functools import lru_cache

from .. import charts
from ..i18n import t
from . import _vl
from ._data import ReportData
from ._details import appendix, criteria_section, roadmap_section
from ._evidence import evidence_appendix
from ._page import NeedsFallbackFonts
from ._pdf import ReportPDF
from ._sections import chart_section, cover, summary

__all__ = ["chart_specs", "chart_svgs", "render"]


def render(data: ReportData) -> bytes:
    """The PDF bytes; fallback fonts are loaded only for text the shipped fonts cannot print.

    The charts are drawn (by ``_vl``'s helper process) while the next ones are built and
    the pages before them laid out.
    """
    data.charts = {}
    if data.scored:
        data.charts = later = _ChartsLater([key for key, _ in _builders(data)])
        try:
            for key, spec in _chart_specs(data):
                later.draw(key, spec)
        finally:
            later.close()
    try:
        return _render(data, fallbacks=False)
    except NeedsFallbackFonts:
        return _render(data, fallbacks=True)


def _render(d: ReportData, *, fallbacks: bool) -> bytes:
    m, L = d.model, d.lang
    title = t("report.workshop_title" if d.workshop else "report.title", L)
    pdf = ReportPDF(
        header_left=t("report.header", L, model=m.t(m.title, L), title=title), header_right=d.org,
        footer=t("report.footer", L, page="{page}", pages="{pages}"), fallbacks=fallbacks, latin_quotes=L != "zh",
    )
    pdf.set_title(f"{d.org} {title}")
    pdf.set_subject(m.t(m.title, L))
    pdf.set_creator("brand-union-maturity")
    pdf.set_lang("zh-CN" if L == "zh" else "en")
    cover(pdf, d, title)
    summary(pdf, d)
    if d.charts:
        chart_section(pdf, d)
    criteria_section(pdf, d)
    roadmap_section(pdf, d)
    appendix(pdf, d)
    if d.workshop is None:
        evidence_appendix(pdf, d)
    return bytes(pdf.output())


# ---------------------------------------------------------------- charts


def chart_svgs(d: ReportData) -> dict[str, str]:
    """The report's charts as SVG, drawn by the same builders as the pages."""
    return {k: _svg(spec) for k, spec in chart_specs(d).items()}


def chart_specs(d: ReportData) -> dict[str, str]:
    """The report's charts as Vega-Lite JSON, by name."""
    return dict(_chart_specs(d))


def _builders(d: ReportData) -> list[tuple[str, Callable[..., charts.Chart]]]:
    """The report's charts by name: the pages' builders."""
    built = [("radar", charts.radar), ("groups", charts.groups_bar), ("gap", charts.gap_bars)]
    if len(d.model.criteria) < 3:  # a radar of one or two axes is a line: a subset workshop has the bars
        built = built[1:]
    return [*built, ("tags", charts.tags_bar)] if d.model.tags else built


def _chart_specs(d: ReportData) -> Iterator[tuple[str, str]]:
    """Each chart's name and Vega-Lite JSON, as soon as it is built."""
    from altair.utils.schemapi import debug_mode

    font = _vl.font_family()  # the shipped subset, measured 4x faster than the system CJK font
    for key, build in _builders(d):
        # The builders are validated by the tests: skip altair's schema checks, both in to_dict()
        # and in debug mode, where every Scale, Axis, Config... validates itself when made.
        with debug_mode(False):
            spec = json.dumps(build(d.model, d.result, d.lang, font=font).to_dict(validate=False),
                              ensure_ascii=False, sort_keys=True)
        yield key, spec


@lru_cache(maxsize=32)
def _svg(spec: str) -> str:
    """One chart drawn by vl-convert; the same chart (a second download) is drawn once."""
    return _vl.to_svg(spec)


class _ChartsLater(Mapping[str, str]):
    """The charts' SVG by name, drawn in a thread in the order given; reading one waits for it only.

    The thread mostly waits on the helper's pipe, without the GIL, so the next charts are built
    and the first pages laid out meanwhile (when vl-convert runs in this process, it simply
    runs first). ``close`` after the last ``draw``.
    """

    def __init__(self, keys: list[str]) -> None:
        self._futures: dict[str, Future[str]] = {k: Future() for k in keys}
        self._specs: queue.SimpleQueue[tuple[str, str] | None] = queue.SimpleQueue()
        threading.Thread(target=self._work, name="report-charts", daemon=True).start()

    def draw(self, key: str, spec: str) -> None:
        self._specs.put((key, spec))

    def close(self) -> None:
        self._specs.put(None)

    def _work(self) -> None:
        while (item := self._specs.get()) is not None:
            key, spec = item
            try:
                self._futures[key].set_result(_svg(spec))
            except BaseException as exc:  # handed to the reader, raised there
                self._futures[key].set_exception(exc)
        for future in self._futures.values():  # a chart that was never built (its builder raised)
            if not future.done():
                future.set_exception(RuntimeError("chart not built"))

    def __getitem__(self, key: str) -> str:
        return self._futures[key].result()

    def __iter__(self) -> Iterator[str]:
        return iter(self._futures)

    def __len__(self) -> int:
        return len(self._futures)
