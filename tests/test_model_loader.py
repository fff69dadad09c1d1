"""The maturity-model/1 loader: valid files, every broken case with its exact line, folders."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from maturity.loader import ModelLoadError, load_folder, load_model, load_model_bytes, load_model_text

BROKEN = Path(__file__).parent / "frameworks" / "broken"


def test_tiny_model_loads_with_structure(tiny):
    m = tiny.model
    assert m.id == "tiny-example"
    assert [g.id for g in m.groups] == ["powers", "modernisations"]
    assert [c.id for c in m.criteria] == ["leading", "organising", "digital"]
    assert (m.lmin, m.lmax) == (1, 4)
    assert m.criterion_by_id["leading"].weight == 2
    assert m.indicator_by_id["leading.party"].allow_na is False
    assert m.t(m.criterion_by_id["leading"].name, "en") == "Leading power"
    # a plain string means the default language; other languages fall back to it
    assert m.t(m.indicator_by_id["digital.platform"].answers[1], "en") == "没有"
    assert len(tiny.sha256) == 64


@pytest.mark.parametrize(
    ("file", "line", "col", "path", "text"),
    [
        ("syntax-error.yaml", 24, 26, "", "YAML syntax error: mapping values are not allowed"),
        ("wrong-format.yaml", 1, 9, "format", "format 'maturity-model/2' is not supported"),
        ("unknown-key.yaml", 24, 13, "groups[0].criteria[0].indicators[0].questoin",
         "unknown key 'questoin'; did you mean 'question'?"),
        ("duplicate-id.yaml", 30, 17, "groups[0].criteria[0].indicators[1].id", "duplicate indicator id 'c.one'"),
        ("missing-answer.yaml", 27, 15, "groups[0].criteria[0].indicators[0].answers", "no answer for level 2"),
        ("undeclared-tag.yaml", 25, 20, "groups[0].criteria[0].indicators[0].tags[0]",
         "tag 'brand-system' is not declared"),
        ("non-consecutive-scale.yaml", 11, 12, "scale[2].level", "expected 3, got 4"),
        ("negative-weight.yaml", 25, 21, "groups[0].criteria[0].indicators[0].weight", "must be greater than 0"),
        ("alias-bomb.yaml", 3, 8, "", "anchors and aliases"),
        ("latin1.yaml", 3, 11, "", "not UTF-8"),
        ("merge-key.yaml", 5, 1, "", "merge keys (<<) are not supported"),
        ("custom-tag.yaml", 4, 8, "", "YAML tag '!custom' is not supported"),
        ("python-tag.yaml", 4, 8, "", "YAML tag '!!python/name:os.system' is not supported"),
        ("bad-int.yaml", 5, 15, "target_level", "'abc' is not a valid int value"),
        ("bad-timestamp.yaml", 4, 8, "", "YAML tag '!!timestamp' is not supported"),
        ("long-number.yaml", 5, 15, "target_level", "more than 64 digits"),
        ("long-version.yaml", 3, 10, "version", "at most 200 characters"),
    ],
)
def test_broken_model_reports_exact_place(file, line, col, path, text):
    with pytest.raises(ModelLoadError) as info:
        load_model(BROKEN / file)
    matching = [e for e in info.value.errors if (e.line, e.col, e.path) == (line, col, path)]
    assert matching, [e.format() for e in info.value.errors]
    assert text in matching[0].message("en")
    formatted = matching[0].format()
    assert formatted.startswith(f"{BROKEN / file}:{line}:{col}: ")


def test_broken_messages_are_translated():
    with pytest.raises(ModelLoadError) as info:
        load_model(BROKEN / "missing-answer.yaml")
    assert info.value.errors[0].message("zh") == "缺少等级 2 的答案"


def test_valid_base_of_the_corpus_loads():
    assert load_model(BROKEN / "_valid.yaml").model.id == "broken-case"


def test_all_errors_of_a_file_are_reported_at_once():
    text = (BROKEN / "_valid.yaml").read_text(encoding="utf-8")
    text = text.replace("tags: [work-system]", "tags: [nope]").replace("              3: 丙\n", "")
    text = text.replace("title: 测试", "titel: 测试")
    with pytest.raises(ModelLoadError) as info:
        load_model_text(text, "x.yaml")
    codes = {e.code for e in info.value.errors}
    assert {"undeclared_tag", "missing_answer", "unknown_key_hint", "pyd.missing"} <= codes
    lines = [e.line for e in info.value.errors]
    assert lines == sorted(lines)


def test_alias_bomb_is_refused_fast():
    start = time.perf_counter()
    with pytest.raises(ModelLoadError):
        load_model(BROKEN / "alias-bomb.yaml")
    assert time.perf_counter() - start < 1.0  # a bomb expanded would take far longer than this


def test_two_mebibyte_file_is_refused():
    raw = b"format: maturity-model/1\n" + b"# padding\n" * (2 * 1024 * 1024 // 10)
    with pytest.raises(ModelLoadError) as info:
        load_model_bytes(raw, "big.yaml")
    assert info.value.errors[0].code == "yaml.too_big"
    assert "larger than 1048576 bytes" in info.value.errors[0].message("en")


def test_duplicate_yaml_keys_are_errors():
    text = (BROKEN / "_valid.yaml").read_text(encoding="utf-8").replace('version: "1"', 'version: "1"\nversion: "2"')
    with pytest.raises(ModelLoadError) as info:
        load_model_text(text, "x.yaml")
    assert [(e.line, e.code) for e in info.value.errors] == [(4, "yaml.duplicate_key")]


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("title: 测试", "title: {en: Test}", "text_no_default"),
        ("title: 测试", "title: {zh: 测试, zn: 测试}", "undeclared_language"),
        ('id: broken-case', 'id: Broken_Case', "pyd.string_pattern_mismatch"),
        ("              1: 甲", "              1: 甲\n              7: 庚", "answer_off_scale"),
        ("      - id: c\n", "      - id: c\n        target_level: 9\n", "level_off_scale"),
        ("        name: 准则\n", "        name: 准则\n        actions:\n          3:\n            - {title: 顶级, horizon: quick}\n",
         "action_level"),
        ("        name: 准则\n", "        name: 准则\n        actions:\n          1:\n            - {title: 做, horizon: soon}\n",
         "pyd.literal_error"),
        ("  - level: 1", "  - level: true", "pyd.int_type"),
        ("languages: [zh, en]", "languages: zh", "pyd.list_type"),
    ],
)
def test_cross_checks(old, new, code):
    text = (BROKEN / "_valid.yaml").read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(ModelLoadError) as info:
        load_model_text(text.replace(old, new), "x.yaml")
    assert code in {e.code for e in info.value.errors}, [e.format() for e in info.value.errors]


def test_scale_bounds():
    text = (BROKEN / "_valid.yaml").read_text(encoding="utf-8")
    one_level = text.replace("  - level: 2\n    name: 中\n  - level: 3\n    name: 高\n", "")
    with pytest.raises(ModelLoadError) as info:
        load_model_text(one_level, "x.yaml")
    assert "pyd.too_short" in {e.code for e in info.value.errors}


def test_missing_translation_is_a_warning_not_an_error():
    loaded = load_model(BROKEN / "_valid.yaml")
    assert loaded.warnings
    assert all(w.code == "missing_translation" for w in loaded.warnings)


def test_folder_loads_good_files_and_lists_broken_ones(tmp_path):
    (tmp_path / "good.yaml").write_bytes((BROKEN / "_valid.yaml").read_bytes())
    (tmp_path / "bad.yaml").write_bytes((BROKEN / "missing-answer.yaml").read_bytes().replace(b"broken-case", b"other"))
    (tmp_path / "latin.yml").write_bytes((BROKEN / "latin1.yaml").read_bytes())
    catalog = load_folder(tmp_path)
    assert list(catalog.models) == ["broken-case"]
    assert sorted(Path(p).name for p in catalog.broken) == ["bad.yaml", "latin.yml"]


def test_seven_level_model_with_three_groups_no_tags_no_actions_scores(tmp_path):
    levels = range(0, 7)
    groups = []
    for g in range(3):
        groups.append(f"  - id: g{g}\n    name: 组{g}\n    criteria:\n")
        for c in range(2):
            groups.append(f"      - id: c{g}{c}\n        name: 准则{g}{c}\n        indicators:\n")
            groups.append(f"          - id: i{g}{c}\n            question: 问{g}{c}\n            answers:\n")
            groups.append("".join(f"              {lv}: 答{lv}\n" for lv in levels))
    text = (
        "format: maturity-model/1\nid: seven-levels\nversion: '7'\ntitle: 七级\nlanguages: [zh]\nscale:\n"
        + "".join(f"  - level: {lv}\n    name: L{lv}\n" for lv in levels)
        + "groups:\n" + "".join(groups)
    )
    from maturity.advice import roadmap
    from maturity.scoring import score

    model = load_model_text(text, "seven.yaml").model
    result = score(model, {"i00": 6, "i01": 3, "i10": 0, "i11": "na"})
    assert result.criteria["c00"].score.index == pytest.approx(100.0)
    assert result.criteria["c01"].score.level == pytest.approx(3.0)
    assert result.overall.value == pytest.approx((1 + 0.5 + 0) / 3)
    assert result.stage == 0
    assert len(roadmap(model, result)) == 0
