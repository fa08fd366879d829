"""image_repost: the same picture posted again — recompressed, resized, cropped, captioned.

Pictures are compared by the hashes of `heuristics.image_hash` (a centre pHash and sixteen
"as if cropped" views of it), found through the multi-index `HashIndex` rather than by
comparing all pairs, and grouped with a union-find over the posts that show them: one
signal a group, posts oldest first. The score is highest when different members pass the
picture around over days or weeks (what moderators care about) and low when one member
re-shares their own picture, lowest within one thread.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import chain, compress
from operator import eq

import numpy as np

from heuristics.detector import (
    CommunityData,
    HashesSince,
    ImageHashes,
    Mark,
    PostTable,
    grew_from,
    mark_of,
    starts_with,
)
from heuristics.grouping import UnionFind, reply_to_repost, span_words
from heuristics.hash_index import HashIndex
from heuristics.image_hash import BITS, COLOUR_TOLERANCE, KIND, VALUES, VIEWS, is_informative
from heuristics.model import Post, Signal, signal_id

#: Chosen by `benchmarks/image_quality.py`: on the test set every edit lands within 6 bits
#: while the closest different pictures are 8-10 bits apart; a lower bound also keeps the
#: chance of two unrelated pictures matching negligible in a community of 100,000 pictures.
DEFAULT_THRESHOLD = 6


@dataclass(frozen=True, slots=True)
class _Pictures:
    """The hashable pictures of the posts, as arrays."""

    paths: list[str]
    centres: np.ndarray
    """(n,) uint64: each picture's centre hash (what the index holds)."""
    views: np.ndarray
    """(n, views) uint64: every view, the centre first (what queries send)."""
    colours: np.ndarray
    """(n, 8) int16: the chroma bytes (see `heuristics.image_hash.chroma`)."""
    posts_of: dict[str, list[str]]
    """picture path → ids of the posts showing it, oldest first."""
    rows: Mapping[str, int] = field(default_factory=dict)
    """post id → its row in the post table, for the posts gathered from it (`everything`):
    re-rendering a group then finds its posts' rows without the table's map of every id
    (a million ids hashed: half a second in a process that has not made it yet)."""

    @classmethod
    def gather(cls, data: CommunityData, posts: Iterable[Post]) -> _Pictures:
        return _gathered(data, ((p.id, p.images) for p in posts)).pictures

    @classmethod
    def everything(cls, data: CommunityData) -> _Pictures:
        """Every post's pictures, from the post table: no post is read.

        A console keeps the result between runs (`CommunityData.kept`): after an import
        of the latest posts only the new rows are gathered, while the older rows and every
        hash they were gathered with are the same (the console's picture view says which
        pictures changed since the version gathered from: `HashesSince`)."""
        table = data.columns()
        ids, images = table.id, table.images
        seen = data.kept.get(_EVERYTHING)
        start = 0
        if isinstance(seen, _Gathered) and seen.still_true(data, table, ids, images):
            start = len(seen.ids)
        else:
            seen = None
        # compress() finds the few rows with pictures at C speed (a million rows, ~5% pictured).
        pictured = list(compress(range(start, len(images)), images[start:]))
        found = _gathered(data, ((ids[i], images[i]) for i in pictured), seen)
        at = dict(seen.pictures.rows) if seen is not None else {}  # copied: `seen` stays as it was
        at.update(zip(map(ids.__getitem__, pictured), pictured, strict=True))
        pictures = replace(found.pictures, rows=at)
        mark = mark_of(table)
        data.kept[_EVERYTHING] = replace(found, pictures=pictures, ids=ids, images=images, mark=mark)
        return pictures

    @classmethod
    def of_rows(cls, data: CommunityData, rows_in: Iterable[tuple[str, Sequence[str]]]) -> _Pictures:
        """From (post id, its pictures) pairs, oldest post first."""
        return _gathered(data, rows_in).pictures


_EVERYTHING = "image_repost.everything"


