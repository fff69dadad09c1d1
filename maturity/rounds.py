"""Assessment rounds (测评批次): one self-check sent to many units, their progress, and the 上级复评.

The organiser creates a round (model, title, deadline, units) and receives the round key once; only
its sha256 is stored, and every organiser action checks it here, in the core, as the workshop host
key is checked. Each unit gets its own assessment, whose edit token is the unit's private link: the
unit answers on the ordinary questionnaire pages and sees nothing of the others.

A reviewer holding the round key sets a reviewed level per question with a reason
(:meth:`RoundService.set_reviews`); the unit's own answers are never touched, and both are scored
side by side. Everything is in the database, so several app processes serve one round together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Row, delete, func, select
from sqlalchemy.exc import IntegrityError

from . import schema as S
from .db import is_token
from .db import now as _now
from .limits import MAX_LANGUAGE
from .loader import LoadedModel
from .records import validate
from .round_types import (
    MAX_REVIEW_REASON,
    MAX_ROUND_TITLE,
    Review,
    Round,
    RoundData,
    RoundError,
    Unit,
    UnitProblem,
    UnitsInvalid,
    UnitSpec,
    ancestors,
    check_units,
    subtree,
)
from .scoring import NA
from .store import Store
from .workshop_types import hash_key

__all__ = [
    "Review",
    "Round",
    "RoundData",
    "RoundError",
    "RoundService",
    "Unit",
    "UnitProblem",
    "UnitSpec",
    "UnitsInvalid",
    "ancestors",
    "normalise_round_code",
    "subtree",
]

_CODE = re.compile(r"[A-Za-z0-9_-]{8,16}")


def normalise_round_code(code: str | None) -> str:
    """The round code as stored ('' when it cannot be one: nothing is looked up then)."""
    code = (code or "").strip()
    return code if _CODE.fullmatch(code) else ""


def _round_of(row: Row[Any]) -> Round:
    return Round(id=row.id, code=row.code, title=row.title, model_sha256=row.model_sha256, deadline=row.deadline,
                 language=row.language, created_at=row.created_at, follows_id=row.follows_id, closed_at=row.closed_at)


def _check_deadline(deadline: str | None) -> str | None:
    deadline = (deadline or "").strip() or None
    if deadline is None:
        return None
    try:
        return dt.date.fromisoformat(deadline).isoformat()
    except ValueError:
        raise RoundError("bad_deadline", value=deadline[:40]) from None


class RoundService:
    """Rounds, their units and reviews, in the store's database."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    # -- the organiser -------------------------------------------------------------------

    def create(
        self,
        loaded: LoadedModel,
        title: str,
        units: Sequence[UnitSpec],
        *,
        deadline: str | None = None,
        language: str = "zh",
        follows: tuple[str, str] | None = None,
    ) -> tuple[Round, str]:
        """A new round with one assessment per unit, and its round key (shown once; only its hash is kept).

        ``follows`` (code, key of an earlier round) links the new round to it, for the trend between them.
        A bad unit list raises :class:`UnitsInvalid` with every problem; nothing is stored then.
        """
        title = (title or "").strip()
        if not title:
            raise RoundError("need_title")
        if len(title) > MAX_ROUND_TITLE or "\x00" in title:
            raise RoundError("title_too_long", length=len(title), limit=MAX_ROUND_TITLE)
        if not isinstance(language, str) or len(language) > MAX_LANGUAGE:
            raise RoundError("bad_language")
        deadline = _check_deadline(deadline)
        cleaned, problems = check_units(units)
        if problems:
            raise UnitsInvalid(problems)
        before = self.check(*follows) if follows else None
        if before is not None and before.model_sha256 != self.store.save_model_snapshot(loaded):
            model = self.store.get_model_snapshot(before.model_sha256)
            if model is None or model.model.id != loaded.model.id:
                raise RoundError("follows_other_model")
        key = secrets.token_urlsafe(24)  # 192 bits
        for _ in range(20):
            code = secrets.token_urlsafe(9)  # 12 characters; not a secret, but not guessable either
            try:
                with self.db.write() as conn:
                    sha = self.store.snapshots.save(conn, loaded)
                    rid = conn.scalar(S.rounds.insert().values(
                        code=code, title=title, model_sha256=sha, deadline=deadline, key_hash=hash_key(key),
                        language=language, follows_id=before.id if before else None, created_at=_now(), closed_at=None,
                    ).returning(S.rounds.c.id))
                    self._insert_units(conn, loaded, rid, cleaned, 0, language)
            except IntegrityError:
                with self.db.read() as conn:  # a code clash is retried; anything else is a real failure
                    if conn.scalar(select(S.rounds.c.id).where(S.rounds.c.code == code)) is None:
                        raise
                continue
            return self.check(code, key), key
        raise RoundError("no_code")

    def check(self, code: str, key: str | None) -> Round:
        """The round if ``key`` is its round key; otherwise a refusal (the same for an unknown code)."""
        code = normalise_round_code(code)
        row = None
        if code:
            with self.db.read() as conn:
                row = conn.execute(select(S.rounds).where(S.rounds.c.code == code)).first()
        expected = row.key_hash if row else hash_key(secrets.token_hex(16))
        if not key or not hmac.compare_digest(expected, hash_key(str(key).strip())) or row is None:
            raise RoundError("bad_key")
        return _round_of(row)

    def add_units(self, code: str, key: str, units: Sequence[UnitSpec]) -> list[Unit]:
        """Add units to a running round (names new in it); all or none. Returns the new units."""
        rnd = self.check(code, key)
        loaded = self._loaded(rnd)
        with self.db.write() as conn:
            existing = self._units(conn, rnd.id, progress=False)
            cleaned, problems = check_units(units, existing)
            if problems:
                raise UnitsInvalid(problems)
            start = max((u.position for u in existing), default=-1) + 1
            ids = self._insert_units(conn, loaded, rnd.id, cleaned, start, rnd.language)
        return [u for u in self.units(code, key) if u.id in ids]

    def rename_title(self, code: str, key: str, title: str, deadline: str | None) -> Round:
        """Change the round's title and deadline."""
        rnd = self.check(code, key)
        title = (title or "").strip()
        if not title:
            raise RoundError("need_title")
        if len(title) > MAX_ROUND_TITLE or "\x00" in title:
            raise RoundError("title_too_long", length=len(title), limit=MAX_ROUND_TITLE)
        with self.db.write() as conn:
            conn.execute(S.rounds.update().where(S.rounds.c.id == rnd.id)
                         .values(title=title, deadline=_check_deadline(deadline)))
        return self.check(code, key)

    def units(self, code: str, key: str) -> list[Unit]:
        """The round's units in their order, each with its link token and progress."""
        rnd = self.check(code, key)
        with self.db.read() as conn:
            return self._units(conn, rnd.id, progress=True)

    def previous(self, code: str, key: str) -> Round | None:
        """The round this one follows (for the trend), if any: its key is not needed, the link was made with it."""
        rnd = self.check(code, key)
        if rnd.follows_id is None:
            return None
        with self.db.read() as conn:
            row = conn.execute(select(S.rounds).where(S.rounds.c.id == rnd.follows_id)).first()
        return _round_of(row) if row else None

    def stamp(self, code: str, key: str) -> tuple[Any, ...]:
        """What changes whenever the round's portfolio would (its title, units, answers, reviews, here and in
        the round it follows), in two cheap queries: a page keeps its built portfolio while this stays the same.

        Every unit's own ``updated_at`` (bumped by each save) is in it, not only the newest: a save stamped
        earlier than another unit's (clocks of two app hosts, a date set by an import) still changes it."""
        rnd = self.check(code, key)
        ids = [rnd.id] if rnd.follows_id is None else [rnd.id, rnd.follows_id]
        a, u, r = S.assessments, S.round_units, S.reviews
        with self.db.read() as conn:
            units = conn.execute(select(u.c.id, a.c.updated_at).select_from(u.join(a, a.c.id == u.c.assessment_id))
                                 .where(u.c.round_id.in_(ids)).order_by(u.c.id)).all()
            reviews = conn.execute(select(r.c.assessment_id, func.count(), func.max(r.c.updated_at))
                                   .select_from(r.join(u, u.c.assessment_id == r.c.assessment_id))
                                   .where(u.c.round_id == rnd.id).group_by(r.c.assessment_id)
                                   .order_by(r.c.assessment_id)).all()
        digest = hashlib.sha256(repr(([tuple(x) for x in units], [tuple(x) for x in reviews])).encode()).hexdigest()
        return (rnd.id, rnd.follows_id, rnd.title, rnd.deadline, len(units), len(reviews), digest)

    def data(self, code: str, key: str, *, with_previous: bool = True) -> RoundData:
        """Units, their assessments and reviews (and the previous round's) in a fixed number of queries."""
        rnd = self.check(code, key)
        return self._data(rnd, with_previous)

    def _data(self, rnd: Round, with_previous: bool) -> RoundData:
        with self.db.read() as conn:
            units = self._units(conn, rnd.id, progress=True)
        tokens = [u.token for u in units]
        records = self.store.get_assessments(tokens)
        reviews = self._reviews_of_tokens(tokens)
        previous = None
        if with_previous and rnd.follows_id is not None:
            with self.db.read() as conn:
                row = conn.execute(select(S.rounds).where(S.rounds.c.id == rnd.follows_id)).first()
            if row is not None:
                previous = self._data(_round_of(row), with_previous=False)
        return RoundData(round=rnd, loaded=self._loaded(rnd), units=units, records=records, reviews=reviews,
                         previous=previous)

    # -- a unit's side (its own assessment token; no round key) ----------------------------

    def unit_of(self, token: str) -> tuple[Round, Unit] | None:
        """The round and unit an assessment belongs to, by the unit's edit or view token; None if it is none."""
        if not is_token(token):
            return None
        a, u, r = S.assessments, S.round_units, S.rounds
        with self.db.read() as conn:
            row = conn.execute(
                select(u, a.c.token.label("token"), r.c.id.label("r_id"))
                .join(a, a.c.id == u.c.assessment_id).join(r, r.c.id == u.c.round_id)
                .where((a.c.token == token) | (a.c.view_token == token))
            ).first()
            if row is None:
                return None
            rrow = conn.execute(select(S.rounds).where(S.rounds.c.id == row.r_id)).one()
        unit = Unit(id=row.id, round_id=row.round_id, name=row.name, parent=row.parent, members=row.members,
                    contact=row.contact, position=row.position, token=row.token if row.token == token else "")
        return _round_of(rrow), unit

    def reviews_of(self, token: str) -> dict[str, Review]:
        """The 上级复评 of an assessment, by its edit or view token (the unit sees its reviewed result)."""
        if not is_token(token):
            return {}
        a = S.assessments
        with self.db.read() as conn:
            aid = conn.scalar(select(a.c.id).where((a.c.token == token) | (a.c.view_token == token)))
            if aid is None:
                return {}
            return self._reviews(conn, [int(aid)]).get(int(aid), {})

    # -- 上级复评 --------------------------------------------------------------------------

    def set_reviews(self, code: str, key: str, unit_token: str,
                    reviews: Mapping[str, tuple[float, str] | None]) -> dict[str, Review]:
        """Set (level, reason) or clear (None) reviewed levels of one unit's questions; all or none.

        The levels are checked against the round's model as an answer is; N/A is not a reviewed level.
        """
        rnd = self.check(code, key)
        model = self._loaded(rnd).model
        with self.db.write() as conn:
            aid = self._unit_assessment(conn, rnd, unit_token)
            levels: dict[str, object] = {k: v[0] for k, v in reviews.items() if v is not None}
            if any(v == NA or isinstance(v, bool) for v in levels.values()):
                raise RoundError("review_na")
            checked = validate(model, answers=levels)  # unknown questions and out-of-scale levels: AssessmentInvalid
            now = _now()
            for ind, value in sorted(reviews.items()):
                if value is None:
                    conn.execute(delete(S.reviews).where(S.reviews.c.assessment_id == aid,
                                                         S.reviews.c.indicator_id == ind))
                    continue
                reason = (value[1] or "").strip()
                if len(reason) > MAX_REVIEW_REASON or "\x00" in reason:
                    raise RoundError("reason_too_long", length=len(reason), limit=MAX_REVIEW_REASON)
                level = checked.answers[ind]
                self.db.upsert(conn, S.reviews, ("assessment_id", "indicator_id"), [
                    {"assessment_id": aid, "indicator_id": ind, "level": float(level), "reason": reason,
                     "updated_at": now}])
        return self.reviews_of(unit_token)

    # -- internals -------------------------------------------------------------------------

    def _loaded(self, rnd: Round) -> LoadedModel:
        loaded = self.store.get_model_snapshot(rnd.model_sha256)
        if loaded is None:
            raise RoundError("model_missing")
        return loaded

    def _unit_assessment(self, conn: Connection, rnd: Round, unit_token: str) -> int:
        a, u = S.assessments, S.round_units
        aid = conn.scalar(select(a.c.id).join(u, u.c.assessment_id == a.c.id)
                          .where(u.c.round_id == rnd.id, a.c.token == unit_token)) if is_token(unit_token) else None
        if aid is None:
            raise RoundError("unknown_unit")
        return int(aid)

    def _insert_units(self, conn: Connection, loaded: LoadedModel, rid: int, specs: Sequence[UnitSpec],
                      start: int, language: str) -> set[int]:
        ids: set[int] = set()
        today = dt.date.today().isoformat()
        for n, spec in enumerate(specs):
            org: dict[str, Any] = {"name": spec.name}
            if spec.parent:
                org["enterprise"] = spec.parent
            if spec.members is not None:
                org["members"] = spec.members
            checked = validate(loaded.model, organisation=org, language=language, assessed_at=today)
            _, aid = self.store._insert_assessment(conn, loaded, checked)
            uid = conn.scalar(S.round_units.insert().values(
                round_id=rid, assessment_id=aid, name=spec.name, parent=spec.parent, members=spec.members,
                contact=spec.contact, position=start + n, created_at=_now(),
            ).returning(S.round_units.c.id))
            ids.add(int(uid))
        return ids

    def _units(self, conn: Connection, rid: int, *, progress: bool) -> list[Unit]:
        a, u = S.assessments, S.round_units
        total = 0
        counts: dict[int, int] = {}
        if progress:
            rnd = conn.execute(select(S.rounds.c.model_sha256).where(S.rounds.c.id == rid)).scalar_one()
            model = self.store.snapshots.model_of(conn, rnd)
            total = len(model.indicators)
            known = [i.id for i in model.indicators]
            counts = {int(r.assessment_id): int(r.n) for r in conn.execute(
                select(S.answers.c.assessment_id, func.count().label("n"))
                .join(u, u.c.assessment_id == S.answers.c.assessment_id)
                .where(u.c.round_id == rid, S.answers.c.indicator_id.in_(known))
                .group_by(S.answers.c.assessment_id))}
        rows = conn.execute(select(u, a.c.token.label("token"), a.c.updated_at.label("a_updated"),
                                   a.c.created_at.label("a_created"))
                            .join(a, a.c.id == u.c.assessment_id)
                            .where(u.c.round_id == rid).order_by(u.c.position, u.c.id))
        return [Unit(id=r.id, round_id=r.round_id, name=r.name, parent=r.parent, members=r.members, contact=r.contact,
                     position=r.position, token=r.token, answered=counts.get(int(r.assessment_id), 0), total=total,
                     updated_at=r.a_updated if r.a_updated != r.a_created else None)
                for r in rows]

    def _reviews_of_tokens(self, tokens: Sequence[str]) -> dict[str, dict[str, Review]]:
        if not tokens:
            return {}
        a = S.assessments
        with self.db.read() as conn:
            id_of = {int(r.id): r.token for r in conn.execute(select(a.c.id, a.c.token).where(a.c.token.in_(tokens)))}
            by_id = self._reviews(conn, list(id_of))
        return {id_of[i]: v for i, v in by_id.items()}

    def _reviews(self, conn: Connection, ids: list[int]) -> dict[int, dict[str, Review]]:
        out: dict[int, dict[str, Review]] = {}
        r = S.reviews
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            for row in conn.execute(select(r).where(r.c.assessment_id.in_(chunk))):
                level = float(row.level)
                out.setdefault(int(row.assessment_id), {})[row.indicator_id] = Review(
                    indicator_id=row.indicator_id, level=int(level) if level.is_integer() else level,
                    reason=row.reason, updated_at=row.updated_at)
        return out

