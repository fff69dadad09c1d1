"""Host a live workshop: create a session, share the join link, watch answers come in, close, export."""

from __future__ import annotations

import datetime as dt
import io
from typing import Literal
from urllib.parse import urlsplit

import segno
import streamlit as st

from maturity import charts, i18n, tables
from maturity.aggregate import group_answers
from maturity.display import fmt_index, fmt_level
from maturity.limits import MAX_WORKSHOP_TITLE
from maturity.report import build_workshop_report, report_filename
from maturity.scoring import score
from maturity.workshop import ANONYMITY_MIN, WorkshopError, WorkshopService, session_criteria
from pages._registry import page_url
from pages._ui import catalog, escape_md, guarded, lang, model_label, pinned_model, store, tr

L = lang()
svc = WorkshopService(store())
st.title(tr("wshost.title"))


def _site() -> str:
    """scheme://host of this app, or "" when unknown (links are then relative)."""
    url = getattr(st.context, "url", None) or ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# "none" stands for no choice in a select: with None as an option, Streamlit shows the placeholder and a
# clear button instead of the option's own text.
NONE = "none"


def _or_none(value: object) -> object:
    return NONE if value is None else value


code, key = st.query_params.get("w"), st.query_params.get("k")

if not code or not key:
    st.caption(tr("wshost.intro"))
    models = dict(catalog().models)
    if not models:
        st.warning(tr("wshost.no_models"))
        st.stop()
    ids = list(models)
    model_id = st.selectbox(
        tr("wshost.model"), ids, index=ids.index("brand-union") if "brand-union" in ids else 0, key="wsh_model",
        format_func=lambda i: model_label(models, i, L),
        placeholder=tr("friction.select"),
    )
    chosen = models[model_id].model
    with st.form("wsh_create"):
        title = st.text_input(tr("wshost.session_title") + " *", max_chars=MAX_WORKSHOP_TITLE, key="wsh_title")
        subset = st.multiselect(tr("wshost.criteria"), [c.id for c in chosen.criteria], key="wsh_criteria",
                                format_func=lambda c: chosen.t(chosen.criterion_by_id[c].name, L),
                                placeholder=tr("wshost.criteria_all"))
        c1, c2 = st.columns(2)
        named = c1.selectbox(tr("wshost.identity"), [False, True], key="wsh_named",
                             format_func=lambda v: i18n.t("wshost.named" if v else "wshost.anonymous", L),
                             placeholder=tr("friction.select"))
        paces: list[Literal["free", "guided"]] = ["free", "guided"]
        pace = c2.selectbox(tr("wshost.pace"), paces, key="wsh_pace",
                            format_func=lambda p: i18n.t(f"wshost.pace_{p}", L), placeholder=tr("friction.select"))
        go = st.form_submit_button(tr("wshost.create"), type="primary")
    if go:
        with guarded():  # a storage failure; a refusal is ours to show (guarded would call it unexpected)
            try:
                ws, host_key = svc.create(models[model_id], title, criteria=subset or None, named=named,
                                          pace=pace, language=L)
            except WorkshopError as exc:
                st.error(exc.message(L))
                st.stop()
        st.query_params["w"], st.query_params["k"] = ws.code, host_key
        st.rerun()
    st.stop()

try:
    ws = svc.check_host(code, key)
except WorkshopError as exc:
    st.error(exc.message(L))
    st.stop()
loaded = pinned_model(ws)
m = loaded.model
crit_ids = session_criteria(m, ws)

st.markdown(f"### {escape_md(ws.title)}")
st.caption(tr("wshost.model_line", model=escape_md(m.t(m.title, L)), version=escape_md(m.version)))
# Presenter mode, for the projector: no host link, no names, no controls; small anonymous groups hidden.
present = st.toggle(tr("wshost.present"), key="wsh_present", help=tr("wshost.present_help"))

