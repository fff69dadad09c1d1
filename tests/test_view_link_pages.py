"""The read-only view link through every page (issue 12): it shows, it never writes, it never tells the edit link.

The owner issues, re-issues and revokes it on the results page; a viewer opens every page with it and
finds no form, no uploader, no targets, no import and no carry-over, and nowhere the edit token.
"""

from __future__ import annotations

from typing import Any

import pytest

from maturity.store import Store
from pages._registry import REGISTRY
from tests import helpers
from tests.helpers import HOSTILE

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ANSWERS = {"leading.party": 3, "leading.model-workers": 2}


def rendered(at: Any) -> str:
    """Every element the run drew (main and sidebar), as its protobuf text: what a browser could be sent."""
    out: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def kinds(at: Any) -> set[str]:
    """The element types drawn, forms and other blocks included."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        found.add(str(getattr(node, "type", "")))
        proto = getattr(node, "proto", None)
        if proto is not None and proto.DESCRIPTOR.name == "Block" and proto.WhichOneof("type"):
            found.add(f"block:{proto.WhichOneof('type')}")
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


@pytest.fixture
def shared(store: Store, tiny):
    """An answered assessment (a note in hostile text, a target, one evidence file) and its view token."""
    record = store.create_assessment(tiny, {"name": "堃工会"}, assessed_at="2026-11-30")
    store.save_answers(record.token, ANSWERS, {"leading.party": HOSTILE})
    store.set_targets(record.token, {"leading": 4})
    store.evidence.add(record.token, "leading.party", "会议纪要.png", PNG)
    return record.token, store.issue_view_token(record.token)


def test_the_view_link_opens_a_read_only_record_with_the_view_token_only(store, shared):
    edit, view = shared
    record = store.get_assessment(view)
    assert record is not None and record.read_only and record.token == view != edit


@pytest.mark.parametrize("page", [p.key for p in REGISTRY])
def test_every_page_by_the_view_link_offers_no_write_and_never_shows_the_edit_token(root, store, shared, page):
    edit, view = shared
    at = helpers.open_page(root, page, token=view)
    assert not at.exception
    text = rendered(at)
    assert edit not in text
    assert all(edit not in str(v) for v in at.query_params.values())
    assert edit not in str(at.session_state.to_dict())
    if page in ("home", "models", "start", "workshop_host", "workshop", "rounds"):
        return  # pages about no open assessment (start and rounds make a new one of the viewer's own)
    drawn = kinds(at)
    assert "block:form" not in drawn, "a form on a read-only page"
    assert "file_uploader" not in drawn
    assert not at.button, [b.label for b in at.button]  # no save, carry-over, import, remove or link buttons
    assert not [s for s in at.selectbox if s.key and s.key.startswith("target-")]
    if page in ("results", "roadmap", "questionnaire", "transfer"):
        assert "只读查看" in " ".join(i.value for i in at.info)
    if page == "history":  # local mode lists every self-check; a view link lists none
        assert not at.dataframe and "不能打开自评列表" in " ".join(i.value for i in at.info)


def test_a_newer_model_version_offers_the_owner_a_carry_over_and_the_viewer_none(root, store, shared, tmp_path):
    edit, view = shared
    tiny_file = tmp_path / "frameworks" / "tiny.yaml"
    tiny_file.write_text(tiny_file.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "2.0"'), encoding="utf-8")
    for page in ("results", "questionnaire"):
        assert helpers.open_page(root, page, token=edit).button(key="carry_over")
        at = helpers.open_page(root, page, token=view)
        assert not at.exception and not at.button and "🆕" not in rendered(at)


def test_the_viewer_reads_the_answers_notes_and_evidence_on_the_questionnaire(root, shared):
    _, view = shared
    at = helpers.open_page(root, "questionnaire", token=view)
    assert not at.exception
    texts = [x.value for x in at.text]
    assert f"备注：{HOSTILE}" in texts  # the note as text, never Markdown
    assert "答案：体系（3）：每季度听取一次" in texts
    assert not [r for r in at.radio if str(r.key).startswith("ans-")]
    assert not at.text_area
    assert "会议纪要.png" in texts  # E1's evidence panel lists the file for download, without the remove button
    assert "download_button" in kinds(at)


def test_the_viewer_sees_the_results_and_can_download_the_report(root, shared):
    _, view = shared
    at = helpers.open_page(root, "results", token=view)
    assert not at.exception
    assert next(m for m in at.metric if m.label == "综合指数").value not in ("", "—")
    assert "download_button" in kinds(at)
    assert "只读查看链接" not in [s.value for s in at.subheader]  # the panel is the owner's
    assert "目标" not in " ".join(s.value for s in at.subheader)


def test_the_owner_issues_reissues_and_revokes_the_view_link_on_the_results_page(root, store, tiny):
    record = store.create_assessment(tiny, {"name": "甲工会"})
    store.save_answers(record.token, ANSWERS, {})
    at = helpers.open_page(root, "results", token=record.token)
    assert not at.exception
    assert "只读查看链接" in [s.value for s in at.subheader]
    assert "不能：修改答案" in " ".join(m.value for m in at.markdown)
    at.button(key="viewlink_issue").click().run()
    first = store.view_token_of(record.token)
    assert first is not None
    assert "已生成只读链接" in at.success[0].value
    link = next(c.value for c in at.code if f"a={first}" in c.value)
    assert link.endswith(f"/results?a={first}") and record.token not in link

    at.button(key="viewlink_reissue").click().run()
    second = store.view_token_of(record.token)
    assert second not in (None, first)
    assert "之前发出的链接已失效" in at.success[0].value
    assert any(f"a={second}" in c.value for c in at.code) and not any(first in c.value for c in at.code)
    assert store.get_assessment(first) is None  # the old link is dead

    at.button(key="viewlink_revoke").click().run()
    assert store.view_token_of(record.token) is None
    assert store.get_assessment(second) is None
    assert "已撤销" in at.success[0].value
    assert at.button(key="viewlink_issue")  # a new one can be issued again


def test_a_revoked_view_link_shows_the_bad_link_message_on_every_assessment_page(root, store, shared):
    edit, view = shared
    store.revoke_view_token(edit)
    for page in ("results", "roadmap", "questionnaire"):
        at = helpers.open_page(root, page, token=view)
        assert not at.exception
        assert [e.value for e in at.error] == ["这个链接无效或已被删除。请检查链接是否完整。"]
        assert not at.metric


def _write_with_the_view_link() -> None:
    """An AppTest script: a page that tries a write with the view link anyway (in a run, and in a callback)."""
    import os

    import streamlit as st

    from pages._ui import guarded, store

    view = os.environ["VIEW_TOKEN"]

    @guarded(flash="flash")
    def save() -> None:
        store().save_answers(view, {"leading.party": 1}, {})

    st.button("save", key="save", on_click=save)
    if "flash" in st.session_state:
        st.error(st.session_state.pop("flash")[1])
    elif st.session_state.get("save"):
        pass
    else:
        with guarded():
            store().set_targets(view, {"leading": 2})


def test_a_write_tried_with_the_view_link_shows_the_translated_refusal_not_a_traceback(store, shared, monkeypatch):
    from streamlit.testing.v1 import AppTest

    edit, view = shared
    monkeypatch.setenv("VIEW_TOKEN", view)
    at = AppTest.from_function(_write_with_the_view_link, default_timeout=60).run()
    assert not at.exception
    refusal = "这是只读查看链接，不能修改本自评。请使用编辑链接（私密链接）修改。"
    assert [e.value for e in at.error] == [refusal]  # in a script run: the message, and the run stops
    at.button(key="save").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [refusal]  # in a callback: the same message
    record = store.get_assessment(edit)
    assert record is not None and record.answers == ANSWERS and record.targets == {"leading": 4}


def test_the_view_link_in_english(root, shared):
    _, view = shared
    at = helpers.open_page(root, "transfer", lang="en", token=view)
    assert not at.exception
    said = " ".join(i.value for i in at.info)
    assert "Read-only view" in said and "cannot import or replace" in said
    assert "download_button" in kinds(at)  # the export stays: it holds what the report shows


def test_the_owner_panel_in_english(root, store, tiny):
    record = store.create_assessment(tiny, {"name": "A union"})
    store.save_answers(record.token, ANSWERS, {})
    at = helpers.open_page(root, "results", lang="en", token=record.token)
    assert "Read-only view link" in [s.value for s in at.subheader]
    said = " ".join(m.value for m in at.markdown)
    assert "Whoever holds the view link can" in said and "They cannot: change answers" in said
    at.button(key="viewlink_issue").click().run()
    assert not at.exception and "View link created" in at.success[0].value
    assert at.button(key="viewlink_reissue").label == "Issue a new one (the old link stops working)"
