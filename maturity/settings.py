"""Deployment settings from the environment, and who may list all assessments (DESIGN §7)."""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "MODES",
    "Mode",
    "Settings",
    "can_list",
]

Mode = Literal["local", "shared"]
MODES: tuple[Mode, ...] = ("local", "shared")


@dataclass(frozen=True)
class Settings:
    """How the app is deployed: single-user ``local`` (default) or ``shared``, and with which database."""

    mode: Mode = "local"
    # repr=False: the key must never end up in a log line or a traceback's locals.
    admin_key: str | None = field(default=None, repr=False)
    database_url: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read MATURITY_MODE, MATURITY_ADMIN_KEY and DATABASE_URL; an unknown mode means ``shared``."""
        env = os.environ if env is None else env
        raw = (env.get("MATURITY_MODE") or "local").strip().lower()
        # Fail closed: a typo such as "shraed" must not open the listing to everybody.
        mode: Mode = "local" if raw == "local" else "shared"
        return cls(
            mode=mode,
            admin_key=(env.get("MATURITY_ADMIN_KEY") or "").strip() or None,
            database_url=(env.get("DATABASE_URL") or "").strip() or None,
        )


def can_list(settings: Settings, provided_key: str | None) -> bool:
    """Whether listing every assessment is allowed: always locally, with the admin key when shared."""
    if settings.mode == "local":
        return True
    if not settings.admin_key or not provided_key:
        return False
    return hmac.compare_digest(provided_key.strip().encode("utf-8"), settings.admin_key.encode("utf-8"))
