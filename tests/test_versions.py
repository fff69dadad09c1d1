"""Two versions of one model: which questions changed, and carrying an old assessment over (issue 11)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from maturity.assessment import AssessmentInvalid
from maturity.errors import UnknownAssessment
from maturity.loader import LoadedModel, load_model, load_model_text
from maturity.records import AssessmentRecord
from maturity.scoring import NA, Answer, score
from maturity.store import Store
from maturity.versions import (
    QuestionChanges,
    carried_answers,
    carry_over,
    change_marks,
    changes_frame,
    is_newer,
    question_changes,
)
from tests.conftest import ROOT, TEST_FRAMEWORKS
from tests.helpers import HOSTILE
from tests.test_store import count, db_url, store  # noqa: F401  (the store on SQLite file, memory and PostgreSQL)

V1 = load_model(TEST_FRAMEWORKS / "versions" / "v1.yaml")
V2 = load_model(TEST_FRAMEWORKS / "versions" / "v2.yaml")
OLD_BRAND_UNION = TEST_FRAMEWORKS / "brand-union-2025.1.yaml"

# An old assessment of v1, and what a carry-over to v2 keeps of it (worked out by hand from v2.yaml's header).
ANSWERS: dict[str, Answer] = {"alpha.same": 3, "alpha.reworded": 2, "alpha.gone": 4, "beta.same": 4, "beta.mover": 3,
           "beta.na-refused": NA, "beta.question": 1, "gamma.only": 2}
NOTES = {"alpha.same": HOSTILE, "alpha.reworded": "旧的备注", "beta.na-refused": "本单位由上级代缴", "gamma.only": "宣传栏在一楼"}
TARGETS = {"alpha": 4, "beta": 3, "gamma": 4}
KEPT_ANSWERS = {"alpha.same": 3, "beta.same": 4}  # beta.na-refused is the same question, but v2 refuses N/A
KEPT_NOTES = {"alpha.same": HOSTILE, "beta.na-refused": "本单位由上级代缴"}
KEPT_TARGETS = {"alpha": 4, "beta": 3}  # gamma is gone; beta only renamed


def variant(loaded: LoadedModel, *edits: tuple[str, str]) -> LoadedModel:
    """``loaded``'s text with each (old, new) replaced once (each must occur exactly once)."""
    text = loaded.source
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return load_model_text(text, "<variant>")


# -- question_changes ----------------------------------------------------------------------------


def test_the_fixture_pair_by_hand():
    changes = question_changes(V1.model, V2.model)
    assert changes == QuestionChanges(
        same=("alpha.same", "beta.same", "beta.na-refused"),
        changed=("alpha.reworded", "beta.mover", "beta.question"),
        new=("alpha.new", "delta.new"),
        gone=("alpha.gone", "gamma.only"),
        moved=("beta.mover",),
        parts={"alpha.reworded": ("answers",), "beta.mover": ("criterion",), "beta.question": ("question",)},
    )
    assert not changes.identical


def test_backwards_the_new_and_gone_swap():
    changes = question_changes(V2.model, V1.model)
    assert changes.new == ("alpha.gone", "gamma.only")
    assert changes.gone == ("alpha.new", "delta.new")
    assert set(changes.changed) == {"alpha.reworded", "beta.mover", "beta.question"}


def test_a_model_against_itself_is_identical():
    changes = question_changes(V1.model, V1.model)
    assert changes.identical and changes.same == tuple(i.id for i in V1.model.indicators)


@pytest.mark.parametrize(("edit", "expected"), [
    # a level name in one language: every question's answers now read differently
    (("{zh: 体系, en: Systematic}", "{zh: 体系, en: Integrated}"), {"*": ("scale",)}),
    # a scale description or a help text changes no answer
    (("{level: 2, name: {zh: 规范, en: Defined}}", "{level: 2, name: {zh: 规范, en: Defined}, description: 有制度}"), {}),
    (("help: {zh: 查看会议记录。, en: Look at the minutes.}", "help: 看纪要"), {}),
    # a criterion renamed keeps its questions the same
    (("name: {zh: 甲准则, en: Alpha}", "name: {zh: 甲准则（新）, en: Alpha (new)}"), {}),
    # the English text alone, or an answer text, counts
    (('en: "Is there a notice board?"', 'en: "Is there a noticeboard?"'), {"gamma.only": ("question",)}),
    (("3: {zh: 定期更新, en: Updated regularly}", "3: {zh: 定期更新, en: Updated monthly}"), {"gamma.only": ("answers",)}),
    # a translation removed reads as the default language's text, which differs from the English one
    (('{zh: 是否有宣传栏？, en: "Is there a notice board?"}', "是否有宣传栏？"), {"gamma.only": ("question",)}),
    # whitespace inside a text is not a change
    (("{zh: 有草稿, en: A draft}", '{zh: " 有草稿", en: "A   draft "}'), {}),
])
def test_what_counts_as_a_change(edit, expected):
    changes = question_changes(V1.model, variant(V1, edit).model)
    if "*" in expected:
        expected = {i.id: expected["*"] for i in V1.model.indicators}
    assert dict(changes.parts) == expected
    assert set(changes.changed) == set(expected)
    assert not changes.new and not changes.gone


