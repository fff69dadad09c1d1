"""maturity.limits is the one home of the size limits: the server, the uploaders and the readers agree with it."""

from __future__ import annotations

import ast
import tomllib

import pytest

from maturity import _yaml, assessment, limits, spreadsheet, tables
from maturity.limits import MIB


def _uploader_calls(root):
    """(file, keyword or position, value node) of every st.file_uploader size and uploader_texts limit in pages/."""
    for path in sorted((root / "pages").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name == "file_uploader":
                sizes = [k.value for k in node.keywords if k.arg == "max_upload_size"]
                assert sizes, f"{path.name}: a file_uploader without max_upload_size takes the server's limit"
                yield path.name, "max_upload_size", sizes[0]
            elif name == "uploader_texts":
                yield path.name, "uploader_texts", node.args[1]


def test_the_server_allows_the_largest_upload(root):
    config = tomllib.loads((root / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] >= max(limits.UPLOAD_MB_IMPORT, limits.UPLOAD_MB_MODEL)


@pytest.mark.parametrize(("upload_mb", "reader_bytes"), [
    (limits.UPLOAD_MB_IMPORT, limits.MAX_ASSESSMENT_BYTES),
    (limits.UPLOAD_MB_IMPORT, limits.MAX_SPREADSHEET_BYTES),
    (limits.UPLOAD_MB_MODEL, limits.MAX_MODEL_BYTES),
])
def test_an_uploader_takes_every_file_its_reader_takes(upload_mb, reader_bytes):
    assert upload_mb * MIB >= reader_bytes


def test_the_readers_read_the_limits():
    assert assessment.MAX_ASSESSMENT_BYTES == limits.MAX_ASSESSMENT_BYTES
    assert spreadsheet.MAX_BYTES == limits.MAX_SPREADSHEET_BYTES
    assert spreadsheet.MAX_UNPACKED == limits.MAX_SPREADSHEET_UNPACKED
    assert tables.MAX_UPLOAD_BYTES == limits.MAX_IMPORT_BYTES
    assert _yaml.MAX_BYTES == limits.MAX_MODEL_BYTES
    for name in ("MAX_NAME", "MAX_REGION", "MAX_NOTE", "MAX_WORKSHOP_TITLE", "MAX_PARTICIPANT_NAME"):
        assert getattr(assessment, name) == getattr(limits, name), name


def test_the_pages_use_the_constants(root):
    calls = list(_uploader_calls(root))
    assert {f for f, _, _ in calls} >= {"transfer.py", "models.py"}
    for file, where, value in calls:
        assert isinstance(value, ast.Name) and value.id.startswith("UPLOAD_MB_"), (file, where, ast.dump(value))
        assert hasattr(limits, value.id), (file, value.id)
    # in each page, the uploader's limit and its translated limit line say the same number
    for file in {f for f, _, _ in calls}:
        assert len({v.id for f, _, v in calls if f == file}) == 1, file


def test_no_page_writes_a_byte_count(root):
    for path in sorted((root / "pages").glob("*.py")):
        assert "1024 * 1024" not in path.read_text(encoding="utf-8"), path.name
