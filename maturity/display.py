"""How numbers, levels and lists are written for people: one home for pages, tables, charts and reports.

- numbers: :func:`fmt_index` (0–100), :func:`fmt_level` (a level or a gap), one decimal or a dash;
  :func:`fmt_sd` (a workshop's spread), two decimals or a dash
- levels: :func:`stars`, :func:`level_name` ('' when undefined, for labels that may be empty),
  :func:`level_name_or_number` (the number when undefined, for table cells that must say something),
  :func:`level_label` ('3 Defined', or '2.5' between levels)
- lists: :func:`join_names` with :func:`list_sep` — '、' in Chinese, ', ' otherwise; :func:`label_value`
  ('引领力：62.5' / 'Leading: 62.5'), :func:`parenthesised` ('规范（2）' / 'Defined (2)') and
  :func:`join_spaced` (facts on one line, set apart by wide spaces)
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import MaturityModel

__all__ = [
    "DASH",
    "fmt_index",
    "fmt_level",
    "fmt_sd",
    "join_names",
    "join_spaced",
    "label_value",
    "level_label",
    "level_name",
    "level_name_or_number",
    "list_sep",
    "parenthesised",
    "stars",
]

DASH = "—"


def fmt_index(value: float | None) -> str:
    """An index as shown everywhere (pages, PDF): one decimal, or a dash."""
    return DASH if value is None else f"{value:.1f}"


def fmt_level(value: float | None) -> str:
    """A level as shown everywhere: one decimal, or a dash."""
    return DASH if value is None else f"{value:.1f}"


def fmt_sd(value: float | None) -> str:
    """A standard deviation of answers (a workshop's spread): two decimals, or a dash."""
    return DASH if value is None else f"{value:.2f}"


def stars(model: MaturityModel, level: int | None) -> str:
    """A level as stars, one per scale step: level 3 of 1–5 is '★★★☆☆' (cadres know star ratings)."""
    n = model.lmax - model.lmin + 1
    filled = 0 if level is None else max(0, min(n, level - model.lmin + 1))
    return "★" * filled + "☆" * (n - filled)


def level_name(model: MaturityModel, level: int | None, lang: str) -> str:
    """The scale's name of a whole level ('' when undefined)."""
    if level is None or level not in model.levels:
        return ""
    return model.t(model.levels[level].name, lang)


def level_name_or_number(model: MaturityModel, level: int, lang: str) -> str:
    """The scale's name of a whole level, or the level's number when the scale has no such level."""
    return model.t(model.levels[level].name, lang) if level in model.levels else str(level)


def level_label(model: MaturityModel, value: float | None, lang: str) -> str:
    """A level with its name ('3 Defined'), a value between levels or off the scale as a number ('2.5'), or a dash."""
    if value is None:
        return DASH
    v = float(value)
    if v.is_integer() and int(v) in model.levels:
        return f"{v:g} {model.t(model.levels[int(v)].name, lang)}".rstrip()  # a level without a name: '3'
    return f"{v:g}"


def list_sep(lang: str) -> str:
    """The separator of a list of names: the enumeration comma '、' in Chinese, ', ' otherwise."""
    return "、" if lang == "zh" else ", "


def join_names(names: Iterable[str], lang: str) -> str:
    """Names as one list in ``lang``: 'A、B、C' or 'A, B, C'."""
    return list_sep(lang).join(names)


def label_value(label: str, value: str, lang: str) -> str:
    """A label and its value: '引领力：62.5' with the full-width colon in Chinese, 'Leading: 62.5' otherwise."""
    return f"{label}：{value}" if lang == "zh" else f"{label}: {value}"


def parenthesised(text: str, note: str, lang: str) -> str:
    """A text with a note in brackets: '规范（2）' with full-width brackets in Chinese, 'Defined (2)' otherwise."""
    return f"{text}（{note}）" if lang == "zh" else f"{text} ({note})"


def join_spaced(items: Iterable[str], lang: str) -> str:
    """Facts on one line, set apart by two ideographic spaces in Chinese, four spaces otherwise."""
    return ("\u3000\u3000" if lang == "zh" else "    ").join(items)
