"""Shared fixtures: a throw-away data directory with a fixed clock and moderator."""

from __future__ import annotations

import errno
import gc
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from console.config import Settings
from console.context import Tact
from heuristics.model import Community, Member, Post, parse_time

NOW = parse_time("2026-03-15T12:00:00Z")


@pytest.fixture(autouse=True, scope="session")
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The user's cache directory (decoded lemma dictionaries, the demo) is the session's own:
    tests leave nothing in the real one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    """A signal run freezes what is alive (console/gc_pause.py): in a console that is what it
    keeps; across a test session it would be every earlier test's garbage cycles, kept."""
    yield
    if gc.get_freeze_count():
        gc.unfreeze()


@pytest.fixture
def tact(tmp_path: Path) -> Tact:
    """An empty data directory, now = 2026-03-15 12:00 UTC, moderator "alice"."""
    return Tact.open(Settings(tmp_path / "data", "alice"), NOW)


def fill(
    tact: Tact,
    members: Iterable[Member] = (),
    posts: Iterable[Post] = (),
    community: Community | None = None,
) -> Tact:
    """Put a small community straight into the store (no import file needed)."""
    tact.store.save_people(community or Community("test", "Test group", "en", topic=("cat",)), members)
    tact.store.save_posts(posts)
    return tact


def spy_months(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, every month partition the store reads (to prove old months stay unread)."""
    from console.store import Store

    read: list[str] = []
    real = Store.posts_in_month

    def spy(self: Store, month: str) -> list[Post]:
        read.append(month)
        return real(self, month)

    monkeypatch.setattr(Store, "posts_in_month", spy)
    return read


def refuse_opening(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Opening `path`, or a file in it, is refused, as for what another login made private.
    Tests may run as root, whom modes do not stop: the refusal is the system's own, raised
    where the file is opened."""
    real_open = os.open

    def refusing(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(file) == path or path in Path(file).parents:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
