"""The facilitator's tools of a live workshop (issue 10), a base class of :class:`maturity.workshop.WorkshopService`.

- a consensus level with a note, shown to participants after reveal beside the group result
- a read-only presenter token for the projector tab, so the host key never shows in a projected
  address bar: derived from the host key (an HMAC), so asking again gives the same link; only its
  sha256 is stored (``workshops.presenter_hash``). It opens :meth:`~FacilitatorTools.presenter_aggregates`
  and :meth:`~FacilitatorTools.presenter_progress` and nothing else: every host action checks the
  host key, which the presenter token is not.
- keeping the group result (consensus where recorded, else the mean) as an assessment of the
  workshop's model snapshot, updated in place by a second click (``workshops.result_assessment``)
- a cheap version stamp of everything the host screen shows, for its cache
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update

from . import schema as S
from .aggregate import IndicatorAggregate, group_answers
from .db import Database
from .db import now as _now
from .errors import MaturityError
from .limits import MAX_CONSENSUS_NOTE, MAX_NAME
from .model import MaturityModel
from .records import AssessmentRecord
from .store import Store
from .workshop_types import (
    Progress,
    Workshop,
    WorkshopError,
    check_text,
    hash_key,
    normalise_code,
    shown_to_room,
    workshop_of,
)

__all__ = ["FacilitatorTools", "Stamp", "presenter_token_of"]

Stamp = tuple[Any, ...]  # compare for equality only: (answers, last answer, people, consensus, last consensus, state...)


def presenter_token_of(code: str, key: str) -> str:
    """The read-only presenter token of a session: an HMAC of its code under the host key (not reversible)."""
    digest = hmac.new(key.encode("utf-8"), b"presenter:" + code.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode("ascii")  # 192 bits, 32 characters


class FacilitatorTools:
    """Consensus notes, the presenter link, keeping the result and the host screen's stamp."""

    store: Store
    db: Database

    if TYPE_CHECKING:  # defined by WorkshopService
        def check_host(self, code: str, key: str | None) -> Workshop: ...
        def _model(self, ws: Workshop) -> MaturityModel: ...
        def _indicator_ids(self, model: MaturityModel, ws: Workshop) -> list[str]: ...
        def _aggregates(self, ws: Workshop) -> dict[str, IndicatorAggregate]: ...
        def _progress(self, ws: Workshop, lang: str, names: bool) -> Progress: ...

    # -- consensus ------------------------------------------------------------------------

    def set_consensus(self, code: str, key: str | None, indicator_id: str, level: int | None,
                      note: str | None = None) -> None:
        """Record the level the room agreed on for one indicator, with an optional note (None clears both)."""
        ws = self.check_host(code, key)
        model = self._model(ws)
        if indicator_id not in self._indicator_ids(model, ws):
            raise WorkshopError("unknown_indicator", id=indicator_id)
        if level is not None and (isinstance(level, bool) or level not in model.levels):
            raise WorkshopError("off_scale", level=level, lmin=model.lmin, lmax=model.lmax)
        text = (note or "").strip() or None
        if text is not None:
            if len(text) > MAX_CONSENSUS_NOTE:
                raise WorkshopError("note_too_long", length=len(text), limit=MAX_CONSENSUS_NOTE)
            check_text(text, MAX_CONSENSUS_NOTE)
        with self.db.write() as conn:
            if level is None:
                conn.execute(S.consensus.delete().where(
                    (S.consensus.c.workshop_id == ws.id) & (S.consensus.c.indicator_id == indicator_id)))
                return
            stmt = self.db.insert(S.consensus).values(
                workshop_id=ws.id, indicator_id=indicator_id, level=int(level), note=text, updated_at=_now())
            conn.execute(stmt.on_conflict_do_update(
                index_elements=["workshop_id", "indicator_id"],
                set_={"level": stmt.excluded.level, "note": stmt.excluded.note, "updated_at": stmt.excluded.updated_at}))

    # -- the presenter link ---------------------------------------------------------------

    def presenter_token(self, code: str, key: str | None) -> str:
        """The read-only token of the presenter link (host only; the same every time it is asked)."""
        ws = self.check_host(code, key)
        assert key  # check_host refuses an empty key
        token = presenter_token_of(ws.code, key)
        with self.db.write() as conn:  # sessions made before migration 0003 get theirs on the first call
            conn.execute(update(S.workshops).where(
                (S.workshops.c.id == ws.id) & S.workshops.c.presenter_hash.is_(None)).values(
                presenter_hash=hash_key(token)))
        return token

    def check_presenter(self, code: str, token: str | None) -> Workshop:
        """The workshop if ``token`` is its presenter token; otherwise a refusal (same for unknown codes)."""
        with self.db.read() as conn:  # one query: the token's hash and the session
            row = conn.execute(select(S.workshops).where(S.workshops.c.code == normalise_code(code))).first()
        stored = row.presenter_hash if row is not None else None
        expected = stored or hash_key(secrets.token_hex(16))
        if not token or not hmac.compare_digest(expected, hash_key(token)) or row is None or stored is None:
            raise WorkshopError("bad_presenter")
        return workshop_of(row)

    def presenter_aggregates(self, code: str, token: str | None) -> dict[str, IndicatorAggregate | None]:
        """The group's picture for the projector, revealed or not; in an anonymous session no
        breakdown (None) of an indicator with fewer than three answers."""
        ws = self.check_presenter(code, token)
        return shown_to_room(ws, self._aggregates(ws))

    def presenter_progress(self, code: str, token: str | None, lang: str = "zh") -> Progress:
        """How far the room is, for the projector: numbered participants, never names."""
        return self._progress(self.check_presenter(code, token), lang, names=False)

    # -- keeping the result ---------------------------------------------------------------

    def keep_result(self, code: str, key: str | None, lang: str = "zh", name: str | None = None) -> AssessmentRecord:
        """Save the group result (consensus, else the mean; the session's criteria only) as an assessment.

        A first call makes it, named ``name`` or else the workshop's title, dated today. A second call
        updates the same assessment (its answers, language and date; its name only when ``name`` is
        given, so a name changed since on the assessment stays) instead of making another.
        """
        ws = self.check_host(code, key)
        loaded = self.store.get_model_snapshot(ws.model_sha256)
        if loaded is None:
            raise WorkshopError("model_missing")
        given = (name or "").strip() or None
        if given is not None and len(given) > MAX_NAME:
            raise WorkshopError("result_name_too_long", length=len(given), limit=MAX_NAME)
        aggs = self._aggregates(ws)
        found = group_answers(aggs)
        answers = {ind_id: found.get(ind_id) for ind_id in aggs}  # None clears what an earlier click kept
        today = dt.date.today().isoformat()
        with self.db.read() as conn:
            kept = conn.scalar(select(S.workshops.c.result_assessment).where(S.workshops.c.id == ws.id))
        record = self.store.get_assessment(kept) if kept else None
        try:
            if record is None:
                org_name = given or ws.title
                if len(org_name) > MAX_NAME:  # a title may be longer than a union's name
                    raise WorkshopError("result_name_too_long", length=len(org_name), limit=MAX_NAME)
                record = self.store.create_assessment(loaded, {"name": org_name}, language=lang, assessed_at=today)
                with self.db.write() as conn:
                    claimed = conn.execute(update(S.workshops).where(
                        (S.workshops.c.id == ws.id)
                        & ((S.workshops.c.result_assessment == kept) if kept else S.workshops.c.result_assessment.is_(None))
                    ).values(result_assessment=record.token)).rowcount
                if not claimed:  # another click won the race: keep its assessment, drop ours
                    self.store.delete_assessment(record.token)
                    return self.keep_result(code, key, lang, name)
            else:
                self.store.update_assessment(
                    record.token, organisation={**record.organisation, "name": given} if given else None,
                    language=lang, assessed_at=today)
            self.store.save_answers(record.token, answers)
        except MaturityError as exc:  # the store's validation: a message for the page, not a traceback
            if isinstance(exc, WorkshopError):
                raise
            raise WorkshopError("result_refused") from exc
        kept_record = self.store.get_assessment(record.token)
        assert kept_record is not None
        return kept_record

    def kept_result(self, code: str, key: str | None) -> str | None:
        """The token of the assessment :meth:`keep_result` saved, if any (host only)."""
        ws = self.check_host(code, key)
        with self.db.read() as conn:
            token: str | None = conn.scalar(select(S.workshops.c.result_assessment).where(S.workshops.c.id == ws.id))
        return token

    # -- the host screen's cache ----------------------------------------------------------

    def stamp(self, code: str, key: str | None) -> Stamp:
        """Changes whenever an answer, a participant, a consensus or the session's state changes (host only).

        One query, the host key checked in it: counts and the latest change of each table.
        """
        w, a, p, c = S.workshops, S.workshop_answers, S.participants, S.consensus
        answers = select(func.count()).where(a.c.workshop_id == w.c.id).scalar_subquery()
        last_answer = select(func.max(a.c.updated_at)).where(a.c.workshop_id == w.c.id).scalar_subquery()
        people = select(func.count()).where(p.c.workshop_id == w.c.id).scalar_subquery()
        agreed = select(func.count()).where(c.c.workshop_id == w.c.id).scalar_subquery()
        last_agreed = select(func.max(c.c.updated_at)).where(c.c.workshop_id == w.c.id).scalar_subquery()
        query = select(w.c.host_key_hash, answers, last_answer, people, agreed, last_agreed,
                       w.c.revealed, w.c.closed_at, w.c.current_criterion).where(w.c.code == normalise_code(code))
        with self.db.read() as conn:
            row = conn.execute(query).first()
        expected = row[0] if row else hash_key(secrets.token_hex(16))
        if not key or not hmac.compare_digest(expected, hash_key(key)) or row is None:
            raise WorkshopError("bad_key")
        return tuple(str(v) if isinstance(v, dt.datetime) else v for v in row[1:])
