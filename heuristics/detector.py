"""What a detector sees and what it must provide.

A detector is a small class with a `kind` (one of FORMATS.md's signal kinds) whose
`detect(data, now)` is a pure function of the community's data and `now`. Its parameters
(thresholds, windows, word lists) are constructor keyword arguments with sensible
defaults, so the engine can build it from the `[detectors.<kind>]` table of tact.toml.

A detector that can work incrementally also provides `detect_new(data, new_posts, previous,
now)`: given the signals of its kind from the previous run and the posts added since, it
returns the full new list of its signals, touching only what the new posts can change.
"""

from __future__ import annotations

import contextlib
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import compress, repeat
from operator import ne
from typing import Generic, Protocol, TypeVar, runtime_checkable

from heuristics.model import Community, Lang, Member, Post, Signal
from heuristics.replies import Templates
from heuristics.textfeatures import LEMMATISER, Lemmatiser

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class ImageHashes:
    """Perceptual hashes of one picture, computed once and kept in the store."""

    path: str
    kind: str
    """Which hash (or combination) `hashes` holds, e.g. "phash64+dhash64"."""
    hashes: tuple[int, ...]
    """The hash values as unsigned ints, in the order `kind` names them."""


@runtime_checkable
class HashesSince(Protocol):
    """A mapping of `ImageHashes` that can tell which pictures changed since an earlier
    version of itself. The console's picture view builds a fresh `ImageHashes` per lookup
    (it keeps the values packed), so a detector that keeps what it read between runs asks
    this instead of comparing 100,000 objects by identity."""

    @property
    def version(self) -> object:
        """A token naming exactly this mapping's contents."""
        ...

    def changed_since(self, version: object) -> frozenset[str] | None:
        """The paths that were added, re-hashed or dropped since the mapping `version` names
        (a superset is allowed); None when that is not known."""
        ...


@dataclass(frozen=True, slots=True)
class Moderation:
    """Facts from the audit log that detectors honour (the console folds them for us)."""

    no_checkin: frozenset[str] = frozenset()
    """Members a moderator marked "don't check in"."""
    last_checkin: Mapping[str, datetime] = field(default_factory=dict)
    """When each member was last checked in on privately."""
    onboarding_done: frozenset[tuple[str, str]] = frozenset()
    """(member id or "*" for group posts, step) pairs already done, e.g. ("m17", "welcome")."""


@runtime_checkable
class PostTable(Protocol):
    """Every post without its text, as parallel columns: row i describes `CommunityData.posts[i]`.

    The store keeps one on disk (its post index), so a detector that needs only who posted
    what kind of post when (inactive members, onboarding, counts per week) reads a million
    rows without building a million `Post` objects.
    """

    @property
    def id(self) -> Sequence[str]: ...
    @property
    def author(self) -> Sequence[str]: ...
    @property
    def ts(self) -> Sequence[int]:
        """`created_at` in whole seconds since the epoch (UTC, floored), never decreasing."""
        ...

    @property
    def kind(self) -> Sequence[str]: ...
    @property
    def parent(self) -> Sequence[str | None]: ...
    @property
    def images(self) -> Sequence[tuple[str, ...]]: ...


