"""Import / export: the open assessment as maturity-assessment/1 JSON, Excel or a bundle with its evidence (.zip);
import any of them, all or nothing."""

from __future__ import annotations

import streamlit as st

from maturity import tables
from maturity.assessment import AssessmentInvalid
from maturity.bundle import Bundle, BundleRefused, export_bundle, file_size, import_bundle, read_bundle
from maturity.evidence import EvidenceRefused
from maturity.limits import UPLOAD_MB_BUNDLE
from maturity.loader import ModelLoadError
from maturity.spreadsheet import assessment_to_excel
from pages._ui import (
    PAGES,
    catalog,
    current_record,
    escape_md,
    guarded,
    lang,
    open_token,
    org_label,
    pinned_model,
    plain,
    store,
    tr,
    uploaded_model,
    uploader_texts,
)

L = lang()
record = current_record(required=False)
pinned = pinned_model(record) if record is not None else None
st.title(tr("transfer.title"))

flash = st.session_state.pop("transfer_flash", None)
if flash:
    st.success(flash)
    st.page_link(PAGES["results"], label=tr("nav.results"), icon="📊")

# ---------------------------------------------------------------- export
st.subheader(tr("transfer.export"))
if record is None or pinned is None:
    st.info(tr("transfer.no_open"))
    st.page_link(PAGES["start"], label=tr("nav.start"), icon="📝")
else:
    m = pinned.model
    name = org_label(record.organisation)
    st.markdown(f"#### {escape_md(name)}")
    st.caption(tr("transfer.export_what", model=m.t(m.title, L), version=m.version, date=record.assessed_at,
                  n=len(record.answers), total=len(m.indicators)))
    assessment = record.to_assessment()
    kind = tr("transfer.file_kind")
    e1, e2, e3 = st.columns(3)
    e1.download_button(
        tr("transfer.json"), data=lambda: assessment.to_json().encode("utf-8"), mime="application/json",
        file_name=tables.export_filename(name, kind, record.assessed_at, "json", L), on_click="ignore", icon="📄",
    )
    e2.download_button(
        tr("transfer.xlsx"), data=lambda: assessment_to_excel(assessment, m, L), on_click="ignore", icon="📊",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        file_name=tables.export_filename(name, kind, record.assessed_at, "xlsx", L),
    )
    token = record.token  # the bundle is read on the click: the files' bytes only when asked for
    e3.download_button(
        tr("bundle.page.zip"), data=lambda: export_bundle(store(), token), mime="application/zip", on_click="ignore",
        file_name=tables.export_filename(name, kind, record.assessed_at, "zip", L), icon="📦",
    )
    st.caption(tr("transfer.export_help"))
    st.caption(tr("bundle.page.zip_help"))

# ---------------------------------------------------------------- import
if record is not None and record.read_only:
    # Export stays: it holds what the report shows; importing it elsewhere makes a copy, the original is untouched.
    st.info(tr("viewlink.transfer"))
    st.stop()
st.subheader(tr("transfer.import"))
st.caption(tr("transfer.import_help"))
generation = st.session_state.setdefault("transfer_upload_gen", 0)
st.caption(tr("bundle.page.limit", mb=UPLOAD_MB_BUNDLE))
uploader_texts(f"transfer_upload_{generation}", UPLOAD_MB_BUNDLE, ["JSON", "XLSX", "ZIP"])  # Streamlit's own texts are English
upload = st.file_uploader(tr("transfer.upload"), type=["json", "xlsx", "zip"], max_upload_size=UPLOAD_MB_BUNDLE,
                          key=f"transfer_upload_{generation}")
if upload is None:
    st.stop()

candidates = list(catalog().models.values())
if pinned is not None:
    candidates.append(pinned)
for file, raw_model in st.session_state.get("uploaded_models", {}).items():
    try:
        candidates.append(uploaded_model(raw_model, file))
    except ModelLoadError:
        continue

bundle: Bundle | None = None
try:
    if upload.name.lower().endswith(".zip"):
        bundle = read_bundle(upload.getvalue(), candidates)
        incoming, loaded = bundle.assessment, bundle.loaded
    else:
        incoming, loaded = tables.read_upload(upload.getvalue(), upload.name, candidates)
except (BundleRefused, EvidenceRefused) as err:
    st.error(tr("bundle.page.refused"))
    st.code("\n".join(err.describe(L)), language=None, wrap_lines=True)
    st.stop()
except AssessmentInvalid as err:
    st.error(tr("transfer.invalid", n=len(err.errors)))
    # The question's number and words, as the chair knows them; never an internal id
    st.code("\n".join(err.describe(L)), language=None, wrap_lines=True)
    st.stop()

im = loaded.model
st.success(tr("transfer.valid", model=im.t(im.title, L), version=im.version))
with st.container(border=True):
    st.caption(tr("transfer.union"))
    plain(str(incoming.organisation.get("name") or tr("assess.unnamed")))
    st.caption(tr("transfer.summary", date=incoming.assessed_at, n=len(incoming.answers), total=len(im.indicators),
                  notes=len(incoming.notes), targets=len(incoming.targets)))
    if bundle is not None:
        st.caption(tr("bundle.page.files", n=len(bundle.files), size=file_size(bundle.size)))

can_replace = bundle is None and record is not None and record.model_id == incoming.model_id
modes = ["new", "replace"] if can_replace else ["new"]
mode = st.radio(tr("transfer.mode"), modes, format_func=lambda k: tr(f"transfer.mode_{k}"), key="transfer_mode",
                horizontal=True)
if bundle is not None:
    st.caption(tr("bundle.page.only_new"))
elif record is not None and not can_replace:
    st.caption(tr("transfer.replace_other_model"))


def _done(message: str) -> None:
    st.session_state["transfer_flash"] = message
    st.session_state["transfer_upload_gen"] = generation + 1  # a fresh, empty uploader
    st.session_state.pop("transfer_mode", None)
    st.session_state.pop("transfer_confirm", None)
    st.rerun()


def _failed(exc: AssessmentInvalid) -> None:
    st.error(tr("transfer.invalid", n=len(exc.errors)))
    st.code("\n".join(exc.describe(L, im)), language=None, wrap_lines=True)


if mode == "new":
    if st.button(tr("transfer.go_new"), type="primary", key="transfer_go_new"):
        try:
            with guarded():  # a database failure: a message with an error id; the transaction wrote nothing
                created = (import_bundle(store(), bundle) if bundle is not None
                           else store().import_assessment(incoming, loaded))
        except AssessmentInvalid as exc:
            _failed(exc)
        else:
            open_token(created.token)
            _done(tr("transfer.done_new"))
else:
    st.warning(tr("transfer.replace_warning"))
    confirm = st.checkbox(tr("transfer.confirm"), key="transfer_confirm")
    if st.button(tr("transfer.go_replace"), type="primary", disabled=not confirm, key="transfer_go_replace"):
        assert record is not None  # "replace" is offered only with an open assessment of this model
        try:
            with guarded():  # a database failure: a message with an error id; the transaction rolled back
                store().replace_from(record.token, incoming)
        except AssessmentInvalid as exc:
            _failed(exc)
        else:
            _done(tr("transfer.done_replace"))
