"""Evidence lives in the database (issue 12): uploaded through the questionnaire by one app process, it is
listed, downloadable and counted by another process on the same PostgreSQL, and after a restart.

Each "app process" is its own Python interpreter running the app (app.py and its pages) through
Streamlit's AppTest: nothing is shared but the database — no disk, no memory, no cache.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from maturity import migrations
from maturity.loader import load_model
from maturity.store import Store
from tests.conftest import TEST_FRAMEWORKS

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.postgres, pytest.mark.slow]

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# One app process: open the questionnaire (and the results) by the link, do what argv[1] says, print what it shows.
APP = r'''
import base64, io, json, sys
from pathlib import Path
from PIL import Image
from tests.helpers import open_page
from pages._evidence import file_data

root, token, iid, action = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
at = open_page(root, "questionnaire", "zh", token)
assert not at.exception, at.exception
if action == "upload":
    buf = io.BytesIO()
    Image.new("RGB", (120, 80), (179, 38, 30)).save(buf, "PNG")
    pdf = base64.b64decode(sys.argv[5])
    at.file_uploader(key=f"ev-up-{iid}-0").set_value([("活动照片.png", buf.getvalue(), "image/png"),
                                                       ("会议纪要.pdf", pdf, "application/pdf")]).run()
    assert not at.exception, at.exception
box = next(e for e in at.expander if e.key == f"ev-exp-{iid}")
downloads = [b.key for b in box.get("download_button")]
ids = [int(k.rsplit("-", 1)[1]) for k in downloads]
results = open_page(root, "results", "zh", token)
print(json.dumps({
    "label": box.proto.label,
    "names": [t.value for t in box.text],
    "thumbnails": len(box.get("image")),
    "sizes": [len(file_data(token, i)) for i in ids],
    "backed": [c.value for c in results.caption if c.value.startswith("📎")],
}, ensure_ascii=False))
'''


def app_process(url: str, *args: str) -> dict[str, object]:
    env = {**os.environ, "DATABASE_URL": url, "MATURITY_FRAMEWORKS": str(TEST_FRAMEWORKS), "PYTHONPATH": str(ROOT)}
    env.pop("MATURITY_MODE", None)
    done = subprocess.run([sys.executable, "-c", APP, str(ROOT), *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_evidence_uploaded_in_one_process_shows_in_another_and_after_a_restart(pg_database):
    import base64

    store = Store(pg_database)
    store.create_schema()
    essential = load_model(TEST_FRAMEWORKS / "essential.yaml")
    record = store.create_assessment(essential, {"name": "某某公司工会"}, assessed_at="2026-03-01")
    iid = essential.model.criteria[0].indicators[0].id
    store.save_answers(record.token, {iid: 3})

    first = app_process(pg_database, record.token, iid, "upload", base64.b64encode(PDF).decode())
    assert first["names"] == ["活动照片.png", "会议纪要.pdf"] and first["thumbnails"] == 1
    assert str(first["label"]).endswith("（2）") and first["backed"] == ["📎 有佐证：1/1"]

    # a second process, started after the first one ended: what a restarted (or another) server shows
    second = app_process(pg_database, record.token, iid, "look")
    assert second == first
    sizes = second["sizes"]
    assert isinstance(sizes, list) and sizes[1] == len(PDF)
    assert [f.filename for f in store.evidence.list(record.token)] == ["活动照片.png", "会议纪要.pdf"]
    # the session's PostgreSQL database is shared: leave it empty for the tests after this one
    migrations.drop_all(store.engine)
    store.dispose()
