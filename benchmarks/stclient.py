"""A minimal Streamlit websocket client for benchmarks and process tests (see shared notes: streamlit-load.md).

A :class:`Session` is one browser tab: it keeps the query string the page sets (``page_info_changed``),
the page's script hash (``new_session`` / ``navigation``), the fragments that rerun themselves
(``auto_rerun``) and the elements of its last run, and it sends reruns as the browser does: a form
submit is the form's widget states with the submit button's trigger, inside a fragment with the
fragment's id; an auto-rerun is the fragment id with ``is_auto_rerun``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.typing import Subprotocol

ROOT = Path(__file__).resolve().parent.parent
RUNLOG = ROOT / "benchmarks" / "runlog.py"


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes] | None = None, timeout: float = 60) -> None:
    """Until something listens on ``port`` (and answers Streamlit's health check); fail if ``proc`` died."""
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {proc.returncode}")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                                                  timeout=2) as r:
            if r.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"no server on port {port} after {timeout:.0f} s")


def server_command(script: Path, port: int, runlog: Path | None = None, lab: tuple[str, ...] = (),
                   options: tuple[str, ...] = ()) -> list[str]:
    """``streamlit run script`` on ``port`` with extra Streamlit ``options`` (through benchmarks/runlog.py,
    with its ``lab`` options, when ``runlog`` is given)."""
    head = [sys.executable, str(RUNLOG), str(runlog), *lab, "--"] if runlog else [sys.executable, "-m", "streamlit"]
    return [*head, "run", str(script), "--server.headless", "true", "--server.port", str(port),
            "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", *options]


def start_server(script: Path, env: dict[str, str] | None = None, runlog: Path | None = None,
                 log: IO[bytes] | int | None = subprocess.DEVNULL, port: int | None = None,
                 lab: tuple[str, ...] = (), options: tuple[str, ...] = ()) -> tuple[subprocess.Popen[bytes], int]:
    """Start a server (not waiting for it); the process and its port."""
    port = port or free_port()
    proc = subprocess.Popen(server_command(script, port, runlog, lab, options), cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=log, stderr=subprocess.STDOUT)
    return proc, port


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a server started by :func:`start_server` (kill it if it does not stop)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def serve(script: Path, env: dict[str, str] | None = None, runlog: Path | None = None) -> Iterator[int]:
    """Run ``streamlit run script`` on a free loopback port until the block ends."""
    proc, port = start_server(script, env, runlog)
    try:
        wait_for_port(port, proc)
        yield port
    finally:
        stop_server(proc)


@dataclass
class Widget:
    """A widget the last run drew: its id, kind, options, form and fragment."""

    id: str
    kind: str
    label: str
    options: list[str] = field(default_factory=list)
    form_id: str = ""
    fragment_id: str = ""
    value: str = ""


class PageError(RuntimeError):
    """The page showed an exception or an error message."""


