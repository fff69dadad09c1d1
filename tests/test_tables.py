"""maturity.tables: roadmap rows, history, compare deltas, model document tables, exports and uploads."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from maturity import compare, tables
from maturity.advice import roadmap
from maturity.assessment import Assessment, AssessmentInvalid
from maturity.scoring import NA, score
from maturity.spreadsheet import assessment_to_excel

ANSWERS = {"leading.party": 1, "leading.model-workers": 2, "organising.membership": NA, "digital.platform": 1}


@pytest.fixture
def plan(tiny):
    """The tiny model's roadmap for ANSWERS (leading and digital have gaps)."""
    return roadmap(tiny.model, score(tiny.model, ANSWERS))


def test_roadmap_rows_follow_the_core_roadmap(tiny, plan):
    rows = tables.roadmap_rows(tiny.model, plan, "zh")
    assert [(r.criterion_id, r.from_level, r.title) for r in rows] == [
        (i.criterion_id, i.from_level, i.action.title["zh"]) for i in plan.items
    ]
    first = rows[0]
    assert (first.horizon, first.from_name, first.to_name, first.owner, first.effort) == (
        "quick", "起步", "规范", "工会主席", "low")
    assert first.tag_names == ("工作体系",)


def test_roadmap_rows_in_english(tiny, plan):
    rows = tables.roadmap_rows(tiny.model, plan, "en")
    assert rows[0].title == "Set up regular reporting to the Party committee"
    assert rows[0].criterion == "Leading power"
    assert tables.horizon_label("mid", "en") == "Mid term (3–12 months)"


@pytest.mark.parametrize(
    ("tags", "criteria", "expected"),
    [
        ((), (), 4),
        (("work-system",), (), 1),
        (("comms-system",), (), 1),
        (("work-system", "comms-system"), (), 2),
        ((), ("digital",), 1),
        (("comms-system",), ("digital",), 0),
    ],
)
def test_filter_roadmap(tiny, plan, tags, criteria, expected):
    rows = tables.roadmap_rows(tiny.model, plan, "zh")
    assert len(rows) == 4
    assert len(tables.filter_roadmap(rows, tags, criteria)) == expected


def test_roadmap_frame_has_translated_headers(tiny, plan):
    frame = tables.roadmap_frame(tables.roadmap_rows(tiny.model, plan, "zh"), "zh")
    assert list(frame.columns) == [
        "时间安排", "准则", "等级提升", "工作事项", "具体做法", "牵头人", "工作量", "所属体系"]
    assert frame.iloc[0]["等级提升"] == "起步 → 规范"
    assert frame.iloc[0]["时间安排"] == "近期（0–3 个月）"
    assert frame.iloc[-1]["工作量"] == "大"
    empty = tables.roadmap_frame([], "en")
    assert len(empty) == 0 and "Action" in empty.columns


def test_csv_has_bom_and_never_starts_a_formula(tiny, plan):
    frame = tables.roadmap_frame(tables.roadmap_rows(tiny.model, plan, "zh"), "zh")
    frame.iloc[0, 3] = "=HYPERLINK(\"x\")"
    raw = tables.csv_bytes(frame)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("时间安排,准则")
    assert "'=HYPERLINK" in text and "建立党委定期听取工会汇报制度" not in text.splitlines()[1]


def test_xlsx_keeps_text_as_text(tiny, plan):
    frame = tables.roadmap_frame(tables.roadmap_rows(tiny.model, plan, "zh"), "zh")
    frame.iloc[0, 3] = "=1+1"
    wb = load_workbook(io.BytesIO(tables.xlsx_bytes(frame, "路线图")))
    ws = wb["路线图"]
    assert ws["A1"].value == "时间安排"
    assert ws["D2"].value == "=1+1" and ws["D2"].data_type == "s"
    assert ws.max_row == len(frame) + 1


@pytest.mark.parametrize(
    ("org", "expected"),
    [
        ("某某公司工会", "某某公司工会-路线图-2026-11-26.csv"),
        ("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j-路线图-2026-11-26.csv"),
        ("", "路线图-2026-11-26.csv"),
        ("堃𠀋😀 工会", "堃𠀋😀 工会-路线图-2026-11-26.csv"),
    ],
)
def test_export_filename(org, expected):
    assert tables.export_filename(org, "路线图", "2026-11-26", "csv") == expected


# ---------------------------------------------------------------- history


def _entry(tiny, token, org, date, answers, created=0):
    result = score(tiny.model, answers)
    created_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=created)
    return compare.history_entry(token, org, date, created_at, tiny.model, result, "zh")


