"""Length and NUL limits: the forms, the import and both databases accept exactly the same values.

A value SQLite would store but PostgreSQL refuses (NUL in text, a string longer than its VARCHAR)
is refused by validation first, with the same translated message on both; an over-long value is
refused at import naming the field, never cut.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine

from maturity import migrations, schema
from maturity.assessment import (
    MAX_NAME,
    MAX_NOTE,
    MAX_PARTICIPANT_NAME,
    MAX_REGION,
    MAX_WORKSHOP_TITLE,
    Assessment,
    AssessmentInvalid,
    describe,
)
from maturity.model import MAX_VERSION
from maturity.store import Store


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path) -> Iterator[Store]:
    """An empty store on SQLite or on the session's PostgreSQL database (emptied after)."""
    url = f"sqlite:///{tmp_path / 'limits.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_database")
    store = Store(url)
    store.create_schema()
    yield store
    store.dispose()
    if request.param == "postgresql":
        engine = create_engine(url)
        migrations.drop_all(engine)
        engine.dispose()


def imported(tiny, **changes) -> Assessment:
    a = Assessment("tiny-example", "1.0", {"name": "某某公司工会"}, "2026-11-26", "zh",
                   {"leading.party": 3}, {"leading.party": "每季度听取"}, {})
    for key, value in changes.items():
        setattr(a, key, value)
    return a


CASES = {
    "NUL in the name": ({"organisation": {"name": "工会\x00名"}}, "organisation.name",
                        "工会名称：包含 NUL 字符（\\0），请删除后再试"),
    "600,000-character name": ({"organisation": {"name": "长" * 600_000}}, "organisation.name",
                               "工会名称：共 600000 个字符，超过上限 120 个字符（与填写页面的上限相同），请缩短后再试"),
    "121-character enterprise": ({"organisation": {"name": "工会", "enterprise": "企" * (MAX_NAME + 1)}},
                                 "organisation.enterprise", "所在企业：共 121 个字符，超过上限 120 个字符"),
    "61-character region": ({"organisation": {"name": "工会", "region": "区" * (MAX_REGION + 1)}},
                            "organisation.region", "地区：共 61 个字符，超过上限 60 个字符"),
    "NUL in a field name": ({"organisation": {"name": "工会", "x\x00": "1"}}, "organisation.x\x00", "包含 NUL 字符"),
    "2,001-character note": ({"notes": {"leading.party": "记" * (MAX_NOTE + 1)}}, "notes.leading.party",
                             "1.1 党组织如何听取工会工作汇报？（备注）：共 2001 个字符，超过上限 2000 个字符"),
    "300-character version": ({"model_version": "v" * 300}, "model.version", "模型版本：共 300 个字符，超过上限 200 个字符"),
    "NUL in the version": ({"model_version": "1.0\x00"}, "model.version", "模型版本：包含 NUL 字符"),
    "NUL in the language": ({"language": "z\x00"}, "language", "语言：包含 NUL 字符"),
}


@pytest.mark.parametrize(("changes", "path", "shown"), list(CASES.values()), ids=list(CASES))
def test_import_refuses_what_either_database_would_refuse_or_cut(db, tiny, changes, path, shown):
    with pytest.raises(AssessmentInvalid) as info:
        db.import_assessment(imported(tiny, **changes), tiny)
    (err,) = info.value.errors
    assert err.path == path
    assert shown in describe(err, tiny.model, "zh")
    assert db.list_assessments() == []  # nothing saved half


@pytest.mark.parametrize(("field", "limit"), [("name", MAX_NAME), ("enterprise", MAX_NAME), ("region", MAX_REGION),
                                              ("assessor", MAX_NAME)])
