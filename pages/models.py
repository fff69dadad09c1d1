"""Model browser: read a model as a document, check an uploaded YAML model, list broken files of frameworks/."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from maturity import tables
from maturity.display import join_names
from maturity.limits import MAX_MODEL_BYTES, UPLOAD_MB_MODEL
from maturity.loader import LoadedModel, ModelLoadError
from maturity.model import MaturityModel
from pages._ui import PAGES, catalog, escape_md, lang, tr, uploaded_model, uploader_texts

L = lang()
st.title(tr("models.title"))
st.caption(tr("models.intro"))
cat = catalog()


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    """st.table reads Markdown in cells: escape every text so the model's words show as written."""
    shown = frame.map(lambda v: escape_md(v) if isinstance(v, str) else v)
    return shown.rename(columns={c: escape_md(str(c)) for c in shown.columns})


def _document(loaded: LoadedModel) -> None:
    """The whole model, top to bottom, as a reader would want it on paper."""
    m: MaturityModel = loaded.model
    st.header(escape_md(m.t(m.title, L)))
    st.caption(tr("models.meta", id=m.id, version=m.version, languages=" / ".join(m.languages)))
    if m.description:
        st.markdown(escape_md(m.t(m.description, L)))
    c = st.columns(4)
    c[0].metric(tr("models.n_groups"), len(m.groups))
    c[1].metric(tr("models.n_criteria"), len(m.criteria))
    c[2].metric(tr("models.n_indicators"), len(m.indicators))
    c[3].metric(tr("models.n_levels"), len(m.scale))

    st.subheader(tr("models.scale"))
    st.table(_safe(tables.scale_frame(m, L)), hide_index=True)
    if m.target_level is not None:
        st.caption(tr("models.target", level=m.target_level, name=m.t(m.levels[m.target_level].name, L)))
    if m.tags:
        st.subheader(tr("models.tags"))
        for tag in m.tags:
            text = f"**{escape_md(m.t(tag.name, L))}**"
            if tag.description:
                text = tr("friction.name_text", name=text, text=escape_md(m.t(tag.description, L)))
            st.markdown(text)

    for g in m.groups:
        st.subheader(escape_md(m.t(g.name, L)))
        if g.description:
            st.caption(escape_md(m.t(g.description, L)))
        for crit in g.criteria:
            head = tr("models.criterion_head", name=m.t(crit.name, L), n=len(crit.indicators),
                      weight=f"{crit.weight:g}")
            with st.expander(escape_md(head)):
                if crit.description:
                    st.markdown(escape_md(m.t(crit.description, L)))
                if crit.target_level is not None:
                    st.caption(tr("models.target", level=crit.target_level,
                                  name=m.t(m.levels[crit.target_level].name, L)))
                for n, ind in enumerate(crit.indicators, start=1):
                    st.markdown(f"**{n}. {escape_md(m.t(ind.question, L))}**")
                    facts = [f"`{ind.id}`", tr("models.weight", weight=f"{ind.weight:g}")]
                    if not ind.allow_na:
                        facts.append(tr("models.no_na"))
                    if ind.tags:
                        names = [m.t(m.tag_by_id[x].name, L) for x in ind.tags if x in m.tag_by_id]
                        facts.append(escape_md(tr("models.tags_line", tags=join_names(names, L))))
                    st.caption(" · ".join(facts))
                    if ind.help:
                        st.caption(escape_md(tr("models.help", text=m.t(ind.help, L))))
                    st.table(_safe(tables.answers_frame(m, ind, L)), hide_index=True)
                if crit.actions:
                    st.markdown(f"**{tr('models.actions')}**")
                    st.table(_safe(tables.actions_frame(m, crit, L)), hide_index=True)
                else:
                    st.caption(tr("models.no_actions"))


def _keep(name: str, raw: bytes, model_id: str) -> None:
    """Button callback: offer the uploaded model on the start page of this browser tab, already chosen."""
    st.session_state.setdefault("uploaded_models", {})[name] = raw
    st.session_state["start_model"] = model_id


tab_read, tab_upload, tab_broken = st.tabs([
    tr("models.tab_read"), tr("models.tab_upload"), tr("models.tab_broken", n=len(cat.broken)),
])

with tab_read:
    available: dict[str, tuple[str, LoadedModel]] = {
        f"catalog:{mid}": (f"{lm.model.t(lm.model.title, L)} ({mid} {lm.model.version})", lm)
        for mid, lm in cat.models.items()
    }
    for file, raw in st.session_state.get("uploaded_models", {}).items():
        try:
            up = uploaded_model(raw, file)
        except ModelLoadError:
            continue
        label = tr("models.uploaded_option", title=up.model.t(up.model.title, L), file=file)
        available[f"upload:{file}"] = (label, up)
    if not available:
        st.warning(tr("home.no_models"))
    else:
        keys = list(available)
        default = keys.index("catalog:brand-union") if "catalog:brand-union" in keys else 0
        choice = st.selectbox(tr("models.pick"), keys, index=default, key="models_pick",
                              format_func=lambda k: available[k][0], placeholder=tr("friction.select"))
        _document(available[choice][1])

with tab_upload:
    st.caption(tr("models.upload_help"))
    uploader_texts("models_upload", UPLOAD_MB_MODEL, ["YAML"])  # Streamlit's own texts are English
    upload = st.file_uploader(tr("models.upload"), type=["yaml", "yml"], max_upload_size=UPLOAD_MB_MODEL, key="models_upload")
    if upload is not None:
        raw = upload.getvalue()
        loaded: LoadedModel | None = None
        if len(raw) > MAX_MODEL_BYTES:
            st.error(tr("models.too_big", limit=MAX_MODEL_BYTES))
        else:
            try:
                loaded = uploaded_model(raw, upload.name)
            except ModelLoadError as exc:
                st.error(tr("models.invalid", n=len(exc.errors)))
                st.code("\n".join(e.format(L) for e in exc.errors), language=None, wrap_lines=True)
        if loaded is not None:
            um = loaded.model
            st.success(tr("models.valid", title=um.t(um.title, L), id=um.id, version=um.version))
            st.caption(tr("models.summary", groups=len(um.groups), criteria=len(um.criteria),
                          indicators=len(um.indicators), levels=len(um.scale)))
            if um.id in cat.models:
                st.info(tr("models.same_id", id=um.id))
            if loaded.warnings:
                with st.expander(tr("models.warnings", n=len(loaded.warnings))):
                    st.code("\n".join(w.format(L) for w in loaded.warnings), language=None)
            if st.button(tr("models.use"), type="primary", key="models_use", on_click=_keep,
                         args=(upload.name, raw, um.id)):
                st.switch_page(PAGES["start"])
            st.caption(tr("models.use_help"))

with tab_broken:
    if not cat.broken:
        st.success(tr("models.no_broken"))
    else:
        st.caption(tr("home.broken_help"))
        for file, errors in cat.broken.items():
            with st.expander(f"⚠️ {escape_md(file)}", expanded=True):
                st.code("\n".join(e.format(L) for e in errors), language=None, wrap_lines=True)
