"""The tails of the store's two large files (the post index, the image hashes): a reader that
read the large file before reads only the tail again; every reader gets one consistent
snapshot while another process appends or compacts; a stop at any point loses nothing;
data directories written before tails existed read as they were."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import console.storage as storage
import console.store as store_mod
from console.storage import read_json, write_json
from console.store import PostIndex, Store
from heuristics.model import Post, parse_time

T0 = parse_time("2026-01-01T00:00:00Z")
ROOT = Path(__file__).resolve().parent.parent


def _posts(start: int, count: int, **kw: Any) -> list[Post]:
    at = T0 + timedelta(hours=start)
    return [
        Post(f"p{i:05d}", f"m{i % 7}", at + timedelta(hours=i - start), text=f"t{i}", **kw)
        for i in range(start, start + count)
    ]


def _hashes(start: int, count: int, value: int = 0) -> list[dict[str, Any]]:
    return [{"path": f"/x/{i}.jpg", "kind": "k", "hashes": [i + value]} for i in range(start, start + count)]


def _index_files(root: Path) -> tuple[Path, Path]:
    return root / "index" / "posts.json", root / "index" / "posts.tail.json"


def _view(records: dict[str, dict[str, Any]]) -> dict[str, list[int]]:
    return {path: rec["hashes"] for path, rec in records.items()}


def _update(view: dict[str, list[int]], records: dict[str, dict[str, Any]]) -> dict[str, list[int]]:
    return {**view, **_view(records)}


def test_an_import_of_the_latest_posts_writes_a_tail_and_a_large_one_compacts(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save_posts(_posts(0, 50))
    base, tail = _index_files(tmp_path)
    written = base.stat().st_ino
    assert not tail.exists()
    store.save_posts(_posts(50, 3))
    store.save_posts(_posts(53, 4))
    doc = read_json(tail)
    assert base.stat().st_ino == written  # the index file was not rewritten
    assert doc is not None and doc["base"] == read_json(base)["token"]  # type: ignore[index]
    assert [part["rows"] for part in doc["parts"]] == [3, 4]
    assert Store(tmp_path).post_index() == PostIndex.build(store_mod._index_row(p) for p in _posts(0, 57))
    # Past its bound the tail is folded into a new index file (a new token) and goes.
    store.save_posts(_posts(57, 20_000))
    assert not tail.exists() and base.stat().st_ino != written
    assert Store(tmp_path).post_index().id == [p.id for p in _posts(0, 20_057)]


def test_a_console_that_read_the_index_before_reads_only_the_tail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer, console = Store(tmp_path), Store(tmp_path)
    writer.save_posts(_posts(0, 40))
    before = console.post_index()  # the index file alone, then with one part, then two
    authors, ids = before.author, before.id  # decoded and kept, as the detectors do
    read: list[str] = []
    decoded: list[int] = []
    real_read, real_from_json = store_mod.read_json_identified, PostIndex.from_json

    def spy_read(path: Path) -> tuple[Any, list[int]]:
        read.append(path.name)
        return real_read(path)

    def spy_from_json(doc: dict[str, Any], previous: PostIndex | None = None) -> PostIndex:
        decoded.append(int(doc["rows"]))
        return real_from_json(doc, previous)

    monkeypatch.setattr(store_mod, "read_json_identified", spy_read)
    monkeypatch.setattr(store_mod, "read_tail", _spying_tail(read))
    monkeypatch.setattr(PostIndex, "from_json", staticmethod(spy_from_json))
    for start in (40, 43):
        writer.save_posts(_posts(start, 3))
        read.clear()
        decoded.clear()
        after = console.post_index()
        assert read == ["posts.tail.json"]  # not the index file
        assert decoded == [3]  # only the part this import added
        assert after == Store(tmp_path).post_index() and len(after) == start + 3
        # The rows read before are the very objects of the index read before.
        assert all(a is b for a, b in zip(after.author, authors, strict=False))
        assert all(a is b for a, b in zip(after.id, ids, strict=False))  # not decoded again
        authors, ids = after.author, after.id


def _spying_tail(read: list[str]) -> Any:
    real = store_mod.read_tail

    def spy(path: Path, *args: Any) -> Any:
        read.append(path.name)
        return real(path, *args)

    return spy


def test_a_console_that_read_the_hashes_before_reads_only_the_tail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer, console = Store(tmp_path), Store(tmp_path)
    writer.save_image_hashes(_hashes(0, 200))
    writer.save_image_hashes(_hashes(200, 5))
    assert console.image_view(_view, _update) == _view(Store(tmp_path).image_hashes())
    updates: list[set[str]] = []
    read: list[str] = []

    def update(view: dict[str, list[int]], records: dict[str, dict[str, Any]]) -> dict[str, list[int]]:
        updates.append(set(records))
        return _update(view, records)

    real_read = store_mod.read_json_identified

    def spy_read(path: Path) -> tuple[Any, list[int]]:
        read.append(path.name)
        return real_read(path)

    monkeypatch.setattr(store_mod, "read_json_identified", spy_read)
    monkeypatch.setattr(store_mod, "read_tail", _spying_tail(read))
    seen = console.generation()
    writer.save_image_hashes([*_hashes(205, 2), *_hashes(3, 1, value=100)])  # two new, one again
    read.clear()
    view = console.image_view(_view, update)
    assert read == ["images.tail.json"]  # not images.json
    assert view == _view(Store(tmp_path).image_hashes())
    read.clear()
    assert updates == [{"/x/205.jpg", "/x/206.jpg", "/x/3.jpg"}]  # not the 5 written before
    assert console.image_paths_since(seen) == {"/x/205.jpg", "/x/206.jpg", "/x/3.jpg"}
    assert read == []  # the generations came with the same reading


def test_the_images_stamp_changes_with_a_write_into_the_tail(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save_image_hashes(_hashes(0, 3))
    first = store.images_identity()
    store.save_image_hashes(_hashes(3, 1))
    assert (tmp_path / "images.tail.json").exists()
    assert store.images_identity() != first
    assert store.images_identity() == Store(tmp_path).images_identity()


def test_a_compaction_between_the_base_and_the_tail_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader read the index file; the writer then folds the tail into a new one and
    deletes the tail before the reader reads it: the old file without its tail would lose
    rows. The reader sees the file changed and reads both again."""
    writer, reader = Store(tmp_path), Store(tmp_path)
    writer.save_posts(_posts(0, 30))
    writer.save_posts(_posts(30, 5))
    writer.save_image_hashes(_hashes(0, 30))
    writer.save_image_hashes(_hashes(30, 5))
    real = store_mod.read_tail
    compacted: list[str] = []

    def racing(path: Path, *args: Any) -> Any:
        if not compacted:
            compacted.append(path.name)
            monkeypatch.setattr(storage, "TAIL_MIN_BYTES", 0)
            if path.name == "posts.tail.json":
                writer.save_posts(_posts(35, 5))  # past the bound: compacts
            else:
                writer.save_image_hashes(_hashes(35, 5))
            monkeypatch.setattr(storage, "TAIL_MIN_BYTES", 256 * 1024)
            assert not path.exists()
        return real(path, *args)

    monkeypatch.setattr(store_mod, "read_tail", racing)
    assert reader.post_index().id == [p.id for p in _posts(0, 40)]
    assert compacted == ["posts.tail.json"]
    compacted.clear()
    assert set(reader.image_hashes()) == {f"/x/{i}.jpg" for i in range(40)}
    assert compacted == ["images.tail.json"]


