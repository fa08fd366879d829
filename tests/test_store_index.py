"""The store's compact post index (format 3), its lazily decoded columns, the append path of
`save_posts`, and the community read without building every Member."""

from __future__ import annotations

import base64
import sys
from array import array
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
from hypothesis import example, given
from hypothesis import strategies as st

from console.storage import read_json, write_json
from console.store import PostIndex, Store
from heuristics.model import Community, Member, Post, parse_time

T0 = parse_time("2026-01-01T00:00:00Z")


def _index() -> PostIndex:
    return PostIndex.build(
        [
            ("p2", "2026-01", "m1", 200, "comment", "p1"),
            ("p1", "2026-01", "m2", 100, "post", None),
            ("odd\nid", "2026-02", "m1", 300, "introduction", None),
            ("p3", "2026-02", "stranger", 300, "comment", "odd\nid"),
        ]
    )


def test_format_three_round_trips_every_column_even_ids_holding_the_separator() -> None:
    index = PostIndex.build(
        [(*row[:6], ("a.jpg", "b\n.png") if row[0] == "p3" else ()) for row in _index().rows()]
    )
    doc = orjson.loads(orjson.dumps(index.as_json()))
    assert doc["format"] == 3
    assert isinstance(doc["id"], list)  # an id with a newline: the column is not joined
    back = PostIndex.from_json(doc)
    assert back == index
    assert back.id == ["p1", "p2", "odd\nid", "p3"]
    assert back.parent == [None, "p1", None, "odd\nid"]
    assert back.ts == [100, 200, 300, 300]
    assert back.images == [(), (), (), ("a.jpg", "b\n.png")]
    plain = PostIndex.build([("a", "2026-01", "m", 1, "post", None), ("b", "2026-01", "m", 2, "post", "a")])
    doc = orjson.loads(orjson.dumps(plain.as_json()))
    assert doc["id"] == "a\nb"
    assert PostIndex.from_json(doc) == plain


def test_columns_are_decoded_when_first_read_and_the_other_byte_order_is_read() -> None:
    doc = orjson.loads(orjson.dumps(_index().as_json()))
    lazy = PostIndex.from_json(doc)
    assert len(lazy) == 4
    assert lazy.parent == [None, "p1", None, "odd\nid"]
    assert set(lazy._cols) == {"parent"}  # the feed's counts decode one column, not six
    # Written on a machine of the other byte order: the arrays are swapped back.
    other = "big" if sys.byteorder == "little" else "little"
    swapped = dict(doc, byteorder=other)
    codes = array("q", base64.b64decode(doc["ts"]))
    codes.byteswap()
    swapped["ts"] = base64.b64encode(codes.tobytes()).decode()
    assert PostIndex.from_json(swapped).ts == [100, 200, 300, 300]


