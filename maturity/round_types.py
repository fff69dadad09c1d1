"""The values of an assessment round (测评批次): the round, its units, their progress, reviews and refusals.

A 上级工会 sends one self-check to every unit under it: a :class:`Round` has a model, a title, a
deadline and :class:`Unit` rows, each with its own assessment (the unit's private link is that
assessment's ``?a=`` token). Units name their 上级单位 (``parent``), which may be another unit of the
round or only a name (the group at the top), so a round holds a hierarchy of any depth.
:class:`maturity.rounds.RoundService` works with these; they are importable from there too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode

from .errors import MaturityError
from .i18n import t
from .limits import MAX_MEMBERS, MAX_NAME, MAX_NOTE
from .loader import LoadedModel
from .records import AssessmentRecord
from .scoring import Answer

__all__ = [
    "MAX_CONTACT",
    "MAX_REVIEW_REASON",
    "MAX_ROUND_TITLE",
    "MAX_UNITS",
    "Review",
    "Round",
    "RoundData",
    "RoundError",
    "Status",
    "Unit",
    "UnitProblem",
    "UnitSpec",
    "UnitsInvalid",
    "ancestors",
    "check_units",
    "round_link",
    "subtree",
    "unit_link",
]

MAX_ROUND_TITLE = 200  # rounds.title VARCHAR(200)
MAX_CONTACT = 200  # round_units.contact VARCHAR(200)
MAX_UNITS = 2000  # units in one round (a district federation has hundreds; an Excel sheet of more is a mistake)
MAX_REVIEW_REASON = MAX_NOTE

Status = Literal["not_started", "in_progress", "done"]


class RoundError(MaturityError):
    """A refused round action, with a translatable message (``round_error.<code>``)."""

    def __init__(self, reason: str, /, **params: Any) -> None:
        super().__init__(reason)
        self.code = reason
        self.params = params

    def message(self, lang: str = "en") -> str:
        """The reason in ``lang``."""
        return t(f"round_error.{self.code}", lang, **self.params)

    def describe(self, lang: str) -> list[str]:
        return [self.message(lang)]


@dataclass(frozen=True)
class UnitProblem:
    """One problem of a unit list: where (row number as the user counts, 1 = first unit; column) and what."""

    row: int
    column: str  # name | parent | members | contact | "" (the whole list)
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    cell: str = ""  # where it is instead of the row: an Excel cell ("B7"), or "#3" for the third typed line

    def message(self, lang: str) -> str:
        return t(f"unit_problem.{self.code}", lang, **self.params)


class UnitsInvalid(MaturityError):
    """A unit list refused as a whole, with every problem found (nothing was saved)."""

    def __init__(self, problems: Sequence[UnitProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the unit list")
        self.problems = tuple(problems)

    def describe(self, lang: str) -> list[str]:
        out = []
        for p in self.problems:
            if p.cell.startswith("#"):  # a typed line
                where = t("unit_problem.where_line", lang, line=p.cell[1:])
                col = f" {t(f'unit_column.{p.column}', lang)}" if p.column else ""
            elif p.cell:
                where, col = t("unit_problem.where_cell", lang, cell=p.cell), ""
            else:
                where = t("unit_problem.where_row", lang, row=p.row) if p.row else ""
                col = f" {t(f'unit_column.{p.column}', lang)}" if p.column else ""
            colon = "：" if lang == "zh" else ": "
            prefix = f"{where}{col}{colon}" if where or col else ""
            out.append(f"{prefix}{p.message(lang)}")
        return out


@dataclass(frozen=True)
class UnitSpec:
    """A unit as typed in or read from the Excel sheet, before it is stored."""

    name: str
    parent: str | None = None  # 上级单位: another unit's name, or a name above every unit (the group)
    members: int | None = None
    contact: str | None = None  # who fills it in: a name, a phone number (free text, shown as text)


@dataclass(frozen=True)
class Unit:
    """A unit of a round, with its own assessment (``token`` is its private ``?a=`` link) and its progress."""

    id: int
    round_id: int
    name: str
    parent: str | None
    members: int | None
    contact: str | None
    position: int
    token: str
    answered: int = 0
    total: int = 0
    updated_at: dt.datetime | None = None  # the assessment's last change

    @property
    def status(self) -> Status:
        if self.answered <= 0:
            return "not_started"
        return "done" if self.answered >= self.total else "in_progress"


@dataclass(frozen=True)
class Round:
    """One round: the model it asks, its title and deadline, and the round it follows (for the trend)."""

    id: int
    code: str  # public part of the round link (?r=); the round key (?k=) is the secret
    title: str
    model_sha256: str
    deadline: str | None  # ISO date
    language: str
    created_at: dt.datetime
    follows_id: int | None = None
    closed_at: dt.datetime | None = None


@dataclass(frozen=True)
class Review:
    """上级复评 of one question: the reviewed level and why; the unit's own answer is never changed."""

    indicator_id: str
    level: float
    reason: str
    updated_at: dt.datetime