def test_a_stop_after_a_compaction_wrote_the_new_file_leaves_a_stale_tail(tmp_path: Path) -> None:
    """kill -9 between the new large file and the tail's deletion: the old tail, naming the
    old token, stays beside a file that already holds its rows. Readers ignore it; the next
    write starts a tail of its own."""
    store = Store(tmp_path)
    store.save_posts(_posts(0, 20))
    store.save_posts(_posts(20, 3))
    store.save_image_hashes(_hashes(0, 20))
    store.save_image_hashes(_hashes(20, 3))
    base, tail = _index_files(tmp_path)
    stale_index, stale_hashes = tail.read_bytes(), (tmp_path / "images.tail.json").read_bytes()
    # What a compaction writes, then the stop: the tails are still there.
    with store.lock():
        store._write_index(store.post_index())
        store._compact_hashes({})
    tail.write_bytes(stale_index)
    (tmp_path / "images.tail.json").write_bytes(stale_hashes)
    fresh = Store(tmp_path)
    assert fresh.post_index().id == [p.id for p in _posts(0, 23)]  # not 26: the tail is stale
    assert set(fresh.image_hashes()) == {f"/x/{i}.jpg" for i in range(23)}
    store.save_posts(_posts(23, 2))
    store.save_image_hashes(_hashes(23, 2))
    doc = read_json(tail)
    assert doc is not None and [part["rows"] for part in doc["parts"]] == [2]
    assert Store(tmp_path).post_index().id == [p.id for p in _posts(0, 25)]
    assert fresh.post_index().id == [p.id for p in _posts(0, 25)]
    every = {f"/x/{i}.jpg" for i in range(25)}
    assert set(fresh.image_hashes()) == set(Store(tmp_path).image_hashes()) == every
    assert base.exists()