def test_the_forms_limits_are_accepted_and_one_more_is_refused(db, tiny, field, limit):
    org = {"name": "工会", field: "字" * limit}
    record = db.create_assessment(tiny, org)
    assert db.get_assessment(record.token).organisation[field] == "字" * limit
    with pytest.raises(AssessmentInvalid) as info:
        db.create_assessment(tiny, {**org, field: "字" * (limit + 1)})
    assert [e.code for e in info.value.errors] == ["too_long"]


def test_a_note_at_the_limit_is_kept_whole_and_a_longer_one_is_refused(db, tiny):
    record = db.create_assessment(tiny, {"name": "工会"})
    db.save_answers(record.token, {"leading.party": 2}, {"leading.party": "满" * MAX_NOTE})
    assert db.get_assessment(record.token).notes["leading.party"] == "满" * MAX_NOTE
    with pytest.raises(AssessmentInvalid):
        db.save_answers(record.token, {}, {"leading.party": "满" * (MAX_NOTE + 1)})
    assert db.get_assessment(record.token).notes["leading.party"] == "满" * MAX_NOTE


def test_a_nul_in_a_note_is_dropped_alike_on_both_databases(db, tiny):
    record = db.import_assessment(imported(tiny, notes={"leading.party": "每季度\x00听取"}), tiny)
    assert db.get_assessment(record.token).notes == {"leading.party": "每季度听取"}


def test_the_version_limit_is_the_columns():
    assert MAX_VERSION == schema.assessments.c.model_version.type.length == schema.model_snapshots.c.version.type.length


def test_the_forms_read_the_same_limits(root, store, tiny):
    from maturity.assessment import MAX_NAME, MAX_NOTE, MAX_REGION
    from tests import helpers

    at = helpers.open_page(root, "start")
    limits = {key: at.text_input(key=key).proto.max_chars for key in ("p_name", "p_enterprise", "p_region", "p_assessor")}
    assert limits == {"p_name": MAX_NAME, "p_enterprise": MAX_NAME, "p_region": MAX_REGION, "p_assessor": MAX_NAME}
    record = store.create_assessment(tiny, {"name": "工会"})
    at = helpers.open_page(root, "questionnaire", token=record.token)
    notes = [area.proto.max_chars for area in at.text_area]
    assert notes and set(notes) == {MAX_NOTE}


@pytest.mark.parametrize(("title", "name", "code"), [
    ("研讨\x00会", None, "text_nul"),
    ("研" * (MAX_WORKSHOP_TITLE + 1), None, "text_too_long"),
    ("研讨会", "张\x00三", "text_nul"),
    ("研讨会", "张" * (MAX_PARTICIPANT_NAME + 1), "text_too_long"),
], ids=["NUL title", "long title", "NUL name", "long name"])
def test_workshop_texts_are_refused_alike_on_both_databases(db, tiny, title, name, code):
    from maturity.workshop import WorkshopError, WorkshopService

    service = WorkshopService(db)
    with pytest.raises(WorkshopError) as info:
        ws, _ = service.create(tiny, title, named=True)
        service.join(ws.code, name)
    assert info.value.code == code
    assert "workshop_error" not in info.value.message("zh")


def test_workshop_texts_at_the_limit_are_kept_whole(db, tiny):
    from maturity.workshop import WorkshopService

    service = WorkshopService(db)
    ws, _ = service.create(tiny, "研" * MAX_WORKSHOP_TITLE, named=True)
    participant = service.join(ws.code, "张" * MAX_PARTICIPANT_NAME)
    assert ws.title == "研" * MAX_WORKSHOP_TITLE and participant.name == "张" * MAX_PARTICIPANT_NAME


def test_the_start_form_refuses_a_nul_with_a_message(root, store):
    from tests import helpers

    at = helpers.open_page(root, "start")
    at.text_input(key="p_name").input("某某\x00工会")
    at = next(b for b in at.button if b.key.startswith("FormSubmitter:profile")).click().run()
    assert not at.exception
    assert any("工会名称：包含 NUL 字符" in e.value for e in at.error), [e.value for e in at.error]
    assert store.list_assessments() == []