def test_history_entry_filter_and_frame(tiny):
    entries = [
        _entry(tiny, "a" * 20, "某某公司工会", "2025-01-01", ANSWERS),
        _entry(tiny, "b" * 20, "另一家工会", "2025-06-01", {}),
    ]
    assert entries[0].index == pytest.approx(score(tiny.model, ANSWERS).overall.index)
    assert entries[1].index is None and entries[1].stage == "—"
    assert [e.token for e in compare.filter_history(entries, " 某某 ")] == ["a" * 20]
    assert len(compare.filter_history(entries, "")) == 2
    assert compare.filter_history(entries, "ＡＢ") == []  # full-width folds, but nothing matches
    frame = compare.history_frame(entries, "zh")
    assert list(frame["工会名称"]) == ["某某公司工会", "另一家工会"]
    assert list(frame["综合指数"]) == [f"{entries[0].index:.1f}", "—"]


def test_index_series_has_one_line_per_union_with_two_points(tiny):
    entries = [
        _entry(tiny, "a" * 20, "甲工会", "2025-01-01", {"leading.party": 1}),
        _entry(tiny, "b" * 20, "甲工会", "2025-06-01", {"leading.party": 2}),
        _entry(tiny, "e" * 20, "甲工会", "2025-06-01", {"leading.party": 4}, created=5),  # same day, later
        _entry(tiny, "c" * 20, "乙工会", "2025-06-01", {"leading.party": 2}),  # one point: no line
        _entry(tiny, "d" * 20, "甲工会", "2025-07-01", {}),  # no index: not a point
    ]
    series = compare.index_series(entries, "zh")
    assert series.to_dict("records") == [
        {"评估日期": "2025-01-01", "工会名称": "甲工会", "综合指数": 0.0},
        {"评估日期": "2025-06-01", "工会名称": "甲工会", "综合指数": 100.0},
    ]
    assert list(compare.index_series([], "en").columns) == ["Date", "Union", "Overall index"]


@pytest.mark.parametrize(
    ("names", "expected"),
    [((), (0, 0)), (("甲",), (0, 0)), (("甲", "乙"), (1, 0)), (("甲", "乙", "甲"), (2, 0)), (("甲", "甲"), (1, 0))],
)
def test_default_pair_prefers_the_same_union(tiny, names, expected):
    entries = [_entry(tiny, f"{k:020d}", n, "2025-01-01", {}) for k, n in enumerate(names)]
    assert compare.default_pair(entries) == expected


# ---------------------------------------------------------------- compare


def test_compare_deltas_equal_the_scores(tiny):
    m = tiny.model
    old_answers = {"leading.party": 1, "leading.model-workers": 2, "digital.platform": 3}
    new_answers = {"leading.party": 3, "leading.model-workers": 2, "digital.platform": NA, "organising.membership": 4}
    old, new = score(m, old_answers), score(m, new_answers)
    cmp = compare.compare(m, old, old_answers, m, new, new_answers, "zh")
    assert cmp.same_model and cmp.same_version
    assert (cmp.unmatched_criteria, cmp.unmatched_indicators) == (0, 0)
    by_id = {d.criterion_id: d for d in cmp.criteria}
    for crit in m.criteria:
        d = by_id[crit.id]
        o, n = old.criteria[crit.id].score, new.criteria[crit.id].score
        assert d.old_index == o.index and d.new_index == n.index
        if o.index is not None and n.index is not None:
            assert d.delta_index == pytest.approx(n.index - o.index)
            assert d.delta_level == pytest.approx(n.level - o.level)
        else:
            assert d.delta_index is None
    assert cmp.overall.delta_index == pytest.approx(new.overall.index - old.overall.index)
    changes = {d.indicator_id: d.change for d in cmp.indicators}
    assert changes == {"leading.party": "↑", "leading.model-workers": "=", "organising.membership": "≠",
                       "digital.platform": "≠"}
    frame = compare.criteria_delta_frame(cmp, "zh")
    row = frame[frame["准则"] == "引领力"].iloc[0]
    assert row["指数变化"] == compare.signed(by_id["leading"].delta_index)
    assert row["指数变化"].startswith("↑ +")
    ind = compare.indicator_delta_frame(cmp, "zh")
    assert list(ind.iloc[0][["原答案", "现答案", "变化"]]) == ["1 起步", "3 体系", "↑"]
    assert len(compare.indicator_delta_frame(cmp, "zh", changed_only=True)) == 3
    assert "未答" in set(ind["原答案"]) and "不适用" in set(ind["现答案"])


