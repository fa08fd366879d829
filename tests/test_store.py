from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from console.storage import atomic_write_bytes
from console.store import Store
from heuristics.model import Community, Member, Post, parse_time


def _post(pid: str, when: str, **kw: object) -> Post:
    return Post(pid, kw.pop("author", "m1"), parse_time(when), **kw)  # type: ignore[arg-type]


def test_posts_are_partitioned_by_month_and_found_by_id(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save_people(Community("c"), [Member("m1", parse_time("2025-01-01"))])
    store.save_posts(
        [
            _post("p1", "2025-01-31T23:59:59Z"),
            _post("p2", "2025-02-01T00:00:00+01:00"),
            _post("c1", "2025-03-05", kind="comment", parent="p1"),
        ]
    )
    assert store.months() == ["2025-01", "2025-03"]  # p2 is 23:00 UTC on Jan 31
    assert store.post("c1") is not None and store.post("c1").parent == "p1"  # type: ignore[union-attr]
    assert [p.id for p in store.children("p1")] == ["c1"]
    assert [p.id for p in store.posts_by("m1")] == ["p2", "p1", "c1"]


def test_upsert_moves_a_post_whose_month_changed_and_never_duplicates(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save_posts([_post("p1", "2025-01-10", text="a")])
    store.save_posts([_post("p1", "2025-04-10", text="b")])
    store.save_posts([_post("p1", "2025-04-10", text="b")])
    assert store.months() == ["2025-04"]
    assert [p.text for p in store.all_posts()] == ["b"]
    assert store.post_count() == 1


def test_index_is_rebuilt_when_missing(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save_posts([_post("p1", "2025-01-10"), _post("p2", "2025-02-10")])
    (tmp_path / "index" / "posts.json").unlink()
    fresh = Store(tmp_path)
    assert fresh.post_index().id == ["p1", "p2"]
    assert fresh.post("p2") is not None


def test_a_second_store_sees_the_first_ones_writes(tmp_path: Path) -> None:
    a, b = Store(tmp_path), Store(tmp_path)
    a.save_posts([_post("p1", "2025-01-10")])
    assert b.post_count() == 1
    a.save_posts([_post("p2", "2025-01-11")])
    assert b.post_count() == 2 and b.generation() == a.generation()


def test_atomic_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    atomic_write_bytes(target, b"{}")
    atomic_write_bytes(target, b'{"a":1}')
    assert target.read_bytes() == b'{"a":1}'
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


@pytest.mark.parametrize(("durable", "syncs"), [(True, 2), (False, 0)])
def test_an_atomic_write_waits_for_the_disk_only_when_durable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, durable: bool, syncs: int
) -> None:
    """The file and its folder are fsynced for data; a cache is only renamed into place."""
    synced: list[int] = []
    real = os.fsync

    def spy(fd: int) -> None:
        synced.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    target = tmp_path / "x.json"
    atomic_write_bytes(target, b"{}", durable=durable)
    atomic_write_bytes(target, b'{"a":1}', durable=durable)
    assert target.read_bytes() == b'{"a":1}'
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]
    assert len(synced) == 2 * syncs


@pytest.fixture
def umask() -> Iterator[Callable[[int], int]]:
    """Sets the process's umask for the test (restored after)."""
    old = os.umask(0o022)
    os.umask(old)
    yield os.umask
    os.umask(old)


@pytest.mark.parametrize(("mask", "mode"), [(0o002, 0o664), (0o022, 0o644), (0o077, 0o600)])
def test_a_written_file_has_the_mode_of_any_new_file(
    tmp_path: Path, umask: Callable[[int], int], mask: int, mode: int
) -> None:
    """0666 less the umask, as the shell or an editor would make it (not mkstemp's 0600)."""
    umask(mask)
    target = tmp_path / "x.json"
    atomic_write_bytes(target, b"{}")
    assert stat.S_IMODE(target.stat().st_mode) == mode
    atomic_write_bytes(target, b"{}", durable=False)  # replaced: the new file's mode again
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_a_data_directory_shared_by_a_group_stays_open_to_the_group(
    tmp_path: Path, umask: Callable[[int], int]
) -> None:
    """Moderators log in as themselves: a directory shared through its group (umask 002) must
    leave every file the store, the signals and the audit log write readable and writable
    by the group, or the next moderator's `tact` stops at "Permission denied"."""
    from console.config import Settings
    from console.context import Tact
    from console.signals_service import compute_signals
    from tests.conftest import NOW, fill

    umask(0o002)
    tact = Tact.open(Settings(tmp_path / "data", "ann"), NOW)
    members = [Member(f"m{i}", parse_time("2025-06-01")) for i in range(3)]
    posts = [_post(f"p{i}", f"2026-0{1 + i % 3}-1{i % 9}") for i in range(9)]
    fill(tact, members, posts)
    tact.store.save_image_hashes([{"path": "/x/cat.jpg", "kind": "phash64", "hashes": [7]}])
    signals = compute_signals(tact)
    tact.audit.record("note", "ann", signal=signals[0].id, note="seen")
    files = [p for p in (tmp_path / "data").rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"meta.json", "community.json", "signals.json", "audit.jsonl"}
    closed = [f"{p.relative_to(tmp_path)} {stat.filemode(p.stat().st_mode)}" for p in files]
    assert [c for c in closed if c.split()[-1][4:6] != "rw"] == []


def test_the_store_lock_is_made_once_for_every_thread(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    store = Store(tmp_path)
    with ThreadPoolExecutor(8) as pool:
        locks = list(pool.map(lambda _: store.lock(), range(32)))
    assert all(lock is locks[0] for lock in locks)
    with store.lock(), store.lock():  # reentrant within the process
        assert locks[0].is_locked
    assert not locks[0].is_locked


def test_a_month_read_again_after_an_import_builds_only_its_new_posts(tmp_path: Path) -> None:
    """A console re-reading the month an import added to gets the posts it had for the
    documents that did not change (the same objects), new ones for the rest, and exactly
    what a store reading from nothing gets."""
    writer, console = Store(tmp_path), Store(tmp_path)
    writer.save_posts([_post(f"p{i}", f"2026-03-0{i}T10:00:00Z", text=f"t{i}") for i in range(1, 6)])
    before = {p.id: p for p in console.posts_in_month("2026-03")}
    edited = _post("p2", "2026-03-02T10:00:00Z", text="edited")
    writer.save_posts([_post("p9", "2026-03-09T10:00:00Z"), edited])
    again = console.posts_in_month("2026-03")
    assert again == Store(tmp_path).posts_in_month("2026-03")
    assert [p.id for p in again] == ["p1", "p2", "p3", "p4", "p5", "p9"]
    same = [p.id for p in again if before.get(p.id) is p]
    assert same == ["p1", "p3", "p4", "p5"]  # p2 was edited, p9 is new
    assert next(p for p in again if p.id == "p2").text == "edited"
    # The last document edited: TinyDB may give the new one the old one's key.
    writer.save_posts([_post("p2", "2026-03-02T10:00:00Z", text="edited too")])
    last = console.posts_in_month("2026-03")
    assert last == Store(tmp_path).posts_in_month("2026-03")
    assert last[1].text == "edited too"
