"""Results: overall index and stage, charts of the gaps, per-criterion table with explanations, targets, PDF."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from maturity.display import fmt_index, fmt_level, join_names, level_label, stars
from maturity.explain import cap_notes, explain_criterion, explain_mean_of_criteria, explain_tag, stage_cap_note
from maturity.i18n import t
from maturity.scoring import score
from pages._carry import offer_carry_over
from pages._evidence import backed, by_question, files_of
from pages._round import review_panel, round_banner
from pages._ui import (
    PAGES,
    assessment_header,
    catalog,
    chart_spec,
    current_record,
    escape_md,
    guarded,
    lang,
    org_label,
    pinned_model,
    store,
    tr,
)
from pages._viewlink import view_link_panel

L = lang()
record = current_record()
loaded = pinned_model(record)
m = loaded.model
result = score(m, record.answers, record.targets)

assessment_header(tr("r.title"), record, m)
round_banner(record)
offer_carry_over(record, catalog(), store(), L)

if result.overall.value is None:
    st.warning(tr("r.nothing"))
    st.page_link(PAGES["questionnaire"], label=tr("nav.questionnaire"), icon="📝")
    st.stop()

stage = result.stage
stage_name = m.t(m.levels[stage].name, L) if stage is not None else "—"
c1, c2, c3, c4 = st.columns([1, 1.5, 1, 1])  # the stage's name is the longest value ("Standardised")
c1.metric(tr("r.index"), fmt_index(result.overall.index), help=tr("r.index_help"))
c2.metric(tr("r.stage"), stage_name, help=tr("r.stage_help"))
c2.markdown(stars(m, stage))
c3.metric(tr("r.avg_level"), fmt_level(result.overall.level), help=tr("r.avg_help"))
c4.metric(tr("r.coverage"), f"{100 * result.coverage:.0f}%", help=tr("r.coverage_help"))
evidence = by_question(files_of(record))
st.caption(tr("evidence_ui.backed", backed=backed(record.answers, evidence), answered=len(record.answers)),
           help=tr("evidence_ui.backed_help"))
if stage is not None and m.levels[stage].description:
    st.info(tr("friction.name_text", name=f"**{escape_md(stage_name)}**",
               text=escape_md(m.t(m.levels[stage].description, L))))
if held := stage_cap_note(m, result, L):
    st.warning(escape_md(held), icon="🔒")
# A criterion low in confidence for an unanswered 必备项 is named with it under the table, not as "fewer than half".
low = [m.t(m.criterion_by_id[c.id].name, L) for c in result.criteria.values()
       if c.low_confidence and not c.essential_missing]
if low:
    st.warning(tr("r.low_conf", names=join_names(low, L)))

views = {"radar": "r.tab_radar", "groups_bar": "r.tab_groups", "gap_bars": "r.tab_gaps", "tags_bar": "r.tab_tags",
         "heatmap": "r.tab_heat"}
if not m.tags:
    views.pop("tags_bar")
# One chart at a time: each is built only when asked for (and then cached for these answers).
view = st.segmented_control(tr("r.charts"), list(views), default="radar", key="chart_view",
                            format_func=lambda k: t(views[k], L), label_visibility="collapsed") or "radar"
st.vega_lite_chart(chart_spec(loaded.sha256, record.answers, record.targets, L, view), width="stretch")
review_panel(record, m, L)

st.subheader(tr("r.criteria"))


def _achieved(level: int, capped: bool, mean: float | None) -> str:
    """The achieved level's name; where a 必备项 caps it, with the criterion's mean level beside it."""
    name = m.t(m.levels[level].name, L)
    return tr("essential_ui.achieved_capped", name=name, level=fmt_level(mean)) if capped else name


rows = []
for crit in m.criteria:
    c = result.criteria[crit.id]
    done = [i.id for i in crit.indicators if i.id in record.answers]  # answered: backed by evidence or not
    rows.append({
        tr("r.col.group"): m.t(m.group_of[crit.id].name, L),
        tr("r.col.criterion"): m.t(crit.name, L) + (" ⚠" if c.low_confidence else ""),
        tr("r.col.index"): fmt_index(c.score.index),
        tr("r.col.level"): fmt_level(c.score.level),
        tr("r.col.achieved"): "—" if c.achieved is None else _achieved(c.achieved, c.capped, c.score.level),
        tr("r.col.target"): "—" if c.target is None else f"{c.target:g}",
        tr("r.col.gap"): fmt_level(c.gap),
        tr("r.col.priority"): fmt_level(c.priority),
        tr("r.col.answered"): f"{c.answered}/{c.total}",
        tr("evidence_ui.col"): f"{backed(done, evidence)}/{len(done)}" if done else "—",
    })
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
# Each 必备项 that caps a criterion or is still unanswered, by criterion: model text, shown escaped.
essential_notes = [tr("essential_ui.criterion_note", criterion=m.t(crit.name, L), note=note)
                   for crit in m.criteria for note in cap_notes(m, result, crit.id, L)]
if essential_notes:
    st.warning("\n\n".join(escape_md(line) for line in essential_notes), icon="🔒")
st.caption(tr("r.table_help") + (" " + tr("essential_ui.table_help") if m.essentials else ""))

st.subheader(tr("r.explain"))
st.caption(tr("r.explain_help"))
choices: list[tuple[str, str]] = [("overall", "")]
choices += [("group", g.id) for g in m.groups] + [("criterion", c.id) for c in m.criteria]
choices += [("tag", tag.id) for tag in m.tags]


def _choice_label(choice: tuple[str, str]) -> str:
    # t(..., L), not tr(): a format_func may be called outside this script run
    kind, ident = choice
    if kind == "overall":
        return t("r.explain_overall", L, index=fmt_index(result.overall.index))
    if kind == "group":
        g = next(g for g in m.groups if g.id == ident)
        return t("r.explain_item", L, name=m.t(g.name, L), index=fmt_index(result.groups[ident].index))
    if kind == "tag":
        return t("r.explain_item", L, name=m.t(m.tag_by_id[ident].name, L), index=fmt_index(result.tags[ident].index))
    c = result.criteria[ident]
    return t("r.explain_item", L, name=m.t(m.criterion_by_id[ident].name, L), index=fmt_index(c.score.index))


kind, ident = st.selectbox(tr("r.explain_pick"), choices, format_func=_choice_label, key="explain",
                           placeholder=tr("friction.select"))
if kind == "overall":
    ex = explain_mean_of_criteria(m, result.overall, L)
elif kind == "group":
    ex = explain_mean_of_criteria(m, result.groups[ident], L)
elif kind == "tag":
    ex = explain_tag(m, result.tags[ident], L)
else:
    ex = explain_criterion(m, result, ident, record.answers, L)
    c = result.criteria[ident]
    st.caption(tr("r.target_line", target="—" if c.target is None else f"{c.target:g}",
                  source=tr(f"r.target_source.{c.target_source}")))
# The result first (each line of the formula starts with it), wrapped; then the answers and weights behind it.
st.code(ex.formula, language=None, wrap_lines=True)
st.dataframe(pd.DataFrame(ex.rows), hide_index=True, width="stretch")

# A viewer (the read-only link) sees the targets in the table above; setting them is the owner's.
if not record.read_only:
    st.subheader(tr("r.targets"))
    # What "default" means for each criterion: its target without the union's own choice.
    defaults = score(m, record.answers, {}).criteria

    def _level_label(v: float | None) -> str:
        return level_label(m, v, L)

    def _default_label(cid: str) -> str:
        d = defaults[cid]
        key = "friction.target_default_next" if d.target_source == "next" else "r.target_default"
        return t(key, L, target=_level_label(d.target))

    for kind_, message in st.session_state.pop("targets_flash", []):
        getattr(st, kind_)(message)
    with st.form("targets"):
        st.caption(tr("r.targets_help"))
        cols = st.columns(4)
        # "default" rather than None: Streamlit offers to clear a select whose value is None, which
        # would leave it showing the placeholder instead of the default it stands for.
        options: list[Any] = ["default"] + [s.level for s in m.scale]  # a sentinel, then the levels
        for k, crit in enumerate(m.criteria):
            current = record.targets.get(crit.id)
            cols[k % 4].selectbox(
                m.t(crit.name, L), options, index=options.index(current) if current in options else 0,
                # mypy infers no type for a lambda with a default argument (the criterion bound per select)
                format_func=lambda v, cid=crit.id: _default_label(cid) if v == "default" else _level_label(v),  # type: ignore[misc]
                key=f"target-{crit.id}", placeholder=tr("friction.select"),
            )
        if st.form_submit_button(tr("r.targets_save")):
            picked = {c.id: st.session_state[f"target-{c.id}"] for c in m.criteria}
            chosen = {cid: None if v == "default" else v for cid, v in picked.items()}
            with guarded():
                store().set_targets(record.token, chosen)
            changed = [c for c in m.criteria if chosen[c.id] != record.targets.get(c.id)]
            same = [c for c in changed if chosen[c.id] is not None and chosen[c.id] == defaults[c.id].target]
            flash = []
            if changed:
                flash.append(("success", tr("friction.targets_saved", items=join_names([
                    tr("friction.target_item", name=escape_md(m.t(c.name, L)), target=escape_md(
                        _default_label(c.id) if chosen[c.id] is None else _level_label(chosen[c.id])))
                    for c in changed], L))))
            else:
                flash.append(("info", tr("friction.targets_unchanged")))
            if same:
                flash.append(("info", tr("friction.targets_same", names=join_names([escape_md(m.t(c.name, L)) for c in same], L))))
            st.session_state["targets_flash"] = flash
            st.rerun()

st.subheader(tr("r.report"))


def _pdf() -> bytes:
    from maturity.report import build_report

    return bytes(build_report(loaded, record.to_assessment(), lang=L, result=result,
                              evidence=store().evidence.list(record.token)))  # the appendix lists them


from maturity.report import DOCX_MIME, DOCX_STYLES, docx_filename, report_filename  # noqa: E402 - light import; the build is deferred to the click

st.download_button(
    tr("r.download_pdf"), data=_pdf, file_name=report_filename(org_label(record.organisation), record.assessed_at, L),
    mime="application/pdf", on_click="ignore", icon="📄", type="primary",
)
word_style = st.radio(tr("docx.style"), DOCX_STYLES, key="r_docx_style", horizontal=True, help=tr("docx.style_help"),
                      format_func=lambda s: t(f"docx.style_{s}", L))  # L, not the session: AppTest calls it outside a run


def _docx() -> bytes:
    from maturity.report import build_docx_report

    return bytes(build_docx_report(loaded, record.to_assessment(), lang=L, result=result, style=word_style,
                                   evidence=store().evidence.list(record.token)))


st.download_button(
    tr("docx.download"), data=_docx, file_name=docx_filename(org_label(record.organisation), record.assessed_at, L),
    mime=DOCX_MIME, on_click="ignore", icon="📝", key="r_docx", help=tr("docx.download_help"),
)
st.page_link(PAGES["roadmap"], label=tr("nav.roadmap"), icon="🧭")

view_link_panel(record)  # the owner's only: issue, copy, revoke, re-issue the read-only link
