"""Chart builders: valid Vega-Lite, the core's numbers in the data, labels in the right language, PNG/SVG."""

from __future__ import annotations

import random

import pytest

from maturity import charts, i18n
from maturity.aggregate import aggregate
from maturity.explain import fmt_index
from maturity.loader import load_model
from maturity.scoring import NA, Answer, score

BUILDERS = ("radar", "groups_bar", "gap_bars", "heatmap", "tags_bar")


def datasets(chart) -> dict[str, list[dict]]:
    """The chart's rows by dataset name."""
    return chart.to_dict()["datasets"]


@pytest.fixture(scope="module")
def brand(root):
    """The main model, frameworks/brand-union.yaml."""
    return load_model(root / "frameworks" / "brand-union.yaml")


@pytest.fixture(scope="module")
def tiny_answers() -> dict:
    """Answers of the tiny model: one criterion answered, one all N/A, one low-confidence."""
    return {"leading.party": 3, "leading.model-workers": 2, "organising.membership": NA, "digital.platform": 1}


@pytest.fixture(scope="module")
def brand_answers(brand) -> dict:
    """Mixed answers to brand-union with some N/A and one question left out."""
    rng = random.Random(4)
    ids = [i.id for i in brand.model.indicators]
    answers: dict[str, Answer] = {i: rng.choice([1, 2, 3, 3, 4, 5]) for i in ids}
    answers[ids[4]] = answers[ids[5]] = answers[ids[6]] = NA
    del answers[ids[12]]
    return answers


