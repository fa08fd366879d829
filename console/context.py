"""What every screen and command works with: one data directory, seen through one object."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from console.audit import AuditLog
from console.config import Settings, lemma_cache_dir
from console.store import Store

if TYPE_CHECKING:
    from heuristics.textfeatures import Lemmatiser


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

    @cached_property
    def lemmatiser(self) -> Lemmatiser:
        """The signal runs' lemmatiser, kept with what it learnt for this object's life (a
        console's), its dictionaries read from the user's cache. Made on first use: the
        console's launch does not import the lemmatiser."""
        from console.lemma_dictionaries import CachedDictionaries
        from heuristics.textfeatures import Lemmatiser

        return Lemmatiser(CachedDictionaries(lemma_cache_dir()))
