"""Hostile model files: deep nesting, odd tags, merge keys, huge numbers — located errors, never a crash.

The deep-nesting cases run in a child process that parses in a thread, as the app parses an
upload: with PyYAML 6.0.3 libyaml's composer segfaults there, and a segfault must fail the test,
not kill pytest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from maturity import _yaml
from maturity.loader import ModelLoadError, load_folder, load_model_bytes, load_model_text

DEEP = {
    "block list": "- " * 25000,  # the 50 KB upload of issue 8
    "flow list": "[" * 20000,
    "flow map": "{a: " * 20000,
    "block map": "".join(" " * i + "a:\n" for i in range(500)),
    "mixed": "groups:\n" + "".join("  " * i + "- x:\n" for i in range(200)),
}

IN_A_THREAD = textwrap.dedent("""
    import sys, threading
    from maturity.loader import ModelLoadError, load_model_bytes
    raw = sys.stdin.buffer.read()
    seen = []
    def run():
        try:
            load_model_bytes(raw, "deep.yaml")
        except ModelLoadError as exc:
            seen.extend(f"{e.code}@{e.line}:{e.col}" for e in exc.errors)
    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    print(" ".join(seen))
""")


def _in_a_thread(root, raw: bytes) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", IN_A_THREAD], input=raw.decode(), cwd=root, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(root)})


@pytest.mark.parametrize("text", list(DEEP.values()), ids=list(DEEP))
def test_deep_nesting_is_refused_in_a_thread_without_a_crash(root, text):
    res = _in_a_thread(root, text.encode())
    assert res.returncode == 0, f"the reader process died with {res.returncode}: {res.stderr[-1500:]}"
    assert res.stdout.split()[0].startswith("yaml.too_deep@"), res.stdout


def test_deep_nesting_error_is_located_and_translated():
    # 300 levels: refused all the same, and shallow enough not to crash an unfixed reader in-process
    with pytest.raises(ModelLoadError) as info:
        load_model_text("- " * 300, "deep.yaml")
    (err,) = info.value.errors
    assert (err.line, err.col) == (1, 2 * _yaml.MAX_DEPTH + 1)  # the first list too many
    assert err.format("zh") == "deep.yaml:1:129: 嵌套层数超过 64 层（列表或映射套得太深），本工具不读取这样的文件"
    assert "nested more than 64 levels" in err.message("en")


def test_nesting_up_to_the_limit_is_read():
    text = "[" * _yaml.MAX_DEPTH + "]" * _yaml.MAX_DEPTH
    data, _, problems = _yaml.read(text)
    assert problems == [] and isinstance(data, list)
    with pytest.raises(_yaml.YamlReadError):
        _yaml.read("[" + text + "]")


def test_the_limit_holds_whatever_pyyaml_refuses_itself():
    # The refusal comes from our scan of the event stream, before anything is composed.
    with pytest.raises(_yaml.YamlReadError) as info:
        _yaml.read("a:\n" + "  - " * 80 + "x\n")
    assert info.value.problem.code == "yaml.too_deep"


@pytest.mark.parametrize(
    ("text", "code", "where"),
    [
        ("a: !!int abc\n", "yaml.bad_value", (1, 4)),
        ("a: !!float x\n", "yaml.bad_value", (1, 4)),
        ("a: !!bool maybe\n", "yaml.bad_value", (1, 4)),
        ("a: " + "7" * 5000 + "\n", "yaml.long_number", (1, 4)),
        ("a: " + "1:" * 200 + "1\n", "yaml.long_number", (1, 4)),  # a sexagesimal bomb is never computed
        ("<<: {b: 1}\n", "yaml.merge_key", (1, 1)),
    ],
    ids=["int", "float", "bool", "5000 digits", "sexagesimal", "merge key"],
)
def test_bad_scalars_are_located_problems(text, code, where):
    _, _, problems = _yaml.read(text)
    assert [(p.code, (p.line, p.col)) for p in problems] == [(code, where)]


@pytest.mark.parametrize("tag", ["!custom", "!!python/name:os.system", "!!python/object/apply:os.system",
                                 "!!timestamp", "!!binary", "!!set"])
def test_unknown_tags_are_refused_before_composing(tag):
    with pytest.raises(_yaml.YamlReadError) as info:
        _yaml.read(f"a:\n  b: {tag} 2020-13-45\n")
    assert info.value.problem.code == "yaml.tag"
    assert (info.value.problem.line, info.value.problem.col) == (2, 6)


def test_dates_stay_text_even_impossible_ones():
    data, _, problems = _yaml.read("a: 2020-13-45\nb: 2020-01-02\n")
    assert data == {"a": "2020-13-45", "b": "2020-01-02"} and problems == []


def test_a_nul_in_the_version_is_refused_for_every_database(root):
    text = (root / "tests/frameworks/broken/_valid.yaml").read_text(encoding="utf-8")
    with pytest.raises(ModelLoadError) as info:
        load_model_text(text.replace('version: "1"', 'version: "1\\0"'), "x.yaml")
    assert [e.format("zh") for e in info.value.errors] == ["x.yaml:3:10: version: 不能包含 NUL 字符（\\0）"]


@pytest.mark.parametrize("name", ["merge-key", "custom-tag", "python-tag", "bad-int", "bad-timestamp",
                                  "long-number", "long-version"])
def test_one_hostile_file_in_the_folder_is_listed_and_the_rest_loads(root, tmp_path, name):
    shutil.copy(root / "tests/frameworks/tiny.yaml", tmp_path / "tiny.yaml")
    shutil.copy(root / f"tests/frameworks/broken/{name}.yaml", tmp_path / f"{name}.yaml")
    (tmp_path / "deep.yaml").write_text("- " * 300, encoding="utf-8")
    catalog = load_folder(tmp_path)
    assert list(catalog.models) == ["tiny-example"]
    assert sorted(catalog.broken) == sorted([str(tmp_path / f"{name}.yaml"), str(tmp_path / "deep.yaml")])
    assert all(e.line >= 1 and e.message("zh") != f"model_error.{e.code}" for errs in catalog.broken.values()
               for e in errs)


def test_a_deep_file_in_the_folder_does_not_kill_the_process_at_start(root, tmp_path):
    shutil.copy(root / "tests/frameworks/tiny.yaml", tmp_path / "tiny.yaml")
    (tmp_path / "deep.yaml").write_text("- " * 25000, encoding="utf-8")
    script = ("import sys, threading; from maturity.loader import load_folder; out = []; "
              "w = threading.Thread(target=lambda: out.append(load_folder(sys.argv[1]))); w.start(); w.join(); "
              "print(sorted(out[0].models), [e.code for e in out[0].broken[sys.argv[1] + '/deep.yaml']])")
    res = subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=root, capture_output=True, text=True,
                         timeout=120, env={**os.environ, "PYTHONPATH": str(root)})
    assert res.returncode == 0, res.stderr[-1500:]
    assert res.stdout.strip() == "['tiny-example'] ['yaml.too_deep']"


def test_cli_validate_reports_a_deep_file(root, tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("- " * 25000, encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "maturity", "--lang", "en", "validate", str(deep)], cwd=root,
                         capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(root)})
    assert res.returncode == 1, res.stderr[-1500:]
    assert res.stdout.strip() == f"{deep}:1:129: nested more than 64 levels deep (lists or mappings inside each " \
                                 "other); this tool does not read such files"


def test_upload_bytes_take_the_same_path():
    with pytest.raises(ModelLoadError) as info:
        load_model_bytes(b"a: !custom x\n", "up.yaml")
    assert info.value.errors[0].format("en").startswith("up.yaml:1:4: YAML tag '!custom' is not supported")
