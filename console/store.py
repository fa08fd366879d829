"""The community store: TinyDB files under the data directory, partitioned for size.

Layout (a five-year-old group holds about a million posts, so nothing reads all of it to
open the console):

    DATA/meta.json            format version and a generation counter bumped on each write
    DATA/community.json       TinyDB: tables `community` and `members`
    DATA/posts/YYYY-MM.json   TinyDB: table `posts`, one file per month of `created_at`
    DATA/images.json          TinyDB: table `hashes`, perceptual hashes computed once per image
    DATA/images.tail.json     TinyDB: table `hashes`, the records written since images.json
    DATA/index/posts.json     derived: a columnar index of every post without its text
    DATA/index/posts.tail.json  derived: the rows appended to it since, one part per write
    DATA/index/month_sums.json  derived: per month, the engine's fingerprint sum of its posts
    DATA/derived/*.json       derived data of other modules (engine state, caches)

Derived files are rebuilt from the partitions when missing or damaged. Every file is
replaced atomically; every write holds DATA/.lock, so two processes never interleave a
read-modify-write. Readers take no lock: a rename is atomic, they see old or new.
Nothing outside this module touches TinyDB.

The two large files (36 MB each at a million posts) have a tail: an import of the latest
posts writes its rows and hashes into a small file beside them, naming the token of the file
it extends, and folds it into that file when it outgrows a sixteenth of it
(`console.storage.read_tail` tells how a reader gets the two as one snapshot). A console
that read the large file before then reads only the tail again.
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
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

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
from console.storage import (
    OrjsonStorage,
    atomic_write_bytes,
    file_identity,
    framed,
    new_token,
    read_json,
    read_json_identified,
    read_tail,
    tail_fits,
    unframed,
    write_json,
)
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

    __slots__ = (
        "_base",
        "_canon",
        "_carry",
        "_cols",
        "_doc",
        "_head",
        "_lineage",
        "_parts",
        "_rows",
        "_swap",
        "_tables",
    )
    _cols: dict[str, list[Any]]
    _doc: dict[str, Any] | None
    _rows: int
    _swap: bool
    _base: _Base | None
    _tables: dict[str, list[Any]]
    """Per coded column decoded, its table of values (the string objects its rows hold)."""
    _head: PostIndex | None
    """Of an index joined from the index file and the parts of its tail (`joined`): the
    index file's rows; `_parts` then holds the tail's, oldest first."""
    _parts: tuple[PostIndex, ...]
    _carry: dict[str, tuple[list[Any], int]]
    """Of a joined index: per column, the rows of its first k chunks (head, then parts) as the
    joined index read before decoded them; only the chunks after are decoded."""
    _canon: dict[str, dict[Any, Any]]
    """Of a head: per coded column, each value as the one string object the joined indexes
    over it give every row holding it (the head's own, then the first part's to hold it)."""
    _lineage: object
    """Shared with the indexes it was read or written as rows appended to (see `lineage`)."""

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
        object.__setattr__(self, "_head", None)
        object.__setattr__(self, "_parts", ())
        object.__setattr__(self, "_carry", {})
        object.__setattr__(self, "_canon", {})
        object.__setattr__(self, "_lineage", object())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"PostIndex is read-only ({name})")

    def _col(self, name: str) -> list[Any]:
        cols = self._cols
        found = cols.get(name)
        if found is None and self._head is not None:
            found = self._joined_col(name)
            cols[name] = found
        elif found is None:
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

    def _joined_col(self, name: str) -> list[Any]:
        assert self._head is not None
        chunks = (self._head, *self._parts)
        old, start = self._carry.pop(name, ([], 0))
        found = old.copy()
        for chunk in chunks[start:]:
            rows = chunk._col(name)
            if chunk is self._head or name not in _SHARED:
                found += rows
            else:  # a few thousand rows: each value becomes the one object all rows share
                canon = self._head._canon_of(name)
                found += map(canon.setdefault, rows, rows)
        for chunk in chunks:
            # This column holds their rows now: a million rows are not kept twice. (Only a
            # joined index reads its chunks; the next one is handed this column. An index
            # built in memory keeps its own: it could not decode them again.)
            if chunk._doc is not None:
                chunk._cols.pop(name, None)
        return found

    def _canon_of(self, name: str) -> dict[Any, Any]:
        canon = self._canon.get(name)
        if canon is None:
            table = self._tables.get(name, ())
            canon = self._canon[name] = dict(zip(table, table, strict=True))
        return canon

    @property
    def lineage(self) -> object:
        """A token two indexes share only when the later one's rows start with every row of
        the earlier: this process read it as rows appended to the other (its tail grown, or
        an index file whose encoded columns start with the other's), or wrote it so. What a
        console keeps from one signal run to the next checks this
        (`heuristics.detector.grew_from`) instead of comparing a million rows."""
        return self._lineage

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
        base = _Base.of(previous, doc) if previous is not None else None
        object.__setattr__(index, "_base", base)
        object.__setattr__(index, "_head", None)
        object.__setattr__(index, "_parts", ())
        object.__setattr__(index, "_carry", {})
        object.__setattr__(index, "_canon", {})
        # Of a joined index `_Base` checks the index file's rows only, not its tail's.
        whole = (
            base is not None
            and previous is not None
            and previous._head is None
            and base.rows == len(previous)
        )
        lineage = previous._lineage if whole and previous is not None else object()
        object.__setattr__(index, "_lineage", lineage)
        return index

    @classmethod
    def joined(
        cls, head: PostIndex, parts: Sequence[PostIndex], previous: PostIndex | None = None
    ) -> PostIndex:
        """`head`'s rows then each part's: the index file and the tail of the rows appended
        since (`Store.post_index`). `previous`: the index read before from the same `head`
        and the first of these `parts` (the same objects); the columns it decoded are taken
        over and only the parts it lacked are decoded (a console re-reading the index after
        an import decodes the import's rows, not a million)."""
        if not parts:
            return head
        index = cls.__new__(cls)
        object.__setattr__(index, "_cols", {})
        object.__setattr__(index, "_doc", None)
        object.__setattr__(index, "_rows", len(head) + sum(map(len, parts)))
        object.__setattr__(index, "_swap", False)
        object.__setattr__(index, "_tables", {})
        object.__setattr__(index, "_base", None)
        object.__setattr__(index, "_head", head)
        object.__setattr__(index, "_parts", tuple(parts))
        carry: dict[str, tuple[list[Any], int]] = {}
        lineage = object()
        # (`previous` the head itself: its columns are still its own.)
        if previous is not None and previous._head is head and _same_start(parts, previous._parts):
            chunks = 1 + len(previous._parts)
            carry = dict(previous._carry)  # what it did not take over itself yet
            carry.update((name, (column, chunks)) for name, column in previous._cols.items())
            lineage = previous._lineage
        elif previous is head:
            lineage = head._lineage
        object.__setattr__(index, "_carry", carry)
        object.__setattr__(index, "_canon", {})
        object.__setattr__(index, "_lineage", lineage)
        return index

    @classmethod
    def build(cls, rows: Iterable[tuple[Any, ...]]) -> PostIndex:
        """From (id, month, author, ts, kind, parent[, images]) rows, in any order."""
        ordered = sorted(((*r, ()) if len(r) == 6 else r for r in rows), key=lambda r: (r[3], r[0]))
        if not ordered:
            return cls([], [], [], [], [], [])
        return cls(*(list(col) for col in zip(*ordered, strict=True)))


def _same_start(parts: Sequence[PostIndex], prefix: Sequence[PostIndex]) -> bool:
    return len(prefix) <= len(parts) and all(a is b for a, b in zip(parts, prefix, strict=False))


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
    def _of(cls, joined: PostIndex, doc: dict[str, Any]) -> _Base | None:
        # A joined index: its index file's rows are the old start (its tail's rows, a few
        # percent, are decoded again from `doc`).
        previous = joined._head if joined._head is not None else joined
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
        if joined is not previous:
            carried = {name: column for name, (column, chunks) in joined._carry.items() if chunks}
            for name, column in [*carried.items(), *joined._cols.items()]:
                if name not in columns and len(column) >= n:
                    columns[name] = column[:n]
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
_CODED = frozenset(("month", "author", "kind", "parent"))
#: Coded columns whose values a joined index makes one object across its chunks: each is held
#: by many rows. Not the parents: nearly one per thread, a map of them all cost ~0.1 s to
#: build and shares little.
_SHARED = frozenset(("month", "author", "kind"))


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
    """The rows `incoming` adds at the end of `index`, when they are all new and no older
    than its last row (an import of the latest posts): no re-sort of a million rows. None
    otherwise."""
    if any(pid in positions for pid in incoming):
        return None
    added = PostIndex.build(map(_index_row, incoming.values()))
    if len(index) and (added.ts[0], added.id[0]) < (index.ts[-1], index.id[-1]):
        return None
    return added


def _concatenated(index: PostIndex, added: PostIndex) -> PostIndex:
    joined = PostIndex(*(index._col(name) + added._col(name) for name in _INDEX_COLUMNS))
    object.__setattr__(joined, "_lineage", index._lineage)  # `index`'s rows, then `added`'s
    return joined


def _index_row(p: Post) -> Row:
    at = p.created_at
    return (p.id, month_of(at), p.author, int(at.timestamp() // 1), p.kind, p.parent, tuple(p.images))


@dataclass(frozen=True, slots=True)
class _IndexRead:
    """What `Store.post_index` read last: the index file (its identity and token), the index
    it holds, and the parts of the tail joined to it, by id."""

    base: list[int]
    token: str | None
    head: PostIndex
    parts: tuple[tuple[str, PostIndex], ...]


@dataclass(frozen=True, slots=True)
class ViewFile(Generic[T]):
    """How `Store.image_view` keeps a view of the hashes in a derived file, with what it
    was read from, so that the next process starts where this one read (as a console that
    stays open does): it reads only the records written since. `dump` gives the view's
    bytes (None: not kept), `load` the view back (None: unusable, read the hashes again)."""

    name: str
    dump: Callable[[T], bytes | None]
    load: Callable[[bytes], T | None]


_VIEW_MAGIC = b"tact hashes read 1\n"


@dataclass(frozen=True, slots=True)
class _HashesRead:
    """What the store read last of the hashes: the files' identities (the base's alone too),
    the base's token, which pictures the tail held, and every picture's write generation."""

    stamp: list[int]
    base: list[int]
    token: str | None
    tail_paths: frozenset[str]
    gens: dict[str, int] | None


def _tail_token(doc: dict[str, Any]) -> Any:
    """The token of the base an index tail extends."""
    return doc.get("base")


def _table_token(table: Any) -> str | None:
    """The token a TinyDB table of one `{"token": ...}` document holds (the hashes files')."""
    if isinstance(table, dict):
        for doc in table.values():
            if isinstance(doc, dict) and isinstance(doc.get("token"), str):
                return cast(str, doc["token"])
    return None


def _hashes_tail_token(doc: dict[str, Any]) -> str | None:
    return _table_token(doc.get("base"))


def _tail_parts(doc: dict[str, Any] | None, known: _IndexRead | None) -> tuple[tuple[str, PostIndex], ...]:
    """The parts of an index tail (none without one) by id. The tail's first parts that
    `known` read already are its objects (only a new part is decoded); a tail only grows
    while its index file stays, and each part's id is drawn at random."""
    if doc is None:
        return ()
    raw = doc["parts"]
    if not isinstance(raw, list):
        raise TypeError("parts")
    old = known.parts if known is not None else ()
    same = 0
    while (
        same < min(len(old), len(raw))
        and isinstance(raw[same], dict)
        and raw[same].get("part") == old[same][0]
    ):
        same += 1
    out = list(old[:same])
    for part in raw[same:]:
        if (
            not isinstance(part, dict)
            or part.get("format") != INDEX_FORMAT
            or not isinstance(part.get("part"), str)
        ):
            raise ValueError("part")
        out.append((part["part"], PostIndex.from_json(part)))
    return tuple(out)


#: Reads of a base and its tail that a compaction may interrupt before a reader waits for the
#: writers (each retry needs a whole new base written meanwhile: a compaction is rare).
_READ_TRIES = 3


#: Months of posts a store keeps in memory (the most recently read): at a million posts a
#: month is ~20,000 posts and ~20 MB; a console browsing old signals must not hold them all.
MONTHS_CACHED = 12
#: The newest months read whose documents are kept too (`Store._posts_of`), each holding its
#: posts twice.
MONTH_DOCS_KEPT = 2
#: The newest rows a lookup by id tries first, while the map of every id is not made yet: the
#: posts a signal run looks up by id are mostly recent (the parents of new comments), and a
#: map of the last 65,536 ids costs ~15 ms where the full one costs ~0.5 s at 1M posts.
RECENT_ROWS = 1 << 16


class Store:
    """The one door to the data directory."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._lock = LazyFileLock(self.root / ".lock")
        self._month_cache: OrderedDict[str, tuple[int, list[Post]]] = OrderedDict()
        self._month_docs: dict[str, dict[str, tuple[dict[str, Any], Post]]] = {}
        self._members_cache: tuple[int, dict[str, Member]] | None = None
        self._light_cache: tuple[int, Community | None, dict[str, str]] | None = None
        self._index_cache: tuple[list[int], PostIndex, dict[str, int] | None] | None = None
        self._index_read: _IndexRead | None = None
        self._image_views: dict[Callable[..., Any], tuple[list[int], Any, dict[str, int] | None]] = {}
        self._positions: tuple[list[str], dict[str, int], object] | None = None
        self._recent: tuple[PostIndex, dict[str, int]] | None = None
        self._hashes_read: _HashesRead | None = None
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
            posts = self._posts_of(month, self._raw_tables(path).get("posts", {}))
        cache[month] = (stamp, posts)
        with contextlib.suppress(KeyError):  # (a console reads from two threads)
            cache.move_to_end(month)
            while len(cache) > MONTHS_CACHED:  # the least recently read go first
                cache.popitem(last=False)
        return posts

    def month_documents(self, month: str) -> list[dict[str, Any]]:
        """The documents of one month's posts as stored, unordered and not kept: for a reader
        that needs a few of the month's posts as `Post`s and only counts the others."""
        path = self.posts_dir / f"{month}.json"
        return list(self._raw_tables(path).get("posts", {}).values()) if path.exists() else []

    def _posts_of(self, month: str, docs: dict[str, dict[str, Any]]) -> list[Post]:
        """A month's posts from its documents, oldest first. The documents of the newest months
        read are kept with their posts: when an import added to such a month (the latest, as
        a rule) each document equal to the one read before gives back the same post, and only
        the new ones are built (parsing fifteen thousand dates cost ~0.1 s at 1M posts)."""
        kept = self._month_docs
        before = kept.get(month, {})
        built: dict[str, tuple[dict[str, Any], Post]] = {}
        for key, doc in docs.items():
            old = before.get(key)
            built[key] = (doc, old[1] if old is not None and old[0] == doc else doc_to_post(doc))
        with contextlib.suppress(KeyError, ValueError, RuntimeError):  # (a console reads from two threads)
            kept[month] = built
            while len(kept) > MONTH_DOCS_KEPT:  # the oldest months go: imports add to the newest
                del kept[min(kept)]
        posts = [post for _, post in built.values()]
        posts.sort(key=lambda p: (p.created_at, p.id))
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

    @property
    def _index_files(self) -> tuple[Path, Path]:
        """The index file and its tail: the rows appended since it was written, in parts."""
        return self.root / "index" / "posts.json", self.root / "index" / "posts.tail.json"

    def post_index(self) -> PostIndex:
        """The columnar index of every post (rebuilt from the partitions when missing or
        damaged). Read again after another process wrote: when the index file is the one read
        before, only its tail is (the rows imports appended since, a few percent at most)."""
        base, tail = self._index_files
        base_id = file_identity(base)
        cache = self._index_cache
        if cache is not None and base_id and cache[0] == base_id + file_identity(tail):
            return cache[1]
        return self._consistent(self._read_index)

    def _consistent(self, read: Callable[[], T | None]) -> T:
        """`read()` of a file and its tail, again while a writer replaced the file between the
        two (None), and under the lock after `_READ_TRIES` such races."""
        for _ in range(_READ_TRIES):
            found = read()
            if found is not None:
                return found
        with self.lock():  # no writer can come between the two files now
            found = read()
        assert found is not None
        return found

    def _read_index(self) -> PostIndex | None:
        """The index file and its tail, or None when a writer replaced the index file between
        the two reads (they may not go together: the caller reads again)."""
        base, tail = self._index_files
        known, cache = self._index_read, self._index_cache
        base_id = file_identity(base)
        if known is not None and base_id and base_id == known.base:
            head, token = known.head, known.token  # the file read before: only the tail is new
        else:
            try:
                doc, base_id = read_json_identified(base)
            except ValueError:
                doc = None
            if not isinstance(doc, dict) or doc.get("format") != INDEX_FORMAT:
                # Missing, damaged, or an older format (no pictures column): built once anew.
                return self._rebuild_index()
            head = PostIndex.from_json(doc, cache[1] if cache is not None else None)
            token = doc.get("token") if isinstance(doc.get("token"), str) else None
            known = None
        try:
            found = read_tail(tail, base, base_id, token, _tail_token)
            parts = _tail_parts(found[0] if found is not None else None, known)
        except (ValueError, TypeError, KeyError):
            return self._rebuild_index()  # a damaged tail
        if found is None:
            return None
        previous = cache[1] if cache is not None and known is not None else None
        index = PostIndex.joined(head, [part for _, part in parts], previous)
        self._index_read = _IndexRead(base_id, token, head, parts)
        self._index_cache = (base_id + found[1], index, None)
        return index

    def _rebuild_index(self) -> PostIndex:
        if not self.months():
            return PostIndex.build(())
        with self.lock():
            self._write_index(PostIndex.build(_index_row(p) for p in self.iter_posts()))
        assert self._index_cache is not None
        return self._index_cache[1]

    def _write_index(self, index: PostIndex) -> None:
        """`index` as the new index file (a new token: any tail is then the old one's), the
        tail gone. Under the lock."""
        base, tail = self._index_files
        doc = index.as_json()
        doc["token"] = token = new_token()
        write_json(base, doc)
        # A stop here leaves the old tail, naming the old token: read as none.
        tail.unlink(missing_ok=True)
        base_id = file_identity(base)
        self._index_read = _IndexRead(base_id, token, index, ())
        self._index_cache = (base_id, index, None)

    def _append_index(self, index: PostIndex, added: PostIndex) -> None:
        """`added` (rows after every row of `index`, the index just read under the lock) as
        a new part of the tail; compacted into a new index file when the tail outgrows it."""
        base, tail = self._index_files
        known = self._index_read
        token = known.token if known is not None and known.base == file_identity(base) else None
        if token is not None:
            try:
                current = read_json(tail)
            except ValueError:
                current = None
            ok = (
                isinstance(current, dict)
                and current.get("base") == token
                and isinstance(current.get("parts"), list)
            )
            parts = current["parts"] if ok and current is not None else []
            part = {**added.as_json(), "part": new_token()}
            data = orjson.dumps({"format": 1, "base": token, "parts": [*parts, part]})
            if tail_fits(len(data), base):
                atomic_write_bytes(tail, data)
                return
        self._write_index(_concatenated(index, added))

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
        # An index read as rows appended to the one mapped before shares its strings already;
        # another is compared (`heuristics.detector.starts_with`, not imported: the launch
        # path stays without it).
        kin = before is not None and before[2] is index.lineage
        if before is not None and len(before[0]) <= len(ids) and (kin or ids[: len(before[0])] == before[0]):
            start, positions = len(before[0]), dict(before[1])
            positions.update(zip(ids[start:], range(start, len(ids)), strict=True))
            if not kin:
                # The map's keys are the old index's strings: the new index shares them (equal,
                # as just checked), so a million ids are not held twice.
                ids[:start] = before[0]
        else:
            positions = dict(zip(ids, range(len(ids)), strict=True))
        self._positions = (ids, positions, index.lineage)
        return positions

    def rows_of(self, post_ids: Iterable[str]) -> dict[str, int]:
        """Rows in `post_index()` of the posts that exist, by id (one look at the index).
        Until the map of every id is made, the newest `RECENT_ROWS` are tried first: when
        they hold every id asked for, the map is not made at all."""
        wanted = list(post_ids)
        if not wanted:
            return {}
        index = self.post_index()
        cache = self._index_cache
        if cache is None or cache[1] is not index or cache[2] is None:
            recent = self._recent_positions(index)
            found = {pid: row for pid in wanted if (row := recent.get(pid)) is not None}
            if len(found) == len(set(wanted)):
                return found
        positions = self._index()[1]
        return {pid: row for pid in wanted if (row := positions.get(pid)) is not None}

    def _recent_positions(self, index: PostIndex) -> dict[str, int]:
        """The id -> row map of the newest `RECENT_ROWS` rows of `index`, kept for it."""
        kept = self._recent
        if kept is not None and kept[0] is index:
            return kept[1]
        ids = index.id
        start = max(0, len(ids) - RECENT_ROWS)
        positions = dict(zip(ids[start:], range(start, len(ids)), strict=True))
        self._recent = (index, positions)
        return positions

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
            added = _appended(index, positions, incoming)
            if added is not None:
                self._append_index(index, added)
            else:
                keep = [r for r in index.rows() if r[0] not in incoming]
                self._write_index(PostIndex.build([*keep, *(_index_row(p) for p in incoming.values())]))
            # Under the lock every month in `sums` is still the file it was summed from.
            doc = {m: [file_identity(self.posts_dir / f"{m}.json"), v] for m, v in sorted(sums.items())}
            write_json(self._sums_path, doc)
            self._bump()
        return len(incoming)

    # -- image hashes -----------------------------------------------------------------------

    @property
    def _hash_files(self) -> tuple[Path, Path]:
        """The hashes file and its tail: the records written since it was, by picture."""
        return self.root / "images.json", self.root / "images.tail.json"

    def images_identity(self) -> list[int]:
        """The identity of the stored hashes (of their two files): it changes with every
        write of hashes, and stays while none is written."""
        base, tail = self._hash_files
        return file_identity(base) + file_identity(tail)

    def image_hashes(self) -> dict[str, dict[str, Any]]:
        """Stored perceptual hashes by image path: {"kind": ..., "hash": ..., ...}."""
        return self._consistent(self._read_hashes)[0]

    def _read_hashes(self) -> tuple[dict[str, dict[str, Any]], _HashesRead] | None:
        """Every record, the tail's over the base's, and what was read (also kept as
        `_hashes_read`); None when a writer replaced the base between the two reads (the
        caller reads again)."""
        base, _ = self._hash_files
        raw, base_id = read_json_identified(base)
        tables = raw if isinstance(raw, dict) else {}
        token = _table_token(tables.get("identity"))
        found = self._hashes_tail(base_id, token)
        if found is None:
            return None
        added, tail_id = found
        records = {d["path"]: d for d in tables.get("hashes", {}).values()}
        records.update(added)
        gens = _write_generations(records)
        read = self._hashes_read = _HashesRead(base_id + tail_id, base_id, token, frozenset(added), gens)
        return records, read

    def _hashes_tail(
        self, base_id: list[int], token: str | None
    ) -> tuple[dict[str, dict[str, Any]], list[int]] | None:
        """The tail's records (none without a tail of that base) and the tail's identity;
        None when the base is no longer `base_id`."""
        base, tail = self._hash_files
        try:
            found = read_tail(tail, base, base_id, token, _hashes_tail_token)
        except ValueError:  # damaged (tact never leaves it so): its records are hashed again
            found = (None, file_identity(tail)) if file_identity(base) == base_id else None
        if found is None:
            return None
        doc, tail_id = found
        table = doc.get("hashes") if doc is not None else None
        records = {d["path"]: d for d in table.values()} if isinstance(table, dict) else {}
        return records, tail_id

    def _hashes_added(self, known: _HashesRead) -> dict[str, dict[str, Any]] | None:
        """The records written since `known` was read, from the tail alone, when the base is
        still the one read then (`_hashes_read` brought up to date); None when that cannot
        be told so (the base replaced, a record without its generation, or gone)."""
        base, _ = self._hash_files
        if known.gens is None or not known.base or file_identity(base) != known.base:
            return None
        found = self._hashes_tail(known.base, known.token)
        if found is None:
            return None
        records, tail_id = found
        gens = _write_generations(records)
        if gens is None or not known.tail_paths <= records.keys():
            return None
        before = known.gens
        changed = {path: rec for path, rec in records.items() if before.get(path) != gens[path]}
        self._hashes_read = _HashesRead(
            known.base + tail_id, known.base, known.token, frozenset(records), {**before, **gens}
        )
        return changed

    def image_view(
        self,
        build: Callable[[dict[str, dict[str, Any]]], T],
        update: Callable[[T, dict[str, dict[str, Any]]], T] | None = None,
        saved: ViewFile[T] | None = None,
    ) -> T:
        """`build(self.image_hashes())`, kept (per `build`) until the hashes change: a
        console recomputing signals after an import does not re-read 100,000 hashes it already
        has. With `update`, a view kept from before is brought up to date from the records
        written since (`update(view, records)`) when their generations tell which they are:
        while the hashes file is the one read before, only its tail is read. With `saved`, a
        process that has read nothing yet starts from the view a process before it built
        (and a process that reads every record keeps its view so)."""
        stamp = self.images_identity()
        cached = self._image_views.get(build)
        primed = False
        if cached is None and saved is not None and update is not None and self._hashes_read is None:
            cached = self._view_from_file(build, saved)
            primed = cached is not None
        if cached is not None and cached[0] == stamp and stamp:
            return cast(T, cached[1])
        before = self._hashes_read
        kept = update is not None and cached is not None and before is not None and cached[2] is before.gens
        if kept and before is not None and update is not None and cached is not None:
            added = self._hashes_added(before)
            if added is not None:
                return self._keep_view(build, update(cast(T, cached[1]), added))
        records, read = self._consistent(self._read_hashes)
        written = _written_since(before.gens if before is not None else None, self._latest_gens())
        # A view from the file that the tail alone no longer brings up to date (the hashes
        # file was compacted since) is built anew, and the file with it.
        if kept and not primed and written is not None and update is not None and cached is not None:
            return self._keep_view(
                build, update(cast(T, cached[1]), {path: records[path] for path in written})
            )
        view = build(records)
        if saved is not None:
            # What this read saw, not `_hashes_read`: another thread may have read since.
            self._save_view(saved, view, read)
        return self._keep_view(build, view)

    def _view_from_file(
        self, build: Callable[..., Any], saved: ViewFile[T]
    ) -> tuple[list[int], Any, dict[str, int] | None] | None:
        """The view `saved` holds, kept as if this process had read the hashes it was built
        from (`_hashes_read` too); None when there is none or it is unusable."""
        try:
            raw = self.derived_path(saved.name).read_bytes()
        except OSError:
            return None
        found = _split_view_file(raw)
        view = saved.load(found[1]) if found is not None else None
        if found is None or view is None:
            return None
        self._hashes_read = found[0]
        entry = (found[0].stamp, view, found[0].gens)
        self._image_views[build] = entry
        return entry

    def _save_view(self, saved: ViewFile[T], view: T, read: _HashesRead) -> None:
        """`view`, just built from every record, into `saved`'s file with `read`, what it
        was built from. A cache: a failure to write only costs the next process the reading."""
        if read.gens is None or not read.base or not self.exists():
            return
        body = saved.dump(view)
        if body is None:
            return
        head = {
            "stamp": read.stamp,
            "base": read.base,
            "token": read.token,
            "tail": sorted(read.tail_paths),
            "gens": read.gens,
        }
        with contextlib.suppress(OSError):
            atomic_write_bytes(self.derived_path(saved.name), framed(_VIEW_MAGIC, head, body), durable=False)

    def _keep_view(self, build: Callable[..., Any], value: T) -> T:
        """`value` kept as `build`'s view of the hashes just read."""
        now = self._hashes_read
        assert now is not None
        self._image_views[build] = (now.stamp, value, now.gens)
        return value

    def _latest_gens(self) -> dict[str, int] | None:
        return self._hashes_read.gens if self._hashes_read is not None else None

    def image_paths_since(self, generation: int) -> frozenset[str] | None:
        """The pictures whose hashes were written after the store's `generation` (each record
        carries the generation its write made); None when some record does not say (written
        by an older tact), so nothing can be vouched for."""
        known = self._hashes_read
        stale = known is None or known.stamp != self.images_identity() or not known.base
        if stale and (known is None or self._hashes_added(known) is None):
            self.image_hashes()
        written = self._latest_gens()
        if written is None:
            return None
        return frozenset(path for path, gen in written.items() if gen > generation)

    def save_image_hashes(self, records: Sequence[dict[str, Any]]) -> None:
        """Insert or update hash records (each with a `path` key): into the tail, or folded
        with it into the hashes file once the tail outgrows its share of that file."""
        if not records:
            return
        with self.lock():
            # Stamped with the generation this write makes: a signal run that saw generation g
            # then knows the pictures hashed since are exactly those stamped above g.
            gen = self.generation() + 1
            incoming = {r["path"]: {**r, "gen": gen} for r in records}
            if not self._append_hashes(incoming):
                self._compact_hashes(incoming)
            self._bump()

    def _append_hashes(self, incoming: dict[str, dict[str, Any]]) -> bool:
        """`incoming` into the tail of the hashes file, unless that file has no token (written
        by an older tact: compacted once) or the tail would outgrow it. Under the lock."""
        base, tail = self._hash_files
        adding = len(orjson.dumps(list(incoming.values())))
        if not tail_fits((file_identity(tail) or [0, 0])[1] + adding, base):
            return False  # (known before reading anything: an import's large batches)
        known = self._hashes_read
        if known is not None and known.base and known.base == file_identity(base):
            token = known.token
        else:
            raw, _ = read_json_identified(base)
            token = _table_token(raw.get("identity")) if isinstance(raw, dict) else None
        if token is None:
            return False
        try:
            current = read_json(tail)
        except ValueError:
            current = None
        if not isinstance(current, dict) or _hashes_tail_token(current) != token:
            tail.unlink(missing_ok=True)  # stale (its records are in the base) or damaged
        with self._db(tail, cached=True) as db:
            db.table("base").truncate()
            db.table("base").insert({"token": token})
            table = db.table("hashes")
            stale = [d.doc_id for d in table if d["path"] in incoming]
            if stale:
                table.remove(doc_ids=stale)
            table.insert_multiple(incoming.values())
        return True

    def _compact_hashes(self, incoming: dict[str, dict[str, Any]]) -> None:
        """The tail (when it is this base's) and `incoming` written into the hashes file, with
        a new token; the tail deleted after. Under the lock."""
        base, tail = self._hash_files
        with self._db(base, cached=True) as db:
            token = _table_token({d.doc_id: dict(d) for d in db.table("identity")})
            try:
                current = read_json(tail)
            except ValueError:
                current = None
            merged: dict[str, dict[str, Any]] = {}
            if isinstance(current, dict) and token is not None and _hashes_tail_token(current) == token:
                merged = {d["path"]: d for d in current.get("hashes", {}).values()}
            merged.update(incoming)
            table = db.table("hashes")
            stale = [d.doc_id for d in table if d["path"] in merged]
            if stale:
                table.remove(doc_ids=stale)
            table.insert_multiple(merged.values())
            db.table("identity").truncate()
            db.table("identity").insert({"token": new_token()})
        # A stop here leaves the old tail, naming the old token: read as none.
        tail.unlink(missing_ok=True)


def _split_view_file(raw: bytes) -> tuple[_HashesRead, bytes] | None:
    """What a `ViewFile` was read from, and the view's bytes; None if damaged."""
    found = unframed(_VIEW_MAGIC, raw)
    if found is None or not isinstance(found[0], dict):
        return None
    head, body = found
    stamp, base, token = head.get("stamp"), head.get("base"), head.get("token")
    tail, gens = head.get("tail"), head.get("gens")
    if not isinstance(stamp, list) or not isinstance(base, list) or not base:
        return None
    if not all(type(v) is int for v in (*stamp, *base)) or (token is not None and not isinstance(token, str)):
        return None
    if not isinstance(tail, list) or not all(isinstance(p, str) for p in tail):
        return None
    if not isinstance(gens, dict) or not all(type(g) is int for g in gens.values()):
        return None
    return _HashesRead(stamp, base, token, frozenset(tail), gens), bytes(body)


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
