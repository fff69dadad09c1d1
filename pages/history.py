"""History: every stored assessment over time, the index per union, and a side-by-side comparison of two."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from maturity import charts, compare, tables, versions
from maturity.display import fmt_index
from maturity.settings import Settings, can_list
from pages._carry import offer_carry_over
from pages._ui import PAGES, catalog, escape_md, lang, open_token, store, tr, viewing_read_only

MAX_LISTED = 300  # newest first; each line is scored (in a fixed number of queries), so the page stays quick

L = lang()
settings = Settings.from_env()
st.title(tr("history.title"))
if viewing_read_only():  # a view link shows its own self-check only, never the list of the others
    st.info(tr("viewlink.history"))
    st.page_link(PAGES["results"], label=tr("viewlink.to_results"), icon="📊")
    st.stop()
st.caption(tr("history.intro"))


def _unlock() -> None:
    """Form callback: check the admin key, keep only the answer (never the key) in the session."""
    key = st.session_state.get("history_key") or ""
    st.session_state["history_key"] = ""
    st.session_state["history_unlocked"] = can_list(settings, key)
    if not st.session_state["history_unlocked"]:
        st.session_state["history_flash"] = tr("history.key_wrong")


def _lock() -> None:
    st.session_state["history_unlocked"] = False


allowed = can_list(settings, None) or (settings.mode == "shared" and st.session_state.get("history_unlocked", False))
if not allowed:
    st.info(tr("history.locked"))
    flash = st.session_state.pop("history_flash", None)
    if flash:
        st.error(flash)
    with st.form("history_unlock"):
        st.text_input(tr("history.key_label"), type="password", key="history_key", autocomplete="off")
        st.form_submit_button(tr("history.unlock"), on_click=_unlock)
    st.stop()
if settings.mode == "shared":
    st.button(tr("history.lock"), on_click=_lock, icon="🔒")

summaries = store().list_assessments()
if not summaries:
    st.info(tr("history.empty"))
    st.page_link(PAGES["start"], label=tr("nav.start"), icon="📝")
    st.stop()
if len(summaries) > MAX_LISTED:
    st.caption(tr("history.truncated", n=MAX_LISTED, total=len(summaries)))

history = compare.load_history(store(), summaries[:MAX_LISTED], L, tr("assess.unnamed"))
entries, skipped = history.entries, history.skipped
if skipped:
    st.warning(tr("history.skipped", n=skipped))

query = st.text_input(tr("history.filter"), key="history_filter", placeholder=tr("history.filter_placeholder"),
                      max_chars=120)
shown = sorted(compare.filter_history(entries, query), key=lambda e: (e.assessed_at, e.created_at), reverse=True)
st.caption(tr("history.count", shown=len(shown), total=len(entries)))
if not shown:
    st.warning(tr("history.none_match"))
    st.stop()
listing = compare.history_frame(shown, L)
st.dataframe(listing, hide_index=True, width="stretch")
# Union names are typed text: the table's own toolbar export is off, these are guarded (maturity/cells.py).
_day, _kind = dt.date.today().isoformat(), tr("wssecurity.history_kind")
_c1, _c2 = st.columns(2)
_c1.download_button(tr("wssecurity.history_csv"), key="history_csv", on_click="ignore", icon="📋", mime="text/csv",
                    file_name=tables.export_filename("", _kind, _day, "csv"), data=lambda: tables.csv_bytes(listing))
_c2.download_button(tr("wssecurity.history_xlsx"), key="history_xlsx", on_click="ignore", icon="📊",
                    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    file_name=tables.export_filename("", _kind, _day, "xlsx"),
                    data=lambda: tables.xlsx_bytes(listing, _kind))

points = compare.index_points(shown)
if points:
    st.subheader(tr("history.chart"))
    st.vega_lite_chart(charts.index_history(points, L).to_dict(validate=False), width="stretch")
    st.caption(tr("history.chart_help"))

labels = compare.option_labels(shown, L)


def _label(token: str) -> str:
    return labels[token]


tokens = [e.token for e in shown]
st.subheader(tr("history.open"))
o1, o2 = st.columns([4, 1], vertical_alignment="bottom")
picked = o1.selectbox(tr("history.pick"), tokens, format_func=_label, key="history_open",
                      placeholder=tr("friction.select"))
if o2.button(tr("history.open_go"), type="primary", key="history_open_go"):
    open_token(picked)
    st.switch_page(PAGES["results"], query_params={"a": picked, "lang": L})
offer_carry_over(history.scored[picked].record, catalog(), store(), L, key="history_carry")

st.subheader(tr("history.compare"))
if len(tokens) < 2:
    st.info(tr("history.need_two"))
    st.stop()
old_at, new_at = compare.default_pair(shown)
c1, c2 = st.columns(2)
old_token = c1.selectbox(tr("history.old"), tokens, index=old_at, format_func=_label, key="history_old",
                         placeholder=tr("friction.select"))
new_token = c2.selectbox(tr("history.new"), tokens, index=new_at, format_func=_label, key="history_new",
                         placeholder=tr("friction.select"))
if old_token == new_token:
    st.info(tr("history.same_pick"))
    st.stop()

old_one, new_one = history.scored[old_token], history.scored[new_token]
old_record, old_result, old_model = old_one.record, old_one.result, old_one.model
new_record, new_result, new_model = new_one.record, new_one.result, new_one.model
cmp = compare.compare(old_model, old_result, old_record.answers, new_model, new_result, new_record.answers, L)
if not cmp.same_model:
    st.warning(tr("history.different_models", old=f"{old_model.t(old_model.title, L)} ({old_model.id})",
                  new=f"{new_model.t(new_model.title, L)} ({new_model.id})"))
marks = None
if cmp.same_model and old_record.model_sha256 != new_record.model_sha256:
    # Two versions of one model (or one version edited): which questions are new, changed and gone.
    changes = versions.question_changes(old_model, new_model)
    counts = {"added": len(changes.new), "changed": len(changes.changed), "gone": len(changes.gone),
              "same": len(changes.same)}
    if cmp.same_version:
        st.info(tr("versions.history_edited", version=escape_md(new_model.version), **counts))
    else:
        st.info(tr("versions.history", old=escape_md(old_model.version), new=escape_md(new_model.version), **counts))
    for kind, title in (("new", "versions.list_new"), ("changed", "versions.list_changed"), ("gone", "versions.list_gone")):
        if getattr(changes, kind):
            with st.expander(tr(title, n=len(getattr(changes, kind)))):
                st.dataframe(versions.changes_frame(changes, old_model, new_model, kind, L), hide_index=True,
                             width="stretch")
    marks = versions.change_marks(changes, L)
if cmp.unmatched_criteria or cmp.unmatched_indicators:
    st.caption(tr("history.unmatched", criteria=cmp.unmatched_criteria, indicators=cmp.unmatched_indicators))
if not cmp.criteria and not cmp.indicators:
    st.info(tr("history.nothing_matches"))
    st.stop()

if cmp.same_model:
    o = cmp.overall
    m1, m2 = st.columns(2)
    m1.metric(tr("history.overall"), fmt_index(o.new_index),
              delta=None if o.delta_index is None else f"{o.delta_index:+.1f}")
    m2.metric(tr("history.overall_old"), fmt_index(o.old_index))
if cmp.criteria and (old_model.lmin, old_model.lmax) == (new_model.lmin, new_model.lmax):
    chart = charts.radar(new_model, new_result, L, compare=old_result,
                         compare_label=tr("history.radar_old", date=old_record.assessed_at))
    st.altair_chart(chart, width="stretch")
    st.caption(tr("history.radar_help", date=new_record.assessed_at))

st.markdown(f"**{tr('history.by_criterion')}**")
st.dataframe(compare.criteria_delta_frame(cmp, L), hide_index=True, width="stretch")
st.markdown(f"**{tr('history.by_indicator')}**")
changed_only = st.toggle(tr("history.changed_only"), key="history_changed_only")
st.dataframe(compare.indicator_delta_frame(cmp, L, changed_only=changed_only, marks=marks), hide_index=True,
             width="stretch")
