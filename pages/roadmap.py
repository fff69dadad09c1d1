"""Roadmap: the open assessment's actions by horizon, filtered by system and criterion, exported as CSV/Excel."""

from __future__ import annotations

import streamlit as st

from maturity import tables
from maturity.advice import roadmap
from maturity.display import join_names
from maturity.explain import cap_notes
from maturity.model import HORIZONS
from maturity.scoring import score
from pages._ui import PAGES, assessment_header, current_record, escape_md, lang, org_label, pinned_model, tr

L = lang()
record = current_record()
m = pinned_model(record).model
result = score(m, record.answers, record.targets)
plan = roadmap(m, result)

assessment_header(tr("roadmap.title"), record, m)

if result.overall.value is None:
    st.info(tr("roadmap.nothing"))
    st.page_link(PAGES["questionnaire"], label=tr("nav.questionnaire"), icon="✏️")
    st.stop()
if not len(plan):
    st.success(tr("roadmap.no_gaps") if not result.priorities else tr("roadmap.no_actions"))
    st.page_link(PAGES["results"], label=tr("roadmap.to_targets"), icon="📊")
    st.stop()

st.caption(tr("roadmap.intro"))
rows = tables.roadmap_rows(m, plan, L)
# Where a 必备项 holds a criterion's level down, its roadmap starts from the capped level: one line says why.
capped = [tr("essential_ui.criterion_note", criterion=m.t(m.criterion_by_id[cid].name, L), note=note)
          for cid in dict.fromkeys(r.criterion_id for r in rows) if result.criteria[cid].capped
          for note in cap_notes(m, result, cid, L)[:len(result.criteria[cid].caps)]]  # the caps come first
if capped:
    st.info("\n\n".join([escape_md(tr("essential_ui.roadmap_intro")), *(f"- {escape_md(line)}" for line in capped)]),
            icon="🔒")
c1, c2 = st.columns(2)
chosen_tags: list[str] = []
if m.tags:
    chosen_tags = c1.multiselect(
        tr("roadmap.filter_tags"), [tag.id for tag in m.tags], key="rm_tags",
        format_func=lambda i: m.t(m.tag_by_id[i].name, L), placeholder=tr("roadmap.all"),
    )
in_plan = list(dict.fromkeys(r.criterion_id for r in rows))
chosen_criteria = c2.multiselect(
    tr("roadmap.filter_criteria"), in_plan, key="rm_criteria",
    format_func=lambda i: m.t(m.criterion_by_id[i].name, L), placeholder=tr("roadmap.all"),
)
shown = tables.filter_roadmap(rows, chosen_tags, chosen_criteria)
st.caption(tr("roadmap.count", shown=len(shown), total=len(rows)))
if not shown:
    st.warning(tr("roadmap.none_match"))

present = [h for h in HORIZONS if any(r.horizon == h for r in shown)]
tabs = st.tabs([tr("roadmap.horizon_head", horizon=tables.horizon_label(h, L), n=sum(r.horizon == h for r in shown))
                for h in present]) if present else []
for tab, horizon in zip(tabs, present, strict=True):
    with tab:
        for r in (r for r in shown if r.horizon == horizon):
            with st.container(border=True):
                st.markdown(f"**{escape_md(r.title)}**")
                facts = [tr("roadmap.step", criterion=r.criterion, from_name=r.from_name, to_name=r.to_name)]
                if r.owner:
                    facts.append(tr("roadmap.owner", owner=r.owner))
                facts.append(tr("roadmap.effort_line", effort=tables.effort_label(r.effort, L)))
                if r.tag_names:
                    facts.append(tr("roadmap.tags_line", tags=join_names(r.tag_names, L)))
                st.caption(escape_md("　·　".join(facts) if L == "zh" else " · ".join(facts)))
                if r.detail:
                    st.markdown(escape_md(r.detail))

frame = tables.roadmap_frame(shown, L)
st.subheader(tr("roadmap.export"))
with st.expander(tr("roadmap.table")):
    st.dataframe(frame, hide_index=True, width="stretch", key="rm_table")
st.caption(tr("roadmap.export_help"))
name = org_label(record.organisation)
d1, d2 = st.columns(2)
d1.download_button(
    tr("roadmap.csv"), data=lambda: tables.csv_bytes(frame), mime="text/csv", on_click="ignore", icon="📄",
    file_name=tables.export_filename(name, tr("roadmap.file_kind"), record.assessed_at, "csv", L), disabled=not shown,
)
d2.download_button(
    tr("roadmap.xlsx"), data=lambda: tables.xlsx_bytes(frame, tr("roadmap.file_kind")), on_click="ignore", icon="📊",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", disabled=not shown,
    file_name=tables.export_filename(name, tr("roadmap.file_kind"), record.assessed_at, "xlsx", L),
)