def test_a_renumbered_scale_changes_every_question(model_factory):
    old = model_factory([1, 2, 3, 4], {"c": [("c.a", 1), ("c.b", 1)]})
    new = model_factory([0, 1, 2, 3], {"c": [("c.a", 1), ("c.b", 1)]})
    changes = question_changes(old.model, new.model)
    assert changes.changed == ("c.a", "c.b") and changes.same == ()
    assert changes.parts["c.a"] == ("answers", "scale")  # the answers are keyed 0-3 now


def test_every_id_is_classified_once_against_the_catalogue_model():
    """Structural truths only: frameworks/brand-union.yaml is rewritten elsewhere, whatever version it is at now."""
    old, new = load_model(OLD_BRAND_UNION).model, load_model(ROOT / "frameworks" / "brand-union.yaml").model
    changes = question_changes(old, new)
    kinds = [changes.same, changes.changed, changes.new, changes.gone]
    every = [k for kind in kinds for k in kind]
    assert len(every) == len(set(every)), "an id in two kinds"
    assert set(every) == {i.id for i in old.indicators} | {i.id for i in new.indicators}
    assert len(changes.same) + len(changes.changed) + len(changes.new) == len(new.indicators)
    assert len(changes.same) + len(changes.changed) + len(changes.gone) == len(old.indicators)
    assert set(changes.moved) <= set(changes.changed)
    assert set(changes.parts) == set(changes.changed) and all(changes.parts.values())


@pytest.mark.parametrize(("version", "than", "newer"), [
    ("2026.1", "2025.1", True), ("2025.1", "2026.1", False), ("2025.1", "2025.1", False),
    ("1.10", "1.9", True), ("2025.2", "2025.10", False), ("2", "1", True), ("1.0.1", "1.0", True),
    ("2026.1-beta", "2026.1", True), (" 2026.1", "2026.1", False),
])
def test_is_newer(version, than, newer):
    assert is_newer(version, than) is newer


def test_marks_and_lists_name_what_changed():
    changes = question_changes(V1.model, V2.model)
    marks = change_marks(changes, "zh")
    assert marks == {"alpha.same": "", "beta.same": "", "beta.na-refused": "", "alpha.reworded": "已修改：答案描述",
                     "beta.mover": "已修改：所属准则", "beta.question": "已修改：题干"}
    assert change_marks(changes, "en")["beta.mover"] == "Changed: criterion"
    gone = changes_frame(changes, V1.model, V2.model, "gone", "zh")
    assert gone.to_dict("records") == [{"准则": "甲准则", "题目": "是否订阅报刊？"}, {"准则": "丙准则", "题目": "是否有宣传栏？"}]
    changed = changes_frame(changes, V1.model, V2.model, "changed", "en")
    assert list(changed.columns) == ["Criterion", "Question", "What changed"]
    assert list(changed["Question"]) == ["Are records kept?", "Are union accounts disclosed?",
                                         "Is there collective wage bargaining?"]  # as the new version words them
    assert changed["Criterion"].tolist()[1] == "Alpha"  # beta.mover's new criterion
    assert len(changes_frame(changes, V1.model, V2.model, "new", "zh")) == 2


# -- carrying over ----------------------------------------------------------------------------


def old_assessment(store: Store):  # noqa: F811  (the fixture's name)
    record = store.create_assessment(V1, {"name": HOSTILE, "members": 320, "region": "华东"}, "en", "2025-03-01")
    store.save_answers(record.token, ANSWERS, NOTES)
    store.set_targets(record.token, TARGETS)
    return store.get_assessment(record.token)


def export(store: Store, token: str) -> bytes:  # noqa: F811
    """The assessment as the import/export page downloads it."""
    record = store.get_assessment(token)
    assert record is not None
    return record.to_assessment().to_json().encode("utf-8")


def test_carried_answers_by_hand():
    now = dt.datetime.now(dt.UTC)
    old = AssessmentRecord(token="t", model_id="versions-demo", model_version="1", model_sha256=V1.sha256,
                           organisation={}, language="zh", assessed_at="2025-03-01", created_at=now, updated_at=now,
                           answers=dict(ANSWERS), notes=dict(NOTES), targets=dict(TARGETS))
    changes = question_changes(V1.model, V2.model)
    assert carried_answers(old, V2.model, changes) == (KEPT_ANSWERS, KEPT_NOTES, KEPT_TARGETS)


def test_targets_off_the_new_scale_are_left_out(model_factory):
    old = model_factory([1, 2, 3, 4, 5], {"c": [("c.a", 1)], "d": [("d.a", 1)], "e": [("e.a", 1)]})
    new = model_factory([0, 1, 2, 3], {"c": [("c.a", 1)], "d": [("d.a", 1)]})
    now = dt.datetime.now(dt.UTC)
    record = AssessmentRecord(token="t", model_id="generated", model_version="1", model_sha256=old.sha256,
                              organisation={}, language="zh", assessed_at="2025-03-01", created_at=now,
                              updated_at=now, answers={"c.a": 2}, targets={"c": 3, "d": 5, "e": 2})
    answers, notes, targets = carried_answers(record, new.model, question_changes(old.model, new.model))
    assert (answers, notes, targets) == ({}, {}, {"c": 3})  # d: 5 is off 0-3; e is gone; c.a changed (the scale)


