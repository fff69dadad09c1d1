"""maturity.display: every number, level and list as people read it, in zh and en (hand-written cases)."""

from __future__ import annotations

import pytest

from maturity import display
from maturity.display import (
    fmt_index,
    fmt_level,
    join_names,
    join_spaced,
    label_value,
    level_label,
    level_name,
    level_name_or_number,
    list_sep,
    stars,
)


@pytest.mark.parametrize(("value", "shown"), [
    (None, "—"), (0.0, "0.0"), (62.5, "62.5"), (62.45, "62.5"), (100, "100.0"), (33.333, "33.3"),
])
def test_fmt_index(value, shown):
    assert fmt_index(value) == shown


@pytest.mark.parametrize(("value", "shown"), [(None, "—"), (1, "1.0"), (2.25, "2.2"), (2.26, "2.3"), (-0.5, "-0.5")])
def test_fmt_level(value, shown):
    assert fmt_level(value) == shown


@pytest.mark.parametrize(("level", "shown"), [(None, "☆☆☆☆"), (1, "★☆☆☆"), (3, "★★★☆"), (4, "★★★★"), (9, "★★★★"),
                                               (0, "☆☆☆☆")])
def test_stars_on_the_tiny_scale(tiny, level, shown):
    assert stars(tiny.model, level) == shown


def test_stars_on_a_scale_from_zero(model_factory):
    ten = model_factory(list(range(0, 10)), {"a": [("a.1", 1)]}).model
    assert stars(ten, 0) == "★" + "☆" * 9


@pytest.mark.parametrize(("level", "lang", "name", "or_number"), [
    (2, "zh", "规范", "规范"),
    (2, "en", "Defined", "Defined"),
    (4, "en", "Leading", "Leading"),
    (7, "zh", "", "7"),
    (7, "en", "", "7"),
])
def test_level_names_and_their_fallbacks(tiny, level, lang, name, or_number):
    assert level_name(tiny.model, level, lang) == name
    assert level_name_or_number(tiny.model, level, lang) == or_number


def test_level_name_of_no_level_is_empty(tiny):
    assert level_name(tiny.model, None, "en") == ""


@pytest.mark.parametrize(("value", "lang", "shown"), [
    (None, "zh", "—"),
    (3, "zh", "3 体系"),
    (3.0, "en", "3 Systematic"),
    (2.5, "en", "2.5"),
    (7, "en", "7"),
])
def test_level_label(tiny, value, lang, shown):
    assert level_label(tiny.model, value, lang) == shown


@pytest.mark.parametrize(("names", "lang", "shown"), [
    (["引领力", "组织力"], "zh", "引领力、组织力"),
    (["Leading", "Organising", "Service"], "en", "Leading, Organising, Service"),
    (["one"], "en", "one"),
    ([], "zh", ""),
])
def test_join_names(names, lang, shown):
    assert join_names(names, lang) == shown
    assert join_names(iter(names), lang) == shown


@pytest.mark.parametrize(("lang", "sep"), [("zh", "、"), ("en", ", ")])
def test_list_sep(lang, sep):
    assert list_sep(lang) == sep


def test_all_names_the_public_functions():
    public = {n for n in vars(display) if not n.startswith("_") and n not in {"annotations", "Iterable", "MaturityModel"}}
    assert set(display.__all__) == public


@pytest.mark.parametrize(("lang", "shown"), [("zh", "引领力：62.5"), ("en", "Leading: 62.5")])
def test_label_value(lang, shown):
    assert label_value(shown.split("：")[0].split(":")[0], "62.5", lang) == shown


@pytest.mark.parametrize(("items", "lang", "shown"), [
    (["三力：60.0", "五化：50.0"], "zh", "三力：60.0\u3000\u3000五化：50.0"),
    (["Powers: 60.0", "Systems: 50.0"], "en", "Powers: 60.0    Systems: 50.0"),
    ([], "en", ""),
])
def test_join_spaced(items, lang, shown):
    assert join_spaced(items, lang) == shown


@pytest.mark.parametrize(("value", "shown"), [(None, "—"), (0.0, "0.00"), (0.5, "0.50"), (1.2345, "1.23")])
def test_fmt_sd(value, shown):
    assert display.fmt_sd(value) == shown


@pytest.mark.parametrize(("lang", "shown"), [("zh", "规范（2）"), ("en", "Defined (2)")])
def test_parenthesised(lang, shown):
    assert display.parenthesised("规范" if lang == "zh" else "Defined", "2", lang) == shown
