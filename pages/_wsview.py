"""What the host screen and the projector both show of a workshop: the join box, "discuss first",
the distributions and the group result. Streamlit glue; the numbers come from the core.

The distribution charts are the costly part of a refresh (altair builds each spec in ~15 ms), so a
spec is built once per distinct content of its criterion's aggregates and reused by every tab.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import segno
import streamlit as st
from altair.utils.schemapi import debug_mode
from streamlit import dataframe_util

from maturity import charts, i18n
from maturity.aggregate import IndicatorAggregate, group_answers
from maturity.display import fmt_index, fmt_level, fmt_sd, join_names, level_label
from maturity.model import MaturityModel
from maturity.scoring import score
from maturity.workshop import Progress, Workshop
from pages._ui import escape_md

# How many times a distribution spec was built in this process (tests check that a refresh with
# no new answers builds none).
BUILDS = {"distribution": 0}


@dataclass(frozen=True)
class Live:
    """What the host's live panel shows, read once per change of the session (its stamp).

    Defined here, not in the page: a page's classes are made anew on every run, and a cached
    value must stay an instance of the class it is checked against."""

    code: str
    stamp: tuple[Any, ...]
    lang: str
    now: Workshop
    progress: Progress
    aggs: dict[str, IndicatorAggregate]
    ranked: list[str]


def site() -> str:
    """scheme://host of this app, or "" when unknown (links are then relative)."""
    url = getattr(st.context, "url", None) or ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@st.cache_data(max_entries=64, show_spinner=False)
def _qr_png(url: str) -> bytes:
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=6, border=2)
    return qr.getvalue()


def join_box(ws: Workshop, join_url: str, lang: str) -> None:
    """The join code big, the join link and its QR code while the session is open; one small line after."""
    if not ws.is_open:
        st.caption(i18n.t("wshostui.closed_code", lang, code=ws.code))
        return
    left, right = st.columns([2, 1])
    with left:
        st.markdown(i18n.t("wshost.join_code", lang))
        # The code is from the unambiguous alphabet (the service makes it), so it is safe as HTML.
        st.markdown(f"<div style='font-size:4.5rem;font-weight:700;letter-spacing:.4rem;line-height:1.1'>"
                    f"{ws.code}</div>", unsafe_allow_html=True)
        st.markdown(i18n.t("wshost.join_link", lang))
        st.code(join_url, language=None)
    with right:
        st.image(_qr_png(join_url), caption=i18n.t("wshost.qr_caption", lang), width=220)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def discuss_first(model: MaturityModel, aggs: Mapping[str, IndicatorAggregate | None], ranked: Sequence[str],
                  lang: str) -> None:
    """The flagged questions, widest split first, each with its spread and any consensus and note."""
    st.subheader(i18n.t("wshostui.discuss", lang))
    if not ranked:
        st.caption(i18n.t("wshostui.discuss_none", lang))
        return
    for ind_id in ranked:
        agg = aggs[ind_id]
        if agg is None:
            continue
        ind = model.indicator_by_id[ind_id]
        crit = model.criterion_of[ind_id]
        st.markdown("⚠ " + i18n.t("wshostui.discuss_item", lang, number=charts.question_number(model, ind_id),
                                  question=escape_md(model.t(ind.question, lang)),
                                  criterion=escape_md(model.t(crit.name, lang))))
        counts = join_names([i18n.t("wshostui.count", lang, level=lv, n=c) for lv, c in sorted(agg.counts.items())
                             if c], lang)
        spread = i18n.t("wshostui.spread", lang, sd=fmt_sd(agg.sd), lo=_num(agg.min), hi=_num(agg.max),
                        range=_num(None if agg.min is None or agg.max is None else agg.max - agg.min), counts=counts)
        lines = [spread]
        if agg.consensus is not None:
            lines.append(escape_md(i18n.t("wshostui.agreed", lang, level=level_label(model, agg.consensus, lang))))
        if agg.note:
            lines.append(i18n.t("wshostui.note", lang, note=escape_md(agg.note)))
        st.caption("  \n".join(lines))


@st.cache_data(max_entries=512, show_spinner=False)
def _distribution_spec(sha256: str, lang: str, ind_ids: tuple[str, ...], content: str,
                       _model: MaturityModel, _aggs: Mapping[str, IndicatorAggregate]) -> dict[str, Any]:
    # The model is fixed by its sha and the aggregates by ``content`` (their repr), so those are the key.
    BUILDS["distribution"] += 1
    # The builder makes valid specs (tests check them, with validation on); skip altair's schema
    # validation, both the final one and the one its debug mode runs as each part is made (a third of
    # the build). The switch is process-wide, so another chart built meanwhile merely skips it too.
    with debug_mode(False):
        spec = charts.distribution(_model, _aggs, list(ind_ids), lang).to_dict(validate=False)
    # st.vega_lite_chart turns every dataset into Arrow bytes on each call (two thirds of a refresh
    # that changed nothing) unless they are bytes already, as Streamlit's own altair path leaves them.
    spec["datasets"] = {name: rows if isinstance(rows, bytes) else dataframe_util.convert_anything_to_arrow_bytes(rows)
                        for name, rows in spec.get("datasets", {}).items()}
    return spec


def distribution_spec(sha256: str, model: MaturityModel, aggs: Mapping[str, IndicatorAggregate],
                      ind_ids: Sequence[str], lang: str) -> dict[str, Any]:
    """The Vega-Lite spec of the questions ``ind_ids``, built once per distinct set of their aggregates."""
    content = repr([aggs[i] for i in ind_ids])
    return _distribution_spec(sha256, lang, tuple(ind_ids), content, model, aggs)


def distributions(ws: Workshop, model: MaturityModel, aggs: Mapping[str, IndicatorAggregate | None],
                  crit_ids: Sequence[str], lang: str) -> None:
    """One chart per criterion of the session; questions without a breakdown to show are left out."""
    for cid in crit_ids:
        crit = model.criterion_by_id[cid]
        live = " 🟢" if ws.pace == "guided" and ws.current_criterion == cid else ""
        st.markdown(f"#### {escape_md(model.t(crit.name, lang))}{live}")
        shown = {i.id: a for i in crit.indicators if (a := aggs.get(i.id)) is not None and a.n + a.n_na}
        if shown:
            st.vega_lite_chart(distribution_spec(ws.model_sha256, model, shown, list(shown), lang), width="stretch")
        else:
            st.caption(i18n.t("wshost.no_answers", lang))


def group_result(model: MaturityModel, aggs: Mapping[str, IndicatorAggregate | None], crit_ids: Sequence[str],
                 lang: str) -> None:
    """The group result: the overall index and each criterion's level and index (consensus, else the mean)."""
    result = score(model, group_answers({k: v for k, v in aggs.items() if v is not None}))
    st.metric(i18n.t("wshost.overall", lang), fmt_index(result.overall.index))
    st.dataframe({
        i18n.t("wshost.col_criterion", lang): [model.t(model.criterion_by_id[c].name, lang) for c in crit_ids],
        i18n.t("wshost.col_level", lang): [fmt_level(result.criteria[c].score.level) for c in crit_ids],
        i18n.t("wshost.col_index", lang): [fmt_index(result.criteria[c].score.index) for c in crit_ids],
    }, hide_index=True, width="stretch")
