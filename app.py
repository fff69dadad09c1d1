"""The picture frame: page navigation, language switch and sidebar. Nothing else."""

from __future__ import annotations

import streamlit as st

from maturity import i18n
from pages._ui import guarded, lang, tr

MATURITY_FRAME = True  # pages/_ui.py looks for this to know a page runs inside this frame

st.set_page_config(page_title="品牌工会成熟度", page_icon="🏷️", layout="wide")

current = lang()


def _switch_language() -> None:
    st.session_state["ui_lang"] = st.session_state["lang_switch"]


# The choice lives in "ui_lang" (plain state survives page changes; a widget's own key may not).
st.sidebar.radio(
    tr("app.language"), options=list(i18n.LANGUAGES), index=list(i18n.LANGUAGES).index(current), horizontal=True,
    key="lang_switch", on_change=_switch_language, format_func=lambda code: {"zh": "中文", "en": "English"}[code],
)
if st.query_params.get("lang", i18n.DEFAULT_LANGUAGE) != current:
    st.query_params["lang"] = current  # so a reload or a shared link keeps it

pages = [
    st.Page("pages/home.py", title=tr("nav.home"), icon=":material/home:", default=True, url_path="home"),
    st.Page("pages/start.py", title=tr("nav.start"), icon=":material/edit_note:", url_path="start"),
    st.Page("pages/questionnaire.py", title=tr("nav.questionnaire"), icon=":material/checklist:", url_path="questionnaire"),
    st.Page("pages/results.py", title=tr("nav.results"), icon=":material/analytics:", url_path="results"),
    st.Page("pages/roadmap.py", title=tr("nav.roadmap"), icon=":material/route:", url_path="roadmap"),
    st.Page("pages/history.py", title=tr("nav.history"), icon=":material/history:", url_path="history"),
    st.Page("pages/transfer.py", title=tr("nav.transfer"), icon=":material/swap_vert:", url_path="transfer"),
    st.Page("pages/models.py", title=tr("nav.models"), icon=":material/menu_book:", url_path="models"),
    st.Page("pages/workshop_host.py", title=tr("wsnav.host"), icon=":material/co_present:", url_path="workshop_host"),
    st.Page("pages/workshop.py", title=tr("wsnav.join"), icon=":material/groups:", url_path="workshop"),
]
# The last net: what no page caught is a translated message with an error id, never a traceback
# (while .streamlit/config.toml hides exception details from browsers, as it does).
with guarded(kind="read", last_net=True):
    st.navigation(pages).run()
