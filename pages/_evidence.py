"""佐证材料 widgets: per question the reviewer's checklist, an uploader, and the files (download, thumbnail, remove).

The questionnaire's answers sit in one ``st.form`` per step, and a file uploader inside a form only
uploads on submit (and download / remove buttons cannot sit in a form at all). So the evidence of a
step is a panel under the form: one expander per question, whose files are saved the moment they are
chosen. A read-only record (the view link) lists and downloads, with no uploader and no remove.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from functools import partial

import streamlit as st

from maturity.display import join_names
from maturity.evidence import EvidenceFile, EvidenceRefused
from maturity.filenames import uploaded_name
from maturity.limits import MIB, UPLOAD_MB_EVIDENCE
from maturity.model import Indicator, MaturityModel
from maturity.records import AssessmentRecord
from pages._ui import escape_md, guarded, lang, plain, store, tr, uploader_texts

__all__ = ["UPLOAD_TYPES", "backed", "by_question", "evidence_panel", "file_data", "files_of", "size_text"]

# What the browser's file picker offers (the store still judges every file by its content).
UPLOAD_TYPES = ["pdf", "png", "jpg", "jpeg", "docx", "xlsx"]
_SHOWN_TYPES = ["PDF", "JPEG/PNG", "Word", "Excel"]
_CHINA = dt.timezone(dt.timedelta(hours=8))
_THUMB_PX = 160
_THUMB_MAX_PIXELS = 50_000_000  # a larger picture gets no thumbnail (decoding it would take too much memory)
_FLASH = "ev_flash"  # (indicator id, kind, message): shown in that question's expander
_OPEN = "ev_open"  # the question last acted on: its expander stays open


def files_of(record: AssessmentRecord) -> list[EvidenceFile]:
    """Every evidence file of the assessment (edit or view token), oldest first; no bytes read."""
    with guarded(kind="read"):
        return store().evidence.list(record.token)


def by_question(files: Iterable[EvidenceFile]) -> dict[str, list[EvidenceFile]]:
    """The files grouped by the question they are attached to."""
    out: dict[str, list[EvidenceFile]] = {}
    for f in files:
        out.setdefault(f.indicator_id, []).append(f)
    return out


def backed(answered: Iterable[str], files: dict[str, list[EvidenceFile]]) -> int:
    """How many of the answered questions have at least one evidence file."""
    return sum(1 for iid in answered if files.get(iid))


def size_text(n: int) -> str:
    """A file size as people read it: 820 B, 12 KB, 3.4 MB."""
    if n < 1024:
        return f"{n} B"
    if n < MIB:
        return f"{n / 1024:.0f} KB"
    return f"{n / MIB:.1f} MB"


def _date(when: dt.datetime) -> str:
    aware = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    return aware.astimezone(_CHINA).strftime("%Y-%m-%d %H:%M")


@st.cache_data(show_spinner=False, max_entries=512)
def _thumbnail(token: str, evidence_id: int, sha256: str) -> bytes | None:
    """A small PNG of an image file, or None where the bytes do not decode as a picture of sane size."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(store().evidence.data(token, evidence_id))) as img:
            if img.width * img.height > _THUMB_MAX_PIXELS:
                return None
            img.draft("RGB", (_THUMB_PX, _THUMB_PX))  # JPEG: decode at a reduced size
            small = img.convert("RGB")
            small.thumbnail((_THUMB_PX, _THUMB_PX))
            out = io.BytesIO()
            small.save(out, format="PNG")
            return out.getvalue()
    except (OSError, ValueError, KeyError, Image.DecompressionBombError):
        return None


def file_data(token: str, evidence_id: int) -> bytes:
    """The bytes of one file, for its download button (called on the click)."""
    return store().evidence.data(token, evidence_id)


def _upload(token: str, iid: str, key: str) -> None:
    """Uploader callback: store each chosen file (each on its own: one refused leaves the others), then
    give the question a fresh uploader so nothing is stored twice."""
    st.session_state[_OPEN] = iid
    added: list[str] = []
    refused: list[str] = []
    with guarded(flash=_FLASH):
        for f in st.session_state.get(key) or []:
            try:
                added.append(store().evidence.add(token, iid, f.name, f.getvalue()).filename)
            except EvidenceRefused as exc:
                refused.extend(exc.describe(lang()))
    failed = st.session_state.pop(_FLASH, None)  # a storage failure or a read-only link (guarded's message)
    st.session_state[f"ev-gen-{iid}"] = st.session_state.get(f"ev-gen-{iid}", 0) + 1
    notes = []
    if added:
        notes.append(("success", tr("evidence_ui.added", names=escape_md(join_names(added, lang())))))
    notes += [("error", escape_md(line)) for line in refused]
    if failed:
        notes.append(failed)
    st.session_state[f"{_FLASH}-{iid}"] = notes


def _ask_remove(iid: str, evidence_id: int | None) -> None:
    st.session_state[_OPEN] = iid
    st.session_state["ev_confirm"] = evidence_id


