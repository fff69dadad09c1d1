"""Every page renders in both languages with an open assessment, without errors or untranslated keys."""

from __future__ import annotations

import re

import pytest

from maturity import i18n
from pages._registry import REGISTRY, page_url
from tests import helpers

PAGES = [p.key for p in REGISTRY]
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


def test_the_registry_names_every_page_once(root):
    scripts = sorted(f"pages/{p.name}" for p in (root / "pages").glob("*.py") if not p.name.startswith("_"))
    assert sorted(p.path for p in REGISTRY) == scripts
    for field in ("key", "path", "url_path"):
        values = [getattr(p, field) for p in REGISTRY]
        assert len(set(values)) == len(values), field
    assert [p.key for p in REGISTRY if p.default] == ["home"]
    assert all(p.title_key in KEYS and p.title_key in i18n.catalogue("en") for p in REGISTRY)


def test_app_builds_its_navigation_from_the_registry(root):
    source = (root / "app.py").read_text(encoding="utf-8")
    assert "REGISTRY" in source and "st.Page(\"" not in source


@pytest.mark.parametrize(("key", "site", "query", "url"), [
    ("workshop", "", {}, "/workshop"),
    ("workshop", "https://x.example", {"w": "ABC234"}, "https://x.example/workshop?w=ABC234"),
    ("workshop_host", "", {"w": "ABC234", "k": "a-b_c"}, "/workshop_host?w=ABC234&k=a-b_c"),
])
def test_page_url(key, site, query, url):
    assert page_url(key, site, **query) == url


@pytest.mark.parametrize("url", ["postgresql://nobody@127.0.0.1:1/none", "sqlite:////proc/no-such-dir/x.db"])
def test_unreachable_database_gets_a_clear_message(root, tmp_path, monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("MATURITY_FRAMEWORKS", str(root / "frameworks"))
    at = helpers.open_page(root, "questionnaire", token="A" * 24)
    assert not at.exception, at.exception
    assert at.error and "数据库暂时无法使用" in at.error[0].value and "错误编号 E-" in at.error[0].value
    assert "nobody" not in at.error[0].value  # the URL (it may hold a password) is not shown
