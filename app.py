"""The picture frame: page navigation, language switch and sidebar. Nothing else."""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from maturity import i18n
from pages._registry import REGISTRY
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

# Grouped in the sidebar (自评, 研讨会, 上级工会) and shown whole: a collapsed list says "View 3 more" in English.
pages: dict[str, list[StreamlitPage]] = {}
for p in REGISTRY:
    pages.setdefault(tr(p.section), []).append(
        st.Page(p.path, title=tr(p.title_key), icon=p.icon, default=p.default, url_path=p.url_path))
# The last net: what no page caught is a translated message with an error id, never a traceback
# (while .streamlit/config.toml hides exception details from browsers, as it does).
with guarded(kind="read", last_net=True):
    st.navigation(pages, expanded=True).run()
