"""The maturity-assessment/1 file: round trip and every kind of bad input, named by key."""

from __future__ import annotations

import json

import pytest

from maturity.assessment import Assessment, AssessmentInvalid, parse, parse_bytes, read_json


def good(**changes):
    data = {
        "format": "maturity-assessment/1",
        "model": {"id": "tiny-example", "version": "1.0"},
        "organisation": {"name": "某某公司工会", "members": 320},
        "assessed_at": "2026-11-26",
        "language": "zh",
        "answers": {"leading.party": 3, "organising.membership": "na"},
        "notes": {"leading.party": "每季度党委会听取工会汇报"},
        "targets": {"leading": 4},
    }
    data.update(changes)
    return data


def test_round_trip(tiny, root):
    a = read_json(root / "tests/frameworks/tiny-assessment.json", tiny.model)
    assert a.answers["organising.membership"] == "na"
    again = parse(json.loads(a.to_json()), tiny.model)
    assert again == a
    assert "某某公司工会" in a.to_json()  # written as real UTF-8, not \\u escapes


@pytest.mark.parametrize(
    ("changes", "key", "fragment"),
    [
        ({"answers": {"leading.nope": 3}}, "answers.leading.nope", "no indicator with this id"),
        ({"answers": {"leading.party": 7}}, "answers.leading.party", "outside the scale (1–4)"),
        ({"answers": {"leading.party": "3"}}, "answers.leading.party", "is not a level"),
        ({"answers": {"leading.party": True}}, "answers.leading.party", "is not a level"),
        ({"answers": {"leading.party": "na"}}, "answers.leading.party", "cannot be answered N/A"),
        ({"answers": []}, "answers", "must be an object"),
        ({"targets": {"nope": 3}}, "targets.nope", "no criterion"),
        ({"targets": {"leading": 0}}, "targets.leading", "outside the scale"),
        ({"notes": {"leading.party": 5}}, "notes.leading.party", "must be text"),
        ({"assessed_at": "26/11/2026"}, "assessed_at", "not a date"),
        ({"organisation": {"members": -3}}, "organisation.members", "whole number"),
        ({"model": {"id": "other", "version": "1"}}, "model.id", "is for model 'other'"),
        ({"model": "tiny"}, "model", "must be an object"),
        ({"extra": 1}, "extra", "unknown key"),
        ({"format": "maturity-assessment/0"}, "format", "not supported"),
    ],
)
def test_bad_assessments_name_the_key(tiny, changes, key, fragment):
    with pytest.raises(AssessmentInvalid) as info:
        parse(good(**changes), tiny.model)
    messages = [e.message("en") for e in info.value.errors]
    assert any(m.startswith(f"{key}: ") and fragment in m for m in messages), messages
    assert all(e.message("zh") for e in info.value.errors)


def test_all_errors_reported_together(tiny):
    with pytest.raises(AssessmentInvalid) as info:
        parse(good(answers={"x": 1, "leading.party": 9}, targets={"y": 1}), tiny.model)
    assert {e.key for e in info.value.errors} == {"answers.x", "answers.leading.party", "targets.y"}


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"{not json", "bad_json"),
        (b"\xff\xfe{}", "not_utf8"),
        (b"[]", "not_object"),
        (b" " * (3 * 1024 * 1024), "too_big"),
    ],
)
def test_bad_bytes(raw, code):
    with pytest.raises(AssessmentInvalid) as info:
        parse_bytes(raw)
    assert info.value.errors[0].code == code


def test_without_model_only_types_are_checked():
    a = parse(good(answers={"anything": 2}))
    assert isinstance(a, Assessment) and a.answers == {"anything": 2}


@pytest.mark.parametrize(
    ("raw", "code", "params"),
    [
        (b'{"a": ' + b"[" * 3000 + b"]" * 3000 + b"}", "too_deep", {"line": 1, "col": 70, "limit": 64}),
        (b'{"a":\n' + b"[" * 100 + b"]" * 100 + b"}", "too_deep", {"line": 2, "col": 64, "limit": 64}),
        (b'{"format": "maturity-assessment/1",\n "n": ' + b"7" * 5000 + b"}", "long_number",
         {"line": 2, "col": 7, "limit": 64}),
        (b'{"format": "maturity-assessment/1", "format": "x"}', "duplicate_key", {"key": "format"}),
        (b'{"answers": {"leading.party": 1, "leading.party": 4}}', "duplicate_key", {"key": "leading.party"}),
    ],
    ids=["3,000 deep", "100 deep", "5,000 digits", "duplicate top key", "duplicate answer"],
)
def test_hostile_json_is_a_located_translated_error(tiny, raw, code, params):
    with pytest.raises(AssessmentInvalid) as info:
        parse_bytes(raw, tiny.model)
    (err,) = info.value.errors
    assert (err.code, err.params) == (code, params)
    assert err.message("zh") != err.message("en") and "assessment_error." not in err.message("zh")


def test_a_deep_json_message_reads_well_in_chinese(tiny):
    with pytest.raises(AssessmentInvalid) as info:
        parse_bytes(b"[" * 3000, tiny.model)
    assert info.value.errors[0].message("zh") == "第 1 行第 65 列：嵌套层数超过 64 层，本工具不读取这样的文件"


def test_values_quoted_in_messages_are_clipped(tiny):
    with pytest.raises(AssessmentInvalid) as info:
        parse(good(answers={"leading.party": "很" * 10_000}, assessed_at=[[1]]), tiny.model)
    texts = [e.message("en") for e in info.value.errors]
    assert all(len(x) < 200 for x in texts), texts


def test_members_beyond_the_forms_limit_are_refused(tiny):
    with pytest.raises(AssessmentInvalid) as info:
        parse(good(organisation={"name": "工会", "members": 10**12}), tiny.model)
    assert info.value.errors[0].message("zh") == "organisation.members: 不能超过 10000000"


def test_chairs_read_question_numbers_not_ids(tiny):
    from maturity.assessment import describe

    with pytest.raises(AssessmentInvalid) as info:
        parse(good(answers={"organising.membership": 9}, targets={"leading": 9}), tiny.model)
    zh = sorted(describe(e, tiny.model, "zh") for e in info.value.errors)
    en = sorted(describe(e, tiny.model, "en") for e in info.value.errors)
    q = tiny.model.indicator_by_id["organising.membership"].question
    assert zh == sorted([f"2.1 {q['zh'][:19]}…：等级 9 超出量表范围（1–4）" if len(q["zh"]) > 20 else
                         f"2.1 {q['zh']}：等级 9 超出量表范围（1–4）",
                         "1 引领力（目标等级）：等级 9 超出量表范围（1–4）"])
    assert "1 Leading power (target level): level 9 is outside the scale (1–4)" in en
    assert all("organising.membership" not in x for x in zh + en)
