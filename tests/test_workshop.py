"""The live workshop service on SQLite and PostgreSQL: codes, joins, answers, host actions, views."""

from __future__ import annotations

import threading

import pytest

from maturity import schema
from maturity.workshop import CODE_ALPHABET, WorkshopError, WorkshopService, normalise_code


def test_create_gives_an_unambiguous_code_and_a_strong_key(service, tiny):
    ws, key = service.create(tiny, "2026 年工会工作研讨会")
    assert len(ws.code) == 6 and set(ws.code) <= set(CODE_ALPHABET)
    assert not set(ws.code) & set("0O1IL")
    assert len(key) >= 32  # 24 random bytes, url-safe
    assert service.lookup(ws.code.lower()) == ws  # typed in lower case
    assert service.lookup(f"{ws.code[:3]} {ws.code[3:]}") == ws  # or with a space
    with service.db.read() as conn:
        stored = conn.execute(schema.workshops.select()).first()
    assert key not in str(tuple(stored))  # only the hash is kept


def test_host_actions_need_the_key(service, tiny):
    ws, key = service.create(tiny, "研讨")
    for action in (lambda k: service.reveal(ws.code, k), lambda k: service.close(ws.code, k),
                   lambda k: service.set_consensus(ws.code, k, "leading.party", 3),
                   lambda k: service.progress(ws.code, k), lambda k: service.export_rows(ws.code, k)):
        for wrong in (None, "", "x" * 32, key + "x"):
            with pytest.raises(WorkshopError) as info:
                action(wrong)
            assert info.value.code == "bad_key"
    with pytest.raises(WorkshopError, match="bad_key"):
        service.check_host("ZZZZZZ", key)  # another code with this key
    assert service.check_host(ws.code, key).id == ws.id


def test_join_answer_resume_and_aggregate(service, tiny):
    ws, key = service.create(tiny, "研讨")
    people = [service.join(ws.code) for _ in range(4)]
    levels = [1, 3, 3, 4]
    for person, level in zip(people, levels, strict=True):
        service.submit(person.token, {"leading.party": level, "digital.platform": "na"})
    service.submit(people[0].token, {"leading.party": 2})  # changing an answer updates it
    found = service.participant(people[0].token)
    assert found is not None and found[0].id == people[0].id  # a reload resumes by token
    assert service.answers_of(people[0].token) == {"leading.party": 2, "digital.platform": "na"}
    agg = service.aggregates(ws.code, key)["leading.party"]
    assert (agg.n, agg.min, agg.max, agg.counts) == (4, 2, 4, {1: 0, 2: 1, 3: 2, 4: 1})
    assert agg.mean == pytest.approx(3.0) and not agg.disagreement  # 2/3/3/4: sd 0.71 < 3/4, range 2 < 9/4
    assert service.aggregates(ws.code, key)["digital.platform"].n_na == 4
    service.set_consensus(ws.code, key, "leading.party", 3)
    assert service.aggregates(ws.code, key)["leading.party"].group_answer == 3
    progress = service.progress(ws.code, key, "zh")
    assert progress.total == 4 and [n for _, n in progress.participants] == [2, 2, 2, 2]
    assert progress.participants[0][0] == "参会者 1"


def test_bad_answers_are_refused_and_nothing_is_saved_half(service, tiny):
    ws, _ = service.create(tiny, "研讨")
    person = service.join(ws.code)
    for answers, code in (({"leading.party": 9}, "off_scale"), ({"leading.party": 2.5}, "off_scale"),
                          ({"leading.party": True}, "off_scale"), ({"nope": 2}, "unknown_indicator"),
                          ({"leading.party": "na"}, "na_not_allowed")):
        with pytest.raises(WorkshopError) as info:
            service.submit(person.token, {"digital.platform": 2, **answers})
        assert info.value.code == code
        assert info.value.message("zh") and info.value.message("en")
    assert service.answers_of(person.token) == {}


def test_closed_session_refuses_joins_and_answers(service, tiny):
    ws, key = service.create(tiny, "研讨")
    person = service.join(ws.code)
    service.close(ws.code, key)
    with pytest.raises(WorkshopError, match="closed"):
        service.submit(person.token, {"leading.party": 2})
    with pytest.raises(WorkshopError, match="closed"):
        service.join(ws.code)
    assert "结束" in WorkshopError("closed").message("zh")


def test_wrong_codes_and_tokens(service):
    for code in ("ABC", "", "ABCDEF"):
        with pytest.raises(WorkshopError, match="no_such_code"):
            service.lookup(code)
    with pytest.raises(WorkshopError) as info:
        service.lookup("**<b>x</b>**")
    assert info.value.params["code"] == "BXB"  # echoed in a message: letters and digits only
    with pytest.raises(WorkshopError, match="no_such_code"):
        service.join("ABCDEF")
    assert service.participant("garbage") is None
    assert service.participant("A" * 24) is None
    assert normalise_code(" ab-cd ef ") == "ABCDEF"


