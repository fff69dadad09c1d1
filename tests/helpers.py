"""Helpers shared by the page tests (AppTest)."""

from __future__ import annotations

import threading

from streamlit.testing.v1 import AppTest

from maturity.store import Store

HOSTILE = "**粗体** <script>alert(1)</script> 堃𠀋😀"


def open_page(root, page: str, lang: str = "zh", token: str | None = None) -> AppTest:
    """Run app.py (the frame) in ``lang``, then switch to ``pages/<page>.py``, with ``?a=token`` if given."""
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    if token:
        at.query_params["a"] = token
    at.run()
    return at.switch_page(f"pages/{page}.py").run()


def create_schemas_at_once(stores: list[Store]) -> list[BaseException]:
    """Run ``create_schema`` on every store at the same instant (one thread each, as processes starting
    together would); the failures, if any."""
    barrier = threading.Barrier(len(stores))
    errors: list[BaseException] = []

    def start(s: Store) -> None:
        barrier.wait()
        try:
            s.create_schema()
        except BaseException as exc:  # every failure counts
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,)) for s in stores]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    return errors
