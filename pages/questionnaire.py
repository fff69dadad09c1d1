"""The questionnaire: one criterion per step, each step saved to the database on submit."""

from __future__ import annotations

import streamlit as st

from maturity.display import parenthesised
from maturity.limits import MAX_NOTE
from maturity.revisions import Conflict, Entry
from maturity.scoring import NA
from pages._carry import offer_carry_over
from pages._evidence import by_question, evidence_panel, files_of
from pages._round import round_banner
from pages._ui import (
    PAGES,
    answer_radio,
    assessment_header,
    catalog,
    current_record,
    escape_md,
    essential_badge,
    guarded,
    lang,
    pinned_model,
    plain,
    question_notes,
    step_progress,
    step_radio,
    store,
    tr,
)
from pages._viewlink import read_only_answers

L = lang()
record = current_record()
loaded = pinned_model(record)
m = loaded.model
answers, notes = record.answers, record.notes

assessment_header(tr("q.title"), record, m)
round_banner(record)
if record.read_only:  # the view link changes nothing: each step's answers, notes and evidence as text, no forms
    st.caption(tr("viewlink.questionnaire"))  # under the read-only banner: what this page shows
    seen = step_radio(tr("q.step"), [m.t(c.name, L) for c in m.criteria],
                      [step_progress(sum(1 for i in c.indicators if i.id in answers), len(c.indicators)) for c in m.criteria],
                      key="step", default=0)
    shown = [(f"{seen + 1}.{n}", ind) for n, ind in enumerate(m.criteria[seen].indicators, start=1)]
    read_only_answers(record, m, shown)
    evidence_panel(record, m, shown, by_question(files_of(record)))
    st.page_link(PAGES["results"], label=tr("viewlink.to_results"), icon="📊")
    st.stop()
offer_carry_over(record, catalog(), store(), L)

done = sum(1 for i in m.indicators if i.id in answers)
st.progress(done / len(m.indicators), text=tr("q.progress", done=done, total=len(m.indicators)))
url = getattr(st.context, "url", None)
link = f"{url.split('?')[0] if url else ''}?a={record.token}"
with st.expander(tr("q.link_title")):
    st.caption(tr("q.link_help"))
    st.code(link, language=None)


criteria = m.criteria
step = step_radio(tr("q.step"), [m.t(c.name, L) for c in criteria],
                  [step_progress(sum(1 for i in c.indicators if i.id in answers), len(c.indicators)) for c in criteria],
                  key="step", default=record.current_step)
crit = criteria[step]
if m.instructions:  # the model's own word on how to answer: open before the first question
    with st.expander(tr("model2.instructions"), expanded=step == 0, icon="📝"):
        st.markdown(escape_md(m.t(m.instructions, L)))


# What this tab showed of each question (its baseline) and the questions changed elsewhere meanwhile:
# a save writes only what this tab changed, and shows a conflict instead of overwriting (issue 8).
if st.session_state.get("q_token") != record.token:
    for k in [k for k in st.session_state if str(k).startswith(("ans-", "note-"))]:
        del st.session_state[k]
    st.session_state.update(q_token=record.token, q_base={}, q_conflicts={})
base: dict[str, Entry] = st.session_state["q_base"]
conflicts: dict[str, Conflict] = st.session_state["q_conflicts"]
number = {i.id: f"{k}.{n}" for k, c in enumerate(criteria, start=1) for n, i in enumerate(c.indicators, start=1)}


def _show(iid: str, entry: Entry) -> None:
    """Put ``entry`` into the question's widgets and make it the baseline (from a callback: before the widgets)."""
    base[iid] = entry
    st.session_state[f"ans-{iid}"], st.session_state[f"note-{iid}"] = entry.answer, entry.note


@guarded(flash="flash")
def _save(crit_id: str, advance: bool) -> None:
    """Form callback: write what this tab changed of this criterion, then maybe move on."""
    c = m.criterion_by_id[crit_id]
    ids = [i.id for i in c.indicators]
    mine = {k: st.session_state.get(f"ans-{k}") for k in ids}
    new_notes = {k: st.session_state.get(f"note-{k}", "") or "" for k in ids}
    nxt = min(step + 1, len(criteria) - 1) if advance else step
    result = store().save_answers(record.token, mine, new_notes, baseline={k: base.get(k, Entry()) for k in ids},
                                  current_step=nxt)
    clashed = {x.indicator_id for x in result.conflicts}
    for k, entry in result.current.items():
        if k not in clashed:
            conflicts.pop(k, None)
            _show(k, entry)  # also brings in what changed elsewhere on questions this tab left alone
    conflicts.update({x.indicator_id: x for x in result.conflicts})
    if clashed:
        st.session_state["flash"] = ("warning", tr("conflict.intro", n=len(clashed)))
        return
    st.session_state["flash"] = ("success", tr("q.saved", name=m.t(c.name, L), n=sum(v is not None for v in mine.values())))
    if advance:
        st.session_state["step"] = nxt


@guarded(flash="flash")
def _keep_mine(iid: str) -> None:
    """Conflict button: write this tab's value over the one the user was shown from elsewhere."""
    c = conflicts[iid]
    result = store().save_answers(record.token, {iid: c.mine.answer}, {iid: c.mine.note}, baseline={iid: c.theirs})
    if result.conflicts:  # changed elsewhere once more while the user was choosing
        conflicts[iid] = Conflict(iid, c.theirs, c.mine, result.conflicts[0].theirs)
        st.session_state["flash"] = ("warning", tr("conflict.again", question=_question(iid)))
        return
    conflicts.pop(iid)
    _show(iid, result.current[iid])
    st.session_state["flash"] = ("success", tr("conflict.kept", question=_question(iid)))


