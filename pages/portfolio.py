"""The portfolio (汇总看板) of a round: where the group stands, which units lag, where to invest.

``?r=CODE&k=<round key>``, as the round page; the tables come from maturity/portfolio.py, the charts
from maturity/charts. A subtree of the hierarchy narrows every table; 复评 replaces 自评 where reviewed.
"""

from __future__ import annotations

import datetime as dt
import statistics

import streamlit as st

from maturity import advice, charts, tables
from maturity import portfolio as P
from maturity.display import fmt_index, level_name, stars
from maturity.filenames import download_name
from maturity.i18n import t
from maturity.round_types import RoundData
from maturity.rounds import RoundError, RoundService
from pages._ui import PAGES, guarded, lang, plain, store, tr

L = lang()
svc = RoundService(store())
code, key = st.query_params.get("r"), st.query_params.get("k")
st.title(tr("portui.title"))
if not code or not key:
    st.info(tr("portui.need_round"))
    st.page_link(PAGES["rounds"], label=tr("roundnav.rounds"), icon="🗂️")
    st.stop()


@st.cache_resource(max_entries=8, show_spinner=False)
def _data(code: str, stamp: tuple[object, ...], _key: str) -> RoundData:
    """The round's data, read once per change of its stamp (the key was checked by the stamp's query;
    ``_key`` is not hashed, so the cache never holds a key as its own key)."""
    return svc.data(code, _key)


@st.cache_resource(max_entries=16, show_spinner=False)
def _memo(code: str) -> P.ScoreMemo:
    """The round's scored answer sets, kept across its changes: after one unit saves, one unit is scored."""
    return {}


@st.cache_resource(max_entries=32, show_spinner=False)
def _portfolio(code: str, stamp: tuple[object, ...], root: str | None, _data: RoundData) -> P.Portfolio:
    """Every unit scored once per change of the round and choice of subtree."""
    return P.build(_data, root, memo=_memo(code))


try:
    with guarded(kind="read"):
        stamp = svc.stamp(code, key)
        data: RoundData = _data(code, stamp, key)
except RoundError as exc:
    st.error(exc.message(L))
    st.page_link(PAGES["rounds"], label=tr("roundnav.rounds"), icon="🗂️", query_params={})
    st.stop()
rnd, model = data.round, data.loaded.model
plain(rnd.title)
st.page_link(PAGES["rounds"], label=tr("portui.to_round"), icon="↩️", query_params={"r": rnd.code, "k": key})

ROOT_ALL = "\x00all"
roots = [ROOT_ALL, *P.parents(data)]
c1, c2 = st.columns(2)
root = c1.selectbox(tr("portui.scope"), roots, key="port_root",
                    format_func=lambda r: t("portui.scope_all", L) if r == ROOT_ALL else r, placeholder=tr("friction.select"))
p = _portfolio(data.round.code, stamp, None if root == ROOT_ALL else root, data)
basis: P.Basis = "self"
if p.has_reviews:
    basis = c2.radio(tr("portui.basis"), ["self", "reviewed"], horizontal=True, key="port_basis",
                     format_func=lambda b: t(f"portui.basis_{b}", L))

answered = p.answered
indices = [r.overall.index for r in (s.result(basis) for s in answered) if r is not None and r.overall.index is not None]
m1, m2, m3, m4 = st.columns(4)
m1.metric(tr("portui.units"), len(p.units))
m2.metric(tr("portui.answered"), len(answered))
m3.metric(tr("portui.done"), sum(1 for s in p.units if s.unit.status == "done"))
m4.metric(tr("portui.mean_index"), fmt_index(statistics.fmean(indices) if indices else None))
if not answered:
    st.info(tr("portui.none_yet"))
    st.stop()

_day = dt.date.today().isoformat()
d1, d2 = st.columns(2)
d1.download_button(tr("portui.excel"), key="port_xlsx", on_click="ignore", icon="📊",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   file_name=download_name(rnd.title, tr("portui.kind"), _day, "xlsx", L),
                   data=lambda: P.excel_bytes(p, L, rnd.title, basis))


def _pdf() -> bytes:
    from maturity.report import build_portfolio_report

    return build_portfolio_report(p, rnd, L, basis=basis)


d2.download_button(tr("portui.pdf"), key="port_pdf", on_click="ignore", icon="📄", mime="application/pdf",
                   file_name=download_name(rnd.title, tr("portui.kind"), _day, "pdf", L), data=_pdf)

names = {c.id: model.t(c.name, L) for c in model.criteria}
VIEWS = ("heatmap", "ranking", "stages", "invest", "rollup", "trend", "review", "unit")
# One view at a time, as the results page's charts: only the one asked for is built (500 units stay quick).
view = st.segmented_control(tr("portui.view"), list(VIEWS), default="heatmap", key="port_view",
                            format_func=lambda k: t(f"portui.tab_{k}", L), label_visibility="collapsed") or "heatmap"


