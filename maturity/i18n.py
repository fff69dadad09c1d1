"""UI and message strings in zh-CN and English.

Strings live in ``maturity/locales/<part>.<lang>.yaml`` (one file per part of the
app, so that parts can be edited apart); a language's catalogue merges its files.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "catalogue",
    "normalise",
    "t",
]

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
_LOCALES = Path(__file__).with_name("locales")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All strings of one language, flattened to dotted keys."""
    flat: dict[str, str] = {}
    for path in sorted(_LOCALES.glob(f"*.{lang}.yaml")):
        with open(path, encoding="utf-8") as fh:
            part: dict[str, str] = {}
            # libyaml when present: the catalogue is read at every process start (CLI, PDF)
            _flatten(yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}, "", part)
        clash = set(part) & set(flat)
        if clash:
            raise ValueError(f"{path.name} repeats keys: {sorted(clash)}")
        flat.update(part)
    return flat


def _flatten(tree: dict[str, Any], prefix: str, out: dict[str, str]) -> None:
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, name + ".", out)
        else:
            out[name] = str(value)


def normalise(lang: str | None) -> str:
    """A supported language code for any input such as 'zh-CN', 'en_US' or None."""
    code = (lang or DEFAULT_LANGUAGE).replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """The string for ``key`` in ``lang``, formatted with ``params``.

    Falls back to the other language, then to the key itself, so a missing
    string shows up as its key instead of breaking a page.
    """
    lang = normalise(lang)
    template = catalogue(lang).get(key)
    if template is None:
        template = catalogue(DEFAULT_LANGUAGE).get(key, key)
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
