"""Host a live workshop: create a session, share the join link, watch answers come in, close, export.

``?w=CODE&k=<host key>`` is the host's screen; ``?w=CODE&v=<presenter token>`` is the projector's
(no host key in its address, no names, no controls). Only the live panel refreshes itself, and only
while the session is open; controls, consensus forms and downloads sit outside it, so a click on
them is never lost to a refresh.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import streamlit as st

from maturity import charts, i18n, tables
from maturity.aggregate import rank_disagreements
from maturity.limits import MAX_CONSENSUS_NOTE, MAX_NAME, MAX_WORKSHOP_TITLE
from maturity.report import (
    DOCX_MIME,
    DOCX_STYLES,
    build_workshop_docx,
    build_workshop_report,
    docx_filename,
    report_filename,
)
from maturity.workshop import Progress, WorkshopError, WorkshopService, session_criteria
from pages import _wsview as view
from pages._registry import page_url
from pages._ui import catalog, escape_md, guarded, lang, model_label, pinned_model, store, tr

L = lang()
svc = WorkshopService(store())

# "none" stands for no choice in a select: with None as an option, Streamlit shows the placeholder and a
# clear button instead of the option's own text.
NONE = "none"
REFRESH = 5  # seconds between refreshes of the live panel while the session is open


def _or_none(value: object) -> object:
    return NONE if value is None else value


code, key, shown_key = st.query_params.get("w"), st.query_params.get("k"), st.query_params.get("v")


# -- the projector ------------------------------------------------------------------------------

def presenter(code: str, token: str) -> None:
    """The projector's screen: join code and QR while open, progress numbers, "discuss first", the
    distributions, the group result after close. Nothing here can change the session."""
    try:
        ws = svc.check_presenter(code, token)
    except WorkshopError as exc:
        st.error(exc.message(L))
        return
    m = pinned_model(ws).model
    crit_ids = session_criteria(m, ws)
    # Fixed text, no user input: the projector needs the whole width, not the app's sidebar.
    st.html("<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl']{display:none}</style>")
    st.title(escape_md(ws.title))
    st.caption(tr("wshostui.present_badge" if ws.is_open else "wshostui.present_badge_closed"))
    view.join_box(ws, page_url("workshop", view.site(), w=ws.code), L)
    if ws.is_open:
        st.caption(tr("wshostui.join_hint"))

    @st.fragment(run_every=REFRESH if ws.is_open else None)
    @guarded(kind="read", last_net=True)  # a fragment's own rerun runs without app.py around it
    def live() -> None:
        try:
            now = svc.check_presenter(ws.code, token)
            progress = svc.presenter_progress(ws.code, token, L)
            aggs = svc.presenter_aggregates(ws.code, token)
        except WorkshopError as exc:
            st.error(exc.message(L))
            return
        if now.is_open != ws.is_open:
            st.rerun(scope="app")  # closed: the whole screen changes
        if not now.is_open:
            st.header(tr("wshost.results"))
            view.group_result(m, aggs, crit_ids, L)
        _numbers(progress)
        view.discuss_first(m, aggs, rank_disagreements(m, {k: a for k, a in aggs.items() if a is not None}), L)
        view.distributions(now, m, aggs, crit_ids, L)

    live()


def _numbers(progress: Progress) -> None:
    c1, c2 = st.columns(2)
    c1.metric(tr("wshost.participants"), len(progress.participants))
    c2.metric(tr("wshost.answers"), sum(n for _, n in progress.participants))


if code and shown_key:
    presenter(code, shown_key)
    st.stop()

st.title(tr("wshost.title"))

# -- creating a session -------------------------------------------------------------------------

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

# -- the host's screen --------------------------------------------------------------------------

try:
    ws = svc.check_host(code, key)
except WorkshopError as exc:
    st.error(exc.message(L))
    st.stop()
loaded = pinned_model(ws)
m = loaded.model
crit_ids = session_criteria(m, ws)


def live_state() -> view.Live:
    """The session's state, from this tab's cache while its stamp (one cheap query) is unchanged."""
    stamp = svc.stamp(ws.code, key)
    cached = st.session_state.get("wsh_live")
    if isinstance(cached, view.Live) and (cached.code, cached.stamp, cached.lang) == (ws.code, stamp, L):
        return cached
    aggs = svc.aggregates(ws.code, key)
    fresh = view.Live(ws.code, stamp, L, svc.check_host(ws.code, key), svc.progress(ws.code, key, L), aggs,
                 rank_disagreements(m, aggs))
    st.session_state["wsh_live"] = fresh
    return fresh


@guarded(flash="wsh_flash")
def _host_call(action, *args) -> bool:
    """Run one host action; a refusal or a database failure becomes a message on the next run."""
    try:
        action(*args)
    except WorkshopError as exc:
        st.session_state["wsh_flash"] = ("error", exc.message(L))
        return False
    return True


def _reveal() -> None:
    _host_call(svc.reveal, ws.code, key, bool(st.session_state.get("wsh_reveal")))


def _open() -> None:
    chosen = st.session_state.get("wsh_open")
    _host_call(svc.open_criterion, ws.code, key, None if chosen == NONE else chosen)


def _close() -> None:
    _host_call(svc.close, ws.code, key)


def _save_consensus(cid: str) -> None:
    """Save the changed consensus levels and notes of one criterion's form."""
    stored = st.session_state["wsh_live"].aggs
    for ind in m.criterion_by_id[cid].indicators:
        level = st.session_state.get(f"wsh_cons_{ind.id}")
        level = None if level == NONE else level
        note = (st.session_state.get(f"wsh_note_{ind.id}") or "").strip() or None
        if level is None and note is not None:
            st.session_state["wsh_flash"] = ("warning", tr("wshostui.consensus_note_alone",
                                                           question=escape_md(m.t(ind.question, L))))
            return
        was = stored.get(ind.id)
        if was is not None and (was.consensus, was.note) == (level, note if level is not None else None):
            continue
        if not _host_call(svc.set_consensus, ws.code, key, ind.id, level, note):
            return
    st.session_state["wsh_flash"] = ("success", tr("wshostui.consensus_saved",
                                                   name=escape_md(m.t(m.criterion_by_id[cid].name, L))))