class Session:
    """One browser tab: a websocket, reruns, and the elements of the last run."""

    def __init__(self, port: int, page: str = "", query: str = "") -> None:
        self.url = f"ws://127.0.0.1:{port}/_stcore/stream"
        self.ws: Any = None
        self.page = page
        self.query = query
        self.page_hash = ""
        self.deltas: list[ForwardMsg] = []
        self.auto_rerun: dict[str, float] = {}  # fragment id -> interval in seconds
        self.exec_us: int | None = None  # page_profile's exec_time of the last run (when the server sends it)

    async def __aenter__(self) -> Session:
        self.ws = await websockets.connect(self.url, subprotocols=[Subprotocol("streamlit")], max_size=None,
                                           ping_interval=None, open_timeout=60)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()

    async def rerun(self, widgets: list[WidgetState] | None = None, fragment_id: str = "",
                    is_auto_rerun: bool = False, timeout: float = 120) -> float:
        """Send one rerun and wait for its script_finished; the round trip in seconds."""
        msg = BackMsg()
        rs = msg.rerun_script
        rs.query_string = self.query
        if self.page_hash:
            rs.page_script_hash = self.page_hash
        else:
            rs.page_name = self.page
        if fragment_id:
            rs.fragment_id = fragment_id
            rs.is_auto_rerun = is_auto_rerun
        for w in widgets or []:
            rs.widget_states.widgets.append(w)
        if not fragment_id:
            self.deltas = []
        fresh: list[ForwardMsg] = []
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        # one deadline for the whole reply: asyncio.wait_for per message made a task for each of ~30 messages
        async with asyncio.timeout(timeout):
            while True:
                fwd = ForwardMsg()
                fwd.ParseFromString(await self.ws.recv())
                kind = fwd.WhichOneof("type")
                if kind == "delta":
                    fresh.append(fwd)
                elif kind == "page_info_changed":
                    self.query = fwd.page_info_changed.query_string
                elif kind == "new_session":
                    self.page_hash = fwd.new_session.page_script_hash or self.page_hash
                elif kind == "navigation":
                    self.page_hash = fwd.navigation.page_script_hash or self.page_hash
                elif kind == "auto_rerun":
                    self.auto_rerun[fwd.auto_rerun.fragment_id] = fwd.auto_rerun.interval
                elif kind == "page_profile":
                    self.exec_us = fwd.page_profile.exec_time
                elif kind == "script_finished":
                    if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        fresh = []  # the script asked for a rerun: the real run follows
                        continue
                    elapsed = time.perf_counter() - start
                    if fragment_id:
                        self._merge_fragment(fresh)
                    else:
                        self.deltas = fresh
                    return elapsed

    def _merge_fragment(self, fresh: list[ForwardMsg]) -> None:
        """A fragment run redraws its own elements: keep the rest of the page's."""
        frags = {d.delta.fragment_id for d in fresh if d.delta.fragment_id}
        self.deltas = [d for d in self.deltas if d.delta.fragment_id not in frags] + fresh

    # -- reading the page -----------------------------------------------------------------------

    def elements(self) -> list[Any]:
        """The elements of the page as last drawn (new_element of each delta)."""
        return [d.delta.new_element for d in self.deltas if d.delta.WhichOneof("type") == "new_element"]

    def widgets(self) -> list[Widget]:
        """Every widget the page shows, in order."""
        out = []
        for d in self.deltas:
            el = d.delta.new_element
            kind = el.WhichOneof("type")
            if kind not in ("radio", "button", "text_input", "selectbox", "checkbox", "multiselect"):
                continue
            w = getattr(el, kind)
            out.append(Widget(
                id=w.id, kind=kind, label=getattr(w, "label", ""),
                options=list(getattr(w, "options", [])), form_id=getattr(w, "form_id", ""),
                fragment_id=d.delta.fragment_id,
                value=getattr(w, "default", "") if kind == "text_input" else "",
            ))
        return out

    def texts(self) -> list[str]:
        """The markdown, caption, text and alert bodies the page shows."""
        out = []
        for el in self.elements():
            kind = el.WhichOneof("type")
            if kind in ("markdown", "text", "alert"):
                out.append(getattr(el, kind).body)
            elif kind == "metric":
                out.append(f"{el.metric.label}: {el.metric.body}")
            elif kind == "progress":
                out.append(el.progress.text)
        return out

    def metrics(self) -> dict[str, str]:
        """The st.metric elements: label -> value."""
        return {el.metric.label: el.metric.body for el in self.elements() if el.WhichOneof("type") == "metric"}

    def problems(self) -> list[str]:
        """Exceptions and error messages on the page."""
        out = []
        for el in self.elements():
            kind = el.WhichOneof("type")
            if kind == "exception":
                out.append(el.exception.message or el.exception.type)
            elif kind == "alert" and el.alert.format == el.alert.ERROR:
                out.append(el.alert.body)
        return out

    def query_value(self, name: str) -> str | None:
        """One parameter of the page's current query string."""
        from urllib.parse import parse_qs

        values = parse_qs(self.query).get(name)
        return values[0] if values else None

    # -- acting on it ----------------------------------------------------------------------------

    def submit_button(self, form_part: str) -> Widget | None:
        """The submit button of the first form whose id contains ``form_part``."""
        return next((w for w in self.widgets() if w.kind == "button" and "FormSubmitter" in w.id
                     and form_part in w.form_id), None)

    async def submit(self, form_part: str, values: dict[str, WidgetState], timeout: float = 120) -> float:
        """Submit the form whose id contains ``form_part`` with ``values`` (widget id -> state); round trip."""
        button = self.submit_button(form_part)
        if button is None:
            raise PageError(f"no form {form_part!r} on the page: {[w.id for w in self.widgets()][:8]}")
        trigger = WidgetState(id=button.id)
        trigger.trigger_value = True
        return await self.rerun([*values.values(), trigger], fragment_id=button.fragment_id, timeout=timeout)


def text_state(widget_id: str, value: str) -> WidgetState:
    """The state a text input sends."""
    w = WidgetState(id=widget_id)
    w.string_value = value
    return w


def choice_state(widget_id: str, label: str) -> WidgetState:
    """The state a radio or selectbox sends: its option's label (an int_value would be refused)."""
    w = WidgetState(id=widget_id)
    w.string_value = label
    return w
