"""Live workshop service (DESIGN §6): join codes, participants, answers, host actions, aggregation.

All state is in the database (the store's), so several app processes can serve one
workshop. Every host action is checked against the host key here, in the core,
not only hidden in the UI. The host key itself is never stored: only its sha256.

Who may read what (each public method of :class:`WorkshopService`):

- the join code alone: :meth:`~WorkshopService.lookup` and :meth:`~WorkshopService.join`, limited
  per session and address (:mod:`maturity.throttle`); they tell nothing about anybody's answers
- a participant token: :meth:`~WorkshopService.participant`, :meth:`~WorkshopService.submit`,
  the participant's own answers, and the group only as :meth:`~WorkshopService.group_view` shows
  it (nothing before the host reveals it; in an anonymous session no breakdown of fewer than
  three answers)
- the presenter token (the projector's link, :mod:`maturity.workshop_tools`): the group's picture
  and numbered progress only (:meth:`~WorkshopService.presenter_aggregates`,
  :meth:`~WorkshopService.presenter_progress`); no host action
- the host key: everything else, including every answer (:meth:`~WorkshopService.aggregates`,
  :meth:`~WorkshopService.export_rows`, :meth:`~WorkshopService.progress`)
"""

from __future__ import annotations

import hmac
import json
import math
import re
import secrets
from collections.abc import Mapping
from typing import Any, Literal

from sqlalchemy import false, func, null, select, union_all, update
from sqlalchemy.exc import IntegrityError

from . import schema as S
from .aggregate import IndicatorAggregate, aggregate_values
from .assessment import MAX_PARTICIPANT_NAME, MAX_WORKSHOP_TITLE
from .db import Database, is_token
from .db import now as _now
from .i18n import t
from .loader import LoadedModel
from .model import MaturityModel
from .records import answer_of
from .scoring import NA, Answer
from .store import Store
from .throttle import Client, LookupLimit
from .workshop_tools import FacilitatorTools
from .workshop_types import (
    ANONYMITY_MIN,
    CODE_ALPHABET,
    CODE_LENGTH,
    Participant,
    Progress,
    Workshop,
    WorkshopError,
    check_text,
    hash_key,
    level_of,
    new_code,
    normalise_code,
    session_criteria,
    shown_to_room,
    workshop_of,
)

# The values are re-exported: pages and tests import them from here.
__all__ = ["ANONYMITY_MIN", "CODE_ALPHABET", "CODE_LENGTH", "Participant", "Progress", "Workshop", "WorkshopError",
           "WorkshopService", "new_code", "normalise_code", "session_criteria"]