@st.cache_data(max_entries=32, show_spinner=False)
def _heat_spec(code: str, stamp: tuple[object, ...], root: str | None, basis: str, lang_code: str, order: str,
               _p: P.Portfolio) -> tuple[dict[str, object], object]:
    """The heatmap's spec and table, once per change of the round and choice (altair's to_dict is the slow part)."""
    from altair.utils.schemapi import debug_mode

    heat = P.heatmap_frame(_p, lang_code, basis)  # type: ignore[arg-type]
    n = len(_p.model.criteria)
    rows = [(str(r[0]), [None if v is None or v != v else float(v) for v in r[2:2 + n]]) for r in heat.itertuples(index=False)]
    if order == "index":
        idx = {str(r[0]): r[-1] for r in heat.itertuples(index=False)}
        rows.sort(key=lambda x: -(idx[x[0]] if idx[x[0]] == idx[x[0]] and idx[x[0]] is not None else -1))
    with debug_mode(False):
        spec = charts.spec_of(charts.portfolio_heatmap(_p.model, rows, lang_code))
    return spec, heat


if view == "heatmap":
    order = st.radio(tr("portui.heat_order"), ["round", "index"], horizontal=True, key="port_heat_order",
                     format_func=lambda o: t(f"portui.heat_order_{o}", L))
    spec, heat = _heat_spec(rnd.code, stamp, p.root, basis, L, order, p)
    st.caption(tr("portui.heat_caption"))
    st.vega_lite_chart(spec, width="content")
    st.dataframe(heat, hide_index=True, width="stretch")

elif view == "ranking":
    by = st.selectbox(tr("portui.rank_by"), ["\x00overall", *names], key="port_rank_by",
                      format_func=lambda c: t("portui.rank_overall", L) if c == "\x00overall" else names[c],
                      placeholder=tr("friction.select"))
    st.dataframe(P.ranking_frame(p, L, None if by == "\x00overall" else by, basis), hide_index=True, width="stretch")

elif view == "stages":
    st.altair_chart(charts.stage_bars(model, P.stage_counts(p, basis), L), width="content")
    st.dataframe(P.stage_frame(p, L, basis), hide_index=True, width="stretch")

elif view == "invest":
    st.caption(tr("portui.invest_caption"))
    st.dataframe(P.weakest_frame(p, L, basis), hide_index=True, width="stretch")
    if any(i.essential for i in model.indicators):
        st.subheader(tr("portui.essential"))
        unmet = P.essential_frame(p, L, basis)
        if unmet.empty:
            st.success(tr("portui.essential_none"))
        else:
            st.dataframe(unmet, hide_index=True, width="stretch")

elif view == "rollup":
    roll = P.rollup_frame(p, L, basis)
    st.caption(tr("portui.rollup_caption"))
    if roll.empty:
        st.info(tr("portui.rollup_none"))
    else:
        st.dataframe(roll, hide_index=True, width="stretch")

elif view == "trend":
    if not p.has_previous:
        st.info(tr("portui.trend_none"))
    else:
        trend = P.trend_frame(p, L)
        prev = data.previous.round.title if data.previous else ""
        st.caption(tr("portui.trend_caption", before=prev))
        st.dataframe(trend, hide_index=True, width="stretch")

elif view == "review":
    if not p.has_reviews:
        st.info(tr("portui.review_none"))
        st.page_link(PAGES["review"], label=tr("roundui.to_review"), icon="🔍", query_params={"r": rnd.code, "k": key})
    else:
        st.caption(tr("portui.review_caption"))
        st.dataframe(P.review_gap_frame(p, L), hide_index=True, width="stretch")

elif view == "unit":
    by_id = {s.unit.id: s for s in answered}
    picked = st.selectbox(tr("portui.unit_pick"), list(by_id), key="port_unit",
                          format_func=lambda i: by_id[i].unit.name, placeholder=tr("friction.select"))
    s = by_id[picked]
    own = s.own
    assert own is not None
    plain(s.unit.name)
    shown = s.result(basis) or own
    st.caption(tr("portui.unit_facts", index=fmt_index(shown.overall.index),
                  stage=f"{stars(model, shown.stage)} {level_name(model, shown.stage, L)}" if shown.stage else "—",
                  answered=s.unit.answered, total=s.unit.total))
    compare = s.reviewed if s.reviewed is not None else s.previous
    label = tr("portui.basis_reviewed") if s.reviewed is not None else tr("portui.previous")
    st.altair_chart(charts.radar(model, own, L, compare=compare, compare_label=label if compare else None),
                    width="content")
    st.subheader(tr("portui.unit_roadmap"))
    plan = advice.roadmap(model, shown)
    st.dataframe(tables.roadmap_frame(tables.roadmap_rows(model, plan, L), L), hide_index=True, width="stretch")
    st.page_link(PAGES["review"], label=tr("portui.review_this"), icon="🔍",
                 query_params={"r": rnd.code, "k": key, "u": str(s.unit.id)})
