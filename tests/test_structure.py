"""House rules: the core never imports streamlit; the public API is listed; catalogues match."""

from __future__ import annotations

import subprocess
import sys

import maturity
from maturity import i18n


def test_core_does_not_import_streamlit(root):
    code = (
        "import sys, pkgutil, importlib, maturity\n"
        "for m in pkgutil.walk_packages(maturity.__path__, 'maturity.'):\n"
        "    if m.name != 'maturity.__main__': importlib.import_module(m.name)\n"
        "print('streamlit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_exported_members():
    for name in maturity.__all__:
        assert hasattr(maturity, name), name


def test_both_languages_have_every_key():
    zh, en = i18n.catalogue("zh"), i18n.catalogue("en")
    assert set(zh) == set(en), {"missing in en": set(zh) - set(en), "missing in zh": set(en) - set(zh)}
    for key in zh:
        assert zh[key].strip() and en[key].strip(), key


def test_placeholders_match_between_languages():
    import string

    fmt = string.Formatter()
    zh, en = i18n.catalogue("zh"), i18n.catalogue("en")
    for key in zh:
        names_zh = {f for _, f, _, _ in fmt.parse(zh[key]) if f}
        names_en = {f for _, f, _, _ in fmt.parse(en[key]) if f}
        assert names_zh == names_en, key


def test_t_falls_back_and_formats():
    assert i18n.t("model_error.missing_answer", "zh-CN", level=3) == "缺少等级 3 的答案"
    assert i18n.t("model_error.missing_answer", "en_US", level=3) == "no answer for level 3"
    assert i18n.t("no.such.key", "en") == "no.such.key"


def test_ruff_is_clean(root):
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "concise", "."], cwd=root,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
