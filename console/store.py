"""The community store: TinyDB files under the data directory, partitioned for size.

Layout (a five-year-old group holds about a million posts, so nothing reads all of it to
open the console):

    DATA/meta.json            format version and a generation counter bumped on each write
    DATA/community.json       TinyDB: tables `community` and `members`
    DATA/posts/YYYY-MM.json   TinyDB: table `posts`, one file per month of `created_at`
    DATA/images.json          TinyDB: table `hashes`, perceptual hashes computed once per image
    DATA/index/posts.json     derived: a columnar index of every post without its text
    DATA/index/month_sums.json  derived: per month, the engine's fingerprint sum of its posts
    DATA/derived/*.json       derived data of other modules (engine state, caches)

Derived files are rebuilt from the partitions when missing. Every file is replaced
atomically; every write holds DATA/.lock, so two processes never interleave a
read-modify-write. Readers take no lock: a rename is atomic, they see old or new.
Nothing outside this module touches TinyDB.
"""

from __future__ import annotations

import base64
import contextlib
import os
import sys
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import orjson
from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware

from console.file_lock import LazyFileLock
from console.records import (
    community_to_doc,
    doc_to_community,
    doc_to_member,
    doc_to_post,
    member_to_doc,
    post_to_doc,
)
from console.storage import OrjsonStorage, read_json, write_json
from heuristics.model import Community, Member, Post

if TYPE_CHECKING:
    from filelock import FileLock

FORMAT_VERSION = 1
T = TypeVar("T")
_INDEX_COLUMNS = ("id", "month", "author", "ts", "kind", "parent", "images")
INDEX_FORMAT = 3
Row = tuple[str, str, str, int, str, str | None, tuple[str, ...]]


def month_of(dt: datetime) -> str:
    return f"{dt.year:04d}-{dt.month:02d}"


