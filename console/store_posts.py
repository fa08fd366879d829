"""The store's posts as a lazy sequence over its post index, for the detectors.

A million `Post` objects cost seconds to build; an incremental run needs a few thousand of
them (the new posts, a window of recent ones, the posts a signal names). `StorePosts` is
ordered like the post index (row i is `index.id[i]`), so `CommunityData.table` can be the
index itself, and it reads a month partition only when a row of that month is asked for.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import overload

from console.store import PostIndex, Store
from heuristics.model import Post


class StoreChanged(LookupError):
    """The index names a post its month no longer holds: the store was written meanwhile."""


class StorePosts(Sequence[Post]):
    """Every post of `store`, oldest first, in the order of `index`."""

    def __init__(self, store: Store, index: PostIndex) -> None:
        self._store = store
        self._index = index
        self._months: dict[str, dict[str, Post]] = {}

    def __len__(self) -> int:
        return len(self._index)

    def _month(self, month: str) -> dict[str, Post]:
        found = self._months.get(month)
        if found is None:
            found = self._months[month] = {p.id: p for p in self._store.posts_in_month(month)}
        return found

    def _row(self, i: int) -> Post:
        index = self._index
        pid = index.id[i]
        try:
            return self._month(index.month[i])[pid]
        except KeyError:
            raise StoreChanged(f"post {pid!r} moved while the signals were computed; run again") from None

    @overload
    def __getitem__(self, i: int) -> Post: ...
    @overload
    def __getitem__(self, i: slice) -> list[Post]: ...
    def __getitem__(self, i: int | slice) -> Post | list[Post]:
        if isinstance(i, slice):
            lo, hi, step = i.indices(len(self))
            if step == 1:
                return [p for chunk in self._chunks(lo, hi) for p in chunk]
            return [self._row(r) for r in range(lo, hi, step)]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        return self._row(i)

    def __iter__(self) -> Iterator[Post]:
        for chunk in self._chunks(0, len(self)):
            yield from chunk

    def _chunks(self, lo: int, hi: int) -> Iterator[list[Post]]:
        """Rows [lo, hi) a month at a time (rows of one month are contiguous: the index is
        sorted by time), each month's posts looked up in one C-level map."""
        index = self._index
        months, ids = index.month, index.id
        while lo < hi:
            month = months[lo]
            end = min(hi, bisect_right(months, month, lo))
            posts = self._month(month)
            try:
                yield list(map(posts.__getitem__, ids[lo:end]))
            except KeyError as err:
                raise StoreChanged(f"post {err.args[0]!r} moved while the signals were computed") from None
            lo = end

    def locate(self, ids: Iterable[str]) -> dict[str, int]:
        """Rows by post id (`CommunityData.locate`)."""
        index = self._index
        # The store's index may be newer than ours (an import meanwhile): check the id.
        return {
            pid: row
            for pid, row in self._store.rows_of(ids).items()
            if row < len(index) and index.id[row] == pid
        }

    def lookup(self, ids: Iterable[str]) -> dict[str, Post]:
        """Posts by id, reading only their months (`CommunityData.lookup`)."""
        index = self._index
        found: dict[str, Post] = {}
        for pid, row in self.locate(ids).items():
            post = self._month(index.month[row]).get(pid)
            if post is not None:
                found[pid] = post
        return found


class PostCache(Mapping[str, Post]):
    """The posts read so far, by id; `load` reads more. A signal queue at a million posts
    names posts in every month: reading them all up front took 35 s and a gigabyte, and a
    moderator looks at a few. Looking up never reads (the UI thread looks up; a worker loads)."""

    def __init__(self, store: Store, found: Mapping[str, Post] | None = None) -> None:
        self._store = store
        self._found: dict[str, Post] = dict(found or {})
        self._absent: set[str] = set()

    def missing(self, post_ids: Iterable[str]) -> list[str]:
        """Those of `post_ids` neither read yet nor known to be absent from the store."""
        return [p for p in post_ids if p not in self._found and p not in self._absent]

    def load(self, post_ids: Iterable[str], stop: Callable[[], bool] | None = None) -> None:
        """Read the posts of `post_ids` not read yet (each month once; the store caches it),
        until `stop()` says the answer is no longer wanted."""
        wanted = self.missing(post_ids)
        if wanted:
            got = self._store.posts(wanted, stop)
            self._found.update(got)
            if stop is None or not stop():
                self._absent.update(p for p in wanted if p not in got)

    def __getitem__(self, post_id: str) -> Post:
        return self._found[post_id]

    def __iter__(self) -> Iterator[str]:
        return iter(dict(self._found))

    def __len__(self) -> int:
        return len(self._found)
