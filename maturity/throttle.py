"""A limit on failed join-code lookups, per browser session and per client address.

A join code is 6 characters of a 31-letter alphabet; without a limit a script tries ~4 codes a
second and process. Each failed lookup is a row of ``lookup_failures`` (in the database, so every
thread and every process behind the load balancer counts the same failures); a caller with
``limit`` failures inside the sliding ``window`` is refused every lookup, right or wrong, until the
oldest of them leaves the window. Only hashes of the session and the address are stored.

Lookups running at the very same instant all pass the check before any of them is recorded, so a
burst can overshoot a limit by the number of simultaneous lookups; the rate stays bounded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select

from . import schema as S
from .db import Database, now

if TYPE_CHECKING:
    from .store import Store

__all__ = [
    "PER_ADDRESS",
    "PER_SESSION",
    "WINDOW",
    "Client",
    "LookupLimit",
]

PER_SESSION = 6  # a person mistyping a code a few times
PER_ADDRESS = 30  # a room behind one NAT address, each mistyping now and then
WINDOW = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Client:
    """Who looks a code up: a browser session id and a network address, either possibly unknown."""

    session: str | None = None
    address: str | None = None


def _scope(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


class LookupLimit:
    """Counts failed lookups in the database and says when a client has had too many."""

    def __init__(
        self,
        db: Database | Store,
        *,
        per_session: int = PER_SESSION,
        per_address: int = PER_ADDRESS,
        window: dt.timedelta = WINDOW,
        clock: Callable[[], dt.datetime] = now,
    ) -> None:
        self.db: Database = db if isinstance(db, Database) else db.db
        self.window = window
        self.clock = clock
        self._limits = {"session": per_session, "address": per_address}

    def _scopes(self, client: Client) -> dict[str, int]:
        # An unknown address (local use, or a proxy that does not forward it) is one shared address.
        scopes = {_scope("address", client.address or "unknown"): self._limits["address"]}
        if client.session:
            scopes[_scope("session", client.session)] = self._limits["session"]
        return scopes

    def retry_after(self, client: Client) -> dt.timedelta | None:
        """How long ``client`` must wait before the next lookup, or None when it may look up now."""
        now = self.clock()
        scopes = self._scopes(client)
        q = (select(S.lookup_failures.c.scope, S.lookup_failures.c.at)
             .where(S.lookup_failures.c.scope.in_(list(scopes)), S.lookup_failures.c.at > now - self.window)
             .order_by(S.lookup_failures.c.at))
        with self.db.read() as conn:
            rows = conn.execute(q).all()
        wait: dt.timedelta | None = None
        for scope, limit in scopes.items():
            times = [r.at for r in rows if r.scope == scope]
            if len(times) >= limit:
                # free again once enough of the oldest failures have left the window
                until = times[len(times) - limit] + self.window - now
                wait = until if wait is None else max(wait, until)
        return wait

    def record_failure(self, client: Client) -> None:
        """Count one failed lookup for ``client`` (and forget failures older than the window)."""
        now = self.clock()
        with self.db.write() as conn:
            conn.execute(delete(S.lookup_failures).where(S.lookup_failures.c.at <= now - self.window))
            conn.execute(insert(S.lookup_failures), [{"scope": s, "at": now} for s in self._scopes(client)])