class PostIndex:
    """Every post without its text, as parallel columns sorted by time (oldest first).

    Screens that need counts per member or per day (members, health) read this instead of
    the partitions. Columns read from disk are decoded on first access: the feed needs only
    `parent`, the members screen `author` and `ts`, so a million rows cost each of them a
    fraction of the full decode. Read-only, like the frozen record it replaced.
    """

    __slots__ = ("_base", "_cols", "_doc", "_rows", "_swap", "_tables")
    _cols: dict[str, list[Any]]
    _doc: dict[str, Any] | None
    _rows: int
    _swap: bool
    _base: _Base | None
    _tables: dict[str, list[Any]]
    """Per coded column decoded, its table of values (the string objects its rows hold)."""

    def __init__(
        self,
        id: list[str],  # noqa: A002 - the column's name, kept from the frozen record
        month: list[str],
        author: list[str],
        ts: list[int],
        kind: list[str],
        parent: list[str | None],
        images: list[tuple[str, ...]] | None = None,
    ) -> None:
        cols = {"id": id, "month": month, "author": author, "ts": ts, "kind": kind, "parent": parent}
        cols["images"] = images if images is not None else [()] * len(id)
        object.__setattr__(self, "_cols", cols)
        object.__setattr__(self, "_doc", None)
        object.__setattr__(self, "_rows", len(id))
        object.__setattr__(self, "_swap", False)
        object.__setattr__(self, "_base", None)
        object.__setattr__(self, "_tables", {})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"PostIndex is read-only ({name})")

    def _col(self, name: str) -> list[Any]:
        cols = self._cols
        found = cols.get(name)
        if found is None:
            # Two threads may decode the same column at once: both get equal lists, harmless
            # (one of them may then miss the old column and decode it all: equal too).
            base = self._base
            old = base.columns.pop(name, None) if base is not None else None
            if old is not None and base is not None:
                found = old + _decode_column(name, self._doc, self._swap, self._tables, base)
                if not base.columns:
                    object.__setattr__(self, "_base", None)  # every old column is in
            else:
                found = _decode_column(name, self._doc, self._swap, self._tables)
            cols[name] = found
        return found

    @property
    def id(self) -> list[str]:
        return self._col("id")

    @property
    def month(self) -> list[str]:
        return self._col("month")

    @property
    def author(self) -> list[str]:
        return self._col("author")

    @property
    def ts(self) -> list[int]:
        """`created_at` as whole seconds since the epoch, UTC."""
        return self._col("ts")

    @property
    def kind(self) -> list[str]:
        return self._col("kind")

    @property
    def parent(self) -> list[str | None]:
        return self._col("parent")

    @property
    def images(self) -> list[tuple[str, ...]]:
        """The pictures of each post (mostly none): the repost detector finds every picture's
        posts without reading a single partition."""
        return self._col("images")

    def __len__(self) -> int:
        return int(self._rows)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PostIndex):
            return NotImplemented
        return all(self._col(name) == other._col(name) for name in _INDEX_COLUMNS)

    __hash__ = None  # type: ignore[assignment]  # mutable lists inside, as before

    def __repr__(self) -> str:
        return f"PostIndex({len(self)} rows)"

    def rows(self) -> Iterator[Row]:
        return zip(*(self._col(name) for name in _INDEX_COLUMNS), strict=True)

    def as_json(self) -> dict[str, Any]:
        """The compact encoding `from_json` reads (format 2). At a million rows a plain list
        per column costs ~0.7 s to parse and a string object per cell; here the ids are one
        joined string, the times one base64 array, and the other columns a small table of
        distinct values with a base64 array of codes into it: parsing reads a few large
        strings, and every repeated month, kind, author or parent is one shared string."""
        doc: dict[str, Any] = {"format": INDEX_FORMAT, "rows": len(self), "byteorder": sys.byteorder}
        doc["id"] = _joined(self.id)
        doc["ts"] = _b64(array("q", self.ts))
        # Sparse: most posts show no picture.
        pictured = [(row, list(paths)) for row, paths in enumerate(self.images) if paths]
        doc["images"] = {
            "rows": _b64(array("i", (row for row, _ in pictured))),
            "paths": [paths for _, paths in pictured],
        }
        for name in ("month", "author", "kind", "parent"):
            doc[name] = _coded(self._col(name))
        return doc

    @classmethod
    def from_json(cls, doc: dict[str, Any], previous: PostIndex | None = None) -> PostIndex:
        """Reads `as_json` (columns decoded when first used) and the plain lists of format 1
        (without pictures: the store rebuilds such an index, see `Store.post_index`).

        `previous`: the index this process read before. When `doc` is that index with rows
        added at its end (an import of the latest posts, as the encoded columns show), the
        columns `previous` decoded are reused and only the new rows are decoded: the old
        rows' strings are then the very objects of `previous`, which makes comparing the
        two at C speed nearly free (what the detectors a console keeps do)."""
        if doc.get("format") not in (2, INDEX_FORMAT):
            return cls(**{name: doc[name] for name in _INDEX_COLUMNS if name in doc})
        index = cls.__new__(cls)
        pictures = doc.get("images")
        if isinstance(pictures, dict) and isinstance(pictures.get("paths"), list):
            # One bytes object instead of a list per pictured row: the index lives as long as
            # the console and the collector would scan those lists again and again (~70,000
            # at 1M posts); the parsed lists die with the caller's document.
            doc = {**doc, "images": {**pictures, "paths": orjson.dumps(pictures["paths"])}}
        object.__setattr__(index, "_cols", {})
        object.__setattr__(index, "_doc", doc)
        object.__setattr__(index, "_rows", int(doc["rows"]))
        object.__setattr__(index, "_swap", doc.get("byteorder", sys.byteorder) != sys.byteorder)
        object.__setattr__(index, "_tables", {})
        object.__setattr__(index, "_base", _Base.of(previous, doc) if previous is not None else None)
        return index

    @classmethod
    def build(cls, rows: Iterable[tuple[Any, ...]]) -> PostIndex:
        """From (id, month, author, ts, kind, parent[, images]) rows, in any order."""
        ordered = sorted(((*r, ()) if len(r) == 6 else r for r in rows), key=lambda r: (r[3], r[0]))
        if not ordered:
            return cls([], [], [], [], [], [])
        return cls(*(list(col) for col in zip(*ordered, strict=True)))