def test_guided_pace_opens_one_criterion_at_a_time(service, tiny):
    ws, key = service.create(tiny, "研讨", pace="guided")
    assert ws.current_criterion == "leading"
    person = service.join(ws.code)
    service.submit(person.token, {"leading.party": 2})
    with pytest.raises(WorkshopError, match="not_open_yet"):
        service.submit(person.token, {"digital.platform": 2})
    service.open_criterion(ws.code, key, "digital")
    service.submit(person.token, {"digital.platform": 2})


def test_criteria_subset(service, tiny):
    ws, key = service.create(tiny, "研讨", criteria=["digital"])
    person = service.join(ws.code)
    with pytest.raises(WorkshopError, match="unknown_indicator"):
        service.submit(person.token, {"leading.party": 2})
    assert set(service.aggregates(ws.code, key)) == {"digital.platform"}
    with pytest.raises(WorkshopError, match="unknown_criterion"):
        service.create(tiny, "研讨", criteria=["nope"])


def test_participants_see_the_group_only_after_reveal_and_never_small_groups(service, tiny):
    ws, key = service.create(tiny, "研讨")
    a, b, c = (service.join(ws.code) for _ in range(3))
    service.submit(a.token, {"leading.party": 2, "digital.platform": 3})
    service.submit(b.token, {"leading.party": 3, "digital.platform": 3})
    service.submit(c.token, {"leading.party": 4})
    assert service.group_view(a.token) is None  # not revealed yet
    service.reveal(ws.code, key)
    view = service.group_view(a.token)
    assert view["leading.party"] is not None and view["leading.party"].n == 3
    assert view["digital.platform"] is None  # two answers in an anonymous session: no breakdown


def test_named_session_needs_names_and_exports_them(service, tiny):
    ws, key = service.create(tiny, "研讨", named=True)
    with pytest.raises(WorkshopError, match="need_name"):
        service.join(ws.code, "  ")
    person = service.join(ws.code, "张堃")
    service.submit(person.token, {"leading.party": 3})
    assert service.export_rows(ws.code, key) == [{"participant": "张堃", "indicator_id": "leading.party", "level": 3}]
    anon, akey = service.create(tiny, "匿名研讨")
    p2 = service.join(anon.code, "李四")
    service.submit(p2.token, {"leading.party": 2})
    rows = service.export_rows(anon.code, akey)
    assert rows == [{"participant": 1, "indicator_id": "leading.party", "level": 2}]
    assert "李四" not in str(rows) and "李四" not in str(service.progress(anon.code, akey))


def test_many_participants_submitting_at_once_lose_nothing(service, tiny):
    ws, key = service.create(tiny, "并发")
    people = [service.join(ws.code) for _ in range(20)]
    ids = ["leading.party", "leading.model-workers", "organising.membership", "digital.platform"]
    errors: list[BaseException] = []

    def run(person, n):
        try:
            for round_ in range(10):
                service.submit(person.token, {i: 1 + (n + round_ + k) % 4 for k, i in enumerate(ids)})
        except BaseException as exc:  # every failure counts
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(p, n)) for n, p in enumerate(people)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors[:3]
    aggs = service.aggregates(ws.code, key)
    assert all(aggs[i].n == 20 for i in ids)
    for n, person in enumerate(people):  # each person's last round is what is stored
        assert service.answers_of(person.token) == {i: 1 + (n + 9 + k) % 4 for k, i in enumerate(ids)}


# -- who may read what: every public method of the service against every kind of credential ------------

WRONG = "A" * 32  # shaped like a key or a token, but nobody's


def _room(service, tiny):
    """A revealed anonymous session: three answers to leading.party, one to digital.platform."""
    ws, key = service.create(tiny, "权限")
    people = [service.join(ws.code) for _ in range(3)]
    for person, level in zip(people, (2, 3, 4), strict=True):
        service.submit(person.token, {"leading.party": level})
    service.submit(people[0].token, {"digital.platform": 1})
    service.reveal(ws.code, key)
    return ws, key, people[0]


def _via_participant(method):
    """Call ``method(person, ws)`` for the participant the credential names; None when it names nobody."""
    def call(s, ws, cred):
        found = s.participant(cred) if cred else None
        return None if found is None else method(s, *found)
    return call


def _own_answers(result, ws):
    assert result == {"leading.party": 2, "digital.platform": 1}  # the participant's own, nobody else's


def _participant_view(result, ws):
    assert result["leading.party"].n == 3  # revealed, three answers
    assert result["digital.platform"] is None  # one answer in an anonymous session: no breakdown


def _everything(result, ws):
    assert result["leading.party"].n == 3 and result["digital.platform"].n == 1