def test_older_index_formats_are_rebuilt_from_the_partitions(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save_posts([Post("p1", "m1", T0, images=("cat.jpg",)), Post("p2", "m1", T0 + timedelta(days=40))])
    expected = store.post_index()
    legacy = {name: getattr(_index(), name) for name in ("id", "month", "author", "ts", "kind", "parent")}
    format_two = {**_index().as_json(), "format": 2}
    for old in (legacy, format_two):  # neither knows the posts' pictures
        write_json(tmp_path / "index" / "posts.json", old)
        rebuilt = Store(tmp_path).post_index()
        assert rebuilt == expected
        assert rebuilt.images == [("cat.jpg",), ()]
        written = read_json(tmp_path / "index" / "posts.json")
        assert written is not None and written["format"] == 3


def test_appending_newer_posts_gives_the_index_a_full_rebuild_gives(tmp_path: Path) -> None:
    posts = [Post(f"p{i}", f"m{i % 3}", T0 + timedelta(days=i)) for i in range(40)]
    store = Store(tmp_path)
    store.save_posts(posts[:30])
    store.save_posts(posts[30:])  # all newer: the append path
    store.save_posts([Post("c1", "m1", T0 + timedelta(days=3), "comment", "hi", (), "p2")])  # older: rebuild
    appended = store.post_index()
    written = read_json(tmp_path / "index" / "posts.json")
    assert written is not None and written["format"] == 3
    (tmp_path / "index" / "posts.json").unlink()
    rebuilt = Store(tmp_path).post_index()
    assert appended == rebuilt
    assert appended.id[:5] == ["p0", "p1", "p2", "c1", "p3"]  # same second: by id
    assert appended.id[-1] == "p39"
    assert store.post("p35") == posts[35]


def test_community_and_names_come_without_building_members(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save_people(Community("c", "Cats"), [Member("m1", T0, "Ann"), Member("m2", T0)])
    fresh = Store(tmp_path)
    assert fresh.community() == Community("c", "Cats")
    assert fresh.member_names() == {"m1": "Ann", "m2": "m2"}
    assert fresh._members_cache is None
    assert fresh.members()["m1"].name == "Ann"
    store.save_people(None, [Member("m3", T0, "Zoé")])
    assert fresh.member_names()["m3"] == "Zoé"  # a write is seen
    assert set(fresh.members()) == {"m1", "m2", "m3"}


def test_image_view_is_built_once_until_the_hashes_change(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save_image_hashes([{"path": "a.jpg", "kind": "k", "hashes": [1]}])
    built: list[int] = []

    def build(records: dict[str, dict[str, object]]) -> set[str]:
        built.append(1)
        return set(records)

    assert store.image_view(build) == {"a.jpg"}
    assert store.image_view(build) == {"a.jpg"} and len(built) == 1
    store.save_image_hashes([{"path": "b.jpg", "kind": "k", "hashes": [2]}])
    assert store.image_view(build) == {"a.jpg", "b.jpg"} and len(built) == 2


def test_each_hash_record_says_which_write_made_it(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save_image_hashes([{"path": "a.jpg", "kind": "k", "hashes": [1]}])
    seen = store.generation()
    assert store.image_paths_since(seen) == frozenset()
    store.save_posts([Post("p1", "m1", T0, text="x")])  # another write between the two
    store.save_image_hashes([{"path": "b.jpg", "kind": "k", "hashes": [2]}])
    store.save_image_hashes([{"path": "a.jpg", "kind": "k", "hashes": [3]}])  # hashed anew
    assert store.image_paths_since(seen) == {"a.jpg", "b.jpg"}
    assert store.image_paths_since(store.generation()) == frozenset()
    assert store.image_paths_since(0) == {"a.jpg", "b.jpg"}


def test_hash_records_of_an_older_tact_vouch_for_nothing(tmp_path: Path) -> None:
    from tinydb import TinyDB

    store = Store(tmp_path)
    store.save_image_hashes([{"path": "a.jpg", "kind": "k", "hashes": [1]}])
    with TinyDB(tmp_path / "images.json") as db:  # as written before records had a generation
        db.table("hashes").insert({"path": "old.jpg", "kind": "k", "hashes": [2]})
    assert store.image_paths_since(0) is None


def _true_sums(store: Store) -> dict[str, int]:
    from heuristics.digests import digest_sum

    return {m: digest_sum(store.posts_in_month(m)) for m in store.months()}


def test_month_sums_follow_every_write_and_drop_a_file_changed_behind_the_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    jan = [Post(f"j{i}", "m1", T0 + timedelta(days=i), text=f"jan {i}") for i in range(3)]
    feb = [
        Post(f"f{i}", "m2", T0 + timedelta(days=40 + i), text=f"feb {i}", images=("a.jpg",)) for i in range(2)
    ]
    store.save_posts([*jan, *feb])
    assert store.month_sums() == _true_sums(store) and set(store.month_sums()) == {"2026-01", "2026-02"}
    # An edit, a post moving month, a post added: each month's sum follows.
    store.save_posts(
        [
            Post("j0", "m1", T0, text="edited"),
            Post("f1", "m2", T0 + timedelta(days=5), text="moved to january"),
            Post("m0", "m3", T0 + timedelta(days=70), text="march"),
        ]
    )
    assert store.month_sums() == _true_sums(store) and len(store.month_sums()) == 3
    # The whole of a month moving away empties it: its sum goes with the file.
    store.save_posts([Post("m0", "m3", T0 + timedelta(days=41), text="march")])
    assert "2026-03" not in store.months() and store.month_sums() == _true_sums(store)
    # A month file rewritten by something else: its sum is no longer vouched for.
    path = store.posts_dir / "2026-02.json"
    doc = read_json(path)
    assert isinstance(doc, dict)
    next(iter(doc["posts"].values()))["text"] = "changed behind the store"
    write_json(path, doc)
    assert "2026-02" not in store.month_sums() and "2026-01" in store.month_sums()
    # The next write to that month sums it again from its file.
    store.save_posts([Post("f9", "m2", T0 + timedelta(days=45), text="late")])
    assert store.month_sums() == _true_sums(store) and "2026-02" in store.month_sums()


def test_a_damaged_month_sums_file_is_read_as_none_and_rebuilt_on_write(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    store.save_posts([Post("a", "m1", T0, text="x"), Post("b", "m1", T0 + timedelta(days=40), text="y")])
    (tmp_path / "data" / "index" / "month_sums.json").write_bytes(b"{not json")
    assert store.month_sums() == {}
    store.save_posts([Post("c", "m1", T0 + timedelta(days=1), text="z")])
    assert store.month_sums() == {"2026-01": _true_sums(store)["2026-01"]}


def test_the_store_keeps_only_the_months_read_last(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import console.store as store_mod

    monkeypatch.setattr(store_mod, "MONTHS_CACHED", 2)
    store = Store(tmp_path / "data")
    store.save_posts([Post(f"p{i}", "m1", T0 + timedelta(days=40 * i), text=f"t{i}") for i in range(3)])
    parsed: list[str] = []
    real = Store._raw_tables

    def spy(self: Store, path: Path) -> dict[str, dict[str, dict[str, Any]]]:
        parsed.append(path.stem)
        return real(self, path)

    monkeypatch.setattr(Store, "_raw_tables", spy)
    for month in ("2026-01", "2026-02", "2026-01", "2026-03", "2026-01", "2026-02"):
        assert store.posts_in_month(month)
    # January, read again, stays; February, the least recently read, goes for March.
    assert parsed == ["2026-01", "2026-02", "2026-03", "2026-02"]


def test_rows_by_id_follow_another_process_appending_or_rewriting_the_index(tmp_path: Path) -> None:
    mine, other = Store(tmp_path), Store(tmp_path)
    first = [Post(f"p{i}", "m1", T0 + timedelta(hours=i), text="x") for i in range(5)]
    mine.save_posts(first)
    assert mine.rows_of(["p0", "p4", "nope"]) == {"p0": 0, "p4": 4}
    other.save_posts([Post("p9", "m2", T0 + timedelta(days=2), text="y")])  # appended
    assert mine.rows_of(["p4", "p9"]) == {"p4": 4, "p9": 5}
    # An older post arrives: rows move, and the map made for the old index no longer serves.
    other.save_posts([Post("a0", "m2", T0 - timedelta(days=1), text="z")])
    assert mine.rows_of(["a0", "p0", "p9"]) == {"a0": 0, "p0": 1, "p9": 6}
    assert mine.rows_of(mine.post_index().id) == {pid: row for row, pid in enumerate(mine.post_index().id)}


def test_a_kept_image_view_is_brought_up_to_date_from_the_records_written_since(tmp_path: Path) -> None:
    from tinydb import TinyDB

    store, other = Store(tmp_path), Store(tmp_path)
    store.save_image_hashes(
        [{"path": "a.jpg", "kind": "k", "hashes": [1]}, {"path": "b.jpg", "kind": "k", "hashes": [2]}]
    )
    updates: list[set[str]] = []

    def build(records: dict[str, dict[str, object]]) -> dict[str, object]:
        return {p: r["hashes"] for p, r in records.items()}

    def update(view: dict[str, object], records: dict[str, dict[str, object]]) -> dict[str, object]:
        updates.append(set(records))
        return {**view, **build(records)}

    assert store.image_view(build, update) == {"a.jpg": [1], "b.jpg": [2]}
    other.save_image_hashes(
        [{"path": "c.jpg", "kind": "k", "hashes": [3]}, {"path": "a.jpg", "kind": "k", "hashes": [9]}]
    )
    assert store.image_view(build, update) == {"a.jpg": [9], "b.jpg": [2], "c.jpg": [3]}
    assert updates == [{"a.jpg", "c.jpg"}]
    # A record gone (not tact's writing): built again from every record.
    with TinyDB(tmp_path / "images.json") as db:
        db.table("hashes").remove(lambda r: r["path"] == "b.jpg")
    assert store.image_view(build, update) == {"a.jpg": [9], "c.jpg": [3]}
    assert len(updates) == 1


_ROW = st.tuples(
    st.sampled_from(["2026-01", "2026-02"]),
    st.sampled_from(["m1", "m2", "m3", "stranger"]),
    st.integers(0, 50),
    st.sampled_from(["post", "comment", "introduction"]),
    st.sampled_from([None, "p0", "p1"]),
    st.sampled_from([(), (), ("a.jpg",), ("b.jpg", "c.jpg")]),
)


_ALL = {"id", "month", "author", "ts", "kind", "parent", "images"}
_OLD_ROWS = [
    ("2026-01", "m1", 1, "post", None, ()),
    ("2026-01", "m2", 2, "post", None, ("a.jpg",)),
    ("2026-01", "m2", 3, "comment", "p0", ("b.jpg", "c.jpg")),
]
_ADDED_ROWS = [("2026-02", "m3", 0, "post", None, ("a.jpg",))]


@given(
    st.lists(_ROW, min_size=1, max_size=12),
    st.lists(_ROW, max_size=6),
    st.sets(st.sampled_from(["id", "month", "author", "ts", "kind", "parent", "images"])),
    st.sampled_from(["append", "insert", "edit", "edit in place", "repicture", "retime", "many authors"]),
)
@example(_OLD_ROWS, _ADDED_ROWS, _ALL, "append")
@example(_OLD_ROWS, _ADDED_ROWS, _ALL, "insert")
@example(_OLD_ROWS, _ADDED_ROWS, _ALL, "edit")
@example(_OLD_ROWS, _ADDED_ROWS, _ALL, "edit in place")
@example(_OLD_ROWS, _ADDED_ROWS, _ALL, "repicture")
@example(_OLD_ROWS, _ADDED_ROWS, _ALL, "retime")
@example(_OLD_ROWS, _ADDED_ROWS, _ALL, "many authors")
def test_an_index_read_again_after_an_append_decodes_only_the_new_rows(
    old_rows: list[tuple[Any, ...]], added: list[tuple[Any, ...]], decoded: set[str], change: str
) -> None:
    """Reading the index another process extended: equal to reading it from nothing, the
    old rows' strings shared with the index read before; any other change (an older post
    inserted, an old row edited, a column's code width grown) is read in full."""
    old = PostIndex.build([(f"p{i:02d}", *row) for i, row in enumerate(old_rows)])
    last = max(r[2] for r in old_rows)
    new_rows = [(f"q{i:02d}", m, a, last + 1 + t, k, p, im) for i, (m, a, t, k, p, im) in enumerate(added)]
    if change == "insert":
        new_rows.append(("r00", "2026-01", "m1", -1, "post", None, ()))
    elif change == "edit":
        first = next(iter(old.rows()))
        new_rows.append((first[0], first[1], "someone else", *first[3:]))
    elif change == "edit in place":  # an existing value elsewhere: only the codes tell
        rows = list(old.rows())
        new_rows.append((*rows[-1][:2], rows[0][2], *rows[-1][3:]))
    elif change == "repicture":
        rows = list(old.rows())
        new_rows.append((*rows[-1][:6], ("d.jpg",)))
    elif change == "retime":  # the first post a second earlier: the same order of ids
        first = next(iter(old.rows()))
        new_rows.append((*first[:3], first[3] - 1, *first[4:]))
    elif change == "many authors":
        new_rows += [(f"s{i:03d}", "2026-02", f"a{i}", last + 60, "post", None, ()) for i in range(130)]
    everything = {r[0]: r for r in [*old.rows(), *new_rows]}
    new = PostIndex.build(everything.values())
    before = PostIndex.from_json(orjson.loads(orjson.dumps(old.as_json())))
    for name in decoded:
        getattr(before, name)
    doc = orjson.loads(orjson.dumps(new.as_json()))
    again = PostIndex.from_json(doc, previous=before)
    assert again == PostIndex.from_json(doc) == new
    if change == "append" and "author" in decoded:
        assert all(a is b for a, b in zip(again.author, before.author, strict=False))


def test_a_console_reads_only_the_rows_another_process_appended(tmp_path: Path) -> None:
    writer, console = Store(tmp_path), Store(tmp_path)
    writer.save_posts([Post(f"p{i}", f"m{i % 2}", T0 + timedelta(hours=i), text="x") for i in range(5)])
    before = console.post_index()
    authors = before.author
    writer.save_posts([Post("p9", "m7", T0 + timedelta(days=2), text="y", images=("a.jpg",))])
    after = console.post_index()
    assert after is not before and after == Store(tmp_path).post_index()
    assert after.author[-1] == "m7" and after.images[-1] == ("a.jpg",)
    assert all(a is b for a, b in zip(after.author, authors, strict=False))  # read once, shared
    # Import after import, each author's name stays one string in memory, as one read gives.
    for day in range(3, 9):
        writer.save_posts([Post(f"q{day}", f"m{day % 2}", T0 + timedelta(days=day), text="z")])
        index = console.post_index()
        assert index == Store(tmp_path).post_index()
    assert len({id(a) for a in index.author}) == len(set(index.author)) == 3


def test_an_appended_post_with_an_empty_id_and_a_damaged_index_read_as_without_the_old_one() -> None:
    old = PostIndex.build([("a", "2026-01", "m1", 1, "post", None)])
    before = PostIndex.from_json(orjson.loads(orjson.dumps(old.as_json())))
    assert before.id == ["a"]
    grown = PostIndex.build([*old.rows(), ("", "2026-01", "m1", 2, "post", None, ())])
    doc = orjson.loads(orjson.dumps(grown.as_json()))
    assert PostIndex.from_json(doc, previous=before).id == ["a", ""] == PostIndex.from_json(doc).id
    damaged = {**doc, "ts": "not base64!"}
    again = PostIndex.from_json(damaged, previous=before)  # no error until the column is read
    assert again.id == ["a", ""]


@given(st.sampled_from(["b", "h", "i", "q"]), st.lists(st.integers(-100, 100)), st.data())
def test_base64_arrays_decode_from_any_item_and_compare_by_prefix(
    typecode: str, values: list[int], draw: st.DataObject
) -> None:
    from console.store import _b64, _b64_starts_with, _unb64

    text = _b64(array(typecode, values))
    start = draw.draw(st.integers(0, len(values)))
    assert _unb64(typecode, text, False, start).tolist() == values[start:]
    cut = draw.draw(st.integers(0, len(values)))
    other = draw.draw(st.lists(st.integers(-100, 100), max_size=3))
    prefix = _b64(array(typecode, values[:cut] + other))
    starts = array(typecode, values).tobytes().startswith(array(typecode, values[:cut] + other).tobytes())
    assert _b64_starts_with(text, prefix) == starts


@given(
    st.lists(st.lists(st.text(max_size=4), max_size=2), min_size=1, max_size=5),
    st.lists(st.lists(st.text(max_size=4), max_size=2), max_size=5),
    st.booleans(),
)
def test_picture_lists_compare_by_prefix_as_bytes(
    old: list[list[str]], new: list[list[str]], grows: bool
) -> None:
    from console.store import _lists_start_with

    longer = old + new if grows else new
    want = longer[: len(old)] == old
    assert _lists_start_with(orjson.dumps(longer), orjson.dumps(old)) == want
