"""The model browser: a model read as a document, uploads checked with every located error, broken files."""

from __future__ import annotations

import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from maturity.loader import ModelLoadError, load_model_bytes
from pages._ui import escape_md
from tests import helpers

YAML_MIME = "application/x-yaml"


@pytest.fixture
def folder(root, tmp_path, monkeypatch):
    """A model folder with the tiny model and one broken file; a fresh database."""
    fw = tmp_path / "frameworks"
    fw.mkdir()
    shutil.copy(root / "tests/frameworks/tiny.yaml", fw / "tiny.yaml")
    shutil.copy(root / "tests/frameworks/broken/missing-answer.yaml", fw / "broken.yaml")
    monkeypatch.setenv("MATURITY_FRAMEWORKS", str(fw))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/t.db")
    return fw


def open_page(root, lang: str = "zh") -> AppTest:
    return helpers.open_page(root, "models", lang)


def upload(at: AppTest, name: str, raw: bytes) -> AppTest:
    return at.file_uploader(key="models_upload").set_value((name, raw, YAML_MIME)).run()


@pytest.mark.parametrize(("lang", "title", "header"), [("zh", "模型浏览", "小型示例模型"),
                                                       ("en", "Models", "Tiny example model")])
def test_renders_in_both_languages(root, folder, lang, title, header):
    at = open_page(root, lang)
    assert not at.exception
    assert at.title[0].value == title
    assert at.header[0].value == escape_md(header)


def test_reads_the_model_as_a_document(root, folder, tiny):
    at = open_page(root)
    m = tiny.model
    scale = at.table[0].value
    assert list(scale["星级"]) == ["★☆☆☆", "★★☆☆", "★★★☆", "★★★★"]
    assert list(scale["名称"]) == ["起步", "规范", "体系", "引领"]
    texts = " ".join(md.value for md in at.markdown)
    for ind in m.indicators:
        assert escape_md(ind.question["zh"]) in texts
    # one answers table per indicator, then the actions of the criteria that have them
    answers = at.table[1].value
    assert list(answers["对照描述"]) == [escape_md(x) for x in ("没有固定安排", "每年听取一次", "每季度听取一次",
                                                                   "每季度听取并督办落实")]
    captions = " ".join(c.value for c in at.caption)
    assert escape_md("查看依据：查看党委会议纪要。") in captions
    actions = [t.value for t in at.table if "措施" in t.value.columns]
    assert [len(a) for a in actions] == [3, 1]
    assert list(actions[0]["时间安排"]) == ["近期（0–3 个月）", "中期（3–12 个月）", "长期（1–3 年）"]


def test_upload_of_a_broken_model_lists_every_error_with_its_place(root, folder, tiny):
    source = tiny.source.replace("weight: 2\n        target_level: 4", "weight: -2\n        target_levle: 4")
    source = source.replace("              4: {zh: 90% 及以上, en: 90% or more}\n", "")
    raw = source.encode("utf-8")
    with pytest.raises(ModelLoadError) as info:
        load_model_bytes(raw, "我的模型.yaml")
    assert len(info.value.errors) >= 3
    at = upload(open_page(root), "我的模型.yaml", raw)
    assert not at.exception
    shown = at.code[0].value.splitlines()
    assert shown == [e.format("zh") for e in info.value.errors]
    assert all(re.match(r"我的模型\.yaml:\d+:\d+: ", line) for line in shown)
    assert any("target_levle" in line and "target_level" in line for line in shown)
    assert "models_use" not in [b.key for b in at.button]


def test_upload_of_a_syntax_error_shows_line_and_column(root, folder):
    raw = (root / "tests/frameworks/broken/syntax-error.yaml").read_bytes()
    at = upload(open_page(root, "en"), "syntax-error.yaml", raw)
    assert not at.exception
    assert at.code[0].value.startswith("syntax-error.yaml:24:26: ")


def test_upload_of_a_valid_model_starts_a_self_check(root, folder, tiny):
    raw = tiny.source.replace("id: tiny-example", "id: my-union-model").encode("utf-8")
    at = upload(open_page(root), "自编模型.yaml", raw)
    assert not at.exception
    assert "模型检查通过" in at.success[0].value
    at.button(key="models_use").click().run()
    assert not at.exception
    assert at.session_state["uploaded_models"] == {"自编模型.yaml": raw}
    assert at.title[0].value == "开始自评"
    assert at.selectbox(key="start_model").value == "my-union-model"