def _keep() -> None:
    done: list[tuple[str, bool]] = []

    def keep() -> None:
        before = svc.kept_result(ws.code, key)
        record = svc.keep_result(ws.code, key, L, st.session_state.get("wsh_keep_name") or None)
        done.append((record.token, before is not None))

    if _host_call(keep):
        st.session_state["wsh_kept"] = done[0]


def presenter_url() -> str:
    """The projector's link, asked of the service once per tab (the first time it stores the token's hash)."""
    token = st.session_state.get("wsh_present_token")
    if not token or token[0] != ws.code:
        token = (ws.code, svc.presenter_token(ws.code, key))
        st.session_state["wsh_present_token"] = token
    return page_url("workshop_host", view.site(), w=ws.code, v=token[1], lang=L)


st.markdown(f"### {escape_md(ws.title)}")
st.caption(tr("wshost.model_line", model=escape_md(m.t(m.title, L)), version=escape_md(m.version)))
flash = st.session_state.pop("wsh_flash", None)
if flash:
    getattr(st, flash[0])(flash[1])

join_url = page_url("workshop", view.site(), w=ws.code)
state = live_state()


def results_and_downloads() -> None:
    """After close, first on the screen: the group result, keeping it, the PDF and the raw answers."""
    st.header(tr("wshost.results"))
    view.group_result(m, state.aggs, crit_ids, L)
    with st.container(border=True):
        st.text_input(tr("wshostui.keep_name"), value=ws.title, max_chars=MAX_NAME, key="wsh_keep_name")
        st.button(tr("wshostui.keep"), key="wsh_keep", type="primary", icon=":material/save:", on_click=_keep,
                  help=tr("wshostui.keep_help"))
        kept = st.session_state.get("wsh_kept")
        if kept:
            st.success(tr("wshostui.kept_updated" if kept[1] else "wshostui.kept_new"))
            st.link_button(tr("wshostui.kept_link"), page_url("results", view.site(), a=kept[0]),
                           icon=":material/analytics:")
    st.markdown(f"**{tr('wshostui.downloads')}**")
    people = len(state.progress.participants)
    day = dt.date.today().isoformat()
    aggs = state.aggs
    word_style = st.radio(tr("docx.style"), DOCX_STYLES, key="wsh_docx_style", horizontal=True,
                          help=tr("docx.style_help"), format_func=lambda s: i18n.t(f"docx.style_{s}", L))
    d1, d4, d2, d3 = st.columns(4)
    d1.download_button(
        tr("wshost.pdf"), key="wsh_pdf", on_click="ignore", mime="application/pdf", icon=":material/picture_as_pdf:",
        file_name=report_filename(ws.title, day, L, workshop=True),
        data=lambda: build_workshop_report(loaded, title=ws.title, organisation={"name": ws.title},
                                           aggregates=aggs, participants=people, lang=L, assessed_at=day))
    d4.download_button(  # the same report, editable in Word
        tr("docx.download"), key="wsh_docx", on_click="ignore", mime=DOCX_MIME, icon=":material/description:",
        file_name=docx_filename(ws.title, day, L, workshop=True), help=tr("docx.download_help"),
        data=lambda: build_workshop_docx(loaded, title=ws.title, organisation={"name": ws.title}, aggregates=aggs,
                                         participants=people, lang=L, assessed_at=day, style=word_style))
    raw = tables.workshop_answers_frame(m, svc.export_rows(ws.code, key), L)
    # The guarded writer (typed names never become formulas); the tables' own toolbar export is off.
    kind = tr("wssecurity.file_kind")
    d2.download_button(tr("wshost.csv"), key="wsh_csv", on_click="ignore", mime="text/csv", icon=":material/table_view:",
                       file_name=tables.export_filename(ws.title, kind, day, "csv", L),
                       data=lambda: tables.csv_bytes(raw))
    d3.download_button(tr("wssecurity.xlsx"), key="wsh_xlsx", on_click="ignore", icon=":material/grid_on:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       file_name=tables.export_filename(ws.title, kind, day, "xlsx", L),
                       data=lambda: tables.xlsx_bytes(raw, tr("wssecurity.sheet")))
    with st.expander(tr("wshost.raw")):
        st.dataframe(raw.astype(str), hide_index=True, width="stretch")


