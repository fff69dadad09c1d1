"""Every page renders in both languages with an open assessment, without errors or untranslated keys."""

from __future__ import annotations

import re

import pytest

from maturity import i18n
from tests import helpers

PAGES = ["home", "start", "questionnaire", "results", "roadmap", "history", "transfer", "models", "workshop_host", "workshop"]
KEYS = set(i18n.catalogue("zh"))


def shown_text(at) -> list[str]:
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "error",
                 "success", "metric", "button", "radio", "selectbox", "text_input", "expander", "tabs"):
        for el in at.get(kind):
            for attr in ("value", "label", "body"):
                value = getattr(el, attr, None) if attr != "value" or kind not in ("radio", "selectbox",
                                                                                  "text_input") else None
                if isinstance(value, str):
                    out.append(value)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders(root, store, tiny, page, lang):
    record = store.create_assessment(store.get_model_snapshot(store.save_model_snapshot(tiny)),
                                     {"name": helpers.HOSTILE, "members": 12})
    store.save_answers(record.token, {"leading.party": 2, "leading.model-workers": 3, "organising.membership": "na"},
                       {"leading.party": "每季度听取汇报"})
    at = helpers.open_page(root, page, lang, record.token)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    texts = shown_text(at)
    assert texts, "the page shows nothing"
    leaked = [t for t in texts if t.strip() in KEYS]
    assert not leaked, f"untranslated catalogue keys on {page}: {leaked}"
    if lang == "en":
        # the English UI carries no Chinese of its own (the union's name and model texts may)
        own = [t for t in texts if re.search(r"[\u4e00-\u9fff]", t) and "粗体" not in t and t != "语言 Language"
               and "小型示例" not in t and not any(w in t for w in ("引领力", "组织力", "数智化", "三力", "五化",
                                                                 "工作体系", "传播体系", "没有", "每季度"))]
        assert not own, own


@pytest.mark.parametrize("url", ["postgresql://nobody@127.0.0.1:1/none", "sqlite:////proc/no-such-dir/x.db"])
def test_unreachable_database_gets_a_clear_message(root, tmp_path, monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("MATURITY_FRAMEWORKS", str(root / "frameworks"))
    at = helpers.open_page(root, "questionnaire", token="A" * 24)
    assert not at.exception, at.exception
    assert at.error and "数据库暂时无法使用" in at.error[0].value and "错误编号 E-" in at.error[0].value
    assert "nobody" not in at.error[0].value  # the URL (it may hold a password) is not shown
