"""Take part in a live workshop: join by code, answer one criterion at a time, see the group once revealed.

Phone first: a compact header, then one st.fragment holding what changes (progress, the criterion's
form, the group's result), so a submit or a refresh reruns the fragment and not the page. A run reads
the participant with their workshop (one query), their own answers (one), the model from the cache,
and the group's aggregates only once the host has revealed them.
"""

from __future__ import annotations

import secrets
from typing import NoReturn

import streamlit as st

from maturity import charts
from maturity.aggregate import IndicatorAggregate
from maturity.display import level_label
from maturity.limits import MAX_PARTICIPANT_NAME
from maturity.model import Criterion, MaturityModel
from maturity.throttle import Client
from maturity.workshop import (
    Participant,
    Workshop,
    WorkshopError,
    WorkshopService,
    normalise_code,
    session_criteria,
)
from pages._ui import (
    answer_radio,
    escape_md,
    essential_badge,
    guarded,
    lang,
    pinned_model,
    question_notes,
    step_progress,
    step_radio,
    store,
    tr,
)
from pages._wsview import distribution_spec

L = lang()
svc = WorkshopService(store())

# Fixed CSS for this page only (it goes when the page goes): less room above the content, smaller
# headings on a phone, and each answer a card whose whole area selects it (the label's ::after covers
# the card, caption included), the chosen one marked.
_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
.st-key-wsj_top { scroll-margin-top: 4rem; }
.st-key-wsj_head h4 { font-size: 1.15rem; padding: 0; line-height: 1.4; }
.st-key-wsj_crit h4 { font-size: 1.1rem; padding: .25rem 0 0 0; line-height: 1.45; }
.st-key-wsj_group h4 { font-size: 1.1rem; padding: .5rem 0 0 0; }
.st-key-wsj_answers [data-testid="stRadio"] { margin-bottom: .9rem; }
.st-key-wsj_answers [data-testid="stRadioGroup"] { gap: 0; width: 100%; }
.st-key-wsj_answers [data-testid="stRadioGroup"] > div {
  position: relative; border: 1px solid #DEDEDE; border-radius: .6rem; padding: .7rem .8rem .6rem .8rem;
  margin: 0 0 .55rem 0; width: 100%; box-sizing: border-box; }
