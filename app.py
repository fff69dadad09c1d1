"""The picture frame: page navigation, language switch and sidebar. Nothing else."""

from __future__ import annotations

import streamlit as st

from maturity import i18n
from pages._ui import lang, tr

st.set_page_config(page_title="品牌工会成熟度", page_icon="🏷️", layout="wide")

lang()  # sets st.session_state["lang"] from ?lang= or the browser before the switch is drawn
st.sidebar.radio(
    tr("app.language"), options=list(i18n.LANGUAGES), horizontal=True, key="lang",
    format_func=lambda code: {"zh": "中文", "en": "English"}[code],
)
if st.query_params.get("lang", i18n.DEFAULT_LANGUAGE) != st.session_state["lang"]:
    st.query_params["lang"] = st.session_state["lang"]  # so a reload or a shared link keeps it

pages = [
    st.Page("pages/home.py", title=tr("nav.home"), icon="🏠", default=True, url_path="home"),
    st.Page("pages/start.py", title=tr("nav.start"), icon="📝", url_path="start"),
    st.Page("pages/questionnaire.py", title=tr("nav.questionnaire"), icon="✏️", url_path="questionnaire"),
    st.Page("pages/results.py", title=tr("nav.results"), icon="📊", url_path="results"),
]
st.navigation(pages).run()
