"""Model snapshots: the exact model text an assessment or a workshop was made with, stored once per sha256.

A snapshot never changes once committed, so :class:`Snapshots` keeps the parsed models it has read
(up to ``MAX_CACHED``) and answers from memory after the first read.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Sequence

from sqlalchemy import Connection, select

from . import schema as S
from .db import Database, now
from .loader import LoadedModel, load_model_text
from .model import MaturityModel

__all__ = ["MAX_CACHED", "Snapshots"]

MAX_CACHED = 64
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _is_sha256(value: object) -> bool:
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


class Snapshots:
    """The ``model_snapshots`` table of one database, with a cache of the parsed models."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._models: dict[str, LoadedModel] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget the parsed models (the next read parses the stored text again)."""
        with self._lock:
            self._models.clear()

    def save(self, conn: Connection, loaded: LoadedModel) -> str:
        """Store the exact model text in ``conn``'s transaction (once per sha256) and return its sha256."""
        digest = hashlib.sha256(loaded.source.encode("utf-8")).hexdigest()
        if digest != loaded.sha256:
            raise ValueError("LoadedModel.sha256 does not match its source text")
        stmt = self.db.insert(S.model_snapshots).values(
            sha256=digest, model_id=loaded.model.id, version=loaded.model.version,
            source=loaded.source, created_at=now(),
        )
        conn.execute(stmt.on_conflict_do_nothing(index_elements=["sha256"]))
        return digest

    def get(self, sha256: str) -> LoadedModel | None:
        """The model behind ``sha256``, re-parsed from its stored text; None if unknown or malformed."""
        if not _is_sha256(sha256):
            return None
        with self._lock:  # from memory without a connection: a PostgreSQL checkout costs a pre-ping round trip
            if sha256 in self._models:
                return self._models[sha256]
        with self.db.read() as conn:
            return self.read(conn, sha256)

    def read(self, conn: Connection, sha256: str) -> LoadedModel | None:
        """:meth:`get` inside an open transaction."""
        with self._lock:
            if sha256 in self._models:
                return self._models[sha256]
        source = conn.scalar(select(S.model_snapshots.c.source).where(S.model_snapshots.c.sha256 == sha256))
        if source is None:
            return None
        return self._remember(sha256, load_model_text(source, f"snapshot:{sha256[:12]}"))

    def get_many(self, shas: Sequence[str]) -> dict[str, LoadedModel]:
        """The models behind ``shas`` (unknown ones left out): cached ones without a query, the others in one."""
        wanted = {s for s in shas if _is_sha256(s)}
        with self._lock:
            found = {s: self._models[s] for s in wanted if s in self._models}
        missing = sorted(wanted - set(found))
        if missing:
            with self.db.read() as conn:
                rows = conn.execute(select(S.model_snapshots.c.sha256, S.model_snapshots.c.source)
                                    .where(S.model_snapshots.c.sha256.in_(missing))).all()
            for r in rows:
                found[r.sha256] = self._remember(r.sha256, load_model_text(r.source, f"snapshot:{r.sha256[:12]}"))
        return found

    def model_of(self, conn: Connection, sha256: str) -> MaturityModel:
        """The model of a stored row's ``model_sha256`` (always there: a foreign key points at it)."""
        loaded = self.read(conn, sha256)
        if loaded is None:  # the foreign key makes this impossible short of manual edits
            raise LookupError(f"model snapshot {sha256} is missing")
        return loaded.model

    def _remember(self, sha256: str, loaded: LoadedModel) -> LoadedModel:
        with self._lock:  # a snapshot never changes once committed, so caching it is always right
            if len(self._models) >= MAX_CACHED:
                self._models.clear()
            return self._models.setdefault(sha256, loaded)
