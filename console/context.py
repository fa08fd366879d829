"""What every screen and command works with: one data directory, seen through one object."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from console.audit import AuditLog
from console.config import Settings
from console.store import Store


@dataclass
class Tact:
    """The data directory's store and audit log, and who is acting on them."""

    settings: Settings
    store: Store
    audit: AuditLog
    fixed_now: datetime | None = None
    """Set by `--now` and by tests so 'now' is reproducible; None means the clock."""

    @classmethod
    def open(cls, settings: Settings, now: datetime | None = None) -> Tact:
        return cls(settings, Store(settings.data), AuditLog(settings.data), now)

    @property
    def moderator(self) -> str:
        return self.settings.moderator

    def now(self) -> datetime:
        return self.fixed_now or datetime.now(UTC)
