"""UI and message strings in zh-CN and English, kept in ``maturity/locales/*.yaml``."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
_LOCALES = Path(__file__).with_name("locales")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All strings of one language, flattened to dotted keys."""
    with open(_LOCALES / f"{lang}.yaml", encoding="utf-8") as fh:
        tree = yaml.safe_load(fh)
    flat: dict[str, str] = {}
    _flatten(tree, "", flat)
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