# method -> (call with a credential, the credential that may use it, what the allowed call gives)
ACCESS = {
    "check_host": (lambda s, ws, c: s.check_host(ws.code, c), "host", lambda r, ws: r.id == ws.id),
    "open_criterion": (lambda s, ws, c: s.open_criterion(ws.code, c, None), "host", None),
    "reveal": (lambda s, ws, c: s.reveal(ws.code, c, True), "host", None),
    "set_consensus": (lambda s, ws, c: s.set_consensus(ws.code, c, "leading.party", 3, "按多数意见"), "host", None),
    "presenter_token": (lambda s, ws, c: s.presenter_token(ws.code, c), "host", lambda r, ws: len(r) == 32),
    "keep_result": (lambda s, ws, c: s.keep_result(ws.code, c), "host",
                    lambda r, ws: r.answers == {"leading.party": 3, "digital.platform": 1}),
    "kept_result": (lambda s, ws, c: s.kept_result(ws.code, c), "host", lambda r, ws: r is None),
    "stamp": (lambda s, ws, c: s.stamp(ws.code, c), "host", lambda r, ws: r[:3] == (4, r[1], 3)),
    "check_presenter": (lambda s, ws, c: s.check_presenter(ws.code, c), "presenter", lambda r, ws: r.id == ws.id),
    "presenter_aggregates": (lambda s, ws, c: s.presenter_aggregates(ws.code, c), "presenter", _participant_view),
    "presenter_progress": (lambda s, ws, c: s.presenter_progress(ws.code, c), "presenter",
                           lambda r, ws: r.participants == [("参会者 1", 2), ("参会者 2", 1), ("参会者 3", 1)]),
    "close": (lambda s, ws, c: s.close(ws.code, c), "host", None),
    "progress": (lambda s, ws, c: s.progress(ws.code, c), "host", lambda r, ws: [n for _, n in r.participants] == [2, 1, 1]),
    "export_rows": (lambda s, ws, c: s.export_rows(ws.code, c), "host", lambda r, ws: len(r) == 4),
    "aggregates": (lambda s, ws, c: s.aggregates(ws.code, c), "host", _everything),
    "participant": (lambda s, ws, c: s.participant(c), "participant", lambda r, ws: r[1].id == ws.id),
    "submit": (lambda s, ws, c: s.submit(c, {"organising.membership": 2}), "participant", None),
    "answers_of": (lambda s, ws, c: s.answers_of(c), "participant", _own_answers),
    "answers_of_participant": (_via_participant(lambda s, p, w: s.answers_of_participant(p)), "participant",
                               _own_answers),
    "group_view": (lambda s, ws, c: s.group_view(c), "participant", _participant_view),
    "group_view_of": (_via_participant(lambda s, p, w: s.group_view_of(p, w)), "participant", _participant_view),
}
# Methods that take no credential; none of them gives anybody's answers.
OPEN = {"create", "lookup", "join"}


def test_every_public_method_is_in_the_access_table():
    public = {n for n in dir(WorkshopService) if not n.startswith("_") and callable(getattr(WorkshopService, n))}
    assert public == set(ACCESS) | OPEN


@pytest.mark.parametrize("method", sorted(ACCESS))
def test_access_table(service, tiny, method):
    call, allowed, check = ACCESS[method]
    for kind in ("none", "wrong", "participant", "presenter", "host"):
        ws, key, person = _room(service, tiny)
        presenter = service.presenter_token(ws.code, key)
        cred = {"none": None, "wrong": WRONG, "participant": person.token, "presenter": presenter, "host": key}[kind]
        if kind != allowed:
            try:
                result = call(service, ws, cred)
            except WorkshopError as exc:
                assert exc.code in ("bad_key", "no_such_participant", "bad_presenter"), (method, kind, exc.code)
            else:
                assert result in (None, {}), (method, kind, result)  # nothing, and nobody's answers
            continue
        result = call(service, ws, cred)
        if check is not None:
            assert check(result, ws) is not False, (method, kind, result)


def test_what_the_join_code_alone_gives(service, tiny):
    ws, key, person = _room(service, tiny)
    found = service.lookup(ws.code)
    assert found == service.check_host(ws.code, key)  # the session's settings, no answers in them
    assert {f for f in vars(found)} == {"id", "code", "title", "model_sha256", "criteria", "named", "pace",
                                        "current_criterion", "revealed", "language", "created_at", "closed_at"}
    newcomer = service.join(ws.code)
    assert service.answers_of(newcomer.token) == {}
    with pytest.raises(WorkshopError, match="no_such_participant"):  # someone else's record with my workshop
        service.group_view_of(person, service.create(tiny, "另一场")[0])


def test_participant_view_before_reveal_is_nothing(service, tiny):
    ws, key, person = _room(service, tiny)
    service.reveal(ws.code, key, False)
    assert service.group_view(person.token) is None
    assert service.aggregates(ws.code, key)["leading.party"].n == 3  # the host still sees everything
