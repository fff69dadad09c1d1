"""The facilitator's tools of the workshop service (issue 10), on SQLite and PostgreSQL.

Consensus with a note, the read-only presenter link, keeping the group result as an assessment,
the host screen's version stamp, and the cost of the aggregation at the size of a 职代会.
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import event, select

from maturity import schema
from maturity.db import now
from maturity.limits import MAX_CONSENSUS_NOTE, MAX_NAME
from maturity.loader import load_model
from maturity.scoring import score
from maturity.workshop import WorkshopError, WorkshopService


@pytest.fixture(scope="module")
def brand(root):
    """The main model, frameworks/brand-union.yaml (five levels, eight criteria, 34 questions)."""
    return load_model(root / "frameworks" / "brand-union.yaml")


def _room(service, loaded, levels, *, named=False, criteria=None):
    """A session where participant n answers ``levels[n]`` (indicator -> level) each."""
    ws, key = service.create(loaded, "2026 年职代会研讨", named=named, criteria=criteria)
    people = [service.join(ws.code, f"代表{n}" if named else None) for n in range(len(levels))]
    for person, answers in zip(people, levels, strict=True):
        service.submit(person.token, answers)
    return ws, key, people


# -- consensus with a note ----------------------------------------------------------------


def test_a_consensus_note_is_stored_shown_after_reveal_and_cleared_with_the_level(service, tiny):
    ws, key, people = _room(service, tiny, [{"leading.party": v} for v in (1, 3, 4)])
    service.set_consensus(ws.code, key, "leading.party", 3, "  经讨论，按多数意见定为 3 级。\n")
    agg = service.aggregates(ws.code, key)["leading.party"]
    assert (agg.consensus, agg.note, agg.group_answer) == (3, "经讨论，按多数意见定为 3 级。", 3)
    assert service.group_view(people[0].token) is None  # not before reveal
    service.reveal(ws.code, key)
    shown = service.group_view(people[0].token)
    assert shown is not None and shown["leading.party"].note == "经讨论，按多数意见定为 3 级。"
    service.set_consensus(ws.code, key, "leading.party", 2)  # a new level without a note drops the old note
    assert service.aggregates(ws.code, key)["leading.party"].note is None
    service.set_consensus(ws.code, key, "leading.party", 2, "再议")
    service.set_consensus(ws.code, key, "leading.party", None, "ignored")  # clearing the level clears the note
    agg = service.aggregates(ws.code, key)["leading.party"]
    assert (agg.consensus, agg.note) == (None, None)
    with service.db.read() as conn:
        assert conn.scalar(select(schema.consensus.c.note)) is None


def test_a_blank_note_is_no_note_and_markup_is_kept_as_typed(service, tiny):
    ws, key, _ = _room(service, tiny, [])
    service.set_consensus(ws.code, key, "leading.party", 2, "   ")
    assert service.aggregates(ws.code, key)["leading.party"].note is None
    typed = "**粗体** <script>alert(1)</script> =1+1"
    service.set_consensus(ws.code, key, "leading.party", 2, typed)
    assert service.aggregates(ws.code, key)["leading.party"].note == typed  # pages escape it, the core keeps it


def test_a_long_note_is_refused_never_cut(service, tiny):
    ws, key, _ = _room(service, tiny, [])
    exact = "说" * MAX_CONSENSUS_NOTE
    service.set_consensus(ws.code, key, "leading.party", 2, exact)
    assert service.aggregates(ws.code, key)["leading.party"].note == exact
    with pytest.raises(WorkshopError) as info:
        service.set_consensus(ws.code, key, "leading.party", 3, exact + "多")
    assert info.value.code == "note_too_long"
    assert "501" in info.value.message("zh") and "500" in info.value.message("zh")
    assert "501" in info.value.message("en") and "500" in info.value.message("en")
    agg = service.aggregates(ws.code, key)["leading.party"]
    assert (agg.consensus, agg.note) == (2, exact)  # nothing changed
    with pytest.raises(WorkshopError, match="text_nul"):
        service.set_consensus(ws.code, key, "leading.party", 3, "a\x00b")
    for bad in (True, 2.5, 9):
        with pytest.raises(WorkshopError, match="off_scale"):
            service.set_consensus(ws.code, key, "leading.party", bad, "x")


# -- the presenter link -------------------------------------------------------------------


def test_the_presenter_token_is_stable_read_only_and_only_its_hash_is_kept(service, tiny):
    ws, key, _ = _room(service, tiny, [{"leading.party": v} for v in (1, 3, 4)])
    token = service.presenter_token(ws.code, key)
    assert token == service.presenter_token(ws.code, key)  # the same link every time the host asks
    assert token != key and key not in token
    assert service.check_presenter(ws.code.lower(), token).id == ws.id
    with service.db.read() as conn:
        row = conn.execute(select(schema.workshops)).first()
    assert token not in str(tuple(row)) and row.presenter_hash
    other, other_key = service.create(tiny, "另一场")
    assert service.presenter_token(other.code, other_key) != token
    for code, wrong in ((ws.code, None), (ws.code, ""), (ws.code, token + "x"), (ws.code, key),
                        (other.code, token), ("ZZZZZZ", token), ("", token)):
        with pytest.raises(WorkshopError) as info:
            service.check_presenter(code, wrong)
        assert info.value.code == "bad_presenter"
        assert info.value.message("zh") and info.value.message("en")


def test_no_presenter_token_before_the_host_asks_for_one(service, tiny):
    ws, key, _ = _room(service, tiny, [])
    from maturity.workshop_tools import presenter_token_of

    with pytest.raises(WorkshopError, match="bad_presenter"):  # derivable, but not valid until handed out
        service.check_presenter(ws.code, presenter_token_of(ws.code, key))


def test_the_presenter_token_grants_no_host_action(service, tiny):
    ws, key, _ = _room(service, tiny, [{"leading.party": v} for v in (1, 3, 4)])
    token = service.presenter_token(ws.code, key)
    actions = [
        lambda k: service.check_host(ws.code, k), lambda k: service.open_criterion(ws.code, k, None),
        lambda k: service.reveal(ws.code, k), lambda k: service.close(ws.code, k),
        lambda k: service.set_consensus(ws.code, k, "leading.party", 3, "x"),
        lambda k: service.progress(ws.code, k), lambda k: service.export_rows(ws.code, k),
        lambda k: service.aggregates(ws.code, k), lambda k: service.presenter_token(ws.code, k),
        lambda k: service.keep_result(ws.code, k), lambda k: service.kept_result(ws.code, k),
        lambda k: service.stamp(ws.code, k),
    ]
    for action in actions:
        with pytest.raises(WorkshopError) as info:
            action(token)
        assert info.value.code == "bad_key"
    assert service.check_host(ws.code, key).is_open and not service.check_host(ws.code, key).revealed


def test_the_presenter_sees_the_picture_before_reveal_but_no_small_breakdown_and_no_names(service, tiny):
    levels = [{"leading.party": 1, "digital.platform": 2}, {"leading.party": 3}, {"leading.party": 4}]
    for named in (False, True):
        ws, key, _ = _room(service, tiny, levels, named=named)
        token = service.presenter_token(ws.code, key)
        seen = service.presenter_aggregates(ws.code, token)
        assert not ws.revealed and seen["leading.party"].n == 3
        assert (seen["digital.platform"] is None) is (not named)  # one answer: none shown when anonymous
        progress = service.presenter_progress(ws.code, token, "zh")
        assert progress.participants == [("参会者 1", 2), ("参会者 2", 1), ("参会者 3", 1)]
        assert progress.total == 4
        assert "代表0" not in str(progress)
        if named:  # the host's own view keeps the names
            assert service.progress(ws.code, key).participants[0][0] == "代表0"
        assert service.presenter_progress(ws.code, token, "en").participants[0][0] == "Participant 1"


# -- keeping the result -------------------------------------------------------------------


def test_keep_result_saves_consensus_or_mean_of_the_session_criteria_once(service, brand):
    model = brand.model
    session = ["leading", "digital"]
    ids = [i.id for i in model.indicators if model.criterion_of[i.id].id in session]
    people = [{i: 1 + (n + k) % 5 for k, i in enumerate(ids)} for n in range(3)]
    ws, key, _ = _room(service, brand, people, criteria=session)
    service.set_consensus(ws.code, key, ids[0], 4, "以党委意见为准")
    record = service.keep_result(ws.code, key)
    assert record.organisation["name"] == ws.title and record.model_sha256 == ws.model_sha256
    assert record.assessed_at == time.strftime("%Y-%m-%d") and record.language == "zh"
    assert set(record.answers) == set(ids)  # the session's questions only
    assert record.answers[ids[0]] == 4  # the consensus
    assert record.answers[ids[1]] == pytest.approx((2 + 3 + 4) / 3)  # the mean: fractional is accepted
    assert service.kept_result(ws.code, key) == record.token
    # scored like any other assessment
    result = score(model, record.answers, record.targets)
    assert result.criteria["leading"].score.value is not None and result.criteria["branding"].score.value is None
    # a second click updates the same assessment
    service.set_consensus(ws.code, key, ids[0], None)
    service.set_consensus(ws.code, key, ids[1], 5)
    again = service.keep_result(ws.code, key, lang="en")
    assert again.token == record.token and again.language == "en"
    assert again.answers[ids[0]] == pytest.approx((1 + 2 + 3) / 3) and again.answers[ids[1]] == 5
    listed = [s for s in service.store.list_assessments() if s.organisation.get("name") == ws.title]
    assert [s.token for s in listed] == [record.token]


def test_keep_result_clears_an_answer_the_group_no_longer_has(service, tiny):
    ws, key, people = _room(service, tiny, [{"leading.party": 2, "digital.platform": 3}])
    first = service.keep_result(ws.code, key)
    assert first.answers == {"leading.party": 2, "digital.platform": 3}
    service.submit(people[0].token, {"digital.platform": None})  # the only answer withdrawn
    assert service.keep_result(ws.code, key).answers == {"leading.party": 2}
    service.submit(people[0].token, {"digital.platform": "na"})
    assert service.keep_result(ws.code, key).answers == {"leading.party": 2, "digital.platform": "na"}


def test_keep_result_after_the_kept_assessment_was_deleted_makes_a_new_one(service, tiny):
    ws, key, _ = _room(service, tiny, [{"leading.party": 2}])
    first = service.keep_result(ws.code, key)
    service.store.delete_assessment(first.token)
    second = service.keep_result(ws.code, key)
    assert second.token != first.token and service.kept_result(ws.code, key) == second.token
    assert service.store.get_assessment(second.token).answers == {"leading.party": 2}


def test_keep_result_with_a_long_title_needs_a_shorter_name(service, tiny):
    ws, key = service.create(tiny, "研" * (MAX_NAME + 1))
    with pytest.raises(WorkshopError) as info:
        service.keep_result(ws.code, key)
    assert info.value.code == "result_name_too_long"
    assert str(MAX_NAME) in info.value.message("zh") and str(MAX_NAME) in info.value.message("en")
    assert service.kept_result(ws.code, key) is None
    record = service.keep_result(ws.code, key, name="  某某公司工会  ")
    assert record.organisation["name"] == "某某公司工会"
    assert service.keep_result(ws.code, key).organisation["name"] == "某某公司工会"  # a second click needs no name
    with pytest.raises(WorkshopError, match="result_name_too_long"):
        service.keep_result(ws.code, key, name="工" * (MAX_NAME + 1))


def test_a_second_click_keeps_a_name_changed_on_the_assessment(service, tiny):
    ws, key, _ = _room(service, tiny, [{"leading.party": 2}])
    record = service.keep_result(ws.code, key)
    service.store.update_assessment(record.token, organisation={"name": "某某公司工会", "region": "上海"})
    again = service.keep_result(ws.code, key)
    assert again.organisation == {"name": "某某公司工会", "region": "上海"}
    assert service.keep_result(ws.code, key, name="新名字").organisation == {"name": "新名字", "region": "上海"}


def test_the_kept_result_renders_in_the_results_report(service, brand, tmp_path):
    from maturity.report import build_report
    from tests.test_report import poppler, squash

    model = brand.model
    ids = [i.id for i in model.indicators if model.criterion_of[i.id].id == "leading"]
    ws, key, _ = _room(service, brand, [{i: v for i in ids} for v in (2, 3, 3)], criteria=["leading"])
    record = service.keep_result(ws.code, key)
    assert record.answers[ids[0]] == pytest.approx(8 / 3)
    text = squash(poppler("pdftotext", build_report(brand, record.to_assessment(), lang="zh"), tmp_path))
    assert squash(ws.title) in text and "2.7" in text  # the fractional group answer, one decimal


# -- the host screen's stamp and the cost of the picture ------------------------------------


def test_the_stamp_changes_with_every_change_the_host_screen_shows(service, tiny):
    ws, key, people = _room(service, tiny, [{"leading.party": 2}])
    seen = [service.stamp(ws.code, key)]

    def changed():
        stamp = service.stamp(ws.code, key)
        assert stamp != seen[-1], stamp
        seen.append(stamp)

    assert service.stamp(ws.code.lower(), key) == seen[0]  # nothing changed: the same stamp
    newcomer = service.join(ws.code)
    changed()
    service.submit(newcomer.token, {"leading.party": 3})
    changed()
    time.sleep(0.002)  # the stamp holds the latest updated_at: let the clock move past the last write
    service.submit(people[0].token, {"leading.party": 4})  # an answer changed, counts the same
    changed()
    service.submit(people[0].token, {"leading.party": None})
    changed()
    service.set_consensus(ws.code, key, "leading.party", 3)
    changed()
    time.sleep(0.002)
    service.set_consensus(ws.code, key, "leading.party", 3, "补一句说明")
    changed()
    service.set_consensus(ws.code, key, "leading.party", None)
    changed()
    assert seen[-1] == seen[-4]  # back to the picture before the consensus: the same stamp, a cache hit
    service.reveal(ws.code, key)
    changed()
    service.close(ws.code, key)
    changed()
    for wrong in (None, "", "x" * 32, service.presenter_token(ws.code, key)):
        with pytest.raises(WorkshopError, match="bad_key"):
            service.stamp(ws.code, wrong)
    with pytest.raises(WorkshopError, match="bad_key"):
        service.stamp("ZZZZZZ", key)


def _fill(service, ws, model, participants):
    """``participants`` people answering every question, written directly (a benchmark's setup, not the path measured)."""
    stamp = now()
    with service.db.write() as conn:
        conn.execute(schema.participants.insert(), [
            {"workshop_id": ws.id, "token": f"tok{n:020d}", "name": None, "created_at": stamp}
            for n in range(participants)])
        pids = list(conn.scalars(select(schema.participants.c.id).where(schema.participants.c.workshop_id == ws.id)))
        conn.execute(schema.workshop_answers.insert(), [
            {"participant_id": p, "indicator_id": ind.id, "workshop_id": ws.id, "level": float(1 + (p + k) % 5),
             "is_na": False, "updated_at": stamp}
            for p in pids for k, ind in enumerate(model.indicators)])


def test_the_picture_of_200_people_on_34_questions_is_whole(service, brand):
    """Host, stamp and projector read a full room right (their cost is benchmarks/bench_host.py's figure)."""
    ws, key = service.create(brand, "职代会")
    _fill(service, ws, brand.model, 200)
    token = service.presenter_token(ws.code, key)
    aggs = service.aggregates(ws.code, key)
    assert len(aggs) == 34 and all(a.n == 200 and sum(a.counts.values()) == 200 for a in aggs.values())
    assert service.presenter_aggregates(ws.code, token) == aggs  # 200 answers each: nothing hidden
    assert service.stamp(ws.code, key) == service.stamp(ws.code, key)


def test_aggregates_is_one_query(service, tiny):
    ws, key, _ = _room(service, tiny, [{"leading.party": v} for v in (1, 3, 4)])
    service.set_consensus(ws.code, key, "leading.party", 3, "x")
    service.aggregates(ws.code, key)  # warm the snapshot cache
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    def queries(call):
        statements.clear()
        event.listen(service.db.engine, "before_cursor_execute", count)
        try:
            result = call()
        finally:
            event.remove(service.db.engine, "before_cursor_execute", count)
        real = [s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT"))]
        return result, real

    ws_row = service.check_host(ws.code, key)
    aggs, real = queries(lambda: service._aggregates(ws_row))
    assert len(real) == 1 and "workshop_answers" in real[0] and "consensus" in real[0], real
    assert aggs["leading.party"].note == "x" and aggs["leading.party"].n == 3
    _, real = queries(lambda: service.stamp(ws.code, key))  # the host key checked in the same query
    assert len(real) == 1, real
    _, real = queries(lambda: service.aggregates(ws.code, key))  # check_host + the picture
    assert len(real) == 2, real


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_kept_result_opens_on_the_results_roadmap_and_history_pages(root, store, tiny, lang):
    """The kept group result, fractional means and all, is an assessment like any other on the pages."""
    from tests import helpers

    service = WorkshopService(store)
    ws, key, _ = _room(service, tiny, [{"leading.party": v, "leading.model-workers": 2} for v in (1, 2, 2)])
    record = service.keep_result(ws.code, key, lang)
    assert record.answers["leading.party"] == pytest.approx(5 / 3)
    for page in ("results", "roadmap"):
        at = helpers.open_page(root, page, lang, record.token)
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, [e.value for e in at.error])
    at = helpers.open_page(root, "history", lang)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == [ws.title]  # one row, the session's title as the union's name
    service.keep_result(ws.code, key, lang)  # a second click: still one row
    assert len(helpers.open_page(root, "history", lang).dataframe[0].value) == 1