@dataclass(frozen=True, slots=True)
class _Gathered:
    """Pictures gathered from (post id, pictures) rows, with what they were gathered from."""

    pictures: _Pictures
    version: object | None
    """The version of the hashes read (`HashesSince`), when the mapping has versions: the
    values read are in `pictures`, not kept twice as `ImageHashes` (~60 MiB at 1M posts)."""
    unusable: dict[str, ImageHashes | None]
    """Pictures shown but left out (not hashed, or not hashable): what was read for them."""
    ids: Sequence[str] = ()
    """The post table's id column the rows came from (for `everything`)."""
    images: Sequence[Sequence[str]] = ()
    """Its pictures column."""
    mark: Mark | None = None
    """Where the post table stood."""

    def still_true(
        self, data: CommunityData, table: PostTable, ids: Sequence[str], images: Sequence[Sequence[str]]
    ) -> bool:
        """Whether the table only grew since (known from its lineage, else compared: C speed,
        the lists share most of their objects) and every picture it saw reads the same hashes."""
        grew = grew_from(table, self.mark) and len(self.ids) == self.mark.rows  # type: ignore[union-attr]
        if not grew and (not starts_with(ids, self.ids) or not starts_with(images, self.images)):
            return False
        hashes = data.image_hashes
        if self.version is not None and isinstance(hashes, HashesSince):
            changed = hashes.changed_since(self.version)
            if changed is not None:
                return changed.isdisjoint(self.pictures.posts_of) and changed.isdisjoint(self.unusable)
        return self._same_values(hashes)

    def _same_values(self, hashes: Mapping[str, ImageHashes]) -> bool:
        """Whether every picture seen reads the values it was gathered with (a pass over all)."""
        hash_of = hashes.get
        if not all(map(eq, map(hash_of, self.unusable), self.unusable.values())):
            return False
        rows: list[tuple[int, ...]] = []
        for h in map(hash_of, self.pictures.paths):
            if h is None or h.kind != KIND or len(h.hashes) != VALUES:
                return False
            rows.append(h.hashes)
        try:
            views, colours = _arrays(rows)
        except OverflowError:  # a value that no uint64 holds: not what was gathered
            return False
        return bool(
            np.array_equal(views, self.pictures.views) and np.array_equal(colours, self.pictures.colours)
        )


def _gathered(
    data: CommunityData, rows_in: Iterable[tuple[str, Sequence[str]]], base: _Gathered | None = None
) -> _Gathered:
    """The pictures of the rows (post id, pictures), oldest post first, after `base`'s."""
    posts_of: dict[str, list[str]] = defaultdict(list)
    unusable: dict[str, ImageHashes | None] = {}
    if base is not None:
        posts_of.update(base.pictures.posts_of)
        unusable.update(base.unusable)
    copied: set[str] = set()  # base's lists are copied before they grow: base stays as it was
    rows: list[tuple[int, ...]] = []
    paths: list[str] = []
    hash_of = data.image_hashes.get
    for post_id, images in rows_in:
        for path in dict.fromkeys(images) if len(images) > 1 else images:
            if path in posts_of:  # seen (and usable) already
                if base is not None and path not in copied and path in base.pictures.posts_of:
                    posts_of[path] = list(posts_of[path])
                    copied.add(path)
                posts_of[path].append(post_id)
                continue
            if path in unusable:
                continue
            h = hash_of(path)
            if h is None or h.kind != KIND or len(h.hashes) != VALUES or not is_informative(h.hashes):
                unusable[path] = h
                continue
            paths.append(path)
            rows.append(h.hashes)
            posts_of[path].append(post_id)
    views, colours = _arrays(rows)
    if base is not None:
        old = base.pictures
        paths = old.paths + paths
        views, colours = np.concatenate([old.views, views]), np.concatenate([old.colours, colours])
    pictures = _Pictures(paths, views[:, 0].copy(), views, colours, dict(posts_of))
    hashes = data.image_hashes
    return _Gathered(pictures, hashes.version if isinstance(hashes, HashesSince) else None, unusable)