if not ws.is_open:
    view.join_box(ws, join_url, L)  # one small line now
    results_and_downloads()
    st.divider()
else:
    view.join_box(ws, join_url, L)
    with st.container(border=True):
        st.markdown(f"**{tr('wshostui.present_title')}**")
        st.caption(tr("wshostui.present_help"))
        present_url = presenter_url()
        st.code(present_url, language=None)
        st.link_button(tr("wshostui.present_open"), present_url, icon=":material/present_to_all:")
    with st.expander(tr("wshost.host_link")):
        st.warning(tr("wshost.host_link_warn"))
        st.code(page_url("workshop_host", view.site(), w=ws.code, k=key or ""), language=None)

# Host controls: outside the live panel, so a refresh never swallows a click on them.
st.markdown(f"**{tr('wshostui.controls')}**")
guided = ws.pace == "guided" and ws.is_open
controls = st.columns(2)
if guided:
    st.session_state.setdefault("wsh_open", ws.current_criterion or NONE)
    controls[0].selectbox(tr("wshost.open_criterion"), [NONE, *crit_ids], key="wsh_open", on_change=_open,
                          format_func=lambda c: i18n.t("wshost.open_none", L) if c == NONE
                          else m.t(m.criterion_by_id[c].name, L), placeholder=tr("friction.select"))