def test_compare_different_models_matches_by_id(tiny, model_factory):
    other = model_factory([0, 1, 2], {"leading": [("leading.party", 1), ("x.only", 1)], "fresh": [("y", 1)]}).model
    old_answers = {"leading.party": 0, "x.only": 2, "y": 1}
    new_answers = {"leading.party": 4}
    cmp = compare.compare(other, score(other, old_answers), old_answers, tiny.model,
                         score(tiny.model, new_answers), new_answers, "en")
    assert not cmp.same_model and not cmp.same_version
    assert [d.criterion_id for d in cmp.criteria] == ["leading"]
    assert [d.indicator_id for d in cmp.indicators] == ["leading.party"]
    assert cmp.indicators[0].old_text == "0 等级0" and cmp.indicators[0].new_text == "4 Leading"
    assert cmp.criteria[0].delta_index == pytest.approx(100.0 - 50.0)  # old: (0 + 1) / 2 on 0–2
    # leading, organising, digital, fresh -> 3 unmatched; 4 tiny + x.only + y -> 5 unmatched
    assert (cmp.unmatched_criteria, cmp.unmatched_indicators) == (3, 5)


@pytest.mark.parametrize(
    ("delta", "shown"),
    [(None, "—"), (12.345, "↑ +12.3"), (-3.0, "↓ −3.0"), (0.0, "= 0.0"), (0.04, "= 0.0"), (-0.04, "= 0.0")],
)
def test_signed(delta, shown):
    assert compare.signed(delta) == shown


# ---------------------------------------------------------------- the model as a document


def test_scale_answers_and_actions_frames(tiny):
    m = tiny.model
    scale = tables.scale_frame(m, "zh")
    assert list(scale["星级"]) == ["★☆☆☆", "★★☆☆", "★★★☆", "★★★★"]
    assert scale.iloc[0]["说明"] == "有零散做法"
    answers = tables.answers_frame(m, m.indicator_by_id["digital.platform"], "en")
    assert list(answers["Anchored answer"]) == ["没有", "A WeChat account", "A service mini-programme",
                                                "Online and offline integrated"]
    actions = tables.actions_frame(m, m.criterion_by_id["leading"], "zh")
    assert list(actions["等级提升"]) == ["起步 → 规范", "规范 → 体系", "体系 → 引领"]
    assert list(actions["时间安排"]) == ["近期（0–3 个月）", "中期（3–12 个月）", "长期（1–3 年）"]


# ---------------------------------------------------------------- uploads


def _file(**over):
    data = json.loads((tables_root() / "tests/frameworks/tiny-assessment.json").read_text(encoding="utf-8"))
    data.update(over)
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def tables_root():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent


def test_read_upload_json(tiny):
    assessment, loaded = tables.read_upload(_file(), "x.json", [tiny])
    assert loaded is tiny
    assert assessment.answers == {"leading.party": 3, "leading.model-workers": 2, "organising.membership": "na",
                                  "digital.platform": 1}


def test_read_upload_lists_every_error(tiny):
    raw = _file(answers={"no.such": 2, "leading.party": 9, "digital.platform": "x"})
    with pytest.raises(AssessmentInvalid) as info:
        tables.read_upload(raw, "x.json", [tiny])
    keys = sorted(e.key for e in info.value.errors)
    assert keys == ["answers.digital.platform", "answers.leading.party", "answers.no.such"]


def test_read_upload_finds_the_model_even_when_the_file_is_broken(tiny, model_factory):
    other = model_factory([1, 2], {"c": [("i", 1)]})
    raw = _file(answers={"no.such": 2}, assessed_at="yesterday")
    with pytest.raises(AssessmentInvalid) as info:
        tables.read_upload(raw, "x.json", [other, tiny])
    codes = sorted(e.code for e in info.value.errors)
    assert codes == ["bad_date", "unknown_indicator"]


def test_read_upload_unknown_model(model_factory):
    with pytest.raises(AssessmentInvalid) as info:
        tables.read_upload(_file(), "x.json", [model_factory([1, 2], {"c": [("i", 1)]})])
    assert [e.code for e in info.value.errors] == ["model_not_found"]
    assert "tiny-example" in info.value.errors[0].message("zh")


def test_read_upload_prefers_the_same_version(tiny, model_factory):
    from maturity.loader import load_model_text

    newer = load_model_text(tiny.source.replace('version: "1.0"', 'version: "2.0"'), "newer.yaml")
    _, loaded = tables.read_upload(_file(), "x.json", [newer, tiny])
    assert loaded is tiny


def test_read_upload_excel_and_size(tiny):
    a = Assessment("tiny-example", "1.0", {"name": "工会"}, "2026-01-02", "zh", {"leading.party": 4}, {}, {})
    back, _ = tables.read_upload(assessment_to_excel(a, tiny.model, "zh"), "表.XLSX", [tiny])
    assert back.answers == {"leading.party": 4} and back.organisation == {"name": "工会"}
    with pytest.raises(AssessmentInvalid) as info:
        tables.read_upload(b" " * (tables.MAX_UPLOAD_BYTES + 1), "x.json", [tiny])
    assert info.value.errors[0].code == "too_big"
