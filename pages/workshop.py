"""Take part in a live workshop: join by code, answer one criterion at a time, see the group once revealed."""

from __future__ import annotations

import secrets

import streamlit as st

from maturity import charts
from maturity.limits import MAX_PARTICIPANT_NAME
from maturity.throttle import Client
from maturity.workshop import Workshop, WorkshopError, WorkshopService, normalise_code, session_criteria
from pages._ui import answer_radio, escape_md, guarded, lang, pinned_model, step_progress, step_radio, store, tr

L = lang()
svc = WorkshopService(store())
st.title(tr("wsjoin.title"))


def _flash() -> None:
    flash = st.session_state.pop("wsj_flash", None)
    if flash:
        (st.success if flash[0] == "success" else st.error)(flash[1])


token = st.query_params.get("p") or st.session_state.get("wsj_token")
found = svc.participant(token) if token else None
if token and found is None:
    st.error(WorkshopError("no_such_participant").message(L))
    st.session_state.pop("wsj_token", None)
    st.query_params.pop("p", None)

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


if found is None:
    _flash()
    # Wrong codes are limited per browser session and per address (st.context.ip_address is the
    # connection's peer; behind a proxy, the X-Forwarded-For address the server is told to trust).
    client = Client(session=st.session_state.setdefault("wsj_client", secrets.token_urlsafe(16)),
                    address=st.context.ip_address)
    typed = st.query_params.get("w") or ""
    known = _lookup_link(typed, client) if typed else None
    with st.form("wsj_join"):
        code = st.text_input(tr("wsjoin.code"), value=normalise_code(typed), max_chars=12, key="wsj_code",
                             placeholder="ABC234")
        name = ""
        if known is None or known.named:
            label = tr("wsjoin.name_required") if known is not None else tr("wsjoin.name_optional")
            name = st.text_input(label, max_chars=MAX_PARTICIPANT_NAME, key="wsj_name")
        else:
            st.caption(tr("wsjoin.anonymous"))
        go = st.form_submit_button(tr("wsjoin.join"), type="primary")
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

person, ws = found
st.session_state["wsj_token"] = person.token
if st.query_params.get("p") != person.token:
    st.query_params["p"] = person.token
loaded = pinned_model(ws)
m = loaded.model
crit_ids = session_criteria(m, ws)
mine = svc.answers_of_participant(person)

st.markdown(f"### {escape_md(ws.title)}")
who = escape_md(person.name) if person.name else tr("wsjoin.anonymous_you")
st.caption(tr("wsjoin.you", who=who, code=ws.code))
total = sum(len(m.criterion_by_id[c].indicators) for c in crit_ids)
done = sum(1 for c in crit_ids for i in m.criterion_by_id[c].indicators if i.id in mine)
st.progress(done / max(total, 1), text=tr("wsjoin.progress", done=done, total=total))
st.button(tr("wsjoin.refresh"), key="wsj_refresh", icon="🔄")
_flash()

if not ws.is_open:
    st.warning(WorkshopError("closed").message(L))
    crit = None
elif ws.pace == "guided":
    crit = m.criterion_by_id[ws.current_criterion] if ws.current_criterion in crit_ids else None
    if crit is None:
        st.info(tr("wsjoin.wait"))
else:
    shown = [m.criterion_by_id[c] for c in crit_ids]
    marks = [step_progress(sum(1 for i in c.indicators if i.id in mine), len(c.indicators)) for c in shown]
    k = step_radio(tr("wsjoin.step"), [m.t(c.name, L) for c in shown], marks, key="wsj_step", default=0)
    crit = shown[k]


@guarded(flash="wsj_flash")
def _submit(crit_id: str) -> None:
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
    st.session_state["wsj_flash"] = ("success", tr("wsjoin.saved", name=m.t(c.name, L), n=len(answers)))
    k = crit_ids.index(crit_id)
    if ws.pace == "free" and k + 1 < len(crit_ids):
        st.session_state["wsj_step"] = k + 1


if crit is not None:
    st.subheader(f"{escape_md(m.t(m.group_of[crit.id].name, L))} · {escape_md(m.t(crit.name, L))}")
    if crit.description:
        st.caption(escape_md(m.t(crit.description, L)))
    with st.form(f"wsj_form_{crit.id}"):
        for n, ind in enumerate(crit.indicators, start=1):
            st.markdown(f"**{n}. {escape_md(m.t(ind.question, L))}**")
            if ind.help:
                st.caption(tr("q.evidence") + escape_md(m.t(ind.help, L)))
            answer_radio(m, ind, L, f"wsj_ans_{ind.id}", mine.get(ind.id))
            st.divider()
        st.form_submit_button(tr("wsjoin.submit"), on_click=_submit, args=(crit.id,), type="primary",
                              width="stretch")

group = svc.group_view_of(person, ws)
st.divider()
st.subheader(tr("wsjoin.group"))
if group is None:
    st.caption(tr("wsjoin.group_hidden"))
else:
    shown_ids = [c for c in crit_ids if crit is None or c == crit.id]
    for cid in shown_ids:
        c = m.criterion_by_id[cid]
        visible = {i.id: agg for i in c.indicators if (agg := group.get(i.id)) is not None}
        hidden = [i for i in c.indicators if group.get(i.id) is None]
        if len(shown_ids) > 1:
            st.markdown(f"**{escape_md(m.t(c.name, L))}**")
        if visible:
            spec = charts.distribution(m, visible, list(visible), L).to_dict(validate=False)
            st.vega_lite_chart(spec, width="stretch")
        for ind in hidden:
            st.caption(tr("wsjoin.too_few", question=escape_md(m.t(ind.question, L))))
