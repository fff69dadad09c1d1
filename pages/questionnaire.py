"""The questionnaire: one criterion per step, each step saved to the database on submit."""

from __future__ import annotations

import streamlit as st

from pages._ui import (
    PAGES,
    answer_radio,
    assessment_header,
    current_record,
    escape_md,
    lang,
    pinned_model,
    step_progress,
    step_radio,
    store,
    tr,
)

L = lang()
record = current_record()
loaded = pinned_model(record)
m = loaded.model
answers, notes = record.answers, record.notes

assessment_header(tr("q.title"), record, m)

done = sum(1 for i in m.indicators if i.id in answers)
st.progress(done / len(m.indicators), text=tr("q.progress", done=done, total=len(m.indicators)))
link = f"{st.context.url.split('?')[0] if getattr(st.context, 'url', None) else ''}?a={record.token}"
with st.expander(tr("q.link_title")):
    st.caption(tr("q.link_help"))
    st.code(link, language=None)


criteria = m.criteria
step = step_radio(tr("q.step"), [m.t(c.name, L) for c in criteria],
                  [step_progress(sum(1 for i in c.indicators if i.id in answers), len(c.indicators)) for c in criteria],
                  key="step", default=record.current_step)
crit = criteria[step]


def _save(crit_id: str, advance: bool) -> None:
    """Form callback: write this criterion's answers and notes, then maybe move on."""
    c = m.criterion_by_id[crit_id]
    new_answers = {}
    for ind in c.indicators:
        value = st.session_state.get(f"ans-{ind.id}")
        if value is not None:
            new_answers[ind.id] = value
    new_notes = {ind.id: st.session_state.get(f"note-{ind.id}", "") or "" for ind in c.indicators}
    try:
        store().save_answers(record.token, new_answers, new_notes)
        nxt = min(step + 1, len(criteria) - 1) if advance else step
        store().update_assessment(record.token, current_step=nxt)
    except Exception as exc:
        st.session_state["flash"] = ("error", tr("q.save_failed", detail=type(exc).__name__))
        return
    st.session_state["flash"] = ("success", tr("q.saved", name=m.t(c.name, L), n=len(new_answers)))
    if advance:
        st.session_state["step"] = nxt


flash = st.session_state.pop("flash", None)
if flash:
    (st.success if flash[0] == "success" else st.error)(flash[1])

st.subheader(f"{step + 1}. {m.t(m.group_of[crit.id].name, L)} · {m.t(crit.name, L)}")
if crit.description:
    st.caption(escape_md(m.t(crit.description, L)))

with st.form(f"form-{crit.id}"):
    for n, ind in enumerate(crit.indicators, start=1):
        answered = ind.id in answers
        flag = "" if answered else f" — {tr('q.unanswered')}"
        st.markdown(f"**{step + 1}.{n} {escape_md(m.t(ind.question, L))}**{flag}")
        if ind.help:
            st.caption(tr("q.evidence") + escape_md(m.t(ind.help, L)))
        answer_radio(m, ind, L, f"ans-{ind.id}", answers.get(ind.id))
        st.text_area(tr("q.note"), value=notes.get(ind.id, ""), key=f"note-{ind.id}", height=68,
                     max_chars=2000, placeholder=tr("q.note_placeholder"))
        st.divider()
    c1, c2 = st.columns(2)
    c1.form_submit_button(tr("q.save"), on_click=_save, args=(crit.id, False), width="stretch")
    c2.form_submit_button(tr("q.save_next"), on_click=_save, args=(crit.id, True), type="primary",
                          width="stretch")

missing = [(c, i) for c in criteria for i in c.indicators if i.id not in answers]
if missing:
    with st.expander(tr("q.missing", n=len(missing))):
        for c, i in missing:
            st.markdown("- " + tr("friction.name_text", name=escape_md(m.t(c.name, L)), text=escape_md(m.t(i.question, L))))
else:
    st.success(tr("q.all_done"))
st.page_link(PAGES["results"], label=tr("nav.results"), icon="📊")