.st-key-wsj_answers [data-testid="stRadioGroup"] > div:has(input:checked) { border-color: #B3202A; background: #FCF1F0; }
.st-key-wsj_answers [data-testid="stRadioOption"] { position: static; min-height: 1.6rem; width: 100%; }
.st-key-wsj_answers [data-testid="stRadioOption"]::after { content: ""; position: absolute; inset: 0; z-index: 1; }
.st-key-wsj_answers [data-testid="stRadioCaption"] { padding-left: 1.75rem; }
@media (max-width: 640px) {
  [data-testid="stMain"] h1 { font-size: 1.75rem; padding-top: .25rem; }
  [data-testid="stMainBlockContainer"] { padding-left: .9rem; padding-right: .9rem; }
  .st-key-wsj_answers [data-testid="stForm"] { border: none; padding: 0; }
  .st-key-wsj_answers [data-testid="stRadioCaption"] { padding-left: 1.6rem; }
}
</style>"""
st.markdown(_CSS, unsafe_allow_html=True)


def _flash() -> None:
    flash = st.session_state.pop("wsj_flash", None)
    if flash:
        (st.success if flash[0] == "success" else st.error)(flash[1])


def _lookup_link(typed: str, client: Client) -> Workshop | None:
    """The workshop of the ?w= link, looked up once per session (a wrong one counts as a wrong code)."""
    done = st.session_state.get("wsj_link")
    if done is None or done[0] != typed:
        with guarded(kind="read"):
            try:
                done = (typed, svc.lookup(typed, client), None)
            except WorkshopError as exc:
                done = (typed, None, exc.message(L))
        st.session_state["wsj_link"] = done
    if done[2]:
        st.error(done[2])
    return done[1]


def _join_form() -> NoReturn:
    """Join by the ?w= link or a typed code (and a name where the session asks for one); stops the run."""
    _flash()
    # Wrong codes are limited per browser session and per address (st.context.ip_address is the
    # connection's peer; behind a proxy, the X-Forwarded-For address the server is told to trust).
    client = Client(session=st.session_state.setdefault("wsj_client", secrets.token_urlsafe(16)),
                    address=st.context.ip_address)
    typed = st.query_params.get("w") or ""
    known = _lookup_link(typed, client) if typed else None
    with st.form("wsj_join"):
        if typed and not st.session_state.get("wsj_code"):
            # the link's code, also when an earlier run of this tab drew the field empty (a widget with a key
            # keeps its first value, whatever value= says later)
            st.session_state["wsj_code"] = normalise_code(typed)
        code = st.text_input(tr("wsjoin.code"), max_chars=12, key="wsj_code", placeholder="ABC234")
        name = ""
        if known is None or known.named:
            label = tr("wsjoin.name_required") if known is not None else tr("wsjoin.name_optional")
            name = st.text_input(label, max_chars=MAX_PARTICIPANT_NAME, key="wsj_name")
        else:
            st.caption(tr("wsjoin.anonymous"))
        go = st.form_submit_button(tr("wsjoin.join"), type="primary", width="stretch")
    if go:
        with guarded():  # a storage failure; a refusal is ours to show (guarded would call it unexpected)
            try:
                person = svc.join(code, name, client)
            except WorkshopError as exc:
                st.error(exc.message(L))
                st.stop()
        st.session_state["wsj_token"] = person.token
        st.query_params["w"] = normalise_code(code)
        st.query_params["p"] = person.token  # the address bar is the resume link
        st.rerun()
    st.stop()


def _scroll_to_top() -> None:
    """After a submit, bring the fragment's top (the message, the next criterion) into view on a phone."""
    nonce = st.session_state.pop("wsj_scroll", None)
    if nonce is not None:  # the nonce makes the element new, so its script runs again
        st.html(f"<script>/* {nonce} */ document.querySelector('.st-key-wsj_top')"
                "?.scrollIntoView({block: 'start'});</script>", unsafe_allow_javascript=True, width="content")


def _criterion(m: MaturityModel, crit_ids: list[str], ws: Workshop, mine: dict) -> Criterion | None:
    """The criterion to answer now: the host's in guided pace, the chosen step in free pace; None to wait."""
    if not ws.is_open:
        st.warning(WorkshopError("closed").message(L))
        return None
    if ws.pace == "guided":
        crit = m.criterion_by_id[ws.current_criterion] if ws.current_criterion in crit_ids else None
        if crit is None:
            st.info(tr("wsjoin.wait"))
        return crit
    shown = [m.criterion_by_id[c] for c in crit_ids]
    marks = [step_progress(sum(1 for i in c.indicators if i.id in mine), len(c.indicators)) for c in shown]
    k = step_radio(tr("wsjoin.step"), [m.t(c.name, L) for c in shown], marks, key="wsj_step", default=0)
    return shown[k]


def _form(m: MaturityModel, crit: Criterion, crit_ids: list[str], person: Participant, ws: Workshop,
          mine: dict) -> None:
    """One criterion's questions in one form; a submit stores them at once and moves on."""

    @guarded(flash="wsj_flash")
    def submit(crit_id: str) -> None:
        """Form callback: store this criterion's answers at once; a refusal becomes a message."""
        c = m.criterion_by_id[crit_id]
        answers = {i.id: st.session_state.get(f"wsj_ans_{i.id}") for i in c.indicators}
        answers = {k: v for k, v in answers.items() if v is not None}
        if not answers:
            st.session_state["wsj_flash"] = ("error", tr("wsjoin.nothing"))
            return
        try:
            svc.submit(person.token, answers)
        except WorkshopError as exc:
            st.session_state["wsj_flash"] = ("error", exc.message(L))
            return
        saved = tr("wsjoin.saved", name=m.t(c.name, L), n=len(answers))
        if ws.pace == "guided":
            saved += " " + tr("wsphone.guided_next")
        st.session_state["wsj_flash"] = ("success", saved)
        st.session_state["wsj_scroll"] = secrets.token_hex(4)
        k = crit_ids.index(crit_id)
        if ws.pace == "free" and k + 1 < len(crit_ids):
            st.session_state["wsj_step"] = k + 1

    k = crit_ids.index(crit.id)
    with st.container(key="wsj_crit"):
        st.markdown(f"#### {escape_md(m.t(m.group_of[crit.id].name, L))} · {escape_md(m.t(crit.name, L))}")
        st.caption(tr("wsphone.step_of", k=k + 1, n=len(crit_ids))
                   + (" · " + escape_md(m.t(crit.description, L)) if crit.description else ""))
    with st.container(key="wsj_answers"), st.form(f"wsj_form_{crit.id}"):
        for n, ind in enumerate(crit.indicators, start=1):
            st.markdown(f"**{n}. {escape_md(m.t(ind.question, L))}**{essential_badge(ind)}")
            if ind.help or ind.evidence or ind.essential:  # folded: on a phone the answers come first
                with st.expander(tr("essential_ui.phone_details")):
                    if ind.help:
                        st.caption(tr("q.evidence") + escape_md(m.t(ind.help, L)))
                    question_notes(m, ind)
            answer_radio(m, ind, L, f"wsj_ans_{ind.id}", mine.get(ind.id))
        st.form_submit_button(tr("wsjoin.submit"), on_click=submit, args=(crit.id,), type="primary",
                              width="stretch")


def _consensus(m: MaturityModel, visible: dict[str, IndicatorAggregate]) -> None:
    """Each question's consensus level and the facilitator's note (typed text: shown escaped), where recorded."""
    for iid, agg in visible.items():
        if agg.consensus is None and not agg.note:
            continue
        number = charts.question_number(m, iid)
        if agg.consensus is not None:
            st.markdown(tr("wsphone.consensus", number=number, level=escape_md(level_label(m, agg.consensus, L))))
        if agg.note:
            st.caption((f"{number} " if agg.consensus is None else "") + tr("wsphone.note", note=escape_md(agg.note)))


def _group(m: MaturityModel, crit_ids: list[str], crit: Criterion | None, person: Participant, ws: Workshop) -> None:
    """The group's answers once revealed: this criterion's (or, with none open, every criterion's)."""
    with guarded(kind="read"):
        group = svc.group_view_of(person, ws)  # None, without a query, until the host reveals
    with st.container(key="wsj_group"):
        st.markdown(f"#### {tr('wsjoin.group')}")
        if group is None:
            st.caption(tr("wsjoin.group_hidden"))
            return
        shown_ids = [c for c in crit_ids if crit is None or c == crit.id]
        for cid in shown_ids:
            c = m.criterion_by_id[cid]
            visible = {i.id: agg for i in c.indicators if (agg := group.get(i.id)) is not None}
            if len(shown_ids) > 1:
                st.markdown(f"**{escape_md(m.t(c.name, L))}**")
            if visible:
                # built once per distinct content in this process, shared by every phone (and the host)
                st.vega_lite_chart(distribution_spec(ws.model_sha256, m, visible, list(visible), L), width="stretch")
                _consensus(m, visible)
            for ind in c.indicators:
                if group.get(ind.id) is None:
                    st.caption(tr("wsjoin.too_few", question=escape_md(m.t(ind.question, L))))


@st.fragment
def _answering(token: str) -> None:
    """Progress, the criterion to answer and the group's result: rerun alone on a submit, a step or 刷新."""
    # On the page's run the page has just looked the participant up; on the fragment's own run, look again
    # (the host may have opened a criterion, revealed or closed since).
    found = st.session_state.pop("wsj_found", None)
    if found is None:
        with guarded(kind="read"):
            found = svc.participant(token)
        if found is None:
            st.rerun()  # the page says why
    person, ws = found
    m = pinned_model(ws).model
    crit_ids = session_criteria(m, ws)
    with guarded(kind="read"):
        mine = svc.answers_of_participant(person)
    total = sum(len(m.criterion_by_id[c].indicators) for c in crit_ids)
    done = sum(1 for c in crit_ids for i in m.criterion_by_id[c].indicators if i.id in mine)
    with st.container(key="wsj_top", horizontal=True, vertical_alignment="bottom"):
        st.progress(done / max(total, 1), text=tr("wsjoin.progress", done=done, total=total))
        st.button(tr("wsjoin.refresh"), key="wsj_refresh", icon="🔄", width="content")
    _flash()
    _scroll_to_top()
    if ws.is_open and done >= total:
        st.success(tr("wsphone.all_done"))
    crit = _criterion(m, crit_ids, ws, mine)
    if crit is not None:
        if m.instructions:  # folded: on a phone the first question stays on the first screen
            with st.expander(tr("model2.instructions"), icon="📝"):
                st.markdown(escape_md(m.t(m.instructions, L)))
        _form(m, crit, crit_ids, person, ws, mine)
    _group(m, crit_ids, crit, person, ws)


token = st.query_params.get("p") or st.session_state.get("wsj_token")
with guarded(kind="read"):
    found = svc.participant(token) if token else None
if found is None:
    st.title(tr("wsjoin.title"))
    if token:
        st.error(WorkshopError("no_such_participant").message(L))
        st.session_state.pop("wsj_token", None)
        st.query_params.pop("p", None)
    _join_form()

person, ws = found
st.session_state["wsj_token"] = person.token
if st.query_params.get("p") != person.token:
    st.query_params["p"] = person.token
who = escape_md(person.name) if person.name else tr("wsjoin.anonymous_you")
with st.container(key="wsj_head", gap="small"):
    st.markdown(f"#### {escape_md(ws.title)}")
    st.caption(tr("wsphone.you", who=who, code=ws.code))
st.session_state["wsj_found"] = found
_answering(person.token)
