"""A fresh server's first requests, several at once, all run inside app.py's frame (no legacy pages/ mode)."""

from __future__ import annotations

import asyncio

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.typing import Subprotocol

pytestmark = pytest.mark.e2e


async def _load(url: str, page: str) -> list[str]:
    """Open one page over the websocket as a browser tab would; the widget labels of the finished run."""
    async with websockets.connect(url, subprotocols=[Subprotocol("streamlit")], max_size=None, ping_interval=None) as ws:
        msg = BackMsg()
        msg.rerun_script.page_name = page
        await ws.send(msg.SerializeToString())
        labels: list[str] = []
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(ws.recv(), 60))
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.new_element.WhichOneof("type") == "radio":
                labels.append(fwd.delta.new_element.radio.label)
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    labels = []
                    continue
                return labels


def test_concurrent_first_requests_get_the_frame(server):
    url = server.replace("http://", "ws://") + "/_stcore/stream"

    async def all_at_once() -> list[list[str]]:
        return await asyncio.gather(*(_load(url, page) for page in ["start", "models", "start", "history"] * 2))

    for labels in asyncio.run(all_at_once()):
        assert "语言 Language" in labels  # the sidebar language switch of app.py