@dataclass(frozen=True, slots=True)
class ListTable:
    """A `PostTable` made from Post objects (tests, benchmarks, small communities)."""

    id: Sequence[str]
    author: Sequence[str]
    ts: Sequence[int]
    kind: Sequence[str]
    parent: Sequence[str | None]
    images: Sequence[tuple[str, ...]]

    @classmethod
    def of(cls, posts: Iterable[Post]) -> ListTable:
        rows = [
            (p.id, p.author, int(p.created_at.timestamp() // 1), p.kind, p.parent, tuple(p.images))
            for p in posts
        ]
        if not rows:
            return cls([], [], [], [], [], [])
        ids, authors, ts, kinds, parents, images = (list(col) for col in zip(*rows, strict=True))
        return cls(ids, authors, ts, kinds, parents, images)

    def __len__(self) -> int:
        return len(self.id)


@dataclass(frozen=True, slots=True)
class CommunityData:
    """Everything a detector may read. Built by the console from the store."""

    community: Community
    members: Mapping[str, Member]
    posts: Sequence[Post]
    """Every post and comment, oldest first."""
    image_hashes: Mapping[str, ImageHashes] = field(default_factory=dict)
    """By image path (as in `Post.images`)."""
    moderation: Moderation = field(default_factory=Moderation)
    templates: Templates = field(default_factory=Templates)
    member_langs: Mapping[str, Lang] = field(default_factory=dict)
    """The language of each member: given in the file, else detected from their posts."""
    table: PostTable | None = None
    """The columns of `posts` when the caller has them already (the console passes the
    store's index, and then `posts` is lazy: only the rows a detector touches are read)."""
    lookup: Callable[[Iterable[str]], Mapping[str, Post]] | None = None
    """Posts by id without a pass over `posts` (the console passes the store's)."""
    locate: Callable[[Iterable[str]], Mapping[str, int]] | None = None
    """Rows of `table` by post id, without a pass over it (the console passes the store's)."""
    month_sums: Mapping[str, int] = field(default_factory=dict)
    """Per month ("YYYY-MM" of `created_at`, UTC), the sum (mod 2^64) of the engine's
    `post_digest` over its posts, for the months the caller keeps it for (the console's store
    does, at write time): a run with no state to continue then fingerprints those months
    without reading a single post. A wrong sum only makes the next run start over."""
    memo: dict[object, object] = field(default_factory=dict, compare=False, repr=False)
    """Figures several detectors derive from the same data in one run (per-member stats),
    computed by the first that needs them. Lives and dies with this object."""
    lemmatiser: Lemmatiser = field(default=LEMMATISER, compare=False, repr=False)
    """Lemmas of words (the console passes one whose dictionaries load quicker, and keeps it)."""
    kept: dict[object, object] = field(default_factory=dict, compare=False, repr=False)
    """Figures that stay true from one run to the next because they are keyed by everything
    they depend on (a text's lemmas by the text and its language), each a `Kept`. A console
    hands every run the same dict, so a run after an import works out only the new posts'."""

    def columns(self) -> PostTable:
        """`table`, or columns built from `posts` (a pass over them: ask once per run)."""
        return self.table if self.table is not None else ListTable.of(self.posts)

    def since(self, start: datetime) -> list[Post]:
        """The posts with `created_at >= start`, without touching older ones."""
        posts = self.posts
        if self.table is None:
            return list(posts[bisect_left(posts, start, key=_created) :])
        # The table's times are whole seconds and, within one second, rows go by id: the
        # rows of the boundary second are filtered on their exact time.
        lo = bisect_left(self.table.ts, _second(start))
        return [p for p in posts[lo:] if p.created_at >= start]

    def between(self, start: datetime, end: datetime, comments: bool = True) -> list[Post]:
        """The posts with `start < created_at <= end`, without touching the others; with
        `comments` False, without the comments either (seven in ten posts of a busy group:
        the table tells them apart without building them)."""
        posts = self.posts
        if self.table is None:
            lo, hi = bisect_right(posts, start, key=_created), bisect_right(posts, end, key=_created)
            return [p for p in posts[lo:hi] if comments or not p.is_comment]
        ts = self.table.ts
        lo, hi = bisect_left(ts, _second(start)), bisect_right(ts, _second(end))
        if comments:
            return [p for p in posts[lo:hi] if start < p.created_at <= end]
        posts_only = map(ne, self.table.kind[lo:hi], repeat("comment"))
        return [p for p in compress(posts[lo:hi], posts_only) if start < p.created_at <= end]

    def until(self, end: datetime, last: int) -> list[Post]:
        """The newest `last` posts with `created_at <= end`, oldest first."""
        posts = self.posts
        if self.table is None:
            hi = bisect_right(posts, end, key=_created)
            return list(posts[max(0, hi - last) : hi])
        ts = self.table.ts
        second = _second(end)
        hi = bisect_right(ts, second)
        boundary = hi - bisect_left(ts, second)
        found = [p for p in posts[max(0, hi - last - boundary) : hi] if p.created_at <= end]
        return found[-last:] if last > 0 else []

    def rows_of(self, ids: Iterable[str]) -> dict[str, int]:
        """The rows (in `posts` and `table`) of the posts of `ids` that exist."""
        wanted = set(ids)
        if not wanted:  # nothing to look up: no pass over the ids, no map of them
            return {}
        if self.locate is not None:
            return {pid: row for pid, row in self.locate(wanted).items() if pid in wanted}
        return {pid: i for i, pid in enumerate(self.columns().id) if pid in wanted}

    def row_of_post(self, post: Post) -> int | None:
        """The row of `post` in `columns()`, by bisection on its second (no id map needed)."""
        table = self.columns()
        ts, ids = table.ts, table.id
        second = _second(post.created_at)
        lo = bisect_left(ts, second)
        for row in range(lo, bisect_right(ts, second, lo)):
            if ids[row] == post.id:
                return row
        return None

    def light_posts(self, ids: Iterable[str]) -> dict[str, Post]:
        """The posts of `ids` built from the table alone: no text, times to the second.
        For detectors that need who, when, which pictures and which thread, not the words."""
        return self.light_posts_at(self.rows_of(ids))

    def light_posts_at(self, rows: Mapping[str, int]) -> dict[str, Post]:
        """`light_posts` of posts whose rows the caller knows already (post id -> row)."""
        table = self.columns()
        out: dict[str, Post] = {}
        for pid, i in rows.items():
            at = datetime.fromtimestamp(table.ts[i], UTC)
            out[pid] = Post(pid, table.author[i], at, table.kind[i], "", table.images[i], table.parent[i])  # type: ignore[arg-type]
        return out

    def posts_by_id(self, ids: Iterable[str]) -> dict[str, Post]:
        """The posts of `ids` that exist, by id."""
        wanted = set(ids)
        if self.lookup is not None:
            return {pid: p for pid, p in self.lookup(wanted).items() if pid in wanted}
        return {p.id: p for p in self.posts if p.id in wanted}

    def lang_of(self, member_id: str) -> Lang:
        """A member's language; the community's (else English) when unknown."""
        lang = self.member_langs.get(member_id)
        if lang is None:
            member = self.members.get(member_id)
            lang = member.lang if member is not None else None
        return lang or self.community.lang or "en"


class Kept(Generic[K, V]):
    """A bounded map for `CommunityData.kept`: the entries used last stay, the oldest go."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        found = self._items.get(key)
        if found is not None:
            # A console may run the engine in two threads at once (signals, health): the
            # other may have let the entry go since; it is then simply not moved.
            with contextlib.suppress(KeyError):
                self._items.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        if len(self._items) > self.size:
            with contextlib.suppress(KeyError):
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    @classmethod
    def of(cls, data: CommunityData, name: str, size: int) -> Kept[K, V]:
        """`data.kept[name]`, made when missing."""
        found = data.kept.get(name)
        if not isinstance(found, Kept):
            found = data.kept[name] = cls(size)
        return found


@dataclass(frozen=True, slots=True)
class Mark:
    """Where a post table stood: its lineage and its rows (see `grew_from`)."""

    lineage: object
    rows: int


def mark_of(table: PostTable) -> Mark | None:
    """`table`'s mark, when it carries a lineage (the console's post index does)."""
    lineage = getattr(table, "lineage", None)
    return None if lineage is None else Mark(lineage, len(table.id))


def grew_from(table: PostTable, mark: Mark | None) -> bool:
    """Whether `table` is known, without comparing its rows, to start with every row of the
    table `mark` was taken of. The console's post index carries a lineage token that two
    indexes share only when the store read or wrote the later one as rows appended to the
    earlier. False means "not known": the caller compares (`starts_with`)."""
    return mark is not None and getattr(table, "lineage", None) is mark.lineage and len(table.id) >= mark.rows


def starts_with(seq: Sequence[object], prefix: Sequence[object]) -> bool:
    """Whether `seq` begins with every item of `prefix`: how the caches a console keeps tell
    that a column or a list of ids only grew (C-speed, nearly free when the two share their
    objects, as a grown post index does)."""
    return len(prefix) <= len(seq) and seq[: len(prefix)] == prefix


def _created(post: Post) -> datetime:
    return post.created_at


def _second(at: datetime) -> int:
    return int(at.timestamp() // 1)


@runtime_checkable
class Detector(Protocol):
    kind: str

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]: ...


@runtime_checkable
class IncrementalDetector(Detector, Protocol):
    def detect_new(
        self, data: CommunityData, new_posts: Sequence[Post], previous: Sequence[Signal], now: datetime
    ) -> list[Signal]: ...


@runtime_checkable
class ReusingDetector(Detector, Protocol):
    """A detector that must look at everything each run (its signals depend on `now`) but
    whose signals mostly come out as before: a member silent for 29 weeks yesterday still is
    today. `detect_again` must equal `detect(data, now)`, giving back the very objects of
    `previous` that are unchanged (saving their building and, in the console, their encoding).
    """

    def detect_again(
        self, data: CommunityData, now: datetime, previous: Sequence[Signal]
    ) -> list[Signal]: ...
