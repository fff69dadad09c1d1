"""Streamlit glue shared by the pages: language, cached core objects, safe text display."""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import streamlit as st
from streamlit.errors import FragmentHandledException
from streamlit.runtime.pages_manager import PagesManager

from maturity import i18n
from maturity.display import join_names
from maturity.errors import STORAGE_ERRORS, MaturityError, ReadOnlyLink, log_failure, new_error_id
from maturity.loader import Catalog, LoadedModel, load_folder, load_model_bytes
from pages._registry import PAGES  # re-exported: the pages link to each other by key

if TYPE_CHECKING:  # imported where used (the store and the scoring at first use); named here for the types
    from types import FrameType

    from maturity.model import Indicator, MaturityModel
    from maturity.scoring import Answer
    from maturity.store import AssessmentRecord, Store
    from maturity.workshop import Workshop

ROOT = Path(__file__).resolve().parent.parent

# Why this exists (Streamlit 1.67; pages/ must keep its name, so renaming the folder is not an option):
# - streamlit.runtime.pages_manager.PagesManager.uses_pages_directory is a class attribute, set by the
#   first PagesManager.__init__ of the process to whether a pages/ folder exists beside the entry script;
#   only st.navigation (streamlit/commands/navigation.py) sets it back to False.
# - While it is True, ScriptRunner._run_script runs _mpa_v1(main_script_path) instead of app.py: the old
#   automatic multipage mode, whose internal _navigation does not reset the flag. So the first requests
#   of a fresh server for /start run pages/start.py alone, without app.py's frame (no sidebar, no
#   language switch, no last net), until one run of app.py has called st.navigation.
# - There is no supported switch: client.showSidebarNavigation only hides _mpa_v1's sidebar, and no
#   user code runs before the first session builds its PagesManager.
# So a page run that finds _mpa_v1 on the stack without app.py (which sets MATURITY_FRAME) switches the
# mode off and runs again. The stack is checked, not the flag: under concurrent first requests another
# session's app.py may already have reset the flag while this run is inside _mpa_v1. AppTest is left
# alone: streamlit.testing.v1.AppTest resets the flag to None before every run, so every switch_page
# runs through _mpa_v1 on purpose. Checked per run, not at import: an exception while importing would
# leave a half-imported module to other sessions. tests/e2e/test_first_load.py holds it over the websocket.
def _ensure_frame() -> None:
    legacy, framed, apptest = False, False, False
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        legacy = legacy or frame.f_code.co_name == "_mpa_v1"
        framed = framed or frame.f_globals.get("MATURITY_FRAME") is True
        # AppTest runs every switch_page this way on purpose; a rerun there would eat the click.
        apptest = apptest or frame.f_globals.get("__name__") == "streamlit.testing.v1.local_script_runner"
        frame = frame.f_back
    if legacy and not framed and not apptest:
        PagesManager.uses_pages_directory = False
        st.rerun()


def frameworks_dir() -> Path:
    """The model folder: MATURITY_FRAMEWORKS, else frameworks/ of the repo."""
    return Path(os.environ.get("MATURITY_FRAMEWORKS") or ROOT / "frameworks")


def lang() -> str:
    """The current UI language: this tab's choice, then ?lang=, then Chinese (the first language).

    Every page calls this first; it also makes sure the page runs inside app.py's frame.
    """
    _ensure_frame()
    return _lang()


def _lang() -> str:
    if "ui_lang" not in st.session_state:
        st.session_state["ui_lang"] = i18n.normalise(st.query_params.get("lang") or i18n.DEFAULT_LANGUAGE)
    return st.session_state["ui_lang"]


def tr(key: str, **params: Any) -> str:
    """A UI string in the current language."""
    return i18n.t(key, _lang(), **params)


def _folder_signature(folder: Path) -> tuple[tuple[str, float, int], ...]:
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    return tuple((p.name, p.stat().st_mtime, p.stat().st_size) for p in files)


@st.cache_resource(show_spinner=False)
def _catalog(folder: str, signature: tuple[tuple[str, float, int], ...]) -> Catalog:
    return load_folder(folder)


def catalog() -> Catalog:
    """Models of frameworks/, reloaded when a file there changes."""
    folder = frameworks_dir()
    return _catalog(str(folder), _folder_signature(folder))


@st.cache_resource(show_spinner=False)
def uploaded_model(raw: bytes, name: str) -> LoadedModel:
    """Parse an uploaded model once per distinct file."""
    return load_model_bytes(raw, name)