@dataclass(frozen=True, slots=True)
class _Base:
    """An index read before whose rows a newer index starts with (see `PostIndex.from_json`)."""

    rows: int
    columns: dict[str, list[Any]]
    """The columns the old index had decoded (shared, never changed)."""
    id_chars: int
    """Where the new rows' ids start in the joined id column."""
    pictured: int
    """How many entries of the pictures column belong to the old rows."""
    values: dict[str, list[Any]]
    """Per coded column, the old index's table of values (its string objects)."""

    @classmethod
    def of(cls, previous: PostIndex, doc: dict[str, Any]) -> _Base | None:
        """The old index as the start of `doc`, or None unless `doc` only adds rows at its
        end: checked on the encoded columns (prefixes of strings and byte arrays). A damaged
        document is None here too (its columns fail when read, as without a previous index)."""
        try:
            return cls._of(previous, doc)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):  # binascii.Error too
            return None

    @classmethod
    def _of(cls, previous: PostIndex, doc: dict[str, Any]) -> _Base | None:
        old = previous._doc
        if old is None or old.get("format") != INDEX_FORMAT or doc.get("format") != INDEX_FORMAT:
            return None
        n, swap = int(old["rows"]), previous._swap
        if not 0 < n <= int(doc["rows"]) or old.get("byteorder") != doc.get("byteorder"):
            return None
        ids, new_ids = old["id"], doc["id"]
        if not isinstance(ids, str) or not isinstance(new_ids, str) or not new_ids.startswith(ids):
            return None
        if len(new_ids) > len(ids) and new_ids[len(ids)] != _SEP:
            return None
        if not _b64_starts_with(doc["ts"], old["ts"]):
            return None
        values: dict[str, list[Any]] = {}
        for name in ("month", "author", "kind", "parent"):
            a, b = old[name], doc[name]
            size = len(a["values"])
            if a["type"] != b["type"] or b["values"][:size] != a["values"]:
                return None
            if not _b64_starts_with(b["codes"], a["codes"]):
                return None
            # The string objects the old rows hold, when the old index decoded the column.
            table = previous._tables.get(name)
            values[name] = table[:-1] if table is not None and len(table) == size + 1 else a["values"]
        old_rows = _unb64("i", old["images"]["rows"], swap)
        pictured = len(old_rows)
        new_rows = _unb64("i", doc["images"]["rows"], swap)
        if new_rows[:pictured] != old_rows or (len(new_rows) > pictured and new_rows[pictured] < n):
            return None
        if pictured and not _lists_start_with(doc["images"]["paths"], old["images"]["paths"]):
            return None
        columns = {name: column for name, column in previous._cols.items() if len(column) == n}
        return cls(n, columns, len(ids) + 1, pictured, values)


def _lists_start_with(new: bytes, old: bytes) -> bool:
    """Whether the JSON list `new` starts with the items of the non-empty JSON list `old`,
    both as `orjson.dumps` writes them (`PostIndex.from_json` keeps the pictures so)."""
    head = old[:-1]  # without its closing bracket: the next byte is "," or "]"
    return new.startswith(head) and new[len(head) : len(head) + 1] in (b",", b"]")


def _decode_column(
    name: str, doc: dict[str, Any] | None, swap: bool, tables: dict[str, list[Any]], base: _Base | None = None
) -> list[Any]:
    """A column of `doc`, or with `base` only its rows after the old index's. A coded
    column's table of values goes into `tables`."""
    if doc is None:
        raise KeyError(name)
    value = doc[name]
    start = base.rows if base is not None else 0
    if name == "id":
        if not isinstance(value, str):
            return list(value[start:])
        if base is not None:
            return value[base.id_chars :].split(_SEP) if int(doc["rows"]) > base.rows else []
        return value.split(_SEP) if doc["rows"] else []
    if name == "ts":
        return _unb64("q", value, swap, start).tolist()
    if name == "images":
        column: list[tuple[str, ...]] = [()] * (int(doc["rows"]) - start)
        skip = base.pictured if base is not None else 0
        rows = _unb64("i", value["rows"], swap)[skip:]
        for row, paths in zip(rows, orjson.loads(value["paths"])[skip:], strict=True):
            column[row - start] = tuple(paths)
        return column
    if base is not None:
        # The old rows' values are the old index's string objects: the new rows share them.
        old = base.values[name]
        table = [*old, *value["values"][len(old) :], None]
    else:
        table = [*value["values"], None]  # code -1 reads the None appended last
    tables[name] = table
    return list(map(table.__getitem__, _unb64(value["type"], value["codes"], swap, start)))


_SEP = "\n"


def _joined(values: list[str]) -> str | list[str]:
    """One string for the whole column, unless a value holds the separator (ids are the
    community's own: a hostile file may put anything in them)."""
    text = _SEP.join(values)
    if text.count(_SEP) != max(len(values) - 1, 0):
        return values
    return text


def _b64(codes: array[int]) -> str:
    return base64.b64encode(codes.tobytes()).decode("ascii")