def test_a_stop_in_the_middle_of_a_tail_write_leaves_the_old_tail(tmp_path: Path) -> None:
    """The tail is replaced like every file: a stop leaves a temporary file, never half a
    tail, and the meta generation not bumped yet; both are read as before the write."""
    store = Store(tmp_path)
    store.save_posts(_posts(0, 20))
    store.save_posts(_posts(20, 2))
    _, tail = _index_files(tmp_path)
    (tail.parent / f".{tail.name}.abc.tmp").write_bytes(tail.read_bytes()[:30])
    assert Store(tmp_path).post_index().id == [p.id for p in _posts(0, 22)]
    store.save_posts(_posts(22, 2))
    assert Store(tmp_path).post_index().id == [p.id for p in _posts(0, 24)]


def test_a_damaged_index_tail_is_rebuilt_from_the_partitions(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save_posts(_posts(0, 20))
    store.save_posts(_posts(20, 2))
    _, tail = _index_files(tmp_path)
    tail.write_bytes(b'{"base": "x", "parts": [')
    assert Store(tmp_path).post_index().id == [p.id for p in _posts(0, 22)]
    assert not tail.exists()
    doc = read_json(tail.parent / "posts.json")
    assert doc is not None and doc["rows"] == 22


def test_files_written_before_tails_existed_read_as_they_were_and_get_a_token_on_the_next_write(
    tmp_path: Path,
) -> None:
    from tinydb import TinyDB

    store = Store(tmp_path)
    store.save_posts(_posts(0, 10))
    store.save_image_hashes(_hashes(0, 3))
    base, tail = _index_files(tmp_path)
    # As the previous tact wrote them: no token, no tail.
    doc = read_json(base)
    assert doc is not None
    del doc["token"]
    write_json(base, doc)
    with TinyDB(tmp_path / "images.json") as db:
        db.drop_table("identity")
    old = Store(tmp_path)
    assert old.post_index().id == [p.id for p in _posts(0, 10)]
    assert set(old.image_hashes()) == {f"/x/{i}.jpg" for i in range(3)}
    # The first write folds what it adds into a file with a token; the next ones append.
    old.save_posts(_posts(10, 2))
    old.save_image_hashes(_hashes(3, 1))
    assert not tail.exists() and not (tmp_path / "images.tail.json").exists()
    assert isinstance(read_json(base)["token"], str)  # type: ignore[index]
    old.save_posts(_posts(12, 2))
    old.save_image_hashes(_hashes(4, 1))
    assert tail.exists() and (tmp_path / "images.tail.json").exists()
    assert store.post_index().id == [p.id for p in _posts(0, 14)]
    assert set(store.image_hashes()) == {f"/x/{i}.jpg" for i in range(5)}


_STEP = st.sampled_from(["append", "older", "edit", "hashes", "rehash", "console reads", "compact"])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(_STEP, min_size=1, max_size=12), st.sets(st.sampled_from(["author", "ts", "images", "parent"]))
)
def test_whatever_the_writes_a_console_reads_what_a_fresh_read_gives(
    steps: list[str], decoded: set[str]
) -> None:
    """Appends, older posts and edits (a full rewrite), hashes new and again, compactions, in
    any order: the console keeping its readings equals a store reading from nothing, which
    equals the index rebuilt from the partitions; and an index that shares its lineage with
    one read or written before starts with that one's rows."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        writer, console = Store(root), Store(root)
        writer.save_posts(_posts(100, 5, images=("a.jpg",)))
        writer.save_image_hashes(_hashes(0, 3))
        newest, oldest, hashed = 105, 100, 3
        read: PostIndex | None = None
        wrote: PostIndex | None = None
        for step in steps:
            if step == "append":
                writer.save_posts(_posts(newest, 3))
                newest += 3
            elif step == "older":
                writer.save_posts(_posts(oldest - 2, 2))
                oldest -= 2
            elif step == "edit":
                writer.save_posts([Post("p00101", "m9", T0 + timedelta(hours=101), text="edited")])
            elif step == "hashes":
                writer.save_image_hashes(_hashes(hashed, 2))
                hashed += 2
            elif step == "rehash":
                writer.save_image_hashes(_hashes(0, 1, value=len(steps) + hashed))
            elif step == "compact":
                with writer.lock():
                    writer._write_index(writer.post_index())
                    writer._compact_hashes({})
            index = console.post_index()
            for name in decoded:
                getattr(index, name)
            console.image_view(_view, _update)
            # Indexes of one lineage: the later starts with every row of the earlier.
            for before, after in ((read, index), (wrote, writer.post_index())):
                if before is not None and after.lineage is before.lineage:
                    assert list(after.rows())[: len(before)] == list(before.rows())
            read, wrote = index, writer.post_index()
        fresh = Store(root)
        assert console.post_index() == fresh.post_index()
        assert console.image_view(_view, _update) == _view(fresh.image_hashes())
        assert console.image_paths_since(0) == fresh.image_paths_since(0) == set(fresh.image_hashes())
        rebuilt = PostIndex.build(store_mod._index_row(p) for p in fresh.iter_posts())
        assert fresh.post_index() == rebuilt
        assert console.rows_of(["p00100", f"p{newest - 1:05d}"]) == {
            "p00100": 100 - oldest,
            f"p{newest - 1:05d}": newest - oldest - 1,
        }


_WRITER = """
import sys
from datetime import timedelta
import console.storage as storage
from console.store import Store
from heuristics.model import Post, parse_time
storage.TAIL_MIN_BYTES = 0  # every few writes compacts
T0 = parse_time("2026-01-01T00:00:00Z")
store = Store(sys.argv[1])
for batch in range(int(sys.argv[2])):
    start = 20 + batch * 3
    batch = range(start, start + 3)
    store.save_posts([Post(f"p{i:05d}", "m1", T0 + timedelta(hours=i), text="x") for i in batch])
    store.save_image_hashes([{"path": f"/x/{i}.jpg", "kind": "k", "hashes": [i]} for i in batch])
