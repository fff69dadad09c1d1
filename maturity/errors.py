"""Every exception of the core, and failures a user can quote (an error id on the page, details in the log).

Map of the hierarchy (every class is importable from here; the ones defined beside the value
types they describe are re-exported)::

    MaturityError                 base: a refusal with its own message; a page shows it translated
    ├── ModelLoadError            a model file that cannot be loaded      (maturity.loader; .errors: [ModelError])
    ├── AssessmentInvalid         an assessment / part of one refused     (maturity.assessment; .errors: [AssessmentError])
    ├── WorkshopError             a workshop action refused, by reason    (maturity.workshop; .reason, .message(lang))
    ├── UnknownAssessment         no assessment behind this token         (also a KeyError, as before)
    └── SchemaTooNew              the database was made by a newer version of this app (also a RuntimeError)

Value types (not exceptions): ``ModelError`` and ``AssessmentError`` are one problem each, with
a place and a code; the exceptions above carry lists of them.

``STORAGE_ERRORS`` are the exceptions a database that cannot be read or written raises
(SQLAlchemy's, the drivers' own and the operating system's); our own refusals
(the :class:`MaturityError` family) are not among them: they carry their own messages.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
import traceback
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:  # re-exported below, loaded on first use
    from .assessment import AssessmentInvalid
    from .loader import ModelLoadError
    from .workshop import WorkshopError

__all__ = [
    "STORAGE_ERRORS",
    "AssessmentInvalid",
    "MaturityError",
    "ModelLoadError",
    "ReadOnlyLink",
    "SchemaTooNew",
    "UnknownAssessment",
    "WorkshopError",
    "log_failure",
    "new_error_id",
]

STORAGE_ERRORS: tuple[type[BaseException], ...] = (SQLAlchemyError, sqlite3.Error, OSError)



class MaturityError(Exception):
    """Base of every refusal of the core: a problem the user can act on, with its own message."""

    def describe(self, lang: str) -> list[str]:
        """The refusal as a user reads it, one line per problem (subclasses translate)."""
        return [str(self)]


class UnknownAssessment(MaturityError, KeyError):
    """No assessment behind this token (a KeyError too, as the store raised before)."""

    def __init__(self, token: object) -> None:
        super().__init__(token)
        self.token = token

    def __str__(self) -> str:
        return f"no assessment for this token: {self.token!r}"


class ReadOnlyLink(MaturityError):
    """A write attempted with an assessment's read-only view link: refused by the store, whatever the page did.

    Not an OSError (a PermissionError is one): storage failures are caught as OSError, and this is none.
    """

    def describe(self, lang: str) -> list[str]:
        from .i18n import t

        return [t("evidence.read_only", lang)]


class SchemaTooNew(MaturityError, RuntimeError):
    """The database was created or upgraded by a newer version of this app."""

    def describe(self, lang: str) -> list[str]:
        from .i18n import t

        return [t("failure.schema_too_new", lang)]


# Defined beside their value types; importable from here as well (loaded on first use: no import cycle).
_ELSEWHERE = {"AssessmentInvalid": "maturity.assessment", "ModelLoadError": "maturity.loader",
              "WorkshopError": "maturity.workshop"}


def __getattr__(name: str) -> type[MaturityError]:
    if name in _ELSEWHERE:
        import importlib

        found: type[MaturityError] = getattr(importlib.import_module(_ELSEWHERE[name]), name)
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