@dataclass
class RoundData:
    """Everything a portfolio of a round is built from, read in a fixed number of queries."""

    round: Round
    loaded: LoadedModel
    units: list[Unit]
    records: dict[str, AssessmentRecord]  # by unit token
    reviews: dict[str, dict[str, Review]]  # by unit token, then indicator id
    previous: RoundData | None = None  # the round this one follows, if any

    def reviewed_answers(self, token: str) -> dict[str, Answer]:
        """The unit's answers with the reviewed levels put in their place (what 复评 scores)."""
        answers: dict[str, Answer] = dict(self.records[token].answers) if token in self.records else {}
        for ind, review in self.reviews.get(token, {}).items():
            answers[ind] = review.level
        return answers


# ---------------------------------------------------------------- checks and the hierarchy


def _text_problem(value: str, limit: int, row: int, column: str) -> UnitProblem | None:
    if len(value) > limit:
        return UnitProblem(row, column, "too_long", {"length": len(value), "limit": limit})
    if "\x00" in value or any(ord(c) < 32 and c not in "\t" for c in value):
        return UnitProblem(row, column, "control_char")
    return None


def check_units(specs: Sequence[UnitSpec], existing: Iterable[Unit] = ()) -> tuple[list[UnitSpec], list[UnitProblem]]:
    """Clean ``specs`` (trimmed, empty parts as None) and list every problem, adding to ``existing`` units.

    Names must be present and unique in the round; a 上级单位 may be a unit of the round or only a name,
    but never the unit itself nor one of its own subordinates (a cycle); members a whole number.
    """
    before = list(existing)
    problems: list[UnitProblem] = []
    cleaned: list[UnitSpec] = []
    seen: dict[str, int] = {u.name: 0 for u in before}
    if not specs:
        problems.append(UnitProblem(0, "", "no_units"))
    if len(before) + len(specs) > MAX_UNITS:
        problems.append(UnitProblem(0, "", "too_many", {"limit": MAX_UNITS, "n": len(before) + len(specs)}))
    for row, spec in enumerate(specs, start=1):
        name = (spec.name or "").strip()
        parent = (spec.parent or "").strip() or None
        contact = (spec.contact or "").strip() or None
        if not name:
            problems.append(UnitProblem(row, "name", "need_name"))
        elif (p := _text_problem(name, MAX_NAME, row, "name")) is not None:
            problems.append(p)
        elif name in seen:
            first = seen[name]
            problems.append(UnitProblem(row, "name", "duplicate_existing" if first == 0 else "duplicate",
                                        {"name": name, "first": first}))
        else:
            seen[name] = row
        if parent is not None and (p := _text_problem(parent, MAX_NAME, row, "parent")) is not None:
            problems.append(p)
        if parent is not None and parent == name:
            problems.append(UnitProblem(row, "parent", "own_parent", {"name": name}))
        if contact is not None and (p := _text_problem(contact, MAX_CONTACT, row, "contact")) is not None:
            problems.append(p)
        members = spec.members
        if members is not None and (isinstance(members, bool) or not isinstance(members, int)
                                    or not 0 <= members <= MAX_MEMBERS):
            problems.append(UnitProblem(row, "members", "bad_members", {"value": str(members)[:40], "max": MAX_MEMBERS}))
        cleaned.append(UnitSpec(name=name, parent=parent, members=members, contact=contact))
    parent_of = {u.name: u.parent for u in before}
    row_of: dict[str, int] = {}
    for n, s in enumerate(cleaned, start=1):  # a duplicate name keeps its first row's 上级单位
        if s.name and s.name not in parent_of:
            parent_of[s.name], row_of[s.name] = s.parent, n
    in_cycle: set[str] = set()
    for name in parent_of:  # a unit whose chain of 上级单位 comes back to itself
        if name in in_cycle:
            continue
        chain = [name]
        up = parent_of.get(name)
        while up is not None and up in parent_of and up not in chain:
            chain.append(up)
            up = parent_of.get(up)
        if up == name and len(chain) > 1:
            in_cycle.update(chain)
            problems.append(UnitProblem(row_of.get(name, 0), "parent", "cycle", {"chain": " → ".join([*chain, name])}))
    return cleaned, problems


def ancestors(name: str, parent_of: Mapping[str, str | None]) -> list[str]:
    """The 上级单位 of ``name``, nearest first, up to the top (names outside the round end the chain)."""
    out: list[str] = []
    up = parent_of.get(name)
    while up is not None and up not in out and up != name:
        out.append(up)
        up = parent_of.get(up)
    return out


def subtree(units: Sequence[Unit], root: str) -> list[Unit]:
    """The units at or under ``root`` (a unit's name or a 上级单位 name), in round order; any depth."""
    parent_of = {u.name: u.parent for u in units}
    return [u for u in units if u.name == root or root in ancestors(u.name, parent_of)]


# ---------------------------------------------------------------- links (pages/_registry.py has the same paths; a test checks)


def unit_link(site: str, token: str, lang: str = "zh") -> str:
    """A unit's private link: its own assessment on the questionnaire page."""
    return f"{site.rstrip('/')}/questionnaire?{urlencode({'a': token, 'lang': lang})}"


def round_link(site: str, code: str, key: str, lang: str = "zh") -> str:
    """The organiser's private round link (it carries the round key: keep it like a password)."""
    return f"{site.rstrip('/')}/rounds?{urlencode({'r': code, 'k': key, 'lang': lang})}"
