"""The offer, on a page showing an assessment, to carry it over to a newer version of its model."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from maturity import i18n, versions
from maturity.errors import MaturityError
from pages._ui import PAGES, escape_md, guarded, open_token

if TYPE_CHECKING:
    from maturity.loader import Catalog
    from maturity.store import AssessmentRecord, Store


def offer_carry_over(record: AssessmentRecord, catalogue: Catalog, store: Store, lang: str,
                     key: str = "carry_over") -> None:
    """When ``catalogue`` holds a newer version of the record's model: say so, and a button that carries it over.

    The button makes a new assessment (:func:`maturity.versions.carry_over`; the old one stays) and
    opens it in the questionnaire. Nothing is shown for an up-to-date assessment, a model the
    catalogue lacks, a catalogue version that is not newer than the pinned one, or a read-only view link.
    """
    if record.read_only:  # the view link makes no copies: a carried-over copy would come with its own edit link
        return
    current = catalogue.models.get(record.model_id)
    if current is None or not versions.is_newer(current.model.version, record.model_version):
        return
    pinned = store.get_model_snapshot(record.model_sha256)
    if pinned is None:
        return
    changes = versions.question_changes(pinned.model, current.model)
    old, new = escape_md(record.model_version), escape_md(current.model.version)
    st.info(i18n.t("versions.banner", lang, old=old, new=new, added=len(changes.new), changed=len(changes.changed),
                   gone=len(changes.gone)), icon="🆕")
    done = st.session_state.setdefault("carried_over", {})
    if record.token in done:  # carried over in this session already: open that one, don't make a second
        if st.button(i18n.t("versions.open_carried", lang, new=new), key=f"{key}_open", icon="➡️"):
            open_token(done[record.token])
            st.switch_page(PAGES["questionnaire"], query_params={"a": done[record.token], "lang": lang})
        return
    if not st.button(i18n.t("versions.carry", lang), key=key, icon="➡️",
                     help=i18n.t("versions.carry_help", lang, old=old, new=new, same=len(changes.same))):
        return
    try:
        with guarded():
            carried = versions.carry_over(store, record.token, current)
    except MaturityError as exc:  # e.g. a note stored before today's length limit: refused whole, nothing saved
        st.error("\n\n".join(escape_md(line) for line in exc.describe(lang)))
        return
    done[record.token] = carried.token
    st.session_state["flash"] = ("success", i18n.t(
        "versions.carried", lang, old=old, new=new, copied=len(carried.answers),
        open=len(current.model.indicators) - len(carried.answers)))
    open_token(carried.token)
    st.switch_page(PAGES["questionnaire"], query_params={"a": carried.token, "lang": lang})
