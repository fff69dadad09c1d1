"""Assessment rounds in the core (issue 13): units with their own links, the round key, progress, 上级复评.

Every test runs on a SQLite file and on the machine's PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import inspect, select, text, update

from maturity import migrations
from maturity import schema as S
from maturity.assessment import AssessmentInvalid
from maturity.errors import UnknownAssessment
from maturity.round_types import MAX_UNITS, UnitsInvalid, UnitSpec, ancestors, check_units, subtree
from maturity.rounds import RoundError, RoundService
from maturity.store import Store

GROUP = [
    UnitSpec("集团公司工会", None, 5200, "王主席 13800000000"),
    UnitSpec("第一分公司工会", "集团公司工会", 800),
    UnitSpec("第一分公司一车间分会", "第一分公司工会", 120),
    UnitSpec("第二分公司工会", "集团公司工会", 650),
]


@pytest.fixture(params=["sqlite-file", pytest.param("postgresql", marks=pytest.mark.postgres)])
def rounds(request, tmp_path) -> Iterator[RoundService]:
    url = f"sqlite:///{tmp_path / 'r.db'}" if request.param == "sqlite-file" else request.getfixturevalue("pg_database")
    store = Store(url)
    store.create_schema()
    yield RoundService(store)
    if request.param == "postgresql":
        migrations.drop_all(store.engine)
    store.dispose()


def test_a_round_gives_each_unit_its_own_assessment_and_keeps_only_the_keys_hash(rounds, tiny):
    rnd, key = rounds.create(tiny, "2026 年度品牌工会建设自评", GROUP, deadline="2026-12-31")
    assert rnd.title == "2026 年度品牌工会建设自评" and rnd.deadline == "2026-12-31" and len(key) >= 32
    units = rounds.units(rnd.code, key)
    assert [u.name for u in units] == [s.name for s in GROUP]
    assert units[2].parent == "第一分公司工会" and units[0].members == 5200 and units[0].contact == "王主席 13800000000"
    assert len({u.token for u in units}) == 4
    record = rounds.store.get_assessment(units[1].token)
    assert record is not None and record.organisation["name"] == "第一分公司工会"
    assert record.organisation["enterprise"] == "集团公司工会" and record.organisation["members"] == 800
    with rounds.db.read() as conn:
        stored = conn.execute(select(S.rounds.c.key_hash)).scalar_one()
        dump = " ".join(str(v) for row in conn.execute(select(S.rounds)) for v in row)
    assert key not in dump and stored != key and len(stored) == 64


def test_the_round_key_is_checked_in_the_core(rounds, tiny):
    rnd, key = rounds.create(tiny, "批次", GROUP[:1])
    other, other_key = rounds.create(tiny, "另一个批次", GROUP[:1])
    for code, k in [(rnd.code, None), (rnd.code, ""), (rnd.code, key + "x"), (rnd.code, other_key),
                    ("nosuchround1", key), ("", key), ("'; drop--", key)]:
        with pytest.raises(RoundError) as err:
            rounds.units(code, k)
        assert err.value.code == "bad_key"
        assert "批次密钥不正确" in err.value.message("zh")
    assert rounds.check(rnd.code, f"  {key} ").id == rnd.id  # pasted with spaces
    with pytest.raises(RoundError):
        rounds.set_reviews(other.code, other_key, rounds.units(rnd.code, key)[0].token, {"leading.party": (3, "")})


def test_progress_counts_answered_questions(rounds, tiny):
    rnd, key = rounds.create(tiny, "批次", GROUP)
    a, b, _, _ = rounds.units(rnd.code, key)
    store = rounds.store
    total = len(tiny.model.indicators)
    store.save_answers(a.token, {i.id: 2 for i in tiny.model.indicators})
    store.save_answers(b.token, {"leading.party": 3, "leading.model-workers": "na"})
    units = rounds.units(rnd.code, key)
    assert [(u.answered, u.total, u.status) for u in units] == [
        (total, total, "done"), (2, total, "in_progress"), (0, total, "not_started"), (0, total, "not_started")]
    assert units[0].updated_at is not None and units[2].updated_at is None


def test_a_bad_unit_list_lists_every_problem_and_stores_nothing(rounds, tiny):
    bad = [UnitSpec(""), UnitSpec("甲工会", "乙工会"), UnitSpec("乙工会", "甲工会"), UnitSpec("甲工会"),
           UnitSpec("丙" * 200), UnitSpec("丁工会", "丁工会"), UnitSpec("戊工会", members=-3)]
    with pytest.raises(UnitsInvalid) as err:
        rounds.create(tiny, "批次", bad)
    codes = sorted(p.code for p in err.value.problems)
    assert codes == sorted(["need_name", "cycle", "duplicate", "too_long", "own_parent", "bad_members"])
    lines = err.value.describe("zh")
    assert any("第 4 个单位" in line and "重复" in line for line in lines)
    assert any("循环" in line and "甲工会" in line for line in lines)
    assert all("unit_problem." not in line for line in err.value.describe("en"))
    with rounds.db.read() as conn:
        assert conn.scalar(select(S.rounds.c.id)) is None
        assert conn.scalar(text("SELECT count(*) FROM assessments")) == 0
    with pytest.raises(UnitsInvalid):
        rounds.create(tiny, "批次", [])
    with pytest.raises(RoundError) as e2:
        rounds.create(tiny, "  ", GROUP)
    assert e2.value.code == "need_title"
    with pytest.raises(RoundError) as e3:
        rounds.create(tiny, "批次", GROUP, deadline="明年")
    assert e3.value.code == "bad_deadline"


def test_units_can_be_added_to_a_running_round_all_or_none(rounds, tiny):
    rnd, key = rounds.create(tiny, "批次", GROUP[:2])
    with pytest.raises(UnitsInvalid) as err:
        rounds.add_units(rnd.code, key, [UnitSpec("新工会", "第一分公司工会"), UnitSpec("集团公司工会")])
    assert [p.code for p in err.value.problems] == ["duplicate_existing"]
    assert len(rounds.units(rnd.code, key)) == 2
    added = rounds.add_units(rnd.code, key, [UnitSpec("新工会", "第一分公司工会", 30)])
    assert [u.name for u in added] == ["新工会"]
    units = rounds.units(rnd.code, key)
    assert [u.name for u in units] == ["集团公司工会", "第一分公司工会", "新工会"] and units[2].position == 2
    assert len(check_units([UnitSpec(f"u{i}") for i in range(MAX_UNITS + 1)])[1]) == 1


def test_the_hierarchy_any_depth():
    units = [UnitSpec(s.name, s.parent) for s in GROUP]
    parent_of = {u.name: u.parent for u in units}
    assert ancestors("第一分公司一车间分会", parent_of) == ["第一分公司工会", "集团公司工会"]
    assert ancestors("集团公司工会", parent_of) == []

    class U:  # subtree only reads name and parent
        def __init__(self, name, parent):
            self.name, self.parent = name, parent

    got = subtree([U(u.name, u.parent) for u in units], "第一分公司工会")
    assert [u.name for u in got] == ["第一分公司工会", "第一分公司一车间分会"]
    assert len(subtree([U(u.name, u.parent) for u in units], "集团公司工会")) == 4
    outside = [U("甲", "区总工会"), U("乙", "区总工会"), U("丙", None)]
    assert [u.name for u in subtree(outside, "区总工会")] == ["甲", "乙"]


def test_a_unit_link_opens_its_own_assessment_and_knows_its_round(rounds, tiny):
    rnd, key = rounds.create(tiny, "批次", GROUP[:2])
    a, _ = rounds.units(rnd.code, key)
    found = rounds.unit_of(a.token)
    assert found is not None and found[0].id == rnd.id and found[1].name == a.name and found[1].token == a.token
    view = rounds.store.issue_view_token(a.token)
    by_view = rounds.unit_of(view)
    assert by_view is not None and by_view[1].token == ""  # a viewer never learns the edit token
    assert rounds.unit_of("x" * 20) is None
    solo = rounds.store.create_assessment(tiny, {"name": "独立工会"})
    assert rounds.unit_of(solo.token) is None


def test_review_sets_levels_beside_the_units_own_answers(rounds, tiny):
    rnd, key = rounds.create(tiny, "批次", GROUP[:2])
    a, _ = rounds.units(rnd.code, key)
    rounds.store.save_answers(a.token, {"leading.party": 4, "leading.model-workers": 3}, {"leading.party": "每季度"})
    got = rounds.set_reviews(rnd.code, key, a.token, {"leading.party": (2, "纪要只见到一次汇报"),
                                                       "leading.model-workers": (3, "")})
    assert got["leading.party"].level == 2 and got["leading.party"].reason == "纪要只见到一次汇报"
    record = rounds.store.get_assessment(a.token)
    assert record is not None and record.answers["leading.party"] == 4 and record.notes["leading.party"] == "每季度"
    data = rounds.data(rnd.code, key)
    assert data.reviewed_answers(a.token)["leading.party"] == 2
    assert data.records[a.token].answers["leading.party"] == 4
    assert rounds.reviews_of(a.token)["leading.party"].level == 2  # the unit sees its reviewed result
    rounds.set_reviews(rnd.code, key, a.token, {"leading.party": None})
    assert set(rounds.reviews_of(a.token)) == {"leading.model-workers"}
    for bad in ({"leading.party": ("na", "")}, {"leading.party": (9, "")}, {"nope": (2, "")}):
        with pytest.raises((RoundError, AssessmentInvalid)):
            rounds.set_reviews(rnd.code, key, a.token, bad)
    with pytest.raises(RoundError) as err:
        rounds.set_reviews(rnd.code, key, a.token, {"leading.party": (2, "x" * 5000)})
    assert err.value.code == "reason_too_long"
    assert set(rounds.reviews_of(a.token)) == {"leading.model-workers"}  # nothing half-written
    solo = rounds.store.create_assessment(tiny, {"name": "独立工会"})
    with pytest.raises(RoundError) as e2:
        rounds.set_reviews(rnd.code, key, solo.token, {"leading.party": (2, "")})
    assert e2.value.code == "unknown_unit"


def test_a_following_round_links_to_the_earlier_one_for_the_trend(rounds, tiny):
    first, k1 = rounds.create(tiny, "2025 年度", GROUP)
    with pytest.raises(RoundError):
        rounds.create(tiny, "2026 年度", GROUP, follows=(first.code, "wrong-key-wrong-key"))
    second, k2 = rounds.create(tiny, "2026 年度", GROUP, follows=(first.code, k1))
    assert rounds.previous(second.code, k2) == first
    data = rounds.data(second.code, k2)
    assert data.previous is not None and data.previous.round.id == first.id
    assert [u.name for u in data.previous.units] == [u.name for u in data.units]
    assert rounds.previous(first.code, k1) is None


def test_deleting_a_units_assessment_removes_it_from_the_round(rounds, tiny):
    rnd, key = rounds.create(tiny, "批次", GROUP[:2])
    a, b = rounds.units(rnd.code, key)
    rounds.set_reviews(rnd.code, key, a.token, {"leading.party": (2, "")})
    rounds.store.delete_assessment(a.token)
    assert [u.name for u in rounds.units(rnd.code, key)] == [b.name]
    with rounds.db.read() as conn:
        assert conn.scalar(text("SELECT count(*) FROM reviews")) == 0
    with pytest.raises(UnknownAssessment):
        rounds.store.save_answers(a.token, {"leading.party": 2})
    assert "rounds" in inspect(rounds.store.engine).get_table_names()


def test_the_stamp_changes_with_answers_units_and_reviews(rounds, tiny):
    rnd, key = rounds.create(tiny, "批次", GROUP[:2])
    a, _ = rounds.units(rnd.code, key)
    seen = [rounds.stamp(rnd.code, key)]
    rounds.store.save_answers(a.token, {"leading.party": 2})
    seen.append(rounds.stamp(rnd.code, key))
    rounds.set_reviews(rnd.code, key, a.token, {"leading.party": (1, "")})
    seen.append(rounds.stamp(rnd.code, key))
    rounds.add_units(rnd.code, key, [UnitSpec("新工会")])
    seen.append(rounds.stamp(rnd.code, key))
    assert len(set(seen)) == 4 and rounds.stamp(rnd.code, key) == seen[-1]


def test_the_stamp_changes_when_a_save_is_older_than_another_units(rounds, tiny):
    """Not only the newest updated_at: a unit saved 'earlier' than another (a clock behind, a dated import)."""
    rnd, key = rounds.create(tiny, "批次", GROUP[:2])
    a, b = rounds.units(rnd.code, key)
    rounds.store.save_answers(b.token, {"leading.party": 3})
    with rounds.db.write() as conn:  # b's row says it was saved next week
        conn.execute(update(S.assessments).where(S.assessments.c.token == b.token)
                     .values(updated_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=7)))
    before = rounds.stamp(rnd.code, key)
    rounds.store.save_answers(a.token, {"leading.party": 2})
    assert rounds.stamp(rnd.code, key) != before
    rounds.rename_title(rnd.code, key, "新名称", None)
    assert rounds.stamp(rnd.code, key)[2] == "新名称"