@guarded(flash="flash")
def _take_theirs(iid: str) -> None:
    """Conflict button: drop this tab's value and show the stored one (nothing is written)."""
    conflicts.pop(iid, None)
    fresh = store().get_assessment(record.token)
    _show(iid, fresh.entry(iid) if fresh is not None else Entry())
    st.session_state["flash"] = ("success", tr("conflict.taken", question=_question(iid)))


def _question(iid: str) -> str:
    return tr("conflict.question", number=number[iid], question=m.t(m.indicator_by_id[iid].question, L))


def _answer_text(entry: Entry) -> str:
    if entry.answer is None:
        return tr("conflict.no_answer")
    if entry.answer == NA:
        return tr("q.na")
    return parenthesised(m.t(m.levels[int(entry.answer)].name, L), str(entry.answer), L)


def _conflict_panel() -> None:
    """Each question changed both here and elsewhere: both values (user text as text) and the two choices."""
    for iid, c in list(conflicts.items()):
        fresh = record.entry(iid).normal()
        if fresh == c.mine:  # someone already made it so
            conflicts.pop(iid)
        elif fresh != c.theirs:
            conflicts[iid] = Conflict(iid, c.base, c.mine, fresh)
    for iid, c in conflicts.items():
        with st.container(border=True, key=f"conflict-{iid}"):
            st.markdown(f"**⚠️ {tr('friction.name_text', name=tr('conflict.title'), text=escape_md(_question(iid)))}**")
            for col, who, entry in zip(st.columns(2), ("mine", "theirs"), (c.mine, c.theirs), strict=True):
                with col:
                    st.caption(tr(f"conflict.{who}"))
                    plain(tr("conflict.answer", answer=_answer_text(entry)))
                    plain(tr("conflict.note") + (entry.note or tr("conflict.no_note")))
            b1, b2 = st.columns(2)
            b1.button(tr("conflict.keep_mine"), key=f"keep-{iid}", on_click=_keep_mine, args=(iid,), width="stretch")
            b2.button(tr("conflict.take_theirs"), key=f"take-{iid}", on_click=_take_theirs, args=(iid,),
                      width="stretch")


flash = st.session_state.pop("flash", None)
if flash:
    {"success": st.success, "warning": st.warning}.get(flash[0], st.error)(flash[1])
_conflict_panel()

st.subheader(f"{step + 1}. {m.t(m.group_of[crit.id].name, L)} · {m.t(crit.name, L)}")
if crit.description:
    st.caption(escape_md(m.t(crit.description, L)))

evidence = by_question(files_of(record))
with st.form(f"form-{crit.id}"):
    for n, ind in enumerate(crit.indicators, start=1):
        answered = ind.id in answers
        flag = "" if answered else f" — {tr('q.unanswered')}"
        if evidence.get(ind.id):  # its files are in the evidence panel under the form
            flag += f" {tr('evidence_ui.mark', n=len(evidence[ind.id]))}"
        st.markdown(f"**{step + 1}.{n} {escape_md(m.t(ind.question, L))}**{essential_badge(ind)}{flag}")
        if ind.help:
            st.caption(tr("q.evidence") + escape_md(m.t(ind.help, L)))
        question_notes(m, ind)
        if f"ans-{ind.id}" not in st.session_state or f"note-{ind.id}" not in st.session_state:
            # drawn afresh from the database: what it shows now is this tab's baseline
            base[ind.id] = record.entry(ind.id)
            st.session_state[f"ans-{ind.id}"], st.session_state[f"note-{ind.id}"] = base[ind.id].answer, base[ind.id].note
        answer_radio(m, ind, L, f"ans-{ind.id}", None)
        stored = len(base[ind.id].note or "") if ind.id in base else 0
        # A note stored before the limit existed is shown whole (never cut by the widget) and flagged.
        st.text_area(tr("q.note"), key=f"note-{ind.id}", height=68, max_chars=max(MAX_NOTE, stored),
                     placeholder=tr("q.note_placeholder"))
        if stored > MAX_NOTE:
            st.warning(tr("q.note_too_long", length=stored, limit=MAX_NOTE))
        st.divider()
    c1, c2 = st.columns(2)
    c1.form_submit_button(tr("q.save"), on_click=_save, args=(crit.id, False), width="stretch")
    c2.form_submit_button(tr("q.save_next"), on_click=_save, args=(crit.id, True), type="primary",
                          width="stretch")

# Files upload at once and have their own buttons: outside the answer form (see pages/_evidence.py).
evidence_panel(record, m, [(f"{step + 1}.{n}", ind) for n, ind in enumerate(crit.indicators, start=1)], evidence)

missing = [(c, i) for c in criteria for i in c.indicators if i.id not in answers]
if missing:
    with st.expander(tr("q.missing", n=len(missing))):
        for c, i in missing:
            st.markdown("- " + tr("friction.name_text", name=escape_md(m.t(c.name, L)), text=escape_md(m.t(i.question, L))))
else:
    st.success(tr("q.all_done"))
st.page_link(PAGES["results"], label=tr("nav.results"), icon="📊")