def _arrays(rows: Sequence[tuple[int, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """(views, colours) of the pictures whose hash values are `rows` (VALUES each)."""
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.uint64, count=len(rows) * VALUES)
    values = flat.reshape(len(rows), VALUES)
    views = values[:, :VIEWS]
    colours = values[:, VIEWS:].astype(">u8").view(np.uint8).reshape(len(rows), 8).astype(np.int16)
    return views, colours


def _near_pairs(index_side: _Pictures, query_side: _Pictures, threshold: int) -> list[tuple[str, str, int]]:
    """(path, path, distance) for query pictures whose views meet an indexed centre."""
    if not len(index_side.paths) or not len(query_side.paths):
        return []
    index = HashIndex.build(index_side.centres)
    qi, ki, dist = index.search(query_side.views.ravel(), threshold)
    qi //= VIEWS
    if index_side is query_side:
        # Every picture meets its own centre, and a pair is met from both sides: keep
        # each unordered pair once, at its closest (in NumPy: these are most results).
        keep = qi != ki
        lo, hi, dist = np.minimum(qi, ki)[keep], np.maximum(qi, ki)[keep], dist[keep]
        order = np.lexsort((dist, hi, lo))
        lo, hi, dist = lo[order], hi[order], dist[order]
        first = np.r_[True, (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])][: len(lo)]
        qi, ki, dist = lo[first], hi[first], dist[first]
    # Same grey structure is not enough: the colours of the centres must agree too.
    alike = np.abs(query_side.colours[qi] - index_side.colours[ki]).max(axis=1, initial=0) <= COLOUR_TOLERANCE
    qi, ki, dist = qi[alike], ki[alike], dist[alike]
    out = []
    for q, k, d in zip(qi.tolist(), ki.tolist(), dist.tolist(), strict=True):
        a, b = query_side.paths[q], index_side.paths[k]
        if a != b:
            out.append((a, b, d))
    return out


def _one_way(centres: np.ndarray, views: np.ndarray) -> np.ndarray:
    """(len(centres), len(views)): each centre's least distance to any view of each picture."""
    out = np.full((len(centres), len(views)), BITS, dtype=np.uint8)
    # One view at a time over blocks of rows of about a million pairs: the temporaries stay
    # in cache (a block of n*n*17 words took a second on a group of 1,270 reposts).
    step = max(1, (1 << 20) // max(len(views), 1))
    for start in range(0, len(centres), step):
        rows = out[start : start + step]
        for v in range(views.shape[1]):
            np.minimum(
                rows, np.bitwise_count(centres[start : start + step, None] ^ views[None, :, v]), out=rows
            )
    return out


def _clashes(colours: np.ndarray, others: np.ndarray) -> np.ndarray:
    """(len(colours), len(others)): whether two pictures' colours disagree. One chroma byte
    at a time: an (n, n, 8) temporary cost 0.2 s on a group of 1,560 pictures."""
    worst = np.zeros((len(colours), len(others)), dtype=np.int16)
    for c in range(colours.shape[1]):
        np.maximum(worst, np.abs(colours[:, None, c] - others[None, :, c]), out=worst)
    return worst > COLOUR_TOLERANCE


def _distances(views: np.ndarray, colours: np.ndarray) -> np.ndarray:
    """(n, n) distances between pictures: either's centre against the other's views
    (BITS where their colours disagree)."""
    one_way = _one_way(views[:, 0], views)
    both = np.minimum(one_way, one_way.T)
    both[_clashes(colours, colours)] = BITS
    return both


def _post_distances(data: CommunityData, posts: Sequence[Post]) -> np.ndarray:
    """(m, m) distances between posts: the closest pair of their pictures (a post with no
    usable picture is BITS away from everything)."""
    pictures = _Pictures.gather(data, posts)
    post_of, pic_of = _shown(pictures, posts)
    dist = _distances(pictures.views, pictures.colours)
    return _closest_pairs(dist, post_of, pic_of, len(posts)).astype(np.int64)


def _post_rows(data: CommunityData, posts: Sequence[Post], which: Sequence[int]) -> np.ndarray:
    """(len(which), m): rows `which` of `_post_distances(data, posts)`, each computed against
    the group's pictures without the group's all pairs (a new repost of a picture passed
    around a thousand times costs one row, not a million pairs)."""
    pictures = _Pictures.gather(data, posts)
    post_of, pic_of = _shown(pictures, posts)
    slot = np.full(len(posts), -1, dtype=np.intp)
    slot[np.asarray(which, dtype=np.intp)] = np.arange(len(which))
    mine = np.flatnonzero(slot[post_of] >= 0) if len(post_of) else np.empty(0, dtype=np.intp)
    chosen, row_pic = np.unique(pic_of[mine], return_inverse=True)
    views, colours = pictures.views[chosen], pictures.colours[chosen]
    cross = np.minimum(_one_way(views[:, 0], pictures.views), _one_way(pictures.views[:, 0], views).T)
    cross[_clashes(colours, pictures.colours)] = BITS
    rows = (slot[post_of[mine]], row_pic.reshape(-1), len(which))
    return _closest_pairs(cross, post_of, pic_of, len(posts), rows).astype(np.int64)


def _shown(pictures: _Pictures, posts: Sequence[Post]) -> tuple[np.ndarray, np.ndarray]:
    """(post, picture) index pairs: post `posts[a]` shows picture `pictures.paths[b]`."""
    where = {p: i for i, p in enumerate(pictures.paths)}
    order = {p.id: n for n, p in enumerate(posts)}
    pairs = [(order[post_id], where[path]) for path, ids in pictures.posts_of.items() for post_id in ids]
    post_of = np.array([a for a, _ in pairs], dtype=np.intp)
    pic_of = np.array([b for _, b in pairs], dtype=np.intp)
    return post_of, pic_of


def _closest_pairs(
    dist: np.ndarray,
    post_of: np.ndarray,
    pic_of: np.ndarray,
    m: int,
    rows: tuple[np.ndarray, np.ndarray, int] | None = None,
) -> np.ndarray:
    """(m, m): for posts a and b, the least `dist` between a picture of a and one of b, where
    post `post_of[k]` shows picture `pic_of[k]` (BITS for a post showing none).

    With `rows` = (row_post, row_pic, n): (n, m), `dist` having a row per picture of a row
    side where row post `row_post[k]` shows the picture of `dist` row `row_pic[k]`.

    Sorted by post, each post's pictures are one run: `minimum.reduceat` folds the runs in
    C (`minimum.at` took seconds on a group of a thousand reposts)."""
    row_post, row_pic, n = rows if rows is not None else (post_of, pic_of, m)
    near = np.full((n, m), BITS, dtype=np.uint8)
    if not len(post_of) or not len(row_post):
        return near
    row_owners, row_starts, row_pictures = _runs(row_post, row_pic)
    owners, starts, pictures = _runs(post_of, pic_of)
    to_pictures = np.minimum.reduceat(dist[row_pictures], row_starts, axis=0)  # each post to each picture
    between = np.minimum.reduceat(to_pictures[:, pictures], starts, axis=1)
    near[np.ix_(row_owners, owners)] = between
    return near


def _runs(post_of: np.ndarray, pic_of: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs sorted by post: (each run's post, where each run starts, the pictures)."""
    order = np.argsort(post_of, kind="stable")
    owner, picture = post_of[order], pic_of[order]
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    return owner[starts], starts, picture


class ImageRepostDetector:
    kind = "image_repost"

    def __init__(
        self,
        threshold: int = DEFAULT_THRESHOLD,
        spread_days: float = 14.0,
        reply_variant: str = "default",
    ) -> None:
        if not 0 <= threshold < BITS // 2:
            raise ValueError(f"threshold must be between 0 and {BITS // 2 - 1} bits")
        self.threshold = threshold
        self.spread = timedelta(days=spread_days)
        self.reply_variant = reply_variant

    # -- finding groups ----------------------------------------------------------------------

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        pictures = _Pictures.everything(data)
        groups = UnionFind()  # only posts that meet another: singletons never make a signal
        for ids in pictures.posts_of.values():
            for other in ids[1:]:
                groups.union(ids[0], other)
        for a, b, _ in _near_pairs(pictures, pictures, self.threshold):
            groups.union(pictures.posts_of[a][0], pictures.posts_of[b][0])
        return self._signals(data, groups.groups(), rows=pictures.rows)

    def detect_new(
        self, data: CommunityData, new_posts: Sequence[Post], previous: Sequence[Signal], now: datetime
    ) -> list[Signal]:
        """Query only the new posts' pictures (both ways: a new original meets an older
        crop through the older picture's views) and re-render only the groups they touch."""
        everything = _Pictures.everything(data)
        fresh = _Pictures.gather(data, new_posts)
        links: list[tuple[str, str]] = []
        for path in fresh.posts_of:
            # Every post showing a picture a new post shows: a new post older than the
            # others (an import of older posts) is the first of them and must meet them all.
            ids = everything.posts_of[path]
            links += [(ids[0], i) for i in ids[1:]] or [(ids[0], ids[0])]
        pairs = _near_pairs(everything, fresh, self.threshold)
        pairs += _near_pairs(fresh, everything, self.threshold)  # a new original, older crops
        links += [(everything.posts_of[a][0], everything.posts_of[b][0]) for a, b, _ in pairs]
        if not links:
            return [s for s in previous if s.kind == self.kind]
        groups = UnionFind()
        for signal in previous:
            for post_id in signal.posts[1:]:
                groups.union(signal.posts[0], post_id)
        for a, b in links:
            groups.union(a, b)
        touched = {groups.find(a) for a, _ in links}
        kept = [s for s in previous if s.kind == self.kind and groups.find(s.posts[0]) not in touched]
        redo = [g for g in groups.groups() if groups.find(g[0]) in touched]
        before = {s.posts[0]: s for s in previous if s.kind == self.kind}
        return kept + self._signals(data, redo, before, everything.rows)

    # -- one signal a group -----------------------------------------------------------------

    def _signals(
        self,
        data: CommunityData,
        groups: Iterable[list[str]],
        before: Mapping[str, Signal] | None = None,
        rows: Mapping[str, int] | None = None,
    ) -> list[Signal]:
        """One signal a group of two posts or more; `before`: the previous signals by their
        first post, whose links a grown group reuses (see `_links`); `rows`: the rows of
        posts known already (`_Pictures.rows`)."""
        groups = list(groups)
        before = before or {}
        # Who posted, when, which pictures, in which thread: the post table has it all, so
        # re-rendering a group reads no month partition (`light_posts` carry no text).
        by_id = _light_posts(data, {i for group in groups for i in group}, rows or {})
        # Their parents too, in one lookup: `_root` walks up the threads.
        parents = {p.parent for p in by_id.values() if p.parent and p.parent not in by_id}
        by_id.update(_light_posts(data, parents, rows or {}))
        signals = []
        for group in groups:
            posts = sorted((by_id[i] for i in group if i in by_id), key=lambda p: (p.created_at, p.id))
            if len(posts) > 1:
                signals.append(self._signal(data, posts, by_id, before.get(posts[0].id)))
        return signals

    def _links(
        self, data: CommunityData, posts: list[Post], before: Signal | None
    ) -> list[tuple[int, int, int]]:
        """(i, j, distance): each post after the first, the post it is the same picture as —
        the closest earlier post or, if the post only meets the group through a later one,
        its closest post overall (the earliest on ties, either way).

        A group that gained posts starts from the links of `before`, its previous signal:
        its posts are still there, in the same order, with the same pictures (the engine
        runs the detector in full when a picture seen before is hashed again). Only the
        gained posts' rows are computed, not the group's all pairs: an old post's link
        changes only to a gained post that beats it (closer, or as close and earlier), or
        to a gained earlier post within the threshold when it had none before."""
        m = len(posts)
        old = self._old_links(posts, before)
        todo = [i for i in range(1, m) if i not in old]
        if len(todo) * 4 > m:
            near, rows = _post_distances(data, posts), dict(zip(todo, todo, strict=True))
        else:
            near, rows = _post_rows(data, posts, todo), {i: r for r, i in enumerate(todo)}
        gained = np.array([i for i in todo if old], dtype=np.intp)
        to_gained = near[[rows[int(i)] for i in gained]] if len(gained) else None
        out = []
        for i in range(1, m):
            link = old.get(i)
            if link is None:
                row = near[rows[i]]
                j = int(np.argmin(row[:i]))
                if row[j] > self.threshold:
                    row = row.copy()
                    row[i] = BITS + 1
                    j = int(np.argmin(row))
                out.append((i, j, int(row[j])))
                continue
            j, d = link
            if to_gained is not None:
                column = to_gained[:, i]
                earlier = gained < i
                if earlier.any():
                    r = int(np.argmin(np.where(earlier, column, BITS + 1)))  # the earliest on ties
                    x, v = int(gained[r]), int(column[r])
                    if v <= self.threshold and (j > i or d > self.threshold or (v, x) < (d, j)):
                        j, d = x, v  # a gained earlier post: closer, or the first within the threshold
                if j > i or d > self.threshold:  # still the closest overall: any gained post
                    r = int(np.argmin(column))
                    x, v = int(gained[r]), int(column[r])
                    if (v, x) < (d, j):
                        j, d = x, v
            out.append((i, j, d))
        return out

    def _old_links(self, posts: list[Post], before: Signal | None) -> dict[int, tuple[int, int]]:
        """The links of `before` by index in `posts`, when `posts` holds all its posts and it
        links each but the first; else none."""
        if before is None:
            return {}
        index = {p.id: n for n, p in enumerate(posts)}
        olds = set(before.posts)
        if len(olds) > len(posts) or not olds <= index.keys():
            return {}
        found = before.evidence.get("links")
        out: dict[int, tuple[int, int]] = {}
        for link in found if isinstance(found, list) else ():
            if not isinstance(link, dict):
                continue
            post, same, d = link.get("post"), link.get("same_as"), link.get("distance")
            if not isinstance(post, str) or not isinstance(same, str) or type(d) is not int:
                continue
            i, j = index.get(post), index.get(same)
            if (
                i is not None
                and j is not None
                and i != j
                and 0 <= d <= BITS
                and post in olds
                and same in olds
            ):
                out[i] = (j, d)
        return out if len(out) == len(before.posts) - 1 and 0 not in out else {}

    def _signal(
        self, data: CommunityData, posts: list[Post], by_id: dict[str, Post], before: Signal | None = None
    ) -> Signal:
        links = []
        reasons = []
        for i, j, d in self._links(data, posts, before):
            post, match = posts[i], posts[j]
            links.append({"post": post.id, "same_as": match.id, "distance": d})
            reasons.append(f"{post.id} shows the same picture as {match.id} (distance {d} of {BITS} bits)")

        first, last = posts[0], posts[-1]
        members = list(dict.fromkeys(p.author for p in posts))
        others = [m for m in members if m != first.author]
        roots = {_root(data, p, by_id) for p in posts}
        span = last.created_at - first.created_at
        if others:
            # Different members passing the picture around, the wider and longer the surer.
            score = (
                0.5
                + 0.2 * min(len(others) / 3, 1.0)
                + 0.2 * min(span / self.spread, 1.0)
                + (0.1 if len(roots) > 1 else 0.0)
            )
            reasons.append(
                f"posted by {len(members)} members over {span_words(span)}"
                + ("" if len(roots) > 1 else ", in one thread")
            )
        else:
            score = 0.15 if len(roots) == 1 else 0.3
            reasons.append(
                f"{first.author} re-shared their own picture"
                + (" in the same thread" if len(roots) == 1 else f" over {span_words(span)}")
            )
        return Signal(
            id=signal_id(self.kind, first.id),
            kind=self.kind,
            score=round(min(score, 1.0), 3),
            at=last.created_at,
            posts=tuple(p.id for p in posts),
            members=tuple(members),
            reasons=tuple(reasons),
            reply=reply_to_repost(data, self.kind, first, last, self.reply_variant),
            evidence={
                "hash": KIND,
                "bits": BITS,
                "threshold": self.threshold,
                "links": links,
                "pictures": {p.id: list(dict.fromkeys(p.images)) for p in posts},
                "span_days": round(span / timedelta(days=1), 2),
                "same_thread": len(roots) == 1,
                "own_reshare": not others,
            },
        )


def _light_posts(data: CommunityData, ids: set[str], rows: Mapping[str, int]) -> dict[str, Post]:
    """`data.light_posts(ids)`, the rows in `rows` taken from there."""
    known = {pid: row for pid in ids if (row := rows.get(pid)) is not None}
    found = data.light_posts_at(known)
    if len(known) < len(ids):
        found.update(data.light_posts(ids - known.keys()))
    return found


def _root(data: CommunityData, post: Post, by_id: dict[str, Post]) -> str:
    """The thread a post belongs to; `by_id` gains the parents it had to read."""
    seen = {post.id}
    while post.parent and post.parent not in seen:
        if post.parent not in by_id:
            by_id.update(data.light_posts([post.parent]))
            if post.parent not in by_id:
                break
        post = by_id[post.parent]
        seen.add(post.id)
    return post.id
