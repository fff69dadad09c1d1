"""佐证材料: files attached to answers as their evidence — what is accepted, and how they are stored.

A file is accepted by what its bytes are, never by its name: PDF, PNG, JPEG, and Word / Excel
(.docx / .xlsx, which are zip packages: checked as zips, bounded in what they expand to, so a zip
bomb named .xlsx is refused before anything reads it). Limits: one file at most
``Limits.file_bytes`` (10 MB), one assessment at most ``Limits.total_bytes`` (200 MB) — both from
the settings (``MATURITY_EVIDENCE_FILE_MB``, ``MATURITY_EVIDENCE_TOTAL_MB``).

The bytes live in the database (table ``evidence``), so every app process sees the same files with no
shared disk. :class:`EvidenceStore` is used by :class:`maturity.store.Store` inside its transactions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, select

from . import schema as S
from .db import now as _now
from .errors import MaturityError
from .limits import MIB

__all__ = [
    "KINDS",
    "MAX_FILENAME",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_UNPACKED",
    "MIME",
    "EvidenceFile",
    "EvidenceRefused",
    "EvidenceStore",
    "Limits",
    "check_file",
    "clean_filename",
    "sniff",
]

KINDS = ("pdf", "png", "jpeg", "docx", "xlsx")
MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_FILENAME = 255  # evidence.filename VARCHAR(255)
# A .docx / .xlsx is a zip: what it may expand to, how many members it may have, how far one may inflate.
MAX_UNPACKED = 100 * MIB
MAX_MEMBERS = 5000
MAX_RATIO = 200


@dataclass(frozen=True)
class Limits:
    """How large one evidence file and all of one assessment's may be, in bytes."""

    file_bytes: int = 10 * MIB
    total_bytes: int = 200 * MIB

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """``MATURITY_EVIDENCE_FILE_MB`` and ``MATURITY_EVIDENCE_TOTAL_MB`` (whole MB), else 10 and 200."""
        env = os.environ if env is None else env

        def mb(name: str, default: int) -> int:
            raw = (env.get(name) or "").strip()
            return int(raw) * MIB if raw.isdigit() and int(raw) > 0 else default

        return cls(mb("MATURITY_EVIDENCE_FILE_MB", cls.file_bytes), mb("MATURITY_EVIDENCE_TOTAL_MB", cls.total_bytes))


class EvidenceRefused(MaturityError, ValueError):
    """A file that is not taken as evidence, with the reason in the user's words (``code`` and its params)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params

    def describe(self, lang: str) -> list[str]:
        from .i18n import t

        return [t(f"evidence.refused.{self.code}", lang, **self.params)]


@dataclass(frozen=True)
class EvidenceFile:
    """One stored evidence file, without its bytes (ask the store for those)."""

    id: int
    indicator_id: str
    filename: str
    kind: str
    size: int
    sha256: str
    created_at: dt.datetime

    @property
    def mime(self) -> str:
        """The content type to serve it with."""
        return MIME[self.kind]


def sniff(data: bytes) -> str | None:
    """What the bytes are (one of :data:`KINDS`), or None; Office packages are told apart by their parts."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def _office_kind(data: bytes) -> str | None:
    """docx / xlsx when the zip is a sound Office package of bounded size; raises for a bomb; None otherwise."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise EvidenceRefused("zip_bomb")
            unpacked = 0
            for info in infos:
                unpacked += info.file_size
                if unpacked > MAX_UNPACKED or (info.compress_size and info.file_size / info.compress_size > MAX_RATIO):
                    raise EvidenceRefused("zip_bomb")
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names:
                return None
            kind = "docx" if "word/document.xml" in names else "xlsx" if "xl/workbook.xml" in names else None
            if kind is not None:
                # The sizes above are what the zip claims: read every member, bounded, to hold it to them.
                for info in infos:
                    with zf.open(info) as member:
                        if len(member.read(info.file_size + 1)) > info.file_size:
                            raise EvidenceRefused("zip_bomb")
            return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError, OSError) as exc:
        if isinstance(exc, EvidenceRefused):
            raise
        return None


def clean_filename(name: str) -> str:
    """A file name to store and show: no path, no control characters, at most 255 characters (its end kept)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C").strip()
    base = base or "file"
    if len(base) > MAX_FILENAME:
        _, dot, ext = base.rpartition(".")
        keep = f"{dot}{ext}" if dot and len(ext) <= 10 else ""
        base = base[: MAX_FILENAME - len(keep)] + keep
    return base