join_url = page_url("workshop", _site(), w=ws.code)
host_url = page_url("workshop_host", _site(), w=ws.code, k=key or "")
left, right = st.columns([2, 1])
with left:
    st.markdown(tr("wshost.join_code"))
    # The code is from the unambiguous alphabet (checked above), so it is safe as HTML.
    st.markdown(f"<div style='font-size:4rem;font-weight:700;letter-spacing:.4rem;line-height:1.1'>"
                f"{ws.code}</div>", unsafe_allow_html=True)
    st.markdown(tr("wshost.join_link"))
    st.code(join_url, language=None)
    if not present:
        with st.expander(tr("wshost.host_link")):
            st.warning(tr("wshost.host_link_warn"))
            st.code(host_url, language=None)
with right:
    qr = io.BytesIO()
    segno.make(join_url, error="m").save(qr, kind="png", scale=6, border=2)
    st.image(qr.getvalue(), caption=tr("wshost.qr_caption"), width=220)


def _consensus(indicator_id: str) -> None:
    level = st.session_state.get(f"wsh_cons_{indicator_id}")
    level = None if level == NONE else level
    _host_call(svc.set_consensus, ws.code, key, indicator_id, level)


def _reveal() -> None:
    _host_call(svc.reveal, ws.code, key, bool(st.session_state.get("wsh_reveal")))


def _open() -> None:
    chosen = st.session_state.get("wsh_open")
    _host_call(svc.open_criterion, ws.code, key, None if chosen == NONE else chosen)


def _close() -> None:
    _host_call(svc.close, ws.code, key)


@guarded(flash="wsh_flash")
def _host_call(action, *args) -> None:
    """Run one host action; a refusal or a database failure becomes a message on the next run."""
    try:
        action(*args)
    except WorkshopError as exc:
        st.session_state["wsh_flash"] = ("error", exc.message(L))


