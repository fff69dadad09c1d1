"""The home page lists models and shows broken model files instead of crashing."""

from __future__ import annotations

import shutil

from streamlit.testing.v1 import AppTest


def run_app(root, monkeypatch, folder=None, lang=None):
    if folder is not None:
        monkeypatch.setenv("MATURITY_FRAMEWORKS", str(folder))
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    return at.run()


def test_home_lists_models_and_broken_files(root, tmp_path, monkeypatch):
    shutil.copy(root / "tests/frameworks/tiny.yaml", tmp_path / "tiny.yaml")
    shutil.copy(root / "tests/frameworks/broken/missing-answer.yaml", tmp_path / "broken.yaml")
    at = run_app(root, monkeypatch, tmp_path)
    assert not at.exception
    assert at.title[0].value == "品牌工会建设成熟度自评"
    texts = " ".join(m.value for m in at.markdown)
    assert "小型示例模型" in texts and "引领力" in texts
    codes = " ".join(c.value for c in at.code)
    assert "broken.yaml:27:15: groups[0].criteria[0].indicators[0].answers: 缺少等级 2 的答案" in codes


def test_home_in_english(root, tmp_path, monkeypatch):
    shutil.copy(root / "tests/frameworks/tiny.yaml", tmp_path / "tiny.yaml")
    at = run_app(root, monkeypatch, tmp_path, lang="en")
    assert at.title[0].value == "Brand-Building Union Maturity Self-Check"
    assert "Tiny example model" in " ".join(m.value for m in at.markdown)


def test_home_with_no_models_warns(root, tmp_path, monkeypatch):
    at = run_app(root, monkeypatch, tmp_path)
    assert not at.exception
    assert at.warning and "没有可用的模型" in at.warning[0].value


def test_language_switch(root, tmp_path, monkeypatch):
    shutil.copy(root / "tests/frameworks/tiny.yaml", tmp_path / "tiny.yaml")
    at = run_app(root, monkeypatch, tmp_path)
    assert at.title[0].value == "品牌工会建设成熟度自评"
    at.sidebar.radio(key="lang_switch").set_value("en").run()
    assert at.title[0].value == "Brand-Building Union Maturity Self-Check"