def _remove(token: str, iid: str, f: EvidenceFile) -> None:
    """Confirmed remove: delete the file; say so, or that it had gone already."""
    st.session_state[_OPEN] = iid
    st.session_state["ev_confirm"] = None
    gone = False
    with guarded(flash=_FLASH):
        gone = not store().evidence.remove(token, f.id)
    failed = st.session_state.pop(_FLASH, None)
    if failed:
        st.session_state[f"{_FLASH}-{iid}"] = [failed]
    else:
        st.session_state[f"{_FLASH}-{iid}"] = [("info", tr("evidence_ui.gone")) if gone else
                                               ("success", tr("evidence_ui.removed", name=escape_md(f.filename)))]


def _file_row(record: AssessmentRecord, iid: str, f: EvidenceFile) -> None:
    """One file: thumbnail (images), name as text, kind · size · date, download, remove (with a confirm)."""
    thumb_col, name_col, dl_col, rm_col = st.columns([1, 4, 1.3, 1.3], vertical_alignment="center")
    if f.kind in ("png", "jpeg"):
        thumb = _thumbnail(record.token, f.id, f.sha256)
        if thumb is not None:
            thumb_col.image(thumb, width=64)
        else:
            thumb_col.markdown("🖼️")
    else:
        thumb_col.markdown({"pdf": "📄", "docx": "📝", "xlsx": "📊"}.get(f.kind, "📎"))
    with name_col:
        plain(f.filename)
        st.caption(tr("evidence_ui.file_line", kind=f.kind.upper(), size=size_text(f.size), date=_date(f.created_at)))
    token = record.token
    # the bytes are read only when the button is clicked (a step's files would be read at every rerun)
    dl_col.download_button(tr("evidence_ui.download"), data=partial(file_data, token, f.id),
                           file_name=uploaded_name(f.filename, f.kind),
                           mime=f.mime,
                           on_click="ignore", key=f"ev-dl-{f.id}", icon="⬇️")
    if record.read_only:
        return
    rm_col.button(tr("evidence_ui.remove"), key=f"ev-rm-{f.id}", on_click=_ask_remove, args=(iid, f.id), icon="🗑️")
    if st.session_state.get("ev_confirm") == f.id:
        with st.container(border=True, key=f"ev-confirm-{f.id}"):
            st.warning(escape_md(tr("evidence_ui.remove_confirm", name=f.filename)))
            yes, no = st.columns(2)
            yes.button(tr("evidence_ui.remove_yes"), key=f"ev-yes-{f.id}", on_click=_remove, args=(token, iid, f),
                       type="primary", width="stretch")
            no.button(tr("evidence_ui.remove_no"), key=f"ev-no-{f.id}", on_click=_ask_remove, args=(iid, None),
                      width="stretch")


def evidence_panel(record: AssessmentRecord, model: MaturityModel, indicators: list[tuple[str, Indicator]],
                   files: dict[str, list[EvidenceFile]]) -> None:
    """The step's evidence: per question (its number, the indicator) an expander with the reviewer's
    checklist, the uploader (edit link only) and the files."""
    L = lang()
    st.markdown(f"#### {tr('evidence_ui.panel_title')}")
    st.caption(tr("evidence_ui.panel_read_only") if record.read_only else tr("evidence_ui.panel_help"))
    for number, ind in indicators:
        mine = files.get(ind.id, [])
        question = model.t(ind.name or ind.question, L)
        limit = 40 if L == "zh" else 80  # about one line of the fold's label either way
        short = question if len(question) <= limit else question[: limit - 1] + "…"
        label = tr("evidence_ui.question", number=number, question=escape_md(short), n=len(mine))
        flash = st.session_state.pop(f"{_FLASH}-{ind.id}", [])
        opened = st.session_state.get(_OPEN) == ind.id
        with st.expander(label, expanded=opened or bool(flash), key=f"ev-exp-{ind.id}"):
            for kind, message in flash:
                {"success": st.success, "info": st.info, "warning": st.warning}.get(kind, st.error)(message)
            if ind.evidence:
                items = join_names([model.t(e, L) for e in ind.evidence], L)
                st.caption(escape_md(tr("evidence_ui.expects", items=items)))
            if not mine:
                st.caption(tr("evidence_ui.none_yet"))
            for f in mine:
                _file_row(record, ind.id, f)
            if not record.read_only:
                key = f"ev-up-{ind.id}-{st.session_state.get(f'ev-gen-{ind.id}', 0)}"
                uploader_texts(key, UPLOAD_MB_EVIDENCE, _SHOWN_TYPES)
                st.file_uploader(tr("evidence_ui.upload"), type=UPLOAD_TYPES, accept_multiple_files=True,
                                 max_upload_size=UPLOAD_MB_EVIDENCE, key=key, on_change=_upload,
                                 args=(record.token, ind.id, key))
