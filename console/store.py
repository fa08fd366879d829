"""The community store: TinyDB files under the data directory, partitioned for size.

Layout (a five-year-old group holds about a million posts, so nothing reads all of it to
open the console):

    DATA/meta.json            format version and a generation counter bumped on each write
    DATA/community.json       TinyDB: tables `community` and `members`
    DATA/posts/YYYY-MM.json   TinyDB: table `posts`, one file per month of `created_at`
    DATA/images.json          TinyDB: table `hashes`, perceptual hashes computed once per image
    DATA/index/posts.json     derived: a columnar index of every post without its text
    DATA/derived/*.json       derived data of other modules (engine state, caches)

Derived files are rebuilt from the partitions when missing. Every file is replaced
atomically; every write holds DATA/.lock, so two processes never interleave a
read-modify-write. Readers take no lock: a rename is atomic, they see old or new.
Nothing outside this module touches TinyDB.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock
from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware

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

FORMAT_VERSION = 1
_INDEX_COLUMNS = ("id", "month", "author", "ts", "kind", "parent")


def month_of(dt: datetime) -> str:
    return f"{dt.year:04d}-{dt.month:02d}"


@dataclass(frozen=True, slots=True)
class PostIndex:
    """Every post without its text, as parallel columns sorted by time (oldest first).

    Screens that need counts per member or per day (members, health) read this instead of
    the partitions: a million rows load in a fraction of a second.
    """

    id: list[str]
    month: list[str]
    author: list[str]
    ts: list[int]
    """`created_at` as whole seconds since the epoch, UTC."""
    kind: list[str]
    parent: list[str | None]

    def __len__(self) -> int:
        return len(self.id)

    def rows(self) -> Iterator[tuple[str, str, str, int, str, str | None]]:
        return zip(self.id, self.month, self.author, self.ts, self.kind, self.parent, strict=True)

    def as_json(self) -> dict[str, list[Any]]:
        return {name: getattr(self, name) for name in _INDEX_COLUMNS}

    @classmethod
    def from_json(cls, doc: dict[str, list[Any]]) -> PostIndex:
        return cls(**{name: doc[name] for name in _INDEX_COLUMNS})

    @classmethod
    def build(cls, rows: Iterable[tuple[str, str, str, int, str, str | None]]) -> PostIndex:
        ordered = sorted(rows, key=lambda r: (r[3], r[0]))
        cols: list[list[Any]] = [[] for _ in _INDEX_COLUMNS]
        for row in ordered:
            for col, value in zip(cols, row, strict=True):
                col.append(value)
        return cls(*cols)


def _index_row(p: Post) -> tuple[str, str, str, int, str, str | None]:
    return (p.id, month_of(p.created_at), p.author, int(p.created_at.timestamp()), p.kind, p.parent)


class Store:
    """The one door to the data directory."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._lock = FileLock(self.root / ".lock")
        self._month_cache: dict[str, tuple[int, list[Post]]] = {}
        self._members_cache: tuple[int, dict[str, Member], Community | None] | None = None
        self._index_cache: tuple[int, PostIndex, dict[str, int] | None] | None = None

    # -- paths and bookkeeping -------------------------------------------------------------

    @property
    def posts_dir(self) -> Path:
        return self.root / "posts"

    def derived_path(self, name: str) -> Path:
        """Where another module keeps derived data (rebuilt by that module when missing)."""
        return self.root / "derived" / name

    def lock(self) -> FileLock:
        """The store's write lock; reentrant within a process."""
        self.root.mkdir(parents=True, exist_ok=True)
        return self._lock

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

    def _load_people(self) -> tuple[dict[str, Member], Community | None]:
        path = self.root / "community.json"
        stamp = self._mtime(path)
        if self._members_cache is None or self._members_cache[0] != stamp:
            members: dict[str, Member] = {}
            community: Community | None = None
            if stamp != -1:
                raw = self._raw_tables(path)
                members = {d["id"]: doc_to_member(d) for d in raw.get("members", {}).values()}
                docs = list(raw.get("community", {}).values())
                community = doc_to_community(docs[0]) if docs else None
            self._members_cache = (stamp, members, community)
        return self._members_cache[1], self._members_cache[2]

    def community(self) -> Community | None:
        return self._load_people()[1]

    def members(self) -> dict[str, Member]:
        """Every member by id. The dict is shared: do not mutate it."""
        return self._load_people()[0]

    def member_names(self) -> dict[str, str]:
        """Display name by member id, without building Member objects (fast at 50k)."""
        path = self.root / "community.json"
        if self._members_cache is not None and self._members_cache[0] == self._mtime(path):
            return {mid: m.display_name for mid, m in self._members_cache[1].items()}
        docs = self._raw_tables(path).get("members", {}).values() if path.exists() else ()
        return {d["id"]: d.get("name") or d["id"] for d in docs}

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
        """The posts of one month, oldest first. Cached until the file changes."""
        path = self.posts_dir / f"{month}.json"
        stamp = self._mtime(path)
        cached = self._month_cache.get(month)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        posts: list[Post] = []
        if stamp != -1:
            posts = [doc_to_post(d) for d in self._raw_tables(path).get("posts", {}).values()]
            posts.sort(key=lambda p: (p.created_at, p.id))
        self._month_cache[month] = (stamp, posts)
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
        if doc is None:
            if not self.months():
                return PostIndex.build(())
            with self.lock():
                index = PostIndex.build(_index_row(p) for p in self.iter_posts())
                write_json(path, index.as_json())
            stamp = self._mtime(path)
        else:
            index = PostIndex.from_json(doc)
        self._index_cache = (stamp, index, None)
        return index

    def _index(self) -> tuple[PostIndex, dict[str, int]]:
        """The index and its id -> row map (built on first need: 1M rows cost ~0.2 s)."""
        index = self.post_index()
        cache = self._index_cache
        if cache is None or cache[1] is not index:
            return index, {pid: i for i, pid in enumerate(index.id)}
        if cache[2] is None:
            self._index_cache = (cache[0], index, {pid: i for i, pid in enumerate(index.id)})
        positions = self._index_cache[2] if self._index_cache else None
        assert positions is not None
        return index, positions

    def post(self, post_id: str) -> Post | None:
        index, positions = self._index()
        row = positions.get(post_id)
        if row is None:
            return None
        for p in self.posts_in_month(index.month[row]):
            if p.id == post_id:
                return p
        return None

    def posts(self, post_ids: Iterable[str]) -> dict[str, Post]:
        """Several posts by id, reading each month once."""
        index, positions = self._index()
        wanted: dict[str, set[str]] = defaultdict(set)
        for pid in post_ids:
            row = positions.get(pid)
            if row is not None:
                wanted[index.month[row]].add(pid)
        found: dict[str, Post] = {}
        for month, ids in wanted.items():
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

    def save_posts(self, posts: Iterable[Post], progress: Any = None) -> int:
        """Insert or update posts by id, one write per month touched; returns how many.

        `progress`, when given, is called with the number of posts written so far.
        """
        incoming = {p.id: p for p in posts}
        if not incoming:
            return 0
        with self.lock():
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
                with self._db(self.posts_dir / f"{month}.json", cached=True) as db:
                    table = db.table("posts")
                    stale = [d.doc_id for d in table if d["id"] in drop]
                    if stale:
                        table.remove(doc_ids=stale)
                    table.insert_multiple(post_to_doc(p) for p in new)
                    emptied = len(table) == 0
                if emptied:
                    (self.posts_dir / f"{month}.json").unlink(missing_ok=True)
                done += len(new)
                if progress is not None:
                    progress(done)
            keep = [r for r in index.rows() if r[0] not in incoming]
            fresh = PostIndex.build([*keep, *(_index_row(p) for p in incoming.values())])
            write_json(self.root / "index" / "posts.json", fresh.as_json())
            self._bump()
        return len(incoming)

    # -- image hashes -----------------------------------------------------------------------

    def image_hashes(self) -> dict[str, dict[str, Any]]:
        """Stored perceptual hashes by image path: {"kind": ..., "hash": ..., ...}."""
        path = self.root / "images.json"
        if not path.exists():
            return {}
        with self._db(path) as db:
            return {d["path"]: dict(d) for d in db.table("hashes").all()}

    def save_image_hashes(self, records: Sequence[dict[str, Any]]) -> None:
        """Insert or update hash records (each with a `path` key)."""
        if not records:
            return
        incoming = {r["path"]: r for r in records}
        with self.lock():
            with self._db(self.root / "images.json", cached=True) as db:
                table = db.table("hashes")
                stale = [d.doc_id for d in table if d["path"] in incoming]
                if stale:
                    table.remove(doc_ids=stale)
                table.insert_multiple(incoming.values())
            self._bump()