def check_file(filename: str, data: bytes, limits: Limits, used_bytes: int = 0) -> str:
    """The kind of ``data`` if it can be taken as evidence beside ``used_bytes`` already stored; else raises."""
    if not data:
        raise EvidenceRefused("empty", name=clean_filename(filename))
    if len(data) > limits.file_bytes:
        raise EvidenceRefused("too_big", name=clean_filename(filename), size=_mb(len(data)), limit=_mb(limits.file_bytes))
    if used_bytes + len(data) > limits.total_bytes:
        raise EvidenceRefused("total", name=clean_filename(filename), used=_mb(used_bytes), limit=_mb(limits.total_bytes))
    kind = sniff(data)
    if kind is None:
        raise EvidenceRefused("type", name=clean_filename(filename))
    return kind


def _mb(n: int) -> str:
    return f"{n / MIB:.1f}"


class EvidenceStore:
    """The evidence files of assessments, reached by the assessment's edit token (reads also by its view token).

    ``Store.evidence`` is one; every call is its own short transaction. Adding and removing need the edit
    token (the read-only view link is refused by the store, see :class:`maturity.errors.ReadOnlyLink`).
    """

    _META = (S.evidence.c.id, S.evidence.c.indicator_id, S.evidence.c.filename, S.evidence.c.kind,
             S.evidence.c.size, S.evidence.c.sha256, S.evidence.c.created_at)

    def __init__(self, store: Any) -> None:
        self._store = store  # maturity.store.Store: its database, token checks and model snapshots

    def add(self, token: str, indicator_id: str, filename: str, data: bytes, limits: Limits | None = None,
            ) -> EvidenceFile:
        """Attach ``data`` to the answer of ``indicator_id``: checked by content and size, all or nothing."""
        limits = limits or Limits.from_env()
        store = self._store
        with store.db.write() as conn:
            aid, sha = store._touch(conn, token)
            if indicator_id not in store.snapshots.model_of(conn, sha).indicator_by_id:
                raise EvidenceRefused("no_question", id=indicator_id)
            kind = check_file(filename, data, limits, self._used(conn, aid))
            name, digest, now = clean_filename(filename), hashlib.sha256(data).hexdigest(), _now()
            new_id = conn.scalar(S.evidence.insert().values(
                assessment_id=aid, indicator_id=indicator_id, filename=name, kind=kind, size=len(data),
                sha256=digest, data=data, created_at=now,
            ).returning(S.evidence.c.id))
        return EvidenceFile(int(new_id), indicator_id, name, kind, len(data), digest, now)

    def list(self, token: str) -> list[EvidenceFile]:
        """Every file of the assessment (edit or view token), oldest first; no bytes read."""
        with self._store.db.read() as conn:
            aid = self._store._readable_id(conn, token)
            rows = conn.execute(select(*self._META).where(S.evidence.c.assessment_id == aid)
                                .order_by(S.evidence.c.created_at, S.evidence.c.id))
            return [EvidenceFile(int(r.id), r.indicator_id, r.filename, r.kind, int(r.size), r.sha256,
                                 r.created_at) for r in rows]

    def data(self, token: str, evidence_id: int) -> bytes:
        """The bytes of one file of the assessment (edit or view token); KeyError if it is not one of its files."""
        with self._store.db.read() as conn:
            aid = self._store._readable_id(conn, token)
            raw = conn.scalar(select(S.evidence.c.data).where(S.evidence.c.assessment_id == aid,
                                                              S.evidence.c.id == evidence_id))
        if raw is None:
            raise KeyError(evidence_id)
        return bytes(raw)

    def remove(self, token: str, evidence_id: int) -> bool:
        """Delete one file of the assessment (edit token); False if it was not there."""
        with self._store.db.write() as conn:
            aid, _ = self._store._touch(conn, token)
            res = conn.execute(delete(S.evidence).where(S.evidence.c.assessment_id == aid,
                                                        S.evidence.c.id == evidence_id))
            return bool(res.rowcount)

    def used_bytes(self, token: str) -> int:
        """All evidence bytes stored for the assessment."""
        with self._store.db.read() as conn:
            return self._used(conn, self._store._readable_id(conn, token))

    @staticmethod
    def _used(conn: Connection, aid: int) -> int:
        return int(conn.scalar(select(func.coalesce(func.sum(S.evidence.c.size), 0))
                               .where(S.evidence.c.assessment_id == aid)) or 0)
