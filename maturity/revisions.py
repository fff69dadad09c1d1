"""Saving from a page that may be stale: what a tab was shown (its baseline), what it sends, what is stored.

A tab remembers, per question, the :class:`Entry` it showed (answer and note). On save,
:func:`merge` compares that baseline with the tab's values and with the database, field by
field: a field the tab did not change is left alone; a field changed only by the tab is
written; a field changed both here and elsewhere, to different values, makes the question a
:class:`Conflict`, and nothing of that question is written until the user chooses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .scoring import NA, Answer


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
    merged: dict[str, object] = {}
    for name in ("answer", "note"):
        b, m, t = getattr(base, name), getattr(mine, name), getattr(theirs, name)
        if m == b:
            merged[name] = t  # not changed in this tab: whatever is stored stays
        elif t in (b, m):
            merged[name] = m
        else:
            return None, True
    out = Entry(merged["answer"], str(merged["note"]))  # type: ignore[arg-type]
    return (None if out == theirs else out), False