def model_label(models: dict[str, LoadedModel], model_id: str, lang_code: str) -> str:
    """A model as a chair knows it: its title; version and id only where two models share a title."""
    m = models[model_id].model
    title = m.t(m.title, lang_code)
    same = sum(1 for other in models.values() if other.model.t(other.model.title, lang_code) == title)
    return title if same == 1 else f"{title} · {m.version} · {model_id}"


def plain(text: str) -> None:
    """Show user-typed text literally: never as Markdown or HTML."""
    st.text(text)


def escape_md(text: str) -> str:
    """Escape Markdown/HTML so user text can sit inside a Markdown string as itself."""
    out = []
    for ch in str(text):
        if ch in "\\`*_{}[]()#+-.!|>~<&$:":
            out.append("\\" + ch if ch not in "<>&" else {"<": "&lt;", ">": "&gt;", "&": "&amp;"}[ch])
        else:
            out.append(ch)
    return "".join(out)


@st.cache_resource(show_spinner=False)
def _store(url: str | None) -> Store:
    from maturity.store import Store

    s = Store(url)
    s.create_schema()
    return s


def store() -> Store:
    """The shared Store (schema upgraded once per process); a translated message and stop if unusable.

    A database made by a newer version of the app (``SchemaTooNew``, a ``MaturityError``) says so;
    any other failure gives ``failure.unavailable`` with an error id, the details in the server log.
    """
    try:
        return _store(os.environ.get("DATABASE_URL") or None)
    except MaturityError as exc:
        LOG.error("database refused: %s", exc)
        st.error(" ".join(exc.describe(_lang())))
        st.stop()
    except Exception as exc:
        st.error(failure_message(exc, "unavailable"))
        st.stop()


# -- failures: a translated message with an error id on the page, the details in the server log --------------

LOG = logging.getLogger("maturity.app")
if not LOG.handlers and not logging.getLogger().handlers:  # streamlit run configures only its own loggers
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    LOG.addHandler(_handler)


def _url_secrets() -> list[str]:
    """The password of DATABASE_URL, as typed and decoded: never logged, never shown."""
    url = os.environ.get("DATABASE_URL") or ""
    found = re.findall(r"://[^:/@]*:([^@/]+)@", url)
    try:
        from sqlalchemy.engine import make_url

        found.append(make_url(url).password or "")
    except Exception:  # a URL SQLAlchemy cannot parse has no password it could put into an error
        pass
    return [s for s in found if s]


def failure_message(exc: BaseException, kind: str) -> str:
    """Log ``exc`` under a new error id; the translated ``failure.<kind>`` message that quotes the id."""
    error_id = new_error_id()
    log_failure(LOG, error_id, kind, exc, hide=_url_secrets())
    return tr(f"failure.{kind}", id=error_id)


def details_hidden() -> bool:
    """True when browsers may not see exception details (.streamlit/config.toml: client.showErrorDetails)."""
    return str(st.get_option("client.showErrorDetails")) == "none"


@contextmanager
def guarded(flash: str | None = None, kind: str = "save", last_net: bool = False) -> Iterator[None]:
    """Around a database call (or as a decorator): a failure becomes a translated message with an error id.

    A storage error (see ``maturity.errors``) gives ``failure.<kind>``; our own refusals
    (``WorkshopError``, ``AssessmentInvalid``, …) pass on to the page's handler. In a script run the
    message is shown and the run stops. A widget callback runs before the script, so pass ``flash``:
    the message goes to ``st.session_state[flash]`` as ``("error", message)`` for the page to show, and
    the callback ends. Where nothing else would catch it (a callback, or ``last_net`` in app.py), any
    other exception gives ``failure.unexpected`` while browsers may not see details; otherwise it passes
    on and a developer sees it. st.stop / st.rerun are not exceptions and pass.
    """
    try:
        yield
    except ReadOnlyLink as exc:  # a write tried with the view link, refused by the core (an OSError too: first)
        _report(escape_md(" ".join(exc.describe(_lang()))), flash)
    except STORAGE_ERRORS as exc:
        _report(failure_message(exc, kind), flash)
    except FragmentHandledException:
        raise  # a fragment has shown its own failure already
    except MaturityError as exc:
        if flash is None:
            raise  # the page shows its own refusal
        # In a callback nothing else would catch it: the refusal is the message, not an "unexpected error".
        lines = exc.describe(_lang())
        _report("\n\n".join(escape_md(line) for line in lines), flash)
    except Exception as exc:
        if not (last_net or flash is not None) or not details_hidden():
            raise
        _report(failure_message(exc, "unexpected"), flash)