class WorkshopService(FacilitatorTools):
    """Workshops in a :class:`Store`'s database: model snapshots through the store, tables through its ``db``.

    The facilitator's tools (consensus with a note, the presenter link, keeping the result, the
    host screen's stamp) come from :class:`maturity.workshop_tools.FacilitatorTools`."""

    def __init__(self, store: Store, limit: LookupLimit | None = None) -> None:
        self.store = store
        self.db: Database = store.db
        self.limit = limit if limit is not None else LookupLimit(store.db)

    # -- host ------------------------------------------------------------------------------

    def create(
        self,
        loaded: LoadedModel,
        title: str,
        *,
        criteria: list[str] | None = None,
        named: bool = False,
        pace: Literal["free", "guided"] = "free",
        language: str = "zh",
    ) -> tuple[Workshop, str]:
        """A new session and its host key (shown once to the host; only its hash is kept)."""
        title = (title or "").strip()
        if not title:
            raise WorkshopError("need_title")
        check_text(title, MAX_WORKSHOP_TITLE)
        unknown = [c for c in criteria or [] if c not in loaded.model.criterion_by_id]
        if unknown:
            raise WorkshopError("unknown_criterion", id=unknown[0])
        if pace not in ("free", "guided"):
            raise WorkshopError("bad_pace", pace=pace)
        sha = self.store.save_model_snapshot(loaded)
        key = secrets.token_urlsafe(24)  # 192 bits
        first = None
        if pace == "guided":
            ids = [c.id for c in loaded.model.criteria if not criteria or c.id in criteria]
            first = ids[0]
        for _ in range(20):  # a clash among 887 million codes is rare; try again if it happens
            code = new_code()
            try:
                with self.db.write() as conn:
                    conn.execute(S.workshops.insert().values(
                        code=code, title=title, model_sha256=sha, criteria=json.dumps(criteria or []),
                        named=named, pace=pace, current_criterion=first, revealed=False,
                        host_key_hash=hash_key(key), language=language, created_at=_now(), closed_at=None,
                    ))
            except IntegrityError:
                continue
            ws = self._by_code(code)
            assert ws is not None
            return ws, key
        raise WorkshopError("no_code")

    def check_host(self, code: str, key: str | None) -> Workshop:
        """The workshop if ``key`` is its host key; otherwise a refusal (same for unknown codes)."""
        code = normalise_code(code)
        with self.db.read() as conn:  # one query: the key's hash and the session
            row = conn.execute(select(S.workshops).where(S.workshops.c.code == code)).first()
        expected = row.host_key_hash if row else hash_key(secrets.token_hex(16))
        if not key or not hmac.compare_digest(expected, hash_key(key)) or row is None:
            raise WorkshopError("bad_key")
        return workshop_of(row)

    def open_criterion(self, code: str, key: str, criterion_id: str | None) -> None:
        """Guided pace: open one criterion for everybody (None: none open)."""
        ws = self.check_host(code, key)
        model = self._model(ws)
        if criterion_id is not None and criterion_id not in session_criteria(model, ws):
            raise WorkshopError("unknown_criterion", id=criterion_id)
        self._set(ws, current_criterion=criterion_id)

    def reveal(self, code: str, key: str, revealed: bool = True) -> None:
        """Show (or hide) the group's aggregate to participants."""
        self._set(self.check_host(code, key), revealed=revealed)

    def close(self, code: str, key: str) -> None:
        """Close the session: later answers are refused."""
        ws = self.check_host(code, key)
        if ws.is_open:
            self._set(ws, closed_at=_now())

    def progress(self, code: str, key: str | None, lang: str = "zh") -> Progress:
        """Answered count per participant (names only in a named session)."""
        return self._progress(self.check_host(code, key), lang, names=True)

    def _progress(self, ws: Workshop, lang: str, names: bool) -> Progress:
        total = len(self._indicator_ids(self._model(ws), ws))
        q = (
            select(S.participants.c.id, S.participants.c.name, func.count(S.workshop_answers.c.indicator_id))
            .select_from(S.participants.outerjoin(
                S.workshop_answers, S.workshop_answers.c.participant_id == S.participants.c.id))
            .where(S.participants.c.workshop_id == ws.id)
            .group_by(S.participants.c.id, S.participants.c.name)
            .order_by(S.participants.c.id)
        )
        with self.db.read() as conn:
            rows = conn.execute(q).all()
        people = [
            ((r.name if names and ws.named and r.name else t("workshop.participant_n", lang, n=n)), int(r[2]))
            for n, r in enumerate(rows, start=1)
        ]
        return Progress(people, total)

    def export_rows(self, code: str, key: str | None) -> list[dict[str, Any]]:
        """Raw answers, one row per participant and indicator; no names in an anonymous session."""
        ws = self.check_host(code, key)
        q = (
            select(S.participants.c.id, S.participants.c.name, S.workshop_answers.c.indicator_id,
                   S.workshop_answers.c.level, S.workshop_answers.c.is_na)
            .join(S.workshop_answers, S.workshop_answers.c.participant_id == S.participants.c.id)
            .where(S.participants.c.workshop_id == ws.id)
            .order_by(S.participants.c.id, S.workshop_answers.c.indicator_id)
        )
        with self.db.read() as conn:
            rows = conn.execute(q).all()
        numbers: dict[int, int] = {}
        out = []
        for r in rows:
            n = numbers.setdefault(r.id, len(numbers) + 1)
            out.append({
                "participant": r.name if ws.named and r.name else n,
                "indicator_id": r.indicator_id,
                "level": NA if r.is_na else level_of(r.level),
            })
        return out

    # -- participants ----------------------------------------------------------------------

    def lookup(self, code: str, client: Client | None = None) -> Workshop:
        """The workshop with this join code, for a participant about to join.

        A wrong code counts against ``client`` (its browser session and address); after too many,
        every lookup is refused for a while, the right code too, so that codes cannot be guessed.
        """
        client = client or Client()
        wait = self.limit.retry_after(client)
        if wait is not None:
            raise WorkshopError("too_many_tries", minutes=max(1, math.ceil(wait.total_seconds() / 60)))
        ws = self._by_code(code)
        if ws is None:
            self.limit.record_failure(client)
            # echoed in the message: only letters and digits, so it can never be Markdown
            raise WorkshopError("no_such_code", code=re.sub(r"[^0-9A-Z]", "", normalise_code(code))[:CODE_LENGTH * 2])
        return ws

    def _by_code(self, code: str) -> Workshop | None:
        code = normalise_code(code)
        if len(code) != CODE_LENGTH:
            return None
        with self.db.read() as conn:
            row = conn.execute(select(S.workshops).where(S.workshops.c.code == code)).first()
        return None if row is None else workshop_of(row)

    def join(self, code: str, name: str | None = None, client: Client | None = None) -> Participant:
        """Join by code (looked up as :meth:`lookup` does); a named session needs a name.
        Refused once the host has closed it."""
        ws = self.lookup(code, client)
        if not ws.is_open:
            raise WorkshopError("closed")
        name = (name or "").strip() or None
        if name is not None:
            check_text(name, MAX_PARTICIPANT_NAME)
        if ws.named and not name:
            raise WorkshopError("need_name")
        token = secrets.token_urlsafe(18)
        with self.db.write() as conn:
            pid = conn.scalar(S.participants.insert().values(
                workshop_id=ws.id, token=token, name=name if ws.named else None, created_at=_now(),
            ).returning(S.participants.c.id))
        return Participant(int(pid), ws.id, token, name if ws.named else None)

    def participant(self, token: str) -> tuple[Participant, Workshop] | None:
        """Resume a participant by the token of their link (None for unknown or malformed tokens)."""
        if not is_token(token):
            return None
        p = S.participants
        q = select(S.workshops, p.c.id.label("p_id"), p.c.token.label("p_token"), p.c.name.label("p_name")).join(
            p, S.workshops.c.id == p.c.workshop_id).where(p.c.token == token)
        with self.db.read() as conn:
            row = conn.execute(q).first()  # one query: the participant and their workshop
        if row is None:
            return None
        return Participant(row.p_id, row.id, row.p_token, row.p_name), workshop_of(row)

    def submit(self, token: str, answers: Mapping[str, Answer | None]) -> None:
        """Store one participant's answers at once (upsert; None clears). All or nothing."""
        found = self.participant(token)
        if found is None:
            raise WorkshopError("no_such_participant")
        person, ws = found
        if not ws.is_open:
            raise WorkshopError("closed")
        model = self._model(ws)
        allowed = self._indicator_ids(model, ws)
        rows: list[dict[str, object]] = []
        cleared: list[str] = []
        for ind_id, value in answers.items():
            if ind_id not in allowed:
                raise WorkshopError("unknown_indicator", id=ind_id)
            if ws.pace == "guided" and model.criterion_of[ind_id].id != ws.current_criterion:
                raise WorkshopError("not_open_yet")
            ind = model.indicator_by_id[ind_id]
            if value is None:
                cleared.append(ind_id)
            elif value == NA:
                if not ind.allow_na:
                    raise WorkshopError("na_not_allowed")
                rows.append({"indicator_id": ind_id, "level": None, "is_na": True})
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or value not in model.levels:
                raise WorkshopError("off_scale", level=value, lmin=model.lmin, lmax=model.lmax)
            else:
                rows.append({"indicator_id": ind_id, "level": float(value), "is_na": False})
        now = _now()
        with self.db.write() as conn:
            if cleared:
                conn.execute(S.workshop_answers.delete().where(
                    (S.workshop_answers.c.participant_id == person.id)
                    & S.workshop_answers.c.indicator_id.in_(cleared)))
            if rows:
                stmt = self.db.insert(S.workshop_answers).values(
                    [{**r, "participant_id": person.id, "workshop_id": ws.id, "updated_at": now} for r in rows])
                conn.execute(stmt.on_conflict_do_update(
                    index_elements=["participant_id", "indicator_id"],
                    set_={"level": stmt.excluded.level, "is_na": stmt.excluded.is_na,
                          "updated_at": stmt.excluded.updated_at}))

    def answers_of(self, token: str) -> dict[str, Answer]:
        """A participant's own answers (nobody else's)."""
        found = self.participant(token)
        return {} if found is None else self.answers_of_participant(found[0])

    def answers_of_participant(self, person: Participant) -> dict[str, Answer]:
        """The answers of a participant already looked up (saves a query on every page run)."""
        q = select(S.workshop_answers.c.indicator_id, S.workshop_answers.c.level, S.workshop_answers.c.is_na).where(
            S.workshop_answers.c.participant_id == person.id)
        with self.db.read() as conn:
            return {r.indicator_id: answer_of(r.level, r.is_na) for r in conn.execute(q)}

    # -- the group's picture ---------------------------------------------------------------

    def aggregates(self, code: str, key: str | None) -> dict[str, IndicatorAggregate]:
        """Per indicator of the session: distribution, spread, disagreement and consensus (host only)."""
        return self._aggregates(self.check_host(code, key))

    def group_view(self, token: str) -> dict[str, IndicatorAggregate | None] | None:
        """What a participant may see of the group: nothing until revealed; in an anonymous
        session, no breakdown (None) for an indicator with fewer than three answers."""
        found = self.participant(token)
        return None if found is None else self.group_view_of(*found)

    def group_view_of(self, person: Participant, ws: Workshop) -> dict[str, IndicatorAggregate | None] | None:
        """:meth:`group_view` for a participant already looked up by :meth:`participant` (saves a query)."""
        if person.workshop_id != ws.id:
            raise WorkshopError("no_such_participant")
        if not ws.revealed:
            return None
        return shown_to_room(ws, self._aggregates(ws))

    # -- helpers ---------------------------------------------------------------------------

    def _aggregates(self, ws: Workshop) -> dict[str, IndicatorAggregate]:
        model = self._model(ws)
        allowed = self._indicator_ids(model, ws)
        a, c = S.workshop_answers, S.consensus
        # One query, counted in the database (about 6 rows per question, not one per person): the answers
        # per level and, marked by a NULL count, the consensus rows with their notes.
        q = union_all(
            select(func.count(), a.c.indicator_id, a.c.level, a.c.is_na, null().label("note"))
            .where(a.c.workshop_id == ws.id).group_by(a.c.indicator_id, a.c.level, a.c.is_na),
            select(null(), c.c.indicator_id, c.c.level, false(), c.c.note).where(c.c.workshop_id == ws.id),
        )
        columns: dict[str, list[Answer]] = {i: [] for i in allowed}
        agreed: dict[str, int] = {}
        notes: dict[str, str] = {}
        with self.db.read() as conn:
            for count, ind_id, level, is_na, note in conn.execute(q):
                if count is None:
                    agreed[ind_id] = int(level)
                    if note:
                        notes[ind_id] = note
                elif ind_id in columns:
                    columns[ind_id].extend([NA if is_na else float(level)] * int(count))
        levels = [s.level for s in model.scale]
        return {i: aggregate_values(i, columns[i], levels, agreed.get(i), notes.get(i)) for i in allowed}

    def _model(self, ws: Workshop) -> MaturityModel:
        loaded = self.store.get_model_snapshot(ws.model_sha256)
        if loaded is None:  # the foreign key makes this impossible short of manual edits
            raise WorkshopError("model_missing")
        return loaded.model

    def _indicator_ids(self, model: MaturityModel, ws: Workshop) -> list[str]:
        ids = set(session_criteria(model, ws))
        return [i.id for i in model.indicators if model.criterion_of[i.id].id in ids]

    def _set(self, ws: Workshop, **values: Any) -> None:
        with self.db.write() as conn:
            conn.execute(update(S.workshops).where(S.workshops.c.id == ws.id).values(**values))
