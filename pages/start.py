"""Start a self-check (model + union profile) or resume one by its private link."""

from __future__ import annotations

import datetime as dt
import re

import streamlit as st

from maturity.assessment import AssessmentInvalid
from maturity.limits import MAX_NAME, MAX_REGION
from maturity.loader import ModelLoadError
from pages._ui import PAGES, catalog, escape_md, guarded, lang, model_label, open_token, store, tr, uploaded_model

L = lang()
st.title(tr("start.title"))


def _resume_form() -> None:
    """Continue an assessment by its private link."""
    with st.container(border=True):
        st.subheader(tr("start.resume"))
        with st.form("resume"):
            pasted = st.text_input(tr("start.resume_label"), placeholder="https://…/questionnaire?a=…")
            go = st.form_submit_button(tr("start.resume_go"))
        if go:
            match = re.search(r"(?:[?&]a=)?([A-Za-z0-9_-]{16,64})\s*$", pasted.strip())
            record = store().get_assessment(match.group(1)) if match else None
            if record is None:
                st.error(tr("start.resume_bad"))
            else:
                open_token(record.token)  # a view link opens its results: it has nothing to fill in
                st.switch_page(PAGES["results" if record.read_only else "questionnaire"], query_params={"a": record.token})


st.subheader(tr("start.new"))
models = dict(catalog().models)
for name, raw in st.session_state.get("uploaded_models", {}).items():
    try:
        up = uploaded_model(raw, name)
    except ModelLoadError:
        continue
    models.setdefault(up.model.id, up)
if not models:
    st.warning(tr("home.no_models"))
    _resume_form()
    st.stop()
ids = list(models)
default = ids.index("brand-union") if "brand-union" in ids else 0
model_id = st.selectbox(
    tr("start.model"), ids, index=default, key="start_model",
    format_func=lambda i: model_label(models, i, L), placeholder=tr("friction.select"),
)
chosen = models[model_id].model
st.caption(tr("start.model_size", criteria=len(chosen.criteria), indicators=len(chosen.indicators)))
if chosen.description:
    st.caption(escape_md(chosen.t(chosen.description, L)))

with st.form("profile"):
    st.markdown(f"**{tr('start.profile')}**")
    c1, c2 = st.columns(2)
    name = c1.text_input(tr("profile.name") + " *", max_chars=MAX_NAME, key="p_name")
    enterprise = c2.text_input(tr("profile.enterprise"), max_chars=MAX_NAME, key="p_enterprise")
    members = c1.number_input(tr("profile.members"), min_value=0, max_value=10_000_000, step=1, value=None,
                              key="p_members")
    region = c2.text_input(tr("profile.region"), max_chars=MAX_REGION, key="p_region")
    assessor = c1.text_input(tr("profile.assessor"), max_chars=MAX_NAME, key="p_assessor")
    day = c2.date_input(tr("profile.date"), value=dt.date.today(), key="p_date")
    start = st.form_submit_button(tr("start.go"), type="primary")

if start:
    if not name.strip():
        st.error(tr("start.need_name"))
    else:
        organisation = {"name": name.strip(), "enterprise": enterprise.strip(), "members": members,
                        "region": region.strip(), "assessor": assessor.strip()}
        try:
            with guarded():
                record = store().create_assessment(models[model_id], organisation, language=L,
                                                   assessed_at=day.isoformat())
        except AssessmentInvalid as exc:  # e.g. a NUL sent past the form: refused alike on every database
            st.error(escape_md("\n".join(exc.describe(L))))
            st.stop()
        open_token(record.token)
        st.switch_page(PAGES["questionnaire"], query_params={"a": record.token})

# Continuing comes second: a first-time user starts a new self-check.
_resume_form()