st.session_state.setdefault("wsh_reveal", ws.revealed)
controls[1 if guided else 0].toggle(tr("wshost.reveal"), key="wsh_reveal", on_change=_reveal, help=tr("wshost.reveal_help"))


@st.fragment(run_every=REFRESH if ws.is_open else None)
@guarded(kind="read", last_net=True)  # a fragment's own rerun runs without app.py around it
def panel() -> None:
    """The live part of the host screen; while the session is open the browser reruns it every few seconds."""
    try:
        live = live_state()
    except WorkshopError as exc:
        st.error(exc.message(L))
        return
    now = live.now
    if (now.is_open, now.revealed, now.current_criterion) != (ws.is_open, ws.revealed, ws.current_criterion):
        st.rerun(scope="app")  # changed from another tab: controls and results follow
    st.subheader(tr("wshostui.live") if now.is_open else tr("wshostui.live_closed"))
    st.caption(tr("wshost.status", state=tr("wshost.state_open") if now.is_open else tr("wshost.state_closed"),
                  pace=tr(f"wshost.pace_{now.pace}"),
                  identity=tr("wshost.named") if now.named else tr("wshost.anonymous")))
    _numbers(live.progress)
    view.discuss_first(m, live.aggs, live.ranked, L)  # on top: what the room should talk about now
    if live.progress.participants:
        st.dataframe({tr("wshost.col_participant"): [name for name, _ in live.progress.participants],
                      tr("wshost.col_answered"): [f"{n}/{live.progress.total}" for _, n in live.progress.participants]},
                     hide_index=True, width="stretch", height=min(300, 38 + 35 * len(live.progress.participants)))
    else:
        st.info(tr("wshost.nobody_yet"))
    view.distributions(now, m, live.aggs, crit_ids, L)


panel()


def consensus_forms() -> None:
    """One form per criterion: an agreed level and a note per question, saved together."""
    st.subheader(tr("wshostui.consensus_title"))
    st.caption(tr("wshostui.consensus_help"))
    levels = [NONE, *[s.level for s in m.scale]]
    for cid in crit_ids:
        crit = m.criterion_by_id[cid]
        # No disagreement marks here: this part is drawn on full runs only, and "discuss first" above
        # is the live list; the questions carry the numbers it uses.
        with st.expander(escape_md(m.t(crit.name, L))), st.form(f"wsh_cons_form_{cid}", border=False):
            for ind in crit.indicators:
                agg = state.aggs[ind.id]
                st.session_state.setdefault(f"wsh_cons_{ind.id}", _or_none(agg.consensus))
                st.session_state.setdefault(f"wsh_note_{ind.id}", agg.note or "")
                st.markdown(f"**{charts.question_number(m, ind.id)}** {escape_md(m.t(ind.question, L))}")
                c1, c2 = st.columns([1, 2])
                c1.selectbox(tr("wshostui.consensus_level"), levels, key=f"wsh_cons_{ind.id}",
                             format_func=lambda v: i18n.t("wshost.no_consensus", L) if v == NONE
                             else f"{v} {m.t(m.levels[v].name, L)}", placeholder=tr("friction.select"))
                c2.text_input(tr("wshostui.consensus_note", limit=MAX_CONSENSUS_NOTE), key=f"wsh_note_{ind.id}",
                              max_chars=MAX_CONSENSUS_NOTE)
            st.form_submit_button(tr("wshostui.consensus_save"), on_click=_save_consensus, args=(cid,))


consensus_forms()

if ws.is_open:
    st.divider()
    with st.container(border=True):
        st.markdown(f"**{tr('wshost.close_title')}**")
        st.caption(tr("wshost.close_help"))
        sure = st.checkbox(tr("wshost.close_sure"), key="wsh_close_sure")
        st.button(tr("wshost.close"), key="wsh_close", type="primary", disabled=not sure, on_click=_close)
