"""In chromium, the file uploader reads in the page's language (Streamlit draws its own texts in English)."""

from __future__ import annotations

import pytest

from maturity import i18n, limits
from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e

BUTTON = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
LIMIT = '[data-testid="stFileUploaderDropzoneInstructions"] span'
REFUSED = '[data-testid="stFileChip"][aria-invalid="true"] [data-testid="stFileChipName"] + div'

SHOWN = """sel => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const own = getComputedStyle(el).fontSize === '0px' ? '' : el.textContent;
    const after = getComputedStyle(el, '::after').content;
    return own + (after && after !== 'none' ? JSON.parse(after) : '');
}"""


def _shown(page, selector: str) -> str:
    page.wait_for_selector(selector)
    return page.evaluate(SHOWN, selector)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_uploader_texts_follow_the_language(server, page, tmp_path, lang):
    page.goto(f"{server}/transfer?lang={lang}")
    assert _shown(page, BUTTON) == i18n.t("friction.upload_button", lang)
    types = "JSON、XLSX、ZIP" if lang == "zh" else "JSON, XLSX, ZIP"  # .zip: the bundle with its evidence files
    mb = limits.UPLOAD_MB_BUNDLE
    assert _shown(page, LIMIT) == i18n.t("friction.upload_limit", lang, mb=mb, types=types)
    bad = tmp_path / "notes.txt"
    bad.write_text("not an assessment", encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    assert _shown(page, REFUSED) == i18n.t("friction.upload_refused", lang, mb=mb, types=types)
    shot(page, f"friction-uploader-{lang}")


def test_model_uploader_in_chinese(server, page):
    page.goto(f"{server}/models?lang=zh")
    page.get_by_role("tab").nth(1).click()
    assert _shown(page, BUTTON) == "选择文件"
    assert _shown(page, LIMIT) == "单个文件不超过 1 MB · YAML"
