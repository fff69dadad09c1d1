"""The workshop pages as a phone and a host tab drive them over the websocket (bench_workshop.py and the process tests).

A phone opens ``workshop`` by the join link (``?w=CODE``) or blank and types the code, submits the
join form as the page shows it, and reads its token from the query string the page sets (``p=``).
The host tab opens ``workshop_host?w=CODE&k=KEY`` and reruns the fragment the page asked to rerun
itself (``auto_rerun``), as the browser's timer does; its metrics are what the host sees.
"""

from __future__ import annotations

import random

from stclient import PageError, Session, choice_state, text_state
from streamlit.proto.WidgetStates_pb2 import WidgetState

from maturity import i18n

__all__ = ["answer_form", "answer_values", "host_counts", "host_refresh", "join", "open_host", "progress_text"]


async def join(s: Session, code: str, by_link: bool, name: str = "", timeout: float = 120) -> tuple[str, float]:
    """Open the page (by link or blank), fill the join form as shown, submit: the token and the submit's round trip."""
    s.query = f"w={code}" if by_link else ""
    await s.rerun(timeout=timeout)
    fields = {w.id: w for w in s.widgets() if w.kind == "text_input" and "wsj_join" in w.form_id}
    values: dict[str, WidgetState] = {}
    for wid, w in fields.items():
        if wid.endswith("-wsj_code"):
            values[wid] = text_state(wid, w.value if by_link and w.value else code)  # the link fills it in
        elif wid.endswith("-wsj_name"):
            values[wid] = text_state(wid, name)
    if not any(wid.endswith("-wsj_code") for wid in values):
        raise PageError(f"no join form: {s.problems() or [w.id for w in s.widgets()][:6]}")
    took = await s.submit("wsj_join", values, timeout=timeout)
    token = s.query_value("p")
    if not token:
        raise PageError(f"joined, but the page set no p= ({s.problems()[:1]})")
    return token, took


def answer_form(s: Session) -> tuple[str, dict[str, list[str]]] | None:
    """The criterion form shown now: its form id and its answer radios (widget id -> option labels); None if none."""
    button = s.submit_button("wsj_form_")
    if button is None:
        return None
    radios = {w.id: w.options for w in s.widgets() if w.kind == "radio" and "wsj_ans_" in w.id
              and w.form_id == button.form_id}
    return button.form_id, radios


def answer_values(radios: dict[str, list[str]], rng: random.Random, levels: int
                  ) -> tuple[dict[str, WidgetState], dict[str, int]]:
    """A random option among the first ``levels`` (the scale's; N/A comes after them) for each radio:
    the widget states to send and the chosen option's index by indicator id."""
    states, chosen = {}, {}
    for wid, options in radios.items():
        k = rng.randrange(min(len(options), levels))
        states[wid] = choice_state(wid, options[k])
        chosen[wid.rsplit("wsj_ans_", 1)[1]] = k
    return states, chosen


async def open_host(s: Session, timeout: float = 120) -> tuple[str, float]:
    """Load the host page; the live fragment's id and its interval (seconds)."""
    await s.rerun(timeout=timeout)
    if s.problems():
        raise PageError(f"host page: {s.problems()[0][:200]}")
    if not s.auto_rerun:
        raise PageError("host page: no fragment reruns itself (no auto_rerun message)")
    return next(iter(s.auto_rerun.items()))


async def host_refresh(s: Session, fragment: str, timeout: float = 120) -> float:
    """One refresh of the host's live fragment, as the browser's timer sends it; the round trip."""
    return await s.rerun(fragment_id=fragment, is_auto_rerun=True, timeout=timeout)


def _int(text: str | None) -> int | None:
    try:
        return int(str(text).replace(",", ""))
    except ValueError:
        return None


def host_counts(s: Session, lang: str = "zh") -> tuple[int | None, int | None]:
    """The participants and the answers the host panel shows (its two metrics)."""
    shown = s.metrics()
    return _int(shown.get(i18n.t("wshost.participants", lang))), _int(shown.get(i18n.t("wshost.answers", lang)))


def progress_text(done: int, total: int, lang: str = "zh") -> str:
    """The participant's progress line for ``done`` of ``total`` answers."""
    return i18n.t("wsjoin.progress", lang, done=done, total=total)
