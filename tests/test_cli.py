"""``python -m maturity`` run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from maturity.loader import load_model
from maturity.scoring import score


def run(root, *args, env_lang="en"):
    env = {"PATH": "/usr/bin:/bin", "MATURITY_LANG": env_lang, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-m", "maturity", *args], cwd=root, capture_output=True, text=True,
                          env=env, timeout=120)


def test_validate_ok_and_broken(root):
    ok = run(root, "validate", "tests/frameworks/tiny.yaml")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = run(root, "validate", "tests/frameworks/tiny.yaml", "tests/frameworks/broken/missing-answer.yaml")
    assert bad.returncode == 1
    assert bad.stdout.strip() == (
        "tests/frameworks/broken/missing-answer.yaml:27:15: groups[0].criteria[0].indicators[0].answers: "
        "no answer for level 2"
    )


def test_validate_strict_reports_missing_translations(root):
    res = run(root, "validate", "--strict", "tests/frameworks/tiny.yaml")
    assert res.returncode == 1
    assert "tests/frameworks/tiny.yaml:87:18: groups[1].criteria[0].indicators[0].answers.1: no translation for: en" \
        in res.stdout


def test_validate_in_chinese(root):
    res = run(root, "validate", "tests/frameworks/broken/missing-answer.yaml", env_lang="zh_CN.UTF-8")
    assert "缺少等级 2 的答案" in res.stdout


def test_bundled_models_validate(root):
    files = sorted(str(p.relative_to(root)) for p in (root / "frameworks").glob("*.yaml"))
    assert files, "frameworks/ holds no model"
    res = run(root, "validate", "--strict", *files)
    assert res.returncode == 0, res.stdout


def test_score_prints_the_core_numbers(root):
    res = run(root, "score", "tests/frameworks/tiny-assessment.json", "--model", "tests/frameworks/tiny.yaml")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    loaded = load_model(root / "tests/frameworks/tiny.yaml")
    data = json.loads((root / "tests/frameworks/tiny-assessment.json").read_text(encoding="utf-8"))
    result = score(loaded.model, data["answers"], data["targets"])
    assert out["overall"]["score"] == pytest.approx(result.overall.value, abs=1e-6)
    assert out["overall"]["stage"] == result.stage == 1
    assert out["criteria"]["leading"]["index"] == 55.6
    assert out["criteria"]["organising"]["score"] is None
    assert out["priorities"] == list(result.priorities)
    assert out["model"]["sha256"] == loaded.sha256
    assert [a["title"] for a in out["roadmap"]["quick"]] == ["Open a union WeChat account"]


def test_score_bad_assessment_exits_1_naming_the_key(root, tmp_path):
    bad = tmp_path / "bad.json"
    data = json.loads((root / "tests/frameworks/tiny-assessment.json").read_text(encoding="utf-8"))
    data["answers"]["leading.party"] = 9
    bad.write_text(json.dumps(data), encoding="utf-8")
    res = run(root, "score", str(bad), "--model", "tests/frameworks/tiny.yaml")
    assert res.returncode == 1
    assert "answers.leading.party: level 9 is outside the scale (1–4)" in res.stderr


def test_score_finds_model_by_id_or_says_so(root, tmp_path):
    data = json.loads((root / "tests/frameworks/tiny-assessment.json").read_text(encoding="utf-8"))
    data["model"]["id"] = "no-such-model"
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    res = run(root, "score", str(path))
    assert res.returncode == 1 and "no-such-model" in res.stderr


def test_sample_data_scores_and_reports(root, tmp_path):
    """data/sample-assessment.json, used in the README, stays valid against the shipped model."""
    res = run(root, "score", "data/sample-assessment.json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["overall"]["answered"] == 34
    out = tmp_path / "sample.pdf"
    res = run(root, "report", "data/sample-assessment.json", "-o", str(out), "--lang", "zh")
    assert res.returncode == 0, res.stderr
    assert out.read_bytes().startswith(b"%PDF")


def _report_text(root, tmp_path, env, *extra, language="zh"):
    data = json.loads((root / "tests/frameworks/tiny-assessment.json").read_text(encoding="utf-8"))
    data["language"] = language
    src = tmp_path / f"a-{language}.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "a.pdf"
    res = subprocess.run([sys.executable, "-m", "maturity", "report", str(src), "-o", str(out), "--model",
                          "tests/frameworks/tiny.yaml", *extra], cwd=root, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), **env}, timeout=180)
    assert res.returncode == 0, res.stderr
    from pypdf import PdfReader

    return PdfReader(out).pages[0].extract_text()


@pytest.mark.parametrize(
    ("env", "extra", "language", "expected"),
    [
        ({"LANG": "C.UTF-8"}, (), "zh", "诊断报告"),  # the file's language beats the locale
        ({"LANG": "zh_CN.UTF-8", "MATURITY_LANG": "zh"}, (), "en", "Diagnosis report"),  # ... and MATURITY_LANG
        ({"LANG": "C.UTF-8"}, ("--lang", "en"), "zh", "Diagnosis report"),  # --lang beats the file
        ({"LC_ALL": "zh_CN.UTF-8"}, (), "fr", "诊断报告"),  # ... else the locale
    ],
    ids=["file-over-locale", "file-over-env", "option-over-file", "locale-when-file-unknown"],
)
def test_report_language_order(root, tmp_path, env, extra, language, expected):
    text = _report_text(root, tmp_path, env, *extra, language=language)
    assert expected in text, text[:300]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"[" * 3000, "a.json: line 1, column 65: nested more than 64 levels deep"),
        (b'{"format": "maturity-assessment/1", "n": ' + b"1" * 5000 + b"}", "has more than 64 digits"),
        (b'{"format": "maturity-assessment/1", "format": "maturity-assessment/1"}', "key 'format' appears twice"),
    ],
    ids=["deep", "long-number", "duplicate-key"],
)
def test_hostile_assessment_files_exit_1_without_a_traceback(root, tmp_path, raw, expected):
    (tmp_path / "a.json").write_bytes(raw)
    res = run(root, "score", str(tmp_path / "a.json"), "--model", "tests/frameworks/tiny.yaml")
    assert res.returncode == 1
    assert expected in res.stderr and "Traceback" not in res.stderr, res.stderr[-800:]
