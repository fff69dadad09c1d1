"""Rounds (测评批次) for the 上级工会: create one, send each unit its own link, watch progress, add units.

``?r=CODE&k=<round key>`` is the organiser's screen; without them the page creates a round or opens
one from its link. The round key is checked in the core on every action (maturity/rounds.py); a unit's
link opens that unit's own self-check only.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from maturity import portfolio as P
from maturity.filenames import download_name
from maturity.i18n import t
from maturity.limits import UPLOAD_MB_IMPORT
from maturity.round_types import MAX_ROUND_TITLE, Round, Unit, UnitsInvalid, UnitSpec, round_link, unit_link
from maturity.rounds import RoundError, RoundService, normalise_round_code
from maturity.unit_sheet import links_to_excel, template_excel, units_from_excel, units_from_text
from pages import _wsview as view
from pages._ui import PAGES, catalog, guarded, lang, model_label, plain, store, tr, uploader_texts

L = lang()
svc = RoundService(store())
code, key = st.query_params.get("r"), st.query_params.get("k")
st.title(tr("roundui.title"))


def _show_problems(exc: UnitsInvalid | RoundError) -> None:
    lines = exc.describe(L)
    st.error(tr("roundui.units_refused", n=len(lines)) if isinstance(exc, UnitsInvalid) else lines[0])
    if isinstance(exc, UnitsInvalid):
        plain("\n".join(f"• {line}" for line in lines))


def _units_input(prefix: str) -> list[UnitSpec] | None:
    """The unit list typed or from Excel; None (with every problem shown) when it is refused."""
    how = st.radio(tr("roundui.units_how"), ["text", "excel"], horizontal=True, key=f"{prefix}_how",
                   format_func=lambda h: t(f"roundui.units_{h}", L))
    if how == "text":
        typed = st.text_area(tr("roundui.units_text"), key=f"{prefix}_text", height=180,
                             placeholder=tr("roundui.units_placeholder"), max_chars=200_000)
        if not typed.strip():
            return []
        try:
            return units_from_text(typed)
        except UnitsInvalid as exc:
            _show_problems(exc)
            return None
    st.download_button(tr("roundui.template"), data=template_excel(L), icon="📄", key=f"{prefix}_template",
                       file_name=download_name("", tr("roundui.template_kind"), "", "xlsx", L), on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    upload = st.file_uploader(tr("roundui.units_upload"), type=["xlsx"], key=f"{prefix}_upload",
                              max_upload_size=UPLOAD_MB_IMPORT)
    uploader_texts(f"{prefix}_upload", UPLOAD_MB_IMPORT, ["XLSX"])
    if upload is None:
        return []
    try:
        return units_from_excel(upload.getvalue())
    except UnitsInvalid as exc:
        _show_problems(exc)
        return None


def _open_form() -> None:
    with st.form("round_open"):
        st.markdown(tr("roundui.open_intro"))
        link = st.text_input(tr("roundui.open_link"), key="round_open_link", type="password", autocomplete="off")
        if st.form_submit_button(tr("roundui.open")):
            from urllib.parse import parse_qs, urlsplit

            query = parse_qs(urlsplit(link.strip()).query)
            r, k = (query.get("r") or [""])[0], (query.get("k") or [""])[0]
            try:
                svc.check(r, k)
            except RoundError as exc:
                st.error(exc.message(L))
                return
            st.query_params["r"], st.query_params["k"] = r, k
            st.rerun()


def _create() -> None:
    st.caption(tr("roundui.intro"))
    _open_form()
    st.subheader(tr("roundui.create_title"))
    models = dict(catalog().models)
    if not models:
        st.warning(tr("wshost.no_models"))
        return
    ids = list(models)
    model_id = st.selectbox(tr("roundui.model"), ids, index=ids.index("brand-union") if "brand-union" in ids else 0,
                            key="round_model", format_func=lambda i: model_label(models, i, L), placeholder=tr("friction.select"))
    title = st.text_input(tr("roundui.round_title") + " *", max_chars=MAX_ROUND_TITLE, key="round_title",
                          placeholder=tr("roundui.title_placeholder"))
    deadline = st.date_input(tr("roundui.deadline"), value=None, key="round_deadline", format="YYYY-MM-DD")
    follows = st.text_input(tr("roundui.follows"), key="round_follows", type="password", autocomplete="off",
                            help=tr("roundui.follows_help"))
    units = _units_input("round_new")
    if units:
        st.caption(tr("roundui.units_read", n=len(units)))
    if st.button(tr("roundui.create"), type="primary", key="round_create", disabled=not units):
        earlier = None
        if follows.strip():
            from urllib.parse import parse_qs, urlsplit

            query = parse_qs(urlsplit(follows.strip()).query)
            earlier = ((query.get("r") or [""])[0], (query.get("k") or [""])[0])
        with guarded():
            try:
                rnd, round_key = svc.create(models[model_id], title, units or [], language=L, follows=earlier,
                                            deadline=deadline.isoformat() if isinstance(deadline, dt.date) else None)
            except (RoundError, UnitsInvalid) as exc:
                _show_problems(exc)
                return
        st.session_state["round_new_key"] = rnd.code  # say once: save the link
        st.query_params["r"], st.query_params["k"] = rnd.code, round_key
        st.rerun()


if not code or not key:
    _create()
    st.stop()

try:
    rnd = svc.check(code, key)
except RoundError as exc:
    st.error(exc.message(L))
    st.page_link(PAGES["rounds"], label=tr("roundui.back"), icon="↩️", query_params={})
    st.stop()
code = normalise_round_code(code)
site = view.site()
link = round_link(site, rnd.code, key, L)


def _header(r: Round) -> None:
    plain(r.title)  # typed text: never Markdown
    loaded = store().get_model_snapshot(r.model_sha256)
    facts = [tr("roundui.deadline_is", date=r.deadline) if r.deadline else tr("roundui.no_deadline")]
    if loaded is not None:
        facts.append(f"{loaded.model.t(loaded.model.title, L)} {loaded.model.version}")
    st.caption(" · ".join(facts))


_header(rnd)
if st.session_state.pop("round_new_key", None) == rnd.code:
    st.success(tr("roundui.created"))
with st.expander(tr("roundui.round_link"), expanded=False):
    st.warning(tr("roundui.round_link_warning"))
    st.code(link, language=None)
c1, c2 = st.columns(2)
c1.page_link(PAGES["portfolio"], label=tr("roundui.to_portfolio"), icon="📊", query_params={"r": rnd.code, "k": key})
c2.page_link(PAGES["review"], label=tr("roundui.to_review"), icon="🔍", query_params={"r": rnd.code, "k": key})

units: list[Unit] = svc.units(rnd.code, key)
tab_progress, tab_links, tab_add = st.tabs([tr("roundui.tab_progress"), tr("roundui.tab_links"), tr("roundui.tab_add")])

with tab_progress:
    counts = {s: sum(1 for u in units if u.status == s) for s in ("not_started", "in_progress", "done")}
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(tr("roundui.n_units"), len(units))
    m2.metric(tr("round_status.not_started"), counts["not_started"])
    m3.metric(tr("roundui.n_in_progress"), counts["in_progress"])
    m4.metric(tr("round_status.done"), counts["done"])
    if units:
        st.progress(counts["done"] / len(units), text=tr("roundui.done_share", done=counts["done"], n=len(units)))
    show = st.multiselect(tr("roundui.filter_status"), ["not_started", "in_progress", "done"], key="round_filter",
                          format_func=lambda s: t(f"roundui.status_{s}", L), placeholder=tr("roundui.filter_all"))
    shown = [u for u in units if not show or u.status in show]
    frame = P.progress_frame(shown, L)
    st.caption(tr("roundui.sort_hint"))
    st.dataframe(frame, hide_index=True, width="stretch")
    not_done = [u for u in units if u.status != "done"]
    st.subheader(tr("roundui.chase_title", n=len(not_done)))
    if not_done:
        message = tr("roundui.chase_intro", title=rnd.title,
                     deadline=rnd.deadline or tr("roundui.no_deadline_short")) + "\n" + "\n".join(
            tr("roundui.link_line", name=u.name, url=unit_link(site, u.token, L)) for u in not_done)
        st.code(message, language=None)
        st.caption(tr("roundui.chase_hint"))
    else:
        st.success(tr("roundui.all_done"))

with tab_links:
    st.caption(tr("roundui.links_intro"))
    listing = "\n".join(tr("roundui.link_line", name=u.name, url=unit_link(site, u.token, L)) for u in units)
    st.code(listing or "—", language=None)
    st.download_button(tr("roundui.links_xlsx"), data=lambda: links_to_excel(rnd, units, site, L), icon="📊",
                       key="round_links_xlsx", on_click="ignore",
                       file_name=download_name(rnd.title, tr("roundui.links_kind"), dt.date.today().isoformat(), "xlsx", L),
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if units:
        names = {u.id: u for u in units}
        picked = st.selectbox(tr("roundui.qr_unit"), list(names), key="round_qr_unit",
                              format_func=lambda i: names[i].name, placeholder=tr("friction.select"))
        unit = names[picked]
        url = unit_link(site, unit.token, L)
        left, right = st.columns([2, 1])
        with left:
            plain(unit.name)
            st.code(url, language=None)
            st.caption(tr("roundui.qr_hint"))
        with right:
            st.image(view._qr_png(url), caption=tr("roundui.qr_caption"), width=220)

with tab_add:
    st.caption(tr("roundui.add_intro"))
    more = _units_input("round_add")
    if more:
        st.caption(tr("roundui.units_read", n=len(more)))
    if st.button(tr("roundui.add"), key="round_add_go", disabled=not more):
        with guarded():
            try:
                added = svc.add_units(rnd.code, key, more or [])
            except (RoundError, UnitsInvalid) as exc:
                _show_problems(exc)
                st.stop()
        st.session_state["round_flash"] = tr("roundui.added", n=len(added))
        for k in ("round_add_text", "round_add_upload"):
            st.session_state.pop(k, None)
        st.rerun()
    flash = st.session_state.pop("round_flash", None)
    if flash:
        st.success(flash)