@pytest.mark.parametrize("builder", BUILDERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_builders_give_valid_vega_lite(builder, lang, tiny, brand, tiny_answers, brand_answers):
    for loaded, answers in ((tiny, tiny_answers), (brand, brand_answers)):
        result = score(loaded.model, answers)
        spec = getattr(charts, builder)(loaded.model, result, lang).to_dict()  # validates against the schema
        assert "vega-lite" in spec["$schema"]
        assert spec["config"]["font"] == charts.FONT


def test_radar_holds_current_target_and_comparison(brand, brand_answers):
    model = brand.model
    result = score(model, brand_answers)
    earlier = score(model, {k: 1 for k in brand_answers})
    points = datasets(charts.radar(model, result, "zh", compare=earlier, compare_label="2025 年自评"))["points"]
    n = len(model.criteria)
    for key, res, attr in (("current", result, "level"), ("target", result, "target"), ("compare", earlier, "level")):
        rows = [p for p in points if p["key"] == key]
        assert len(rows) == n + 1  # closed polygon
        assert rows[0]["value"] == rows[-1]["value"]
        for row, crit in zip(rows, model.criteria, strict=False):
            cr = res.criteria[crit.id]
            expected = cr.score.level if attr == "level" else cr.target
            assert row["id"] == crit.id and row["value"] == pytest.approx(expected)
    assert {p["series"] for p in points} == {"当前水平", "目标水平", "2025 年自评"}
    tips = [t for name, rows in datasets(charts.radar(model, result, "zh")).items() if name.startswith("tips")
            for t in rows]
    assert {t["text"].split("\n")[0] for t in tips} == {model.t(c.name, "zh") for c in model.criteria}
    assert {"引领力", "组织力", "服务力", "数智化"} <= {t["text"].split("\n")[0] for t in tips}
    # English names longer than 12 characters take two lines, broken at a space, so a side label stays on the chart
    en = {t["text"] for name, rows in datasets(charts.radar(model, result, "en")).items() if name.startswith("tips")
          for t in rows}
    assert {t.rsplit("\n", 1)[0].replace("\n", " ") for t in en} == {model.t(c.name, "en") for c in model.criteria}
    assert all(len(line) <= 17 for t in en for line in t.split("\n")[:-1])


def test_radar_rings_follow_the_scale(model_factory):
    loaded = model_factory(list(range(0, 10)), {"a": [("a.1", 1)], "b": [("b.1", 1)], "c": [("c.1", 1)]})
    result = score(loaded.model, {"a.1": 9, "b.1": 0, "c.1": 4.5})
    data = datasets(charts.radar(loaded.model, result, "zh"))
    assert [r["text"] for r in data["ring_labels"]] == [str(n) for n in range(10)]
    current = [p for p in data["points"] if p["key"] == "current"]
    assert [p["value"] for p in current[:3]] == [9, 0, 4.5]


def test_groups_bar_has_group_and_criterion_indices(brand, brand_answers):
    model = brand.model
    result = score(model, brand_answers)
    data = datasets(charts.groups_bar(model, result, "zh"))
    for n, group in enumerate(model.groups):
        rows = data[f"criteria_{n}"]
        assert [r["id"] for r in rows] == [c.id for c in group.criteria]
        for r in rows:
            assert r["index"] == pytest.approx(result.criteria[r["id"]].score.index)
            assert r["label"] == fmt_index(result.criteria[r["id"]].score.index)
        assert data[f"group_{n}"][0]["group_index"] == pytest.approx(result.groups[group.id].index)
    spec = charts.groups_bar(model, result, "zh").to_dict()
    assert [p["title"]["text"].split()[0] for p in spec["hconcat"]] == ["三力", "五化"]


def test_gap_bars_in_priority_order_with_low_confidence_marked(tiny, tiny_answers):
    model = tiny.model
    result = score(model, tiny_answers, {"digital": 3})
    rows = datasets(charts.gap_bars(model, result, "zh"))["criteria"]
    assert [r["id"] for r in rows] == charts.priority_order(model, result)
    assert [r["id"] for r in rows][: len(result.priorities)] == list(result.priorities)
    for r in rows:
        cr = result.criteria[r["id"]]
        assert r["level"] == cr.score.level and r["target"] == cr.target and r["low_confidence"] == cr.low_confidence
    low = next(r for r in rows if r["id"] == "organising")
    assert low["low_confidence"] and "低置信" in low["note"] and "无数据" in low["note"]
    en = datasets(charts.gap_bars(model, result, "en"))["criteria"]
    assert "low confidence" in next(r for r in en if r["id"] == "organising")["note"]


def test_heatmap_marks_answers_na_and_unanswered(tiny):
    model = tiny.model
    answers = {"leading.party": 3, "leading.model-workers": 2.6, "organising.membership": NA}
    result = score(model, answers)
    cells = datasets(charts.heatmap(model, result, "zh", answers=answers))["cells"]
    assert len(cells) == len(model.indicators) * (len(model.scale) + 2)
    hit = {c["id"]: c for c in cells if c["kind"] != "empty"}
    assert hit["leading.party"]["column"] == "3" and hit["leading.party"]["text"] == "3"
    assert hit["leading.model-workers"]["column"] == "3" and hit["leading.model-workers"]["text"] == "2.6"
    assert hit["organising.membership"]["kind"] == "na" and hit["organising.membership"]["column"] == "不适用"
    assert hit["digital.platform"]["kind"] == "unanswered" and hit["digital.platform"]["column"] == "未答"
    # Without the answers, N/A is read from the criterion's counts.
    guessed = datasets(charts.heatmap(model, result, "en"))["cells"]
    kinds = {c["id"]: c["kind"] for c in guessed if c["kind"] != "empty"}
    assert kinds["organising.membership"] == "na" and kinds["digital.platform"] == "unanswered"


def test_tags_bar_holds_tag_indices(brand, brand_answers):
    model = brand.model
    result = score(model, brand_answers)
    rows = datasets(charts.tags_bar(model, result, "zh"))["tags"]
    assert [r["name"] for r in rows] == ["工作体系", "品牌体系", "传播体系"]
    for r in rows:
        assert r["index"] == pytest.approx(result.tags[r["id"]].index)


def test_distribution_counts_and_disagreement(tiny):
    model = tiny.model
    people = [{"leading.party": v, "digital.platform": 2} for v in (1, 1, 4, 4)] + [{"leading.party": NA}]
    aggs = aggregate(model, people)
    chart = charts.distribution(model, aggs, ["leading.party", "digital.platform"], "zh")
    data = datasets(chart)
    counts = {(r["id"], r["level"]): r["count"] for r in data["counts"]}
    assert counts[("leading.party", 1)] == 2 and counts[("leading.party", 4)] == 2
    assert counts[("leading.party", None)] == 1  # N/A
    assert counts[("digital.platform", 2)] == 4
    assert all(r["count"] > 0 for r in data["counts"])  # a zero count draws no segment
    # the segments of a question lie end to end from 0, in level order, N/A last
    party = [r for r in data["counts"] if r["id"] == "leading.party"]
    assert [(r["x0"], r["x1"]) for r in party] == [(0, 2), (2, 4), (4, 5)]
    summary = {r["id"]: r for r in data["summaries"]}
    assert summary["leading.party"]["disagreement"] and "有分歧" in summary["leading.party"]["summary"]
    assert not summary["digital.platform"]["disagreement"]
    assert summary["leading.party"]["colour"] == charts._kit.RED and summary["digital.platform"]["colour"] == "#333333"


def test_distribution_puts_each_question_above_its_bar(brand):
    """No y axis of labels to squeeze the bars: the question (numbered, whole) is a text layer over the plot."""
    model = brand.model
    ids = [i.id for i in model.criteria[0].indicators]
    people = [dict.fromkeys(ids, v) for v in (1, 3, 5)]
    aggs = aggregate(model, people, consensus={ids[0]: 3})
    spec = charts.distribution(model, aggs, ids, "zh").to_dict()  # validated against the Vega-Lite schema
    assert all(layer["encoding"]["y"].get("axis", "none") is None for layer in spec["layer"])
    summaries = {r["id"]: r for r in spec["datasets"][spec["layer"][2]["data"]["name"]]}
    first = summaries[ids[0]]
    assert first["question"] == "1.1 " + model.t(model.indicator_by_id[ids[0]].question, "zh")
    assert first["wrapped"].replace("\n", "") .rstrip("…") in first["question"]
    assert "共识 3 级" in first["summary"] and "有分歧" in first["summary"]
    assert len(first["summary"]) <= 40  # one short line under the bar, even on a phone
    legend = spec["layer"][0]["encoding"]["color"]["legend"]
    assert legend["columns"] == 3  # wraps instead of running off a phone's screen


def _bar_widths(svg: str) -> list[float]:
    """The widths of the bars vl-convert drew (paths 'M x,y h W v H h -W Z' of the rect marks)."""
    import re

    rects = svg[svg.index('class="mark-rect'):]
    rects = rects[:rects.index("</g>")]
    return [float(w) for w in re.findall(r'aria-roledescription="bar" d="M[-\d.]+,[-\d.]+h([\d.]+)', rects)]


@pytest.mark.parametrize("width", [312, 800])
def test_distribution_bars_fill_a_phone_and_a_projector(brand, width):
    """Drawn at a 360 px phone's plot width (312 px) and on a wide screen, the bars take the width."""
    import vl_convert

    model = brand.model
    ids = [i.id for i in model.criteria[0].indicators]
    people = [dict(zip(ids, v, strict=True)) for v in ([1, 2, 3, 3], [3, 3, 4, 4], [5, 4, 4, NA])]
    aggs = aggregate(model, people)
    spec = charts.distribution(model, aggs, ids, "zh").to_dict()
    spec["width"] = width
    charts._kit.register_fonts()
    widths = _bar_widths(vl_convert.vegalite_to_svg(spec))
    flat = [r["count"] for r in spec["datasets"][spec["layer"][0]["data"]["name"]]]
    assert len(widths) == len(flat) and min(widths) > 0
    unit = width / 3  # three people answered each question: a full row is the plot's width
    assert widths == pytest.approx([c * unit for c in flat], abs=1.5)


@pytest.mark.parametrize(("text", "em", "want"), [
    ("短问题", 24, "短问题"),
    ("一二三四五六七八九十", 4, "一二三四\n五六七…"),
    ("一二三四五六七八", 4, "一二三四\n五六七八"),
    ("How far does the union lead", 5, "How far\ndoes…"),  # Latin text breaks at spaces
    ("How far does the union lead", 8, "How far does\nthe union lead"),
])
def test_wrap_breaks_a_question_into_two_short_lines(text, em, want):
    from maturity.charts._distribution import wrap

    assert wrap(text, em) == want


def test_labels_follow_the_language(tiny, tiny_answers):
    result = score(tiny.model, tiny_answers)
    en = charts.radar(tiny.model, result, "en").to_dict()
    text = str(en)
    assert "Leading power" in text and "Current" in text and "Target" in text
    assert "引领力" not in text and "当前水平" not in text


def test_stars_and_level_names(tiny, model_factory):
    assert charts.stars(tiny.model, 3) == "★★★☆"
    assert charts.stars(tiny.model, None) == "☆☆☆☆"
    ten = model_factory(list(range(0, 10)), {"a": [("a.1", 1)]}).model
    assert charts.stars(ten, 0) == "★" + "☆" * 9
    assert charts.level_name(tiny.model, 2, "en") == "Defined"


def test_to_png_and_svg_render_chinese(tiny, tiny_answers, tmp_path):
    result = score(tiny.model, tiny_answers)
    png = charts.to_png(charts.gap_bars(tiny.model, result, "zh"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000
    (tmp_path / "gap.png").write_bytes(png)
    svg = charts.to_svg(charts.radar(tiny.model, result, "zh"))
    assert svg.startswith("<svg") and "引领力" in svg and f'font-family="{charts.FONT}"' in svg


def test_heatmap_colours_cells_by_level_with_a_named_legend(brand, brand_answers):
    model = brand.model
    answers = dict(brand_answers)
    missing = next(i.id for i in model.indicators if i.id not in answers)
    result = score(model, answers)
    chart = charts.heatmap(model, result, "zh", answers=answers)
    cells = [c for c in datasets(chart)["cells"] if c["kind"] != "empty"]
    by_level: dict[str, set[str]] = {}
    for c in cells:
        by_level.setdefault(c["column"], set()).add(c["fill"])
    level_fills = [by_level[str(lv)] for lv in range(model.lmin, model.lmax + 1) if str(lv) in by_level]
    assert all(len(f) == 1 for f in level_fills)  # one colour per level
    assert len({next(iter(f)) for f in level_fills}) == len(level_fills) >= 3  # and a different one for each
    na = {c["fill"] for c in cells if c["kind"] == "na"}
    none = {c["fill"] for c in cells if c["id"] == missing}
    assert len(na) == len(none) == 1 and na != none and not (na | none) & {next(iter(f)) for f in level_fills}
    spec = chart.to_dict()
    legends = [layer["encoding"]["color"] for layer in spec["layer"] if "legend" in layer.get("encoding", {}).get("color", {})]
    assert legends, "the heatmap needs a legend"
    domain = legends[0]["scale"]["domain"]
    assert domain[: len(model.scale)] == [f"{s.level} {model.t(s.name, 'zh')}" for s in model.scale]
    assert domain[-2:] == ["不适用", "未答"]


@pytest.mark.parametrize("n", range(2, 11))
def test_heatmap_text_is_legible_on_every_cell_colour(model_factory, n):
    loaded = model_factory(list(range(1, n + 1)), {"a": [(f"a.{k}", 1) for k in range(1, n + 1)] + [("a.na", 1)],
                                                   "b": [("b.1", 1)]})
    answers = {f"a.{k}": k for k in range(1, n + 1)} | {"a.na": NA}
    chart = charts.heatmap(loaded.model, score(loaded.model, answers), "en", answers=answers)
    hits = [c for c in datasets(chart)["cells"] if c["kind"] != "empty"]
    assert {c["kind"] for c in hits} == {"answer", "na", "unanswered"}
    for c in hits:
        assert charts.contrast(c["fill"], c["text_colour"]) >= 4.5, c
    fills = [c["fill"] for c in hits if c["kind"] == "answer"]
    assert len(set(fills)) == n  # sequential: one step per level


def test_history_chart_reads_dates_level(tiny):
    points = [{"date": "2025-01-10", "union": "甲工会", "index": 40.0}, {"date": "2025-09-10", "union": "甲工会", "index": 55.5}]
    spec = charts.index_history(points, "zh").to_dict()
    x = spec["layer"][0]["encoding"]["x"]
    assert x["type"] == "temporal" and x["axis"]["labelAngle"] == 0 and x["timeUnit"]["utc"] is True
    assert spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == [0, 100]
    assert datasets(charts.index_history(points, "zh"))["points"] == points


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_heatmap_rows_are_told_apart_without_internal_ids(brand, brand_answers, lang):
    model = brand.model
    chart = charts.heatmap(model, score(model, brand_answers), lang, answers=brand_answers)
    labels = list(dict.fromkeys(c["indicator"] for c in datasets(chart)["cells"]))
    assert len(labels) == len(model.indicators)
    assert not [label for label in labels if any(i.id in label for i in model.indicators)]
    assert chart.to_dict()["width"]["step"] >= 11 * 0.6 * len(i18n.t("chart.unanswered", lang))
