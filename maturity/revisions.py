"""Saving from a page that may be stale: what a tab was shown (its baseline), what it sends, what is stored.

A tab remembers, per question, the :class:`Entry` it showed (answer and note). On save,
:func:`merge` compares that baseline with the tab's values and with the database, field by
field: a field the tab did not change is left alone; a field changed only by the tab is
written; a field changed both here and elsewhere, to different values, makes the question a
:class:`Conflict`, and nothing of that question is written until the user chooses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from .scoring import NA, Answer

__all__ = [
    "Conflict",
    "Entry",
    "SaveResult",
    "merge",
]

_T = TypeVar("_T")


@dataclass(frozen=True)
class Entry:
    """What one question holds: an answer (a level, N/A or None for none) and a note ("" for none)."""

    answer: Answer | None = None
    note: str = ""

    def normal(self) -> Entry:
        """The same entry as the database would give it back (no NUL, a blank note is no note, 3.0 is 3)."""
        note = self.note.replace("\x00", "")
        answer = self.answer
        if answer is not None and answer != NA and float(answer).is_integer():
            answer = int(answer)
        return Entry(answer, note if note.strip() else "")


@dataclass(frozen=True)
class Conflict:
    """A question changed both in this tab and elsewhere since the tab showed it; not written."""

    indicator_id: str
    base: Entry  # what the tab was shown
    mine: Entry  # what the tab sent
    theirs: Entry  # what the database holds now


@dataclass(frozen=True)
class SaveResult:
    """The outcome of one save: what was written, what conflicted, and the stored state after it."""

    written: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    current: dict[str, Entry] = field(default_factory=dict)  # every question of the save, as stored now
    revision: str = ""  # the assessment's revision after the save


def merge(base: Entry, mine: Entry, theirs: Entry) -> tuple[Entry | None, bool]:
    """``(entry to store or None when nothing changes, conflict?)`` for one question."""
    base, mine, theirs = base.normal(), mine.normal(), theirs.normal()
    answer, answer_clash = _field(base.answer, mine.answer, theirs.answer)
    note, note_clash = _field(base.note, mine.note, theirs.note)
    if answer_clash or note_clash:
        return None, True
    out = Entry(answer, note)
    return (None if out == theirs else out), False


def _field(base: _T, mine: _T, theirs: _T) -> tuple[_T, bool]:
    """One field's merged value: the stored one unless this tab changed it; a clash if both changed it apart."""
    if mine == base:
        return theirs, False
    return mine, theirs not in (base, mine)
