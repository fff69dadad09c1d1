"""The values of a live workshop: the session, a participant, progress, join codes and refusals.

:class:`maturity.workshop.WorkshopService` works with these; they are importable from
:mod:`maturity.workshop` too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Row

from .aggregate import IndicatorAggregate
from .errors import MaturityError
from .i18n import t
from .model import MaturityModel

__all__ = [
    "ANONYMITY_MIN",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "Participant",
    "Progress",
    "Workshop",
    "WorkshopError",
    "check_text",
    "hash_key",
    "level_of",
    "new_code",
    "normalise_code",
    "session_criteria",
    "shown_to_room",
    "workshop_of",
]

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed on phones
CODE_LENGTH = 6
ANONYMITY_MIN = 3  # fewer answers than this: no breakdown in an anonymous session


def shown_to_room(ws: Workshop, aggs: Mapping[str, IndicatorAggregate]) -> dict[str, IndicatorAggregate | None]:
    """What the room (participants after reveal, the projector) may see: everything in a named session;
    in an anonymous one no breakdown (None) of an indicator with fewer than ANONYMITY_MIN answers."""
    if ws.named:
        return dict(aggs)
    return {k: (v if v.n + v.n_na >= ANONYMITY_MIN else None) for k, v in aggs.items()}


def check_text(text: str, limit: int) -> None:
    """Refuse, never cut, what either database would refuse: longer than its column, or holding NUL."""
    if len(text) > limit:
        raise WorkshopError("text_too_long", length=len(text), limit=limit)
    if "\x00" in text:
        raise WorkshopError("text_nul")


class WorkshopError(MaturityError):
    """A refused workshop action, with a translatable message."""

    def __init__(self, reason: str, /, **params: Any) -> None:
        super().__init__(reason)
        self.code = reason
        self.params = params

    def message(self, lang: str = "en") -> str:
        """The reason in ``lang``."""
        return t(f"workshop_error.{self.code}", lang, **self.params)

    def describe(self, lang: str) -> list[str]:
        """The reason in ``lang``, as one line (the :class:`MaturityError` interface)."""
        return [self.message(lang)]


@dataclass(frozen=True)
class Workshop:
    """One live session."""

    id: int
    code: str
    title: str
    model_sha256: str
    criteria: tuple[str, ...]
    named: bool
    pace: Literal["free", "guided"]
    current_criterion: str | None
    revealed: bool
    language: str
    created_at: dt.datetime
    closed_at: dt.datetime | None

    @property
    def is_open(self) -> bool:
        """True until the host closes the session."""
        return self.closed_at is None


@dataclass(frozen=True)
class Participant:
    """One person in a workshop, reached by a bearer token (``?p=`` in the link)."""

    id: int
    workshop_id: int
    token: str
    name: str | None


@dataclass(frozen=True)
class Progress:
    """How far each participant is, for the host screen."""

    participants: list[tuple[str, int]] = field(default_factory=list)  # (display name, answered)
    total: int = 0


def normalise_code(code: str) -> str:
    """A typed code as stored: upper case, without spaces or dashes."""
    return re.sub(r"[\s-]", "", code or "").upper()


def new_code() -> str:
    """A random join code from the unambiguous alphabet."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def hash_key(key: str) -> str:
    """The sha256 hex of a host key (the key itself is never stored)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def session_criteria(model: MaturityModel, ws: Workshop) -> list[str]:
    """The criteria of the session, in model order (all when no subset was chosen)."""
    chosen = set(ws.criteria)
    return [c.id for c in model.criteria if not chosen or c.id in chosen]



def level_of(value: float | None) -> float | int | None:
    """A stored level as given: whole levels as ``int``."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def workshop_of(row: Row[Any]) -> Workshop:
    """A ``workshops`` row as a :class:`Workshop`."""
    return Workshop(
        id=row.id, code=row.code, title=row.title, model_sha256=row.model_sha256,
        criteria=tuple(json.loads(row.criteria)), named=bool(row.named), pace=row.pace,
        current_criterion=row.current_criterion, revealed=bool(row.revealed), language=row.language,
        created_at=row.created_at, closed_at=row.closed_at,
    )