def _unb64(typecode: str, text: str, swap: bool, start: int = 0) -> array[int]:
    """The array `_b64` encoded, from its item `start` on (only that part is decoded:
    base64 maps each 3 bytes to 4 characters, so decoding starts at a whole group)."""
    codes = array(typecode)
    skip = start * codes.itemsize
    group = 3 * codes.itemsize  # whole base64 groups and whole items
    aligned = skip - skip % group
    codes.frombytes(base64.b64decode(text[aligned // 3 * 4 :])[skip - aligned :])
    if swap:
        codes.byteswap()
    return codes


def _b64_starts_with(text: str, prefix: str) -> bool:
    """Whether base64 `text` decodes to bytes that start with those of `prefix`, comparing
    the characters of the whole groups and decoding only the last one."""
    size = len(prefix) // 4 * 3 - prefix[-2:].count("=")
    whole = size // 3 * 4
    if text[:whole] != prefix[:whole]:
        return False
    rest = base64.b64decode(prefix[whole:])
    return base64.b64decode(text[whole : whole + 4])[: len(rest)] == rest


def _coded(column: Sequence[Any]) -> dict[str, Any]:
    """The distinct values (None kept apart as code -1) and each row's code, base64."""
    values = [v for v in dict.fromkeys(column) if v is not None]
    positions: dict[Any, int] = dict(zip(values, range(len(values)), strict=True))
    positions[None] = -1
    typecode = "b" if len(values) < 127 else "h" if len(values) < 32767 else "i"
    codes = array(typecode, map(positions.__getitem__, column))
    return {"values": values, "type": typecode, "codes": _b64(codes)}


def _appended(index: PostIndex, positions: dict[str, int], incoming: dict[str, Post]) -> PostIndex | None:
    """The index with `incoming` added at its end, when they are all new and no older than
    its last row (an import of the latest posts): no re-sort of a million rows. None otherwise."""
    if any(pid in positions for pid in incoming):
        return None
    added = sorted((_index_row(p) for p in incoming.values()), key=lambda r: (r[3], r[0]))
    if len(index) and (added[0][3], added[0][0]) < (index.ts[-1], index.id[-1]):
        return None
    cols = list(zip(*added, strict=True))
    return PostIndex(
        index.id + list(cols[0]),
        index.month + list(cols[1]),
        index.author + list(cols[2]),
        index.ts + list(cols[3]),
        index.kind + list(cols[4]),
        index.parent + list(cols[5]),
        index.images + list(cols[6]),
    )


def _index_row(p: Post) -> Row:
    at = p.created_at
    return (p.id, month_of(at), p.author, int(at.timestamp() // 1), p.kind, p.parent, tuple(p.images))


def file_identity(path: Path) -> list[int]:
    """A file's identity: every write replaces the file (new inode, mtime, size); [] if none."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return []
    return [st.st_mtime_ns, st.st_size, st.st_ino]


#: Months of posts a store keeps in memory (the most recently read): at a million posts a
#: month is ~20,000 posts and ~20 MB; a console browsing old signals must not hold them all.
MONTHS_CACHED = 12


class Store:
    """The one door to the data directory."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._lock = LazyFileLock(self.root / ".lock")
        self._month_cache: OrderedDict[str, tuple[int, list[Post]]] = OrderedDict()
        self._members_cache: tuple[int, dict[str, Member]] | None = None
        self._light_cache: tuple[int, Community | None, dict[str, str]] | None = None
        self._index_cache: tuple[int, PostIndex, dict[str, int] | None] | None = None
        self._image_views: dict[Callable[..., Any], tuple[int, Any, dict[str, int] | None]] = {}
        self._positions: tuple[list[str], dict[str, int]] | None = None
        self._image_gens: tuple[int, dict[str, int] | None] | None = None
        self.kept: dict[object, object] = {}
        """What detectors keep from one signals run to the next in this process
        (`CommunityData.kept`: each entry keyed by all it depends on, so never stale)."""
        self._remembered: dict[str, tuple[list[int], Any]] = {}

    # -- paths and bookkeeping -------------------------------------------------------------

    @property
    def posts_dir(self) -> Path:
        return self.root / "posts"

    def derived_path(self, name: str) -> Path:
        """Where another module keeps derived data (rebuilt by that module when missing)."""
        return self.root / "derived" / name

    def remember(self, name: str, value: Any, identity: list[int] | None = None) -> None:
        """Keep `value` in memory as what the derived file `name` holds (now, or when it had
        `identity`): `remembered` gives it back until the file is replaced."""
        if identity is None:
            identity = file_identity(self.derived_path(name))
        self._remembered[name] = (identity, value)

    def remembered(self, name: str) -> Any | None:
        """What `remember` kept for the derived file `name`, if that file is still the one."""
        kept = self._remembered.get(name)
        if kept is None or not kept[0] or kept[0] != file_identity(self.derived_path(name)):
            return None
        return kept[1]

    def lock(self) -> FileLock:
        """The store's write lock; reentrant within a process."""
        self.root.mkdir(parents=True, exist_ok=True)
        return self._lock.get()

    def generation(self) -> int:
        """A counter bumped by every write: cheap to poll, for caches and other consoles."""
        meta = read_json(self.root / "meta.json") or {}
        return int(meta.get("generation", 0))

    def _bump(self) -> None:
        meta = read_json(self.root / "meta.json") or {}
        meta["format"] = FORMAT_VERSION
        meta["generation"] = int(meta.get("generation", 0)) + 1
        write_json(self.root / "meta.json", meta)

    def exists(self) -> bool:
        return (self.root / "meta.json").exists()

    @staticmethod
    def _mtime(path: Path) -> int:
        try:
            return os.stat(path).st_mtime_ns
        except FileNotFoundError:
            return -1

    def _raw_tables(self, path: Path) -> dict[str, dict[str, dict[str, Any]]]:
        """A TinyDB file's tables as plain dicts, for bulk reads (no Document per row)."""
        with self._db(path) as db:
            return db.storage.read() or {}

    def _db(self, path: Path, cached: bool = False) -> TinyDB:
        if cached:
            return TinyDB(path, storage=CachingMiddleware(OrjsonStorage))
        return TinyDB(path, storage=OrjsonStorage)

    # -- community and members --------------------------------------------------------------

    def _people_light(self, raw: dict[str, Any] | None = None) -> tuple[Community | None, dict[str, str]]:
        """The community record and the display names, without a Member per row: what the
        feed and the header need (building 50,000 Members costs ~0.5 s at 1M posts)."""
        path = self.root / "community.json"
        stamp = self._mtime(path)
        cached = self._light_cache
        if cached is None or cached[0] != stamp:
            if raw is None:
                raw = self._raw_tables(path) if stamp != -1 else {}
            docs = list(raw.get("community", {}).values())
            community = doc_to_community(docs[0]) if docs else None
            names = {d["id"]: d.get("name") or d["id"] for d in raw.get("members", {}).values()}
            self._light_cache = cached = (stamp, community, names)
        return cached[1], cached[2]

    def community(self) -> Community | None:
        return self._people_light()[0]

    def members(self) -> dict[str, Member]:
        """Every member by id. The dict is shared: do not mutate it."""
        path = self.root / "community.json"
        stamp = self._mtime(path)
        if self._members_cache is None or self._members_cache[0] != stamp:
            members: dict[str, Member] = {}
            if stamp != -1:
                raw = self._raw_tables(path)
                members = {d["id"]: doc_to_member(d) for d in raw.get("members", {}).values()}
                self._people_light(raw)  # the same parse serves the names and the community
            self._members_cache = (stamp, members)
        return self._members_cache[1]

    def member_names(self) -> dict[str, str]:
        """Display name by member id, without building Member objects (fast at 50k)."""
        return dict(self._people_light()[1])

    def member(self, member_id: str) -> Member | None:
        return self.members().get(member_id)

    def save_people(self, community: Community | None, members: Iterable[Member]) -> int:
        """Insert or update the community record and members (by id); returns how many."""
        incoming = {m.id: m for m in members}
        if community is None and not incoming:
            return 0
        with self.lock():
            with self._db(self.root / "community.json", cached=True) as db:
                if community is not None:
                    table = db.table("community")
                    table.truncate()
                    table.insert(community_to_doc(community))
                table = db.table("members")
                stale = [d.doc_id for d in table if d["id"] in incoming]
                if stale:
                    table.remove(doc_ids=stale)
                table.insert_multiple(member_to_doc(m) for m in incoming.values())
            self._bump()
        return len(incoming)

    # -- posts ------------------------------------------------------------------------------

    def months(self) -> list[str]:
        """The months that hold posts, oldest first ("YYYY-MM")."""
        if not self.posts_dir.exists():
            return []
        return sorted(p.stem for p in self.posts_dir.glob("????-??.json"))

    def posts_in_month(self, month: str) -> list[Post]:
        """The posts of one month, oldest first. The `MONTHS_CACHED` months read last are
        kept until their file changes."""
        path = self.posts_dir / f"{month}.json"
        stamp = self._mtime(path)
        cache = self._month_cache
        cached = cache.get(month)
        if cached is not None and cached[0] == stamp:
            with contextlib.suppress(KeyError):  # another thread may have let it go meanwhile
                cache.move_to_end(month)
            return cached[1]
        posts: list[Post] = []
        if stamp != -1:
            posts = [doc_to_post(d) for d in self._raw_tables(path).get("posts", {}).values()]
            posts.sort(key=lambda p: (p.created_at, p.id))
        cache[month] = (stamp, posts)
        with contextlib.suppress(KeyError):  # (a console reads from two threads)
            cache.move_to_end(month)
            while len(cache) > MONTHS_CACHED:  # the least recently read go first
                cache.popitem(last=False)
        return posts

    def iter_posts(self, newest_first: bool = False) -> Iterator[Post]:
        """Every post, month by month (oldest first unless `newest_first`)."""
        months = self.months()
        for month in reversed(months) if newest_first else months:
            posts = self.posts_in_month(month)
            yield from reversed(posts) if newest_first else posts

    def all_posts(self) -> list[Post]:
        return list(self.iter_posts())

    def posts_between(self, start: datetime, end: datetime) -> list[Post]:
        """Posts with start <= created_at < end, oldest first; reads only those months."""
        lo, hi = month_of(start.astimezone(UTC)), month_of(end.astimezone(UTC))
        out: list[Post] = []
        for month in self.months():
            if lo <= month <= hi:
                out.extend(p for p in self.posts_in_month(month) if start <= p.created_at < end)
        return out

    def post_index(self) -> PostIndex:
        """The columnar index of every post (rebuilt from the partitions when missing)."""
        path = self.root / "index" / "posts.json"
        stamp = self._mtime(path)
        if self._index_cache is not None and self._index_cache[0] == stamp and stamp != -1:
            return self._index_cache[1]
        doc = read_json(path)
        if doc is not None and doc.get("format") != INDEX_FORMAT:
            doc = None  # an older format (no pictures column): rebuilt from the partitions once
        if doc is None:
            if not self.months():
                return PostIndex.build(())
            with self.lock():
                index = PostIndex.build(_index_row(p) for p in self.iter_posts())
                write_json(path, index.as_json())
            stamp = self._mtime(path)
        else:
            index = PostIndex.from_json(doc, self._index_cache[1] if self._index_cache is not None else None)
        self._index_cache = (stamp, index, None)
        return index

    def _index(self) -> tuple[PostIndex, dict[str, int]]:
        """The index and its id -> row map (built on first need: 1M rows cost ~0.2 s)."""
        index = self.post_index()
        cache = self._index_cache
        if cache is None or cache[1] is not index:
            return index, self._positions_of(index)
        if cache[2] is None:
            self._index_cache = (cache[0], index, self._positions_of(index))
        positions = self._index_cache[2] if self._index_cache else None
        assert positions is not None
        return index, positions

    def _positions_of(self, index: PostIndex) -> dict[str, int]:
        """The id -> row map of `index`. An import of the latest posts appends rows to the
        index another process then re-reads: the map made for the old index is then copied
        and extended (a million ids hashed again cost ~0.8 s, checking the prefix ~0.03 s)."""
        ids = index.id
        before = self._positions
        # (`heuristics.detector.starts_with`, not imported: the launch path stays without it)
        if before is not None and len(before[0]) <= len(ids) and ids[: len(before[0])] == before[0]:
            start, positions = len(before[0]), dict(before[1])
            positions.update(zip(ids[start:], range(start, len(ids)), strict=True))
            # The map's keys are the old index's strings: the new index shares them (equal, as
            # just checked), so a million ids are not held twice.
            ids[:start] = before[0]
        else:
            positions = dict(zip(ids, range(len(ids)), strict=True))
        self._positions = (ids, positions)
        return positions

    def rows_of(self, post_ids: Iterable[str]) -> dict[str, int]:
        """Rows in `post_index()` of the posts that exist, by id (one look at the index)."""
        positions = self._index()[1]
        return {pid: row for pid in post_ids if (row := positions.get(pid)) is not None}

    def post(self, post_id: str) -> Post | None:
        index, positions = self._index()
        row = positions.get(post_id)
        if row is None:
            return None
        for p in self.posts_in_month(index.month[row]):
            if p.id == post_id:
                return p
        return None

    def posts(self, post_ids: Iterable[str], stop: Callable[[], bool] | None = None) -> dict[str, Post]:
        """Several posts by id, reading each month once; `stop()` true before a month is read
        ends the reading there (a worker whose answer is no longer wanted)."""
        index, positions = self._index()
        wanted: dict[str, set[str]] = defaultdict(set)
        for pid in post_ids:
            row = positions.get(pid)
            if row is not None:
                wanted[index.month[row]].add(pid)
        found: dict[str, Post] = {}
        for month, ids in wanted.items():
            if stop is not None and stop():
                break
            for p in self.posts_in_month(month):
                if p.id in ids:
                    found[p.id] = p
        return found

    def has_post(self, post_id: str) -> bool:
        return post_id in self._index()[1]

    def posts_by(self, member_id: str) -> list[Post]:
        """A member's posts and comments, oldest first."""
        index = self.post_index()
        ids = [pid for pid, author in zip(index.id, index.author, strict=True) if author == member_id]
        found = self.posts(ids)
        return [found[i] for i in ids if i in found]

    def children(self, post_id: str) -> list[Post]:
        """The comments that answer `post_id`, oldest first."""
        index = self.post_index()
        ids = [pid for pid, parent in zip(index.id, index.parent, strict=True) if parent == post_id]
        found = self.posts(ids)
        return [found[i] for i in ids if i in found]

    def post_count(self) -> int:
        return len(self.post_index())

    def month_sums(self) -> dict[str, int]:
        """Per month, the sum of `heuristics.digests.post_digest` over its posts, for every
        month whose file is still the one summed (the engine then need not read it to
        fingerprint it). A missing or damaged record only costs that month a read."""
        try:
            raw = read_json(self._sums_path)
        except (OSError, ValueError):
            return {}
        out: dict[str, int] = {}
        if isinstance(raw, dict):
            for month, rec in raw.items():
                valid = isinstance(rec, list) and len(rec) == 2 and isinstance(rec[1], int)
                if valid and rec[0] == file_identity(self.posts_dir / f"{month}.json"):
                    out[month] = rec[1]
        return out

    @property
    def _sums_path(self) -> Path:
        return self.root / "index" / "month_sums.json"

    def save_posts(self, posts: Iterable[Post], progress: Any = None) -> int:
        """Insert or update posts by id, one write per month touched; returns how many.

        `progress`, when given, is called with the number of posts written so far.
        """
        from heuristics.digests import digest_sum

        incoming = {p.id: p for p in posts}
        if not incoming:
            return 0
        with self.lock():
            sums = self.month_sums()
            index, positions = self._index()
            by_month: dict[str, list[Post]] = defaultdict(list)
            for p in incoming.values():
                by_month[month_of(p.created_at)].append(p)
            # A post whose date moved to another month must leave its old partition.
            leaving: dict[str, set[str]] = defaultdict(set)
            for pid, p in incoming.items():
                row = positions.get(pid)
                if row is not None and index.month[row] != month_of(p.created_at):
                    leaving[index.month[row]].add(pid)
            done = 0
            for month in sorted(set(by_month) | set(leaving)):
                new = by_month.get(month, [])
                drop = leaving.get(month, set()) | {p.id for p in new}
                path = self.posts_dir / f"{month}.json"
                # The month's fingerprint sum follows the write: minus what leaves, plus what
                # comes; from scratch when the file had no (valid) sum.
                total = sums.pop(month, None) if path.exists() else 0
                with self._db(path, cached=True) as db:
                    table = db.table("posts")
                    stale = [d for d in table if d["id"] in drop]
                    if stale:
                        table.remove(doc_ids=[d.doc_id for d in stale])
                    table.insert_multiple(post_to_doc(p) for p in new)
                    emptied = len(table) == 0
                    if total is None:
                        total = digest_sum(map(doc_to_post, table))
                    else:
                        total = digest_sum(new, total - digest_sum(map(doc_to_post, stale)))
                if emptied:
                    path.unlink(missing_ok=True)
                else:
                    sums[month] = total
                done += len(new)
                if progress is not None:
                    progress(done)
            fresh = _appended(index, positions, incoming)
            if fresh is None:
                keep = [r for r in index.rows() if r[0] not in incoming]
                fresh = PostIndex.build([*keep, *(_index_row(p) for p in incoming.values())])
            write_json(self.root / "index" / "posts.json", fresh.as_json())
            # Under the lock every month in `sums` is still the file it was summed from.
            doc = {m: [file_identity(self.posts_dir / f"{m}.json"), v] for m, v in sorted(sums.items())}
            write_json(self._sums_path, doc)
            self._bump()
        return len(incoming)

    # -- image hashes -----------------------------------------------------------------------

    def image_hashes(self) -> dict[str, dict[str, Any]]:
        """Stored perceptual hashes by image path: {"kind": ..., "hash": ..., ...}."""
        path = self.root / "images.json"
        if not path.exists():
            return {}
        return {d["path"]: d for d in self._raw_tables(path).get("hashes", {}).values()}

    def image_view(
        self,
        build: Callable[[dict[str, dict[str, Any]]], T],
        update: Callable[[T, dict[str, dict[str, Any]]], T] | None = None,
    ) -> T:
        """`build(self.image_hashes())`, kept (per `build`) until the hashes file changes: a
        console recomputing signals after an import does not re-read 100,000 hashes it already
        has. With `update`, a view kept from before is brought up to date from the records
        written since (`update(view, records)`) when their generations tell which they are."""
        stamp = self._mtime(self.root / "images.json")
        cached = self._image_views.get(build)
        if cached is not None and cached[0] == stamp and stamp != -1:
            return cast(T, cached[1])
        before = self._image_gens[1] if self._image_gens is not None else None
        records, gens = self._image_records(stamp)
        changed = _written_since(before, gens)
        if update is not None and cached is not None and changed is not None and cached[2] is before:
            value = update(cast(T, cached[1]), {path: records[path] for path in changed})
        else:
            value = build(records)
        self._image_views[build] = (stamp, value, gens)
        return value

    def _image_records(self, stamp: int) -> tuple[dict[str, dict[str, Any]], dict[str, int] | None]:
        """The hash records and their write generations (kept for `image_paths_since`)."""
        records = self.image_hashes()
        self._image_gens = (stamp, _write_generations(records))
        return records, self._image_gens[1]

    def image_paths_since(self, generation: int) -> frozenset[str] | None:
        """The pictures whose hashes were written after the store's `generation` (each record
        carries the generation its write made); None when some record does not say (written
        by an older tact), so nothing can be vouched for."""
        stamp = self._mtime(self.root / "images.json")
        if self._image_gens is None or self._image_gens[0] != stamp or stamp == -1:
            written = self._image_records(stamp)[1]
        else:
            written = self._image_gens[1]
        if written is None:
            return None
        return frozenset(path for path, gen in written.items() if gen > generation)

    def save_image_hashes(self, records: Sequence[dict[str, Any]]) -> None:
        """Insert or update hash records (each with a `path` key)."""
        if not records:
            return
        with self.lock():
            # Stamped with the generation this write makes: a signal run that saw generation g
            # then knows the pictures hashed since are exactly those stamped above g.
            gen = self.generation() + 1
            incoming = {r["path"]: {**r, "gen": gen} for r in records}
            with self._db(self.root / "images.json", cached=True) as db:
                table = db.table("hashes")
                stale = [d.doc_id for d in table if d["path"] in incoming]
                if stale:
                    table.remove(doc_ids=stale)
                table.insert_multiple(incoming.values())
            self._bump()


def _written_since(before: dict[str, int] | None, now: dict[str, int] | None) -> set[str] | None:
    """The pictures whose records were written between two readings of their generations;
    None when that cannot be told (a record without one, or one gone: not tact's writing)."""
    if before is None or now is None:
        return None
    changed = {path for path, gen in now.items() if before.get(path) != gen}
    if len(now) - len(changed.difference(before)) != len(before):
        return None
    return changed


def _write_generations(records: Mapping[str, Mapping[str, Any]]) -> dict[str, int] | None:
    """Each picture's write generation (`Store.save_image_hashes`); None if one lacks it."""
    out: dict[str, int] = {}
    for path, rec in records.items():
        gen = rec.get("gen")
        if type(gen) is not int:
            return None
        out[path] = gen
    return out