def _report(message: str, flash: str | None) -> None:
    if flash is not None:
        st.session_state[flash] = ("error", message)
        return
    st.error(message)
    st.stop()


@st.cache_resource(show_spinner=False, max_entries=64)
def _snapshot(sha256: str) -> LoadedModel | None:
    return store().get_model_snapshot(sha256)


def pinned_model(record: AssessmentRecord | Workshop) -> LoadedModel:
    """The exact model text an assessment was answered against."""
    loaded = _snapshot(record.model_sha256)
    if loaded is None:
        st.error(tr("store.model_missing"))
        st.stop()
    return loaded


def current_token() -> str | None:
    """The open assessment's token: ?a= first, then this browser tab's session."""
    token = st.query_params.get("a") or st.session_state.get("token")
    if token:
        st.session_state["token"] = token
        if st.query_params.get("a") != token:
            st.query_params["a"] = token  # the address bar is always the resume link
    return token


def open_token(token: str) -> None:
    """Make ``token`` the open assessment."""
    st.session_state["token"] = token
    st.query_params["a"] = token


@overload
def current_record(required: Literal[True] = True) -> AssessmentRecord: ...
@overload
def current_record(required: bool) -> AssessmentRecord | None: ...
def current_record(required: bool = True) -> AssessmentRecord | None:
    """The open assessment's record, or a message pointing to the start page (and stop)."""
    token = current_token()
    record = store().get_assessment(token) if token else None
    if record is None and required:
        if token:
            st.error(tr("assess.bad_link"))
            st.session_state.pop("token", None)
        else:
            st.info(tr("assess.none_open"))
        st.page_link(PAGES["start"], label=tr("nav.start"), icon="📝")
        st.stop()
    if record is not None and record.read_only:
        st.info(tr("viewlink.banner"), icon="👁️")
    return record


def viewing_read_only() -> bool:
    """True when this tab holds a read-only view link (pages that list or create assessments keep to it)."""
    token = st.query_params.get("a") or st.session_state.get("token")
    record = store().get_assessment(token) if token else None
    return record is not None and record.read_only


def org_label(org: dict[str, Any]) -> str:
    """The union's name for titles, or a placeholder."""
    return str(org.get("name") or tr("assess.unnamed"))


def _json_key(mapping: dict[str, Any]) -> str:
    import json

    return json.dumps(mapping, sort_keys=True, ensure_ascii=False)


@st.cache_data(max_entries=512, show_spinner=False)
def _chart_spec(sha256: str, answers_json: str, targets_json: str, lang_code: str, name: str) -> dict[str, Any]:
    import json

    from maturity import charts
    from maturity.scoring import score

    loaded = _snapshot(sha256)
    assert loaded is not None  # the page showing the chart has this snapshot (pinned_model)
    m = loaded.model
    answers = json.loads(answers_json)
    result = score(m, answers, json.loads(targets_json))
    extra = {"answers": answers} if name == "heatmap" else {}
    chart = getattr(charts, name)(m, result, lang_code, **extra)
    # The builders make valid specs (tests check them); skip altair's slow schema validation.
    return chart.to_dict(validate=False)


def chart_spec(sha256: str, answers: dict[str, Any], targets: dict[str, Any], lang_code: str, name: str,
               ) -> dict[str, Any]:
    """The Vega-Lite spec of one results chart, built once per distinct set of answers."""
    return _chart_spec(sha256, _json_key(answers), _json_key(targets), lang_code, name)


def answer_radio(model: MaturityModel, ind: Indicator, lang_code: str, key: str, current: Answer | None) -> None:
    """The anchored answers of one indicator as radio options: level name and number, the anchored text beneath.

    The text is the option's caption, so long anchored answers stand apart from each other
    on a desktop and on a phone alike. N/A where the indicator allows it.
    """
    from maturity.scoring import NA

    options: list[int | Literal["na"]] = [s.level for s in model.scale] + ([NA] if ind.allow_na else [])

    def label(v: int | Literal["na"]) -> str:
        # i18n.t with the captured language: a format_func may be called outside this run
        if v == NA:
            return i18n.t("q.na", lang_code)
        return i18n.t("choice.option", lang_code, name=escape_md(model.t(model.levels[v].name, lang_code)), level=v)

    captions = [escape_md(model.t(ind.answers[v], lang_code)) if v != NA else "" for v in options]
    index = next((k for k, v in enumerate(options) if v == current), None)  # a stored 2.0 is option 2
    st.radio(i18n.t("q.choose", lang_code), options, index=index,
             format_func=label, captions=captions, key=key, label_visibility="collapsed")