def test_uploaded_model_is_readable_in_the_browser(root, folder, tiny):
    raw = tiny.source.replace("id: tiny-example", "id: my-union-model").encode("utf-8")
    at = upload(open_page(root), "自编模型.yaml", raw)
    at.button(key="models_use").click().run()
    at.switch_page("pages/models.py").run()
    options = at.selectbox(key="models_pick").options
    assert any("自编模型.yaml" in o for o in options)


def test_too_big_upload_is_refused(root, folder):
    at = upload(open_page(root), "big.yaml", b"#" * (1024 * 1024 + 1))
    assert not at.exception
    assert "1048576" in at.error[0].value


def test_lists_broken_files_of_the_folder(root, folder):
    at = open_page(root)
    codes = " ".join(c.value for c in at.code)
    assert "broken.yaml:27:15: groups[0].criteria[0].indicators[0].answers: 缺少等级 2 的答案" in codes
    assert any("（1）" in tab.label for tab in at.tabs)


def test_no_models_at_all(root, tmp_path, monkeypatch):
    monkeypatch.setenv("MATURITY_FRAMEWORKS", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/t.db")
    at = open_page(root)
    assert not at.exception
    assert "没有可用的模型" in at.warning[0].value


HOSTILE_MODELS = {
    "merge key": ("merge-key.yaml", "merge-key.yaml:5:1: 不支持 YAML 合并键（<<），请把键逐一写出"),
    "custom tag": ("custom-tag.yaml", "custom-tag.yaml:4:8: 不支持 YAML 标签“!custom”"),
    "python tag": ("python-tag.yaml", "python-tag.yaml:4:8: 不支持 YAML 标签“!!python/name:os.system”"),
    "!!int abc": ("bad-int.yaml", "bad-int.yaml:5:15: target_level: “abc”不是有效的 int 值"),
    "timestamp": ("bad-timestamp.yaml", "bad-timestamp.yaml:4:8: 不支持 YAML 标签“!!timestamp”"),
    "5,000 digits": ("long-number.yaml", "long-number.yaml:5:15: target_level: 数字超过 64 位"),
}


@pytest.mark.parametrize(("file", "shown"), list(HOSTILE_MODELS.values()), ids=list(HOSTILE_MODELS))
def test_hostile_uploads_get_a_located_translated_error(root, folder, file, shown):
    at = upload(open_page(root), file, (root / "tests/frameworks/broken" / file).read_bytes())
    assert not at.exception
    assert shown in at.code[0].value
    assert "models_use" not in [b.key for b in at.button]


def test_a_nested_upload_is_refused_on_the_page(root, folder):
    at = upload(open_page(root, "en"), "deep.yaml", b"- " * 300)
    assert not at.exception
    assert at.code[0].value.startswith("deep.yaml:1:129: nested more than 64 levels deep")


UPLOAD_IN_APPTEST = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=60)
at.query_params["lang"] = "zh"
at.run()
at = at.switch_page("pages/models.py").run()
at = at.file_uploader(key="models_upload").set_value(("deep.yaml", b"- " * 25000, "application/x-yaml")).run()
print("exception" if at.exception else at.code[0].value)
"""


def test_the_50_kb_upload_of_issue_8_does_not_kill_the_server(root, folder):
    # AppTest runs the page in a thread, as the server does; in a child process, so a segfault fails this test
    import os
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-c", UPLOAD_IN_APPTEST], cwd=root, capture_output=True, text=True,
                         timeout=180, env={**os.environ, "PYTHONPATH": str(root)})
    assert res.returncode == 0, f"died with {res.returncode}: {res.stderr[-1500:]}"
    assert res.stdout.strip().endswith("deep.yaml:1:129: 嵌套层数超过 64 层（列表或映射套得太深），本工具不读取这样的文件")


@pytest.mark.parametrize("page", ["home", "start", "models", "workshop_host"])
def test_hostile_files_in_the_folder_are_listed_and_every_page_works(root, folder, page):
    for file, _ in HOSTILE_MODELS.values():
        shutil.copy(root / "tests/frameworks/broken" / file, folder / file)
    (folder / "deep.yaml").write_text("- " * 300, encoding="utf-8")
    at = helpers.open_page(root, page)
    assert not at.exception
    if page == "models":
        codes = " ".join(c.value for c in at.code)
        assert all(shown in codes for _, shown in HOSTILE_MODELS.values())
        assert any("（8）" in tab.label for tab in at.tabs)  # the seven hostile files and broken.yaml
