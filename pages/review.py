"""上级复评: the organiser (or a reviewer holding the round key) reads a unit's answers, notes and 佐证材料
and sets a reviewed level per question with a reason. Nothing the unit entered is changed.

``?r=CODE&k=<round key>[&u=<unit id>]``; the reviews are written by maturity/rounds.py, which checks the key.
"""

from __future__ import annotations

import streamlit as st

from maturity.assessment import AssessmentInvalid
from maturity.display import level_label
from maturity.filenames import uploaded_name
from maturity.i18n import t
from maturity.round_types import MAX_REVIEW_REASON, Review
from maturity.rounds import RoundError, RoundService
from maturity.scoring import NA
from pages._evidence import by_question, file_data, size_text
from pages._ui import PAGES, escape_md, guarded, lang, plain, store, tr

L = lang()
svc = RoundService(store())
code, key = st.query_params.get("r"), st.query_params.get("k")
st.title(tr("reviewui.title"))
if not code or not key:
    st.info(tr("reviewui.need_round"))
    st.page_link(PAGES["rounds"], label=tr("roundnav.rounds"), icon="🗂️")
    st.stop()
try:
    rnd = svc.check(code, key)
    units = [u for u in svc.units(code, key) if u.answered > 0]
except RoundError as exc:
    st.error(exc.message(L))
    st.stop()
plain(rnd.title)
st.caption(tr("reviewui.intro"))
c1, c2 = st.columns(2)
c1.page_link(PAGES["rounds"], label=tr("portui.to_round"), icon="↩️", query_params={"r": rnd.code, "k": key})
c2.page_link(PAGES["portfolio"], label=tr("roundui.to_portfolio"), icon="📊", query_params={"r": rnd.code, "k": key})
if not units:
    st.info(tr("reviewui.none"))
    st.stop()

by_id = {u.id: u for u in units}
wanted = st.query_params.get("u")
ids = list(by_id)
start = ids.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in by_id else 0


def _unit_label(i: int) -> str:
    u = by_id[i]
    status = t(f"round_status.{u.status}", L, answered=u.answered, total=u.total)
    return f"{u.name}（{status}）" if L == "zh" else f"{u.name} ({status})"


picked = st.selectbox(tr("reviewui.unit"), ids, index=start, key="review_unit", format_func=_unit_label,
                      placeholder=tr("friction.select"))
if st.query_params.get("u") != str(picked):
    st.query_params["u"] = str(picked)
unit = by_id[picked]
record = store().get_assessment(unit.token)
loaded = store().get_model_snapshot(rnd.model_sha256)
if record is None or loaded is None:
    st.error(tr("store.model_missing"))
    st.stop()
model = loaded.model
reviews: dict[str, Review] = svc.reviews_of(unit.token)
with guarded(kind="read"):
    files = by_question(store().evidence.list(unit.token))
if unit.status != "done":
    st.warning(tr("reviewui.not_done", answered=unit.answered, total=unit.total))
st.caption(tr("reviewui.counts", reviewed=len(reviews), total=len(model.indicators)))

flash = st.session_state.pop("review_flash", None)
if flash:
    st.success(flash)

crit_ids = [c.id for c in model.criteria]
crit_id = st.selectbox(tr("reviewui.criterion"), crit_ids, key="review_crit",
                       format_func=lambda c: model.t(model.criterion_by_id[c].name, L), placeholder=tr("friction.select"))
crit = model.criterion_by_id[crit_id]
NONE = "none"
levels = [lv.level for lv in model.scale]

for n, ind in enumerate(crit.indicators, start=1):
    st.markdown(f"**{n}. {escape_md(model.t(ind.question, L))}**" + (" · " + tr("reviewui.essential") if ind.essential else ""))
    a = record.answers.get(ind.id)
    if a is None:
        st.caption(tr("reviewui.unanswered"))
    elif a == NA:
        st.caption(tr("reviewui.own_na"))
    else:
        answer_text = model.t(ind.answers.get(int(a)), L) if int(a) in ind.answers else ""
        st.markdown(tr("reviewui.own", level=escape_md(level_label(model, float(a), L))) + " — " + escape_md(answer_text))
    note = record.notes.get(ind.id)
    if note:
        st.caption(tr("reviewui.note"))
        plain(note)
    for f in files.get(ind.id, []):
        st.download_button(f"📎 {f.filename}（{size_text(f.size)}）", key=f"review_file_{f.id}", mime=f.mime,
                           file_name=uploaded_name(f.filename, f.kind), on_click="ignore",
                           data=lambda fid=f.id: file_data(unit.token, fid))  # type: ignore[misc]
    if ind.id in reviews:
        r = reviews[ind.id]
        st.info(tr("reviewui.current", level=level_label(model, float(r.level), L)) +
                (f" — {escape_md(r.reason)}" if r.reason else ""), icon="🔍")

with st.form(f"review_form_{unit.id}_{crit_id}"):
    st.markdown(tr("reviewui.form_title", criterion=escape_md(model.t(crit.name, L))))
    chosen: dict[str, tuple[object, str]] = {}
    for n, ind in enumerate(crit.indicators, start=1):
        current = reviews.get(ind.id)
        options: list[object] = [NONE, *levels]
        index = options.index(int(current.level)) if current and float(current.level).is_integer() and \
            int(current.level) in levels else 0
        col1, col2 = st.columns([1, 2])
        level = col1.selectbox(tr("reviewui.level", n=n), options, index=index, key=f"rv_{unit.id}_{ind.id}",
                               format_func=lambda v: t("reviewui.no_review", L) if v == NONE else
                               level_label(model, float(str(v)), L), placeholder=tr("friction.select"))
        reason = col2.text_input(tr("reviewui.reason", n=n), value=current.reason if current else "",
                                 max_chars=MAX_REVIEW_REASON, key=f"rr_{unit.id}_{ind.id}")
        chosen[ind.id] = (level, reason)
    go = st.form_submit_button(tr("reviewui.save"), type="primary")
if go:
    changes = {iid: None if lv == NONE else (float(str(lv)), reason)
               for iid, (lv, reason) in chosen.items()}
    with guarded():
        try:
            svc.set_reviews(rnd.code, key, unit.token, changes)
        except (RoundError, AssessmentInvalid) as exc:
            st.error("\n\n".join(escape_md(x) for x in exc.describe(L)))
            st.stop()
    st.session_state["review_flash"] = tr("reviewui.saved", criterion=model.t(crit.name, L))
    st.rerun()