@st.fragment(run_every=5)
@guarded(kind="read", last_net=True)  # a fragment's own rerun runs without app.py around it
def panel() -> None:
    """The live part of the host screen; the browser reruns it every few seconds."""
    try:
        now = svc.check_host(ws.code, key)
        progress = svc.progress(ws.code, key, L)
        aggs = svc.aggregates(ws.code, key)
    except WorkshopError as exc:
        st.error(exc.message(L))
        return
    flash = st.session_state.pop("wsh_flash", None)
    if flash:
        st.error(flash[1])

    state = tr("wshost.state_open") if now.is_open else tr("wshost.state_closed")
    pace = tr(f"wshost.pace_{now.pace}")
    st.caption(tr("wshost.status", state=state, pace=pace, identity=tr("wshost.named") if now.named
                  else tr("wshost.anonymous")))
    c1, c2 = st.columns(2)
    c1.metric(tr("wshost.participants"), len(progress.participants))
    answered = sum(n for _, n in progress.participants)
    c2.metric(tr("wshost.answers"), answered)
    if progress.participants and not present:
        st.dataframe({tr("wshost.col_participant"): [name for name, _ in progress.participants],
                      tr("wshost.col_answered"): [f"{n}/{progress.total}" for _, n in progress.participants]},
                     hide_index=True, width="stretch")
    elif not progress.participants:
        st.info(tr("wshost.nobody_yet"))

    controls = st.columns(2) if not present else None
    if controls is not None and now.pace == "guided":
        options = [NONE, *crit_ids]
        st.session_state.setdefault("wsh_open", now.current_criterion or NONE)
        controls[0].selectbox(tr("wshost.open_criterion"), options, key="wsh_open", on_change=_open,
                              format_func=lambda c: i18n.t("wshost.open_none", L) if c == NONE
                              else m.t(m.criterion_by_id[c].name, L), placeholder=tr("friction.select"))
    if controls is not None:
        st.session_state.setdefault("wsh_reveal", now.revealed)
        controls[1].toggle(tr("wshost.reveal"), key="wsh_reveal", on_change=_reveal, help=tr("wshost.reveal_help"))

    levels = [NONE, *[s.level for s in m.scale]]
    for cid in crit_ids:
        crit = m.criterion_by_id[cid]
        ind_ids = [i.id for i in crit.indicators]
        live = " 🟢" if now.pace == "guided" and now.current_criterion == cid else ""
        st.subheader(f"{escape_md(m.t(crit.name, L))}{live}")
        if present and not now.named:
            ind_ids = [i for i in ind_ids if aggs[i].n + aggs[i].n_na >= ANONYMITY_MIN]
        if any(aggs[i].n + aggs[i].n_na for i in ind_ids):
            spec = charts.distribution(m, aggs, ind_ids, L).to_dict(validate=False)
            st.vega_lite_chart(spec, width="stretch")
        else:
            st.caption(tr("wshost.no_answers"))
        for i in ind_ids:
            if aggs[i].disagreement:
                st.markdown("⚠ " + tr("friction.name_text", name=tr("wshost.disagree"),
                                            text=escape_md(m.t(m.indicator_by_id[i].question, L))))
        if present:
            continue
        with st.expander(tr("wshost.consensus")):
            for ind in crit.indicators:
                flag = "⚠ " if aggs[ind.id].disagreement else ""
                st.session_state.setdefault(f"wsh_cons_{ind.id}", _or_none(aggs[ind.id].consensus))
                st.selectbox(
                    f"{flag}{escape_md(m.t(ind.question, L))}", levels, key=f"wsh_cons_{ind.id}",
                    on_change=_consensus, args=(ind.id,),
                    format_func=lambda v: i18n.t("wshost.no_consensus", L) if v == NONE
                    else f"{v} {m.t(m.levels[v].name, L)}", placeholder=tr("friction.select"))

    if now.is_open:
        return
    st.divider()
    st.header(tr("wshost.results"))
    result = score(m, group_answers(aggs))  # consensus where recorded, else the mean
    st.metric(tr("wshost.overall"), fmt_index(result.overall.index))
    st.dataframe({
        tr("wshost.col_criterion"): [m.t(m.criterion_by_id[c].name, L) for c in crit_ids],
        tr("wshost.col_level"): [fmt_level(result.criteria[c].score.level) for c in crit_ids],
        tr("wshost.col_index"): [fmt_index(result.criteria[c].score.index) for c in crit_ids],
    }, hide_index=True, width="stretch")
    if present:
        return
    people = len(progress.participants)
    day = dt.date.today().isoformat()
    d1, d2, d3 = st.columns(3)
    d1.download_button(
        tr("wshost.pdf"), key="wsh_pdf", on_click="ignore", mime="application/pdf", icon="📄",
        file_name=report_filename(ws.title, day, L, workshop=True),
        data=lambda: build_workshop_report(loaded, title=ws.title, organisation={"name": ws.title},
                                           aggregates=aggs, participants=people, lang=L, assessed_at=day))
    raw = tables.workshop_answers_frame(m, svc.export_rows(ws.code, key), L)
    # The guarded writer (typed names never become formulas); the tables' own toolbar export is off.
    kind = tr("wssecurity.file_kind")
    d2.download_button(tr("wshost.csv"), key="wsh_csv", on_click="ignore", mime="text/csv", icon="📋",
                       file_name=tables.export_filename(ws.title, kind, day, "csv", L),
                       data=lambda: tables.csv_bytes(raw))
    d3.download_button(tr("wssecurity.xlsx"), key="wsh_xlsx", on_click="ignore", icon="📊",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       file_name=tables.export_filename(ws.title, kind, day, "xlsx", L),
                       data=lambda: tables.xlsx_bytes(raw, tr("wssecurity.sheet")))
    with st.expander(tr("wshost.raw")):
        st.dataframe(raw.astype(str), hide_index=True, width="stretch")


panel()

if ws.is_open and not present:
    st.divider()
    with st.container(border=True):
        st.markdown(f"**{tr('wshost.close_title')}**")
        st.caption(tr("wshost.close_help"))
        sure = st.checkbox(tr("wshost.close_sure"), key="wsh_close_sure")
        st.button(tr("wshost.close"), key="wsh_close", type="primary", disabled=not sure, on_click=_close)