"""


def test_a_reader_gets_a_whole_snapshot_while_another_process_appends_and_compacts(tmp_path: Path) -> None:
    """Another process writes batch after batch (compacting every few); this process reads
    without a lock the whole time. Every reading is the rows and hashes of a whole number of
    batches, never fewer than the reading before."""
    store = Store(tmp_path)
    store.save_posts(_posts(0, 20))
    store.save_image_hashes(_hashes(0, 20))
    batches = 60
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), str(batches)], env=env)
    console, seen_rows, seen_hashes, readings = Store(tmp_path), 20, 20, 0
    compactions = set()
    try:
        while writer.poll() is None or readings < 3:
            index = console.post_index()
            rows = len(index)
            assert index.id == [f"p{i:05d}" for i in range(rows)]
            assert rows >= seen_rows and (rows - 20) % 3 == 0
            hashes = console.image_view(_view, _update)
            assert set(hashes) == {f"/x/{i}.jpg" for i in range(len(hashes))}
            assert len(hashes) >= seen_hashes
            fresh = Store(tmp_path).image_hashes()
            assert len(fresh) >= len(hashes) and (len(fresh) - 20) % 3 == 0
            seen_rows, seen_hashes, readings = rows, len(hashes), readings + 1
            compactions.add((tmp_path / "images.json").stat().st_ino)
    finally:
        writer.wait(timeout=120)
    assert writer.returncode == 0
    assert len(console.post_index()) == 20 + 3 * batches
    assert len(console.image_view(_view, _update)) == 20 + 3 * batches
    assert console.post_index() == Store(tmp_path).post_index()
    assert readings > 3 and len(compactions) > 1  # it did read while the writer compacted


def test_two_threads_reading_while_a_thread_writes_see_whole_batches(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save_posts(_posts(0, 10))
    console = Store(tmp_path)
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                index = console.post_index()
                assert index.id == [f"p{i:05d}" for i in range(len(index))] and (len(index) - 10) % 2 == 0
        except BaseException as err:  # reported below
            errors.append(err)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for thread in readers:
        thread.start()
    try:
        for batch in range(30):
            store.save_posts(_posts(10 + 2 * batch, 2))
    finally:
        done.set()
        for thread in readers:
            thread.join()
    assert errors == []
    assert console.post_index() == Store(tmp_path).post_index() and len(console.post_index()) == 70


def test_the_tail_token_names_the_file_it_extends(tmp_path: Path) -> None:
    """A tail naming a token no file has (the index file written again by another tool, say)
    is not read: the file is taken as it is."""
    store = Store(tmp_path)
    store.save_posts(_posts(0, 10))
    store.save_posts(_posts(10, 2))
    base, tail = _index_files(tmp_path)
    doc = orjson.loads(tail.read_bytes())
    tail.write_bytes(orjson.dumps({**doc, "base": "someone else's"}))
    assert Store(tmp_path).post_index().id == [p.id for p in _posts(0, 10)]
    assert base.exists()


def test_an_index_read_as_rows_appended_shares_the_lineage_of_the_one_before(tmp_path: Path) -> None:
    """What lets a console's kept figures skip comparing a million rows (`grew_from`)."""
    writer, console = Store(tmp_path), Store(tmp_path)
    writer.save_posts(_posts(100, 5))
    first = console.post_index()
    writer.save_posts(_posts(105, 3))  # into the tail
    second = console.post_index()
    assert second is not first and second.lineage is first.lineage
    writer.save_posts(_posts(108, 3))
    third = console.post_index()
    assert third.lineage is first.lineage and len(third) == 11
    assert writer.post_index().lineage is writer.post_index().lineage
    writer.save_posts(_posts(90, 2))  # older posts: rows inserted, not appended
    assert console.post_index().lineage is not third.lineage
    fourth = console.post_index()
    writer.save_posts([Post("p00101", "m9", T0 + timedelta(hours=101), text="edited")])
    assert console.post_index().lineage is not fourth.lineage


