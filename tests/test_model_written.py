"""Text fields take the scalar as written (issue 11, format addition 5); a quoted number is refused where a number goes.

YAML 1.1 reads ``No``/``On``/``yes`` as booleans and ``1.10`` as the number 1.1. Where the format
expects text, the loader takes the plain scalar exactly as the author wrote it.
"""

from __future__ import annotations

import pytest

from maturity import i18n
from maturity.loader import ModelLoadError, load_model_text
from maturity.scoring import score
from tests.conftest import TEST_FRAMEWORKS

TINY = (TEST_FRAMEWORKS / "tiny.yaml").read_text(encoding="utf-8")


def edited(*pairs: tuple[str, str]) -> str:
    text = TINY
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_yaml_1_1_words_and_numbers_stay_as_written_in_text_fields():
    loaded = load_model_text(edited(
        ('version: "1.0"', "version: 1.10"),
        ('en: "No"}', "en: No}"),
        ("name: {zh: 起步, en: Starting}", "name: {zh: 起步, en: On}"),
        ("2: {zh: 偶尔开展, en: Occasionally}", "2: yes"),
        ("help: {zh: 查看党委会议纪要。, en: Look at the committee minutes.}", "help: {zh: 1e3, en: 0x1F}"),
    ))
    m = loaded.model
    assert m.version == "1.10"  # not 1.1
    assert m.indicator_by_id["leading.model-workers"].answers[1] == {"zh": "未开展", "en": "No"}
    assert m.t(m.indicator_by_id["leading.model-workers"].answers[2], "zh") == "yes"
    assert m.levels[1].name == {"zh": "起步", "en": "On"}
    assert m.indicator_by_id["leading.party"].help == {"zh": "1e3", "en": "0x1F"}


def test_the_same_file_quoted_loads_the_same_model_and_scores_the_same():
    plain = load_model_text(edited(('en: "No"}', "en: No}"))).model
    quoted = load_model_text(TINY).model
    assert plain.indicators == quoted.indicators
    answers = {i.id: 3 for i in quoted.indicators}
    assert score(plain, answers).overall.index == score(quoted, answers).overall.index


@pytest.mark.parametrize(("old", "new", "path", "line"), [
    ("        weight: 2\n        target_level: 4", '        weight: "2"\n        target_level: 4',
     "groups[0].criteria[0].weight", 29),
    ("target_level: 3\ntags:", "target_level: '3'\ntags:", "target_level", 17),
    ("  - level: 2\n", '  - level: "2"\n', "scale[1].level", 11),
])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_quoted_number_where_a_number_goes_is_an_error_that_says_so(old, new, path, line, lang):
    with pytest.raises(ModelLoadError) as caught:
        load_model_text(edited((old, new)), "m.yaml")
    [err] = [e for e in caught.value.errors if e.code == "quoted_number"]
    assert (err.file, err.line, err.path) == ("m.yaml", line, path)
    message = i18n.t(f"model_error.{err.code}", lang, **err.params)
    assert {"zh": "不要加引号", "en": "without quotes"}[lang] in message


def test_quoted_text_that_is_not_a_number_is_left_to_the_schema():
    with pytest.raises(ModelLoadError) as caught:
        load_model_text(edited(("        weight: 2\n        target_level: 4", '        weight: "heavy"\n        target_level: 4')))
    assert "quoted_number" not in {e.code for e in caught.value.errors}
