"""Streamlit glue shared by the pages: language, cached core objects, safe text display."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import streamlit as st

from maturity import i18n
from maturity.loader import Catalog, LoadedModel, load_folder, load_model_bytes

ROOT = Path(__file__).resolve().parent.parent


def frameworks_dir() -> Path:
    """The model folder: MATURITY_FRAMEWORKS, else frameworks/ of the repo."""
    return Path(os.environ.get("MATURITY_FRAMEWORKS") or ROOT / "frameworks")


def lang() -> str:
    """The current UI language: session, then ?lang=, then the browser's locale."""
    if "lang" not in st.session_state:
        asked = st.query_params.get("lang")
        locale = getattr(st.context, "locale", None)
        st.session_state["lang"] = i18n.normalise(asked or locale or i18n.DEFAULT_LANGUAGE)
    return st.session_state["lang"]


def tr(key: str, **params: Any) -> str:
    """A UI string in the current language."""
    return i18n.t(key, lang(), **params)


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
