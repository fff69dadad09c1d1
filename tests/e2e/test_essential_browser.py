"""Issue 11, done when: a union answering 4 everywhere except one unmet 必备项 of the bundled model sees its
stage capped and told why — on the results page in chromium and in the PDF it downloads there."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from maturity.explain import item_name
from maturity.loader import load_model
from maturity.scoring import score
from maturity.store import Store
from tests.e2e.conftest import ROOT, app_server, shot

pytestmark = pytest.mark.e2e

NAME = "堃山机械厂工会"


@pytest.fixture(scope="module")
def capped(tmp_path_factory):
    """An assessment of frameworks/brand-union.yaml, stored before the app starts: every answer 4, the first 必备项 1."""
    loaded = load_model(ROOT / "frameworks" / "brand-union.yaml")
    model = loaded.model
    crit_id, (essential, *_) = next(iter(model.essentials.items()))
    answers = {i.id: 4 for i in model.indicators} | {essential.id: 1}
    folder = tmp_path_factory.mktemp("essential")
    url = f"sqlite:///{folder / 'app.db'}"
    store = Store(url)
    store.create_schema()
    record = store.create_assessment(loaded, {"name": NAME})
    store.save_answers(record.token, answers)
    store.dispose()
    result = score(model, answers)
    assert result.stage == 1 and result.criteria[crit_id].achieved == 1
    with app_server(url, folder / "app.log") as server:
        yield server, record.token, item_name(model, essential.id, "zh"), model.t(model.criterion_by_id[crit_id].name, "zh")


def test_the_results_page_and_its_pdf_say_which_essential_caps_the_stage(capped, page, tmp_path):
    server, token, question, criterion = capped
    sentence = f"必备项『{question}』仅达第 1 级，本准则最高计为第 1 级"
    page.goto(f"{server}/results?a={token}")
    page.get_by_role("heading", name="诊断结果").wait_for()
    page.get_by_text(NAME, exact=True).first.wait_for()
    page.get_by_text(sentence).first.wait_for()
    assert not page.locator('[data-testid="stException"]').count()
    shot(page, "essential-results")
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("PDF")).first.click()
    pdf = tmp_path / "report.pdf"
    info.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", sentence) in flat
    assert criterion in flat and NAME in flat
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "3", str(pdf),
                    str(Path(ROOT / "tests" / "artifacts" / "essential-pdf"))], check=True)
