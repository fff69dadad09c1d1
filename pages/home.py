"""Home: what the tool does, the models found, and broken model files with their errors."""

from __future__ import annotations

import streamlit as st

from pages._ui import catalog, escape_md, lang, tr

L = lang()
st.title(tr("home.title"))
st.caption(tr("home.subtitle"))

cat = catalog()
st.subheader(tr("home.models"))
if not cat.models:
    st.warning(tr("home.no_models"))
for loaded in cat.models.values():
    m = loaded.model
    with st.container(border=True):
        st.markdown(f"**{escape_md(m.t(m.title, L))}** · `{m.id}` · {tr('home.version', version=m.version)}")
        if m.description:
            st.caption(escape_md(m.t(m.description, L)))
        levels = " → ".join(m.t(s.name, L) for s in m.scale)
        st.write(tr("home.scale", levels=levels))
        cols = st.columns(len(m.groups))
        for col, group in zip(cols, m.groups, strict=True):
            with col:
                st.markdown(f"**{m.t(group.name, L)}**")
                for crit in group.criteria:
                    st.markdown("- " + tr("home.criterion_line", name=escape_md(m.t(crit.name, L)),
                                          n=len(crit.indicators)))

if cat.broken:
    st.subheader(tr("home.broken"))
    st.caption(tr("home.broken_help"))
    for file, errors in cat.broken.items():
        with st.expander(f"⚠️ {file}", expanded=True):
            st.code("\n".join(e.format(L) for e in errors), language=None)
