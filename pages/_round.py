"""What a unit of a round sees of it on its own pages: which round and deadline, and the 上级复评 beside its answers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from maturity.display import fmt_index, level_label
from maturity.model import MaturityModel
from maturity.records import AssessmentRecord
from maturity.rounds import RoundService
from maturity.scoring import NA, score
from pages._ui import store, tr


def round_banner(record: AssessmentRecord) -> None:
    """One line under the header when the assessment belongs to a round (its title is typed text: shown as text)."""
    found = RoundService(store()).unit_of(record.token)
    if found is None:
        return
    rnd, _ = found
    deadline = tr("resultreview.deadline", date=rnd.deadline) if rnd.deadline else ""
    st.text(tr("resultreview.banner", title=rnd.title, deadline=deadline))


def review_panel(record: AssessmentRecord, model: MaturityModel, lang: str) -> None:
    """The reviewed levels beside the unit's own answers, and both overall indices; nothing when not reviewed."""
    reviews = RoundService(store()).reviews_of(record.token)
    if not reviews:
        return
    st.subheader(tr("resultreview.title"))
    st.caption(tr("resultreview.intro"))
    reviewed = dict(record.answers)
    reviewed.update({k: r.level for k, r in reviews.items()})
    own, rev = score(model, record.answers, record.targets), score(model, reviewed, record.targets)
    st.markdown(tr("resultreview.index", own=fmt_index(own.overall.index), reviewed=fmt_index(rev.overall.index)))
    rows = []
    for ind in model.indicators:
        if ind.id not in reviews:
            continue
        a = record.answers.get(ind.id)
        own_text = "—" if a is None else tr("spreadsheet.na") if a == NA else level_label(model, float(a), lang)
        rows.append({tr("resultreview.col_question"): model.t(ind.question, lang), tr("resultreview.col_own"): own_text,
                     tr("resultreview.col_review"): level_label(model, float(reviews[ind.id].level), lang),
                     tr("resultreview.col_reason"): reviews[ind.id].reason})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
