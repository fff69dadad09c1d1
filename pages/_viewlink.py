"""The read-only view link: the owner's panel on the results page (issue, copy, revoke, re-issue) and the
viewer's questionnaire (answers and notes as text, no forms)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from pages._registry import page_url
from pages._ui import escape_md, essential_badge, guarded, lang, plain, store, tr

if TYPE_CHECKING:
    from maturity.model import Indicator, MaturityModel
    from maturity.store import AssessmentRecord

FLASH = "viewlink_flash"


def view_url(view_token: str) -> str:
    """The address of the results page opened by ``view_token`` (relative when the browser's address is unknown)."""
    url = getattr(st.context, "url", None) or ""
    # st.context.url is this page's address (…/results?…): the site is what comes before the page's path
    site = url.split("?")[0].rsplit("/", 1)[0] if url.startswith("http") else ""
    return page_url("results", site, a=view_token)


@guarded(flash=FLASH)
def _issue(token: str, message: str) -> None:
    store().issue_view_token(token)
    st.session_state[FLASH] = ("success", tr(message))


@guarded(flash=FLASH)
def _revoke(token: str) -> None:
    store().revoke_view_token(token)
    st.session_state[FLASH] = ("success", tr("viewlink.revoked"))


def view_link_panel(record: AssessmentRecord) -> None:
    """What a view link lets its holder do, and its controls; shown only to the owner (the edit link)."""
    if record.read_only:  # a viewer never manages the link nor learns it from here
        return
    st.subheader(tr("viewlink.title"))
    with st.container(border=True, key="viewlink"):
        st.caption(tr("viewlink.intro"))
        st.markdown(f"✅ {tr('viewlink.can')}\n\n🚫 {tr('viewlink.cannot')}")
        flash = st.session_state.pop(FLASH, None)
        if flash:
            {"success": st.success}.get(flash[0], st.error)(flash[1])
        with guarded(kind="read"):
            view = store().view_token_of(record.token)
        if view is None:
            st.caption(tr("viewlink.none"))
            st.button(tr("viewlink.issue"), key="viewlink_issue", icon="🔗", on_click=_issue,
                      args=(record.token, "viewlink.issued"))
            return
        st.code(view_url(view), language=None, wrap_lines=True)
        st.caption(tr("viewlink.copy_help"))
        b1, b2 = st.columns(2)
        b1.button(tr("viewlink.reissue"), key="viewlink_reissue", icon="🔄", on_click=_issue,
                  args=(record.token, "viewlink.reissued"), width="stretch")
        b2.button(tr("viewlink.revoke"), key="viewlink_revoke", icon="🚫", on_click=_revoke, args=(record.token,),
                  width="stretch")


def read_only_answers(record: AssessmentRecord, model: MaturityModel, indicators: list[tuple[str, Indicator]]) -> None:
    """Each question of a step with its answer (level, anchored text) and note, as text: what a viewer reads."""
    from maturity.display import parenthesised
    from maturity.scoring import NA

    L = lang()
    for number, ind in indicators:
        st.markdown(f"**{number} {escape_md(model.t(ind.question, L))}**{essential_badge(ind)}")
        answer = record.answers.get(ind.id)
        if answer is None:
            said = tr("q.unanswered")
        elif answer == NA:
            said = tr("q.na")
        else:
            level = int(answer)
            said = tr("friction.name_text", name=parenthesised(model.t(model.levels[level].name, L), str(level), L),
                      text=model.t(ind.answers[level], L))
        plain(tr("conflict.answer", answer=said))
        note = record.notes.get(ind.id)
        if note:
            plain(tr("conflict.note") + note)
        st.divider()