def test_carry_over_copies_the_unchanged_and_leaves_the_old_one_alone(store):  # noqa: F811
    old = old_assessment(store)
    before = export(store, old.token)
    carried = carry_over(store, old.token, V2, assessed_at="2026-12-01")
    assert carried.token != old.token
    assert (carried.model_id, carried.model_version, carried.model_sha256) == ("versions-demo", "2", V2.sha256)
    assert carried.organisation == {"name": HOSTILE, "members": 320, "region": "华东"}
    assert (carried.language, carried.assessed_at, carried.current_step) == ("en", "2026-12-01", 0)
    stored = store.get_assessment(carried.token)
    assert stored is not None
    assert (stored.answers, stored.notes, stored.targets) == (KEPT_ANSWERS, KEPT_NOTES, KEPT_TARGETS)
    # the old one: byte for byte the same export, the same revision, the same model
    assert export(store, old.token) == before
    again = store.get_assessment(old.token)
    assert again is not None and again.revision == old.revision and again.model_sha256 == V1.sha256
    assert [s.model_version for s in store.list_assessments()] == ["2", "1"]
    # the new one scores under v2: the new and changed questions are open
    result = score(V2.model, stored.answers, stored.targets)
    assert result.answered == 2 and result.total == len(V2.model.indicators)
    assert result.criteria["delta"].score.index is None


def test_carry_over_defaults_to_today_and_refuses_what_it_cannot_do(store):  # noqa: F811
    old = old_assessment(store)
    assert carry_over(store, old.token, V2).assessed_at == dt.date.today().isoformat()
    with pytest.raises(UnknownAssessment):
        carry_over(store, "x" * 32, V2)
    other = load_model(TEST_FRAMEWORKS / "tiny.yaml")
    with pytest.raises(ValueError, match="tiny-example"):
        carry_over(store, old.token, other)


def test_a_failure_half_way_saves_nothing(store):  # noqa: F811
    old = old_assessment(store)
    before = {t: count(store, t) for t in ("assessments", "answers", "notes", "targets", "model_snapshots")}

    def fail_on_targets(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO TARGETS"):
            raise RuntimeError("disk full, say")

    event.listen(store.engine, "before_cursor_execute", fail_on_targets)
    try:
        with pytest.raises(RuntimeError):
            carry_over(store, old.token, V2)
    finally:
        event.remove(store.engine, "before_cursor_execute", fail_on_targets)
    assert {t: count(store, t) for t in before} == before  # no assessment, answers or v2 snapshot left behind
    assert [s.token for s in store.list_assessments()] == [old.token]


def test_a_note_the_new_version_would_refuse_refuses_the_whole_carry_over(store):  # noqa: F811
    """A note stored before today's length limit: the carry-over says so and saves nothing (never cuts it)."""
    from sqlalchemy import update

    from maturity import schema
    from maturity.limits import MAX_NOTE

    old = old_assessment(store)
    with store.engine.begin() as conn:
        conn.execute(update(schema.notes).where(schema.notes.c.indicator_id == "alpha.same").values(text="长" * (MAX_NOTE + 1)))
    with pytest.raises(AssessmentInvalid) as caught:
        carry_over(store, old.token, V2)
    assert "alpha.same" in str(caught.value)
    assert len(store.list_assessments()) == 1


def test_an_old_brand_union_assessment_carries_over_exactly_its_unchanged_answers(tmp_path):
    """With frameworks/brand-union.yaml at whatever version it is now: the copied ids are exactly the same ones."""
    old, new = load_model(OLD_BRAND_UNION), load_model(ROOT / "frameworks" / "brand-union.yaml")
    s = Store(f"sqlite:///{tmp_path / 'bu.db'}")
    s.create_schema()
    record = s.create_assessment(old, {"name": "甲工会"}, assessed_at="2025-06-01")
    s.save_answers(record.token, {i.id: 3 for i in old.model.indicators},
                   {i.id: f"依据{n}" for n, i in enumerate(old.model.indicators)})
    before = export(s, record.token)
    carried = carry_over(s, record.token, new)
    same = set(question_changes(old.model, new.model).same)
    assert set(carried.answers) == same and set(carried.notes) == same
    assert all(carried.answers[k] == 3 for k in same)
    assert export(s, record.token) == before
    # the old one still scores under its pinned 2025.1 model, whatever the catalogue holds
    pinned = s.get_model_snapshot(record.model_sha256)
    assert pinned is not None and pinned.model.version == "2025.1"
    assert score(pinned.model, s.get_assessment(record.token).answers).overall.index == 50.0
    s.dispose()
