"""Helpers shared by the page tests (AppTest)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

HOSTILE = "**粗体** <script>alert(1)</script> 堃𠀋😀"


def open_page(root, page: str, lang: str = "zh", token: str | None = None) -> AppTest:
    """Run app.py (the frame) in ``lang``, then switch to ``pages/<page>.py``, with ``?a=token`` if given."""
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    if token:
        at.query_params["a"] = token
    at.run()
    return at.switch_page(f"pages/{page}.py").run()
