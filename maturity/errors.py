"""Failures a user can quote: a short error id on the page, the details under that id in the server log.

``STORAGE_ERRORS`` are the exceptions a database that cannot be read or written raises
(SQLAlchemy's, the drivers' own and the operating system's); our own refusals
(``AssessmentInvalid``, ``WorkshopError``) are not among them: they carry their own messages.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
import traceback
from collections.abc import Iterable

from sqlalchemy.exc import SQLAlchemyError

__all__ = ["STORAGE_ERRORS", "log_failure", "new_error_id"]

STORAGE_ERRORS: tuple[type[BaseException], ...] = (SQLAlchemyError, sqlite3.Error, OSError)

# No 0/O, 1/I/L: the id is read out over the phone or copied by hand from a projector.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_error_id() -> str:
    """A short random id such as ``E-7K3Q9`` (31**5, about 29 million, is plenty to find one log entry)."""
    return "E-" + "".join(secrets.choice(_ALPHABET) for _ in range(5))


def log_failure(logger: logging.Logger, error_id: str, what: str, exc: BaseException,
                hide: Iterable[str | None] = ()) -> None:
    """Log ``exc`` with its traceback under ``error_id``; every string of ``hide`` (e.g. a password) masked."""
    summary = traceback.format_exception_only(exc)[-1].strip()
    trace = "".join(traceback.format_exception(exc)).rstrip()
    for secret in hide:
        if secret:
            summary, trace = summary.replace(secret, "***"), trace.replace(secret, "***")
    logger.error("%s (%s) %s\n%s", error_id, what, summary, trace)
