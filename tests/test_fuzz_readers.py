"""Bounded fuzzing of every reader of a user's file: only our own error types may come out.

The model loader (YAML), the assessment JSON reader and the Excel reader each get random and
mutated input; each test is bounded by ``max_examples`` and a per-example deadline so that all
of them together stay well under 20 s.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from maturity.assessment import Assessment, AssessmentInvalid, parse_bytes
from maturity.loader import LoadedModel, ModelLoadError, load_model, load_model_bytes, load_model_text
from maturity.spreadsheet import assessment_from_excel, assessment_to_excel

ROOT = Path(__file__).resolve().parent.parent
TINY = load_model(ROOT / "tests/frameworks/tiny.yaml")
TINY_TEXT = (ROOT / "tests/frameworks/tiny.yaml").read_text(encoding="utf-8")
GOOD_JSON = (ROOT / "tests/frameworks/tiny-assessment.json").read_text(encoding="utf-8")
GOOD_XLSX = assessment_to_excel(parse_bytes(GOOD_JSON.encode(), TINY.model), TINY.model, "zh")

BOUNDED = settings(max_examples=60, deadline=10_000, database=None,  # a generous deadline: the machine is shared
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces of YAML that have broken readers: nesting, tags, merge keys, anchors, odd numbers and dates.
YAML_PIECES = ["- ", "[", "]", "{", "}", ", ", "a: ", "? ", ": ", "\n", "  ", "!!int ", "!!float ", "!!bool ",
               "!!timestamp ", "!!binary ", "!custom ", "!!python/name:os.system ", "! ", "!!str ", "<<: ",
               "&x ", "*x ", "'", '"', "|\n", ">\n", "#", "%YAML 1.1\n", "---\n", "...\n", "1:2:3", "0x1F", "1e999",
               "2020-13-45", "9" * 80, ".nan", "~", "yes", "\\0", "\t", "\ufeff", "堃", "😀", "\x85"]
yaml_soup = st.lists(st.sampled_from(YAML_PIECES), max_size=200).map("".join)
nested = st.integers(min_value=1, max_value=400).flatmap(
    lambda n: st.sampled_from(["- " * n, "[" * n, "{a: " * n, "".join(" " * i + "a:\n" for i in range(n))]))


def _model_only_our_errors(call) -> None:
    try:
        result = call()
    except ModelLoadError as exc:
        assert exc.errors and all(e.line >= 1 and e.col >= 1 for e in exc.errors)
        assert all(isinstance(e.format("zh"), str) for e in exc.errors)
    else:
        assert isinstance(result, LoadedModel)


@BOUNDED
@given(st.one_of(yaml_soup, nested, st.text(max_size=300)))
def test_model_loader_raises_only_model_errors(text):
    _model_only_our_errors(lambda: load_model_text(text, "fuzz.yaml"))


@BOUNDED
@given(st.integers(min_value=0, max_value=len(TINY_TEXT)), yaml_soup)
def test_a_mutated_model_raises_only_model_errors(at, piece):
    _model_only_our_errors(lambda: load_model_text(TINY_TEXT[:at] + piece + TINY_TEXT[at:], "fuzz.yaml"))


@BOUNDED
@given(st.binary(max_size=300))
def test_model_bytes_raise_only_model_errors(raw):
    _model_only_our_errors(lambda: load_model_bytes(raw, "fuzz.yaml"))


def _assessment_only_our_errors(call) -> None:
    try:
        result = call()
    except AssessmentInvalid as exc:
        assert exc.errors
        assert all(isinstance(e.message("zh"), str) and isinstance(exc.describe("zh", TINY.model), list)
                   for e in exc.errors)
    else:
        assert isinstance(result, Assessment)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
    | st.sampled_from(["na", "leading.party", "tiny-example", "maturity-assessment/1", "\x00", "2020-13-45"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["format", "model", "id", "version", "organisation", "name", "members", "answers", "notes",
                         "targets", "language", "assessed_at", "leading.party", "leading", "x"]) | st.text(max_size=8),
        children, max_size=5),
    max_leaves=30,
)
JSON_PIECES = ["{", "}", "[", "]", ",", ":", '"', '"format"', '"maturity-assessment/1"', "1" * 80, "-", "1e999",
               "NaN", "Infinity", "null", "true", "\\u0000", "\\ud800", "\n", " "]


@BOUNDED
@given(st.one_of(
    json_values.map(lambda v: json.dumps(v).encode()),
    st.lists(st.sampled_from(JSON_PIECES), max_size=200).map(lambda parts: "".join(parts).encode()),
    st.integers(min_value=1, max_value=5000).map(lambda n: b"[" * n + b"]" * n),
    st.binary(max_size=200),
))
def test_json_reader_raises_only_assessment_errors(raw):
    _assessment_only_our_errors(lambda: parse_bytes(raw, TINY.model))
    _assessment_only_our_errors(lambda: parse_bytes(raw, None))


@BOUNDED
@given(st.integers(min_value=0, max_value=len(GOOD_JSON)), st.lists(st.sampled_from(JSON_PIECES), max_size=20))
def test_a_mutated_json_file_raises_only_assessment_errors(at, parts):
    raw = (GOOD_JSON[:at] + "".join(parts) + GOOD_JSON[at:]).encode()
    _assessment_only_our_errors(lambda: parse_bytes(raw, TINY.model))


cell_values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**15, max_value=10**15), st.floats(allow_nan=True),
    st.text(max_size=40), st.sampled_from(["=1+2", "=A1", "na", "不适用", "３", "leading.party", "format", "\x00"]),
    st.datetimes(), st.dates(),
)
cells = st.lists(st.tuples(st.sampled_from(["answers", "meta"]), st.integers(1, 12), st.integers(1, 7), cell_values),
                 max_size=25)


@settings(BOUNDED, max_examples=30)
@given(cells)
def test_excel_reader_raises_only_assessment_errors(changes):
    from openpyxl import load_workbook

    wb: Workbook = load_workbook(io.BytesIO(GOOD_XLSX))
    for sheet, row, col, value in changes:
        try:
            wb[sheet].cell(row=row, column=col).value = value
        except (ValueError, IllegalCharacterError):  # openpyxl's own refusals: not our reader's case
            continue
    out = io.BytesIO()
    try:
        wb.save(out)
    except (ValueError, OverflowError, AttributeError, TypeError):  # openpyxl's writer cannot save it
        assume(False)
    _assessment_only_our_errors(lambda: assessment_from_excel(out.getvalue(), TINY.model))


@settings(BOUNDED, max_examples=40)
@given(st.lists(st.tuples(st.integers(0, len(GOOD_XLSX) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_a_damaged_excel_file_raises_only_assessment_errors(flips):
    raw = bytearray(GOOD_XLSX)
    for at, byte in flips:
        raw[at] = byte
    _assessment_only_our_errors(lambda: assessment_from_excel(bytes(raw), TINY.model))