def essential_badge(ind: Indicator) -> str:
    """Markdown to put after a question's title: the 必备项 badge of an essential item, else nothing."""
    return f" :red-badge[{escape_md(tr('essential.label'))}]" if ind.essential else ""


def question_notes(model: MaturityModel, ind: Indicator) -> None:
    """Under a question: what a 必备项 means (essential items only) and the model's 佐证材料 list, as escaped text."""
    if ind.essential:
        st.caption(tr("essential_ui.question_note"))
    if ind.evidence:
        items = join_names([model.t(e, _lang()) for e in ind.evidence], _lang())
        st.caption(tr("essential_ui.evidence", items=escape_md(items)))


def step_progress(answered: int, total: int) -> str:
    """The progress mark under a step: done, n/total, or none yet (never a circle beside the radio's own)."""
    if answered >= total:
        return tr("step.done")
    return tr("step.partial", n=answered, total=total) if answered else tr("step.none", total=total)


def step_radio(label: str, names: list[str], marks: list[str], key: str, default: int) -> int:
    """A horizontal step selector whose option labels never change; ``marks`` are captions under them.

    Streamlit keeps a radio's value as its option's label, and the browser sends back the label
    it last drew: a label that changed since (progress in it, another language) comes back as a
    stray string, which is put back to this tab's last good step (else ``default``).
    """
    n = len(names)
    last = f"_{key}_last"

    def ok(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < n

    if not ok(st.session_state.get(key)):
        fallback = st.session_state.get(last)
        st.session_state[key] = fallback if ok(fallback) else min(max(default, 0), n - 1)
    shown = [tr("step.option", n=k + 1, name=escape_md(name)) for k, name in enumerate(names)]
    st.radio(label, range(n), format_func=lambda k: shown[k], captions=marks, horizontal=True, key=key)
    st.session_state[last] = st.session_state[key]
    return int(st.session_state[key])


def assessment_header(title: str, record: AssessmentRecord, model: MaturityModel) -> None:
    """Page title, the union's name (as text) and the model line of an open assessment."""
    st.title(title)
    st.markdown(f"#### {escape_md(org_label(record.organisation))}")
    st.caption(f"{model.t(model.title, _lang())} · {model.version} · {record.assessed_at}")


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes, line ends and '<' escaped)."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    return f'"{out}"'


def uploader_css(key: str, limit_mb: int, types: list[str], lang_code: str) -> str:
    """CSS that puts translated texts on the file uploader of widget ``key`` (Streamlit 1.67's own are English).

    Streamlit has no option for its uploader's "Upload" button, its "5MB per file • JSON" line or the
    size line of a refused file, so these are set to font-size 0 and the translation is drawn by
    ``::after``, scoped to the widget's ``st-key-`` container and the uploader's data-testids.
    """
    # the frontend's own rule for the container class: st-key- and the key, other characters as '-'
    scope = ".st-key-" + "".join(c if c.isascii() and (c.isalnum() or c in "_-") else "-" for c in key.strip())
    zone = f'{scope} [data-testid="stFileUploaderDropzone"]'
    types_text = join_names(types, lang_code)
    texts = {
        f'{zone} button [data-testid="stMarkdownContainer"] p': (i18n.t("friction.upload_button", lang_code), 0.875),
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] span':
            (i18n.t("friction.upload_limit", lang_code, mb=limit_mb, types=types_text), 0.875),
        f'{scope} [data-testid="stFileChip"][aria-invalid="true"] [data-testid="stFileChipName"] + div':
            (i18n.t("friction.upload_refused", lang_code, mb=limit_mb, types=types_text), 0.75),
    }
    rules = [f"{sel} {{font-size: 0;}}\n{sel}::after {{content: {_css_string(text)}; font-size: {rem}rem;"
             f" line-height: 1.6;}}" for sel, (text, rem) in texts.items()]
    return "\n".join(rules)


def uploader_texts(key: str, limit_mb: int, types: list[str]) -> None:
    """Translate the built-in texts of the file uploader ``key`` (call it next to ``st.file_uploader``)."""
    st.html(f"<style>\n{uploader_css(key, limit_mb, types, _lang())}\n</style>")