def test_a_joined_index_takes_the_lineage_only_of_the_index_it_extends() -> None:
    def part(start: int) -> PostIndex:
        return PostIndex.build(store_mod._index_row(p) for p in _posts(start, 2))

    head, p1, p2 = part(0), part(2), part(4)
    j1 = PostIndex.joined(head, [p1], head)
    assert j1.lineage is head.lineage  # the head's rows, then p1's
    assert PostIndex.joined(head, [p1, p2], j1).lineage is j1.lineage
    other = PostIndex.joined(head, [p2], j1)  # not j1's rows: p2 in place of p1
    assert other.lineage is not j1.lineage
    assert PostIndex.joined(part(0), [p1], j1).lineage is not j1.lineage  # another head


def _saved_view() -> store_mod.ViewFile[dict[str, list[int]]]:
    def load(raw: bytes) -> dict[str, list[int]] | None:
        found = orjson.loads(raw) if raw.startswith(b"{") else None
        return found if isinstance(found, dict) else None

    return store_mod.ViewFile("view.bin", orjson.dumps, load)


def test_a_fresh_process_starts_from_the_view_saved_and_reads_only_the_tail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that read every record keeps its view (`ViewFile`); the next process, after
    another one wrote hashes, starts from it and reads the tail alone, as a console would."""
    writer = Store(tmp_path)
    writer.save_posts(_posts(0, 3))
    writer.save_image_hashes(_hashes(0, 200))
    writer.save_image_hashes(_hashes(200, 5))
    saved = _saved_view()
    assert Store(tmp_path).image_view(_view, _update, saved) == _view(writer.image_hashes())
    assert (tmp_path / "derived" / "view.bin").exists()
    seen = writer.generation()
    writer.save_image_hashes([*_hashes(205, 2), *_hashes(3, 1, value=100)])  # two new, one again
    read: list[str] = []
    updates: list[set[str]] = []
    real_read = store_mod.read_json_identified

    def spy_read(path: Path) -> tuple[Any, list[int]]:
        read.append(path.name)
        return real_read(path)

    def update(view: dict[str, list[int]], records: dict[str, dict[str, Any]]) -> dict[str, list[int]]:
        updates.append(set(records))
        return _update(view, records)

    monkeypatch.setattr(store_mod, "read_json_identified", spy_read)
    monkeypatch.setattr(store_mod, "read_tail", _spying_tail(read))
    fresh = Store(tmp_path)
    view = fresh.image_view(_view, update, saved)
    assert read == ["images.tail.json"]  # not images.json
    assert updates == [{"/x/205.jpg", "/x/206.jpg", "/x/3.jpg"}]
    assert fresh.image_paths_since(seen) == {"/x/205.jpg", "/x/206.jpg", "/x/3.jpg"}
    monkeypatch.undo()
    assert view == _view(Store(tmp_path).image_hashes())
    # Without the file (or without `saved`) every record is read, to the same view.
    assert Store(tmp_path).image_view(_view, _update) == view


def test_a_damaged_or_outdated_saved_view_is_read_anew(tmp_path: Path) -> None:
    """A damaged file, or one whose hashes file was since compacted into a new one, is not
    trusted: every record is read (the same view as without it) and the file made again."""
    writer = Store(tmp_path)
    writer.save_posts(_posts(0, 3))
    writer.save_image_hashes(_hashes(0, 50))
    saved = _saved_view()
    file = tmp_path / "derived" / "view.bin"
    Store(tmp_path).image_view(_view, _update, saved)
    good = file.read_bytes()
    for damaged in (good[: len(good) // 2], good[:30], b"nonsense", good.replace(b'"gens"', b'"gems"')):
        file.write_bytes(damaged)
        assert Store(tmp_path).image_view(_view, _update, saved) == _view(writer.image_hashes())
        assert file.read_bytes() != damaged  # written again from the records read
    writer.save_image_hashes(_hashes(50, 5000, value=7))  # too big for the tail: compacted
    base = tmp_path / "images.json"
    kept = store_mod._split_view_file(file.read_bytes())
    assert kept is not None and kept[0].base != store_mod.file_identity(base)
    fresh = Store(tmp_path)
    assert fresh.image_view(_view, _update, saved) == _view(writer.image_hashes())
    assert fresh.image_paths_since(0) == set(writer.image_hashes())
    now = store_mod._split_view_file(file.read_bytes())
    assert now is not None and now[0].base == store_mod.file_identity(base)  # made again


def test_a_stop_between_a_hash_write_and_the_generation_bump_only_makes_readers_check_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kill -9` after the hashes are written, before `meta.json`'s generation moves: the records
    carry a generation the store has not reached. A reader that noted the generation before
    still finds them among the pictures hashed since, and so does it after the next write;
    a reader that noted the next write's generation read after every record stamped with it."""
    store = Store(tmp_path)
    store.save_image_hashes(_hashes(0, 3))
    seen = store.generation()

    def stop(self: Store) -> None:
        raise RuntimeError("killed")

    with monkeypatch.context() as patched:
        patched.setattr(Store, "_bump", stop)
        with pytest.raises(RuntimeError):
            store.save_image_hashes(_hashes(3, 1))
    assert Store(tmp_path).generation() == seen
    assert Store(tmp_path).image_paths_since(seen) == {"/x/3.jpg"}
    Store(tmp_path).save_image_hashes(_hashes(4, 1))
    after = Store(tmp_path).generation()
    assert after == seen + 1
    assert Store(tmp_path).image_paths_since(seen) == {"/x/3.jpg", "/x/4.jpg"}
    assert Store(tmp_path).image_paths_since(after) == frozenset()
    assert set(Store(tmp_path).image_hashes()) == {f"/x/{i}.jpg" for i in range(5)}
