"""Per-member activity figures, from the store's columnar post index (no post text needed).

`member_stats` takes the index columns as plain sequences (ids, authors, times in epoch
seconds, kinds), so the members screen computes 50,000 members' figures over a million posts
without building a single `Post`; detectors pass the same columns made from their posts
(`columns_of`). The heavy lifting is done by C-level builtins (`dict(zip(...))` keeps the
last value per key, `Counter` counts) rather than a Python loop over every row.

Only rows at or before `now` count: with a fixed `now` (the demo, tests, `--now`) the figures
are what a moderator would have seen at that moment.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import compress
from typing import TypeVar

from heuristics.detector import CommunityData, Mark, grew_from, mark_of, starts_with
from heuristics.ladder import THREAD_KINDS, Rung, rung
from heuristics.model import Member, Post

DAY = 86_400
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class MemberStats:
    member: str
    joined_at: datetime
    left_at: datetime | None
    last_post: int | None
    """Epoch seconds of the last thread they started (a post or an introduction)."""
    last_comment: int | None
    posts_30: int
    comments_30: int
    posts_90: int
    comments_90: int
    posts_total: int
    comments_total: int
    intro: str | None = None
    """Id of their first introduction post, if any."""
    last_post_id: str | None = None
    """Id of their last post or comment, whichever is later."""
    rung: Rung = "lurker"
    """All-time rung (heuristics/ladder.py): set by `member_stats` from the two totals."""

    @property
    def last_activity(self) -> int | None:
        """Epoch seconds of their last post or comment, None if they never wrote."""
        if self.last_post is None:
            return self.last_comment
        if self.last_comment is None:
            return self.last_post
        return max(self.last_post, self.last_comment)


@dataclass(frozen=True, slots=True)
class Columns:
    """The four index columns member_stats reads, oldest first."""

    ids: Sequence[str]
    authors: Sequence[str]
    ts: Sequence[int]
    kinds: Sequence[str]


def columns_of(posts: Iterable[Post]) -> Columns:
    """Index-like columns from Post objects (sorted by time, as the index is)."""
    rows = [(int(p.created_at.timestamp()), p.id, p.author, p.kind) for p in posts]
    # `CommunityData.posts` is oldest first already: sort only when it is not.
    if any(rows[i][0] > rows[i + 1][0] for i in range(len(rows) - 1)):
        rows.sort()
    return Columns([r[1] for r in rows], [r[2] for r in rows], [r[0] for r in rows], [r[3] for r in rows])


def _last_by(keys: Iterable[str], values: Iterable[T]) -> dict[str, T]:
    # dict() keeps the last value seen for each key: on time-sorted rows, the latest.
    return dict(zip(keys, values, strict=False))


def member_stats(
    members: Iterable[Member],
    ids: Sequence[str],
    authors: Sequence[str],
    ts: Sequence[int],
    kinds: Sequence[str],
    now: datetime,
) -> dict[str, MemberStats]:
    """Figures for every member in `members`, by id. Columns must be sorted by `ts`.

    "Last 30 days" means `now - 30 days < ts <= now`. Posts by strangers are ignored.
    """
    now_s = int(now.astimezone(UTC).timestamp())
    hi = bisect.bisect_right(ts, now_s)
    if hi < len(ts):
        ids, authors, ts, kinds = ids[:hi], authors[:hi], ts[:hi], kinds[:hi]
    is_comment = [k == "comment" for k in kinds]
    is_thread = [not c for c in is_comment]
    is_intro = [k == "introduction" for k in kinds]

    last_comment = _last_by(compress(authors, is_comment), compress(ts, is_comment))
    last_post = _last_by(compress(authors, is_thread), compress(ts, is_thread))
    last_id = _last_by(authors, ids)
    # Reversed, the last value kept is the earliest: each member's first introduction.
    first_intro = _last_by(
        compress(reversed(authors), reversed(is_intro)), compress(reversed(ids), reversed(is_intro))
    )
    comments_total = Counter(compress(authors, is_comment))
    posts_total = Counter(compress(authors, is_thread))

    def window(days: int) -> tuple[Counter[str], Counter[str]]:
        lo = bisect.bisect_right(ts, now_s - days * DAY)
        a = authors[lo:]
        c = is_comment[lo:]
        return Counter(compress(a, [not x for x in c])), Counter(compress(a, c))

    p30, c30 = window(30)
    p90, c90 = window(90)
    # One positional constructor call per member, with the lookups bound once: at 50,000
    # members this loop is most of the cost.
    lp, lc, fi, li = last_post.get, last_comment.get, first_intro.get, last_id.get
    g30, h30, g90, h90 = p30.get, c30.get, p90.get, c90.get
    pt, ct = posts_total.get, comments_total.get
    out: dict[str, MemberStats] = {}
    for m in members:
        mid = m.id
        if mid not in last_id:  # never wrote (most members, 90-9-1): nothing to look up
            out[mid] = MemberStats(mid, m.joined_at, m.left_at, None, None, 0, 0, 0, 0, 0, 0)
            continue
        threads, comments = pt(mid, 0), ct(mid, 0)
        out[mid] = MemberStats(
            mid,
            m.joined_at,
            m.left_at,
            lp(mid),
            lc(mid),
            g30(mid, 0),
            h30(mid, 0),
            g90(mid, 0),
            h90(mid, 0),
            threads,
            comments,
            fi(mid),
            li(mid),
            rung(threads, comments),
        )
    return out


@dataclass(frozen=True, slots=True)
class Activity:
    """Who wrote last and when, and each member's first introduction: the few figures the
    inactive and onboarding rules read, from the index columns in two C-level passes (the
    full `member_stats` counts windows too, which those rules never look at)."""

    last: Mapping[str, int]
    """Author → epoch seconds of their last post or comment at or before `now`."""
    last_id: Mapping[str, str]
    """Author → id of that post or comment (the last row of theirs)."""
    intro: Mapping[str, str]
    """Author → id of their first introduction."""


def activity(
    ids: Sequence[str],
    authors: Sequence[str],
    ts: Sequence[int],
    kinds: Sequence[str],
    now: datetime,
    since: tuple[int, Activity] | None = None,
) -> Activity:
    """`Activity` over index columns sorted by `ts`; rows after `now` are left out exactly as
    `member_stats` leaves them out (same second arithmetic), and so are its figures: an
    author's last row has the greatest time, hence `last` is `MemberStats.last_activity` and
    `last_id` its `last_post_id`.

    `since` = (rows, figures): `figures` is this over the first `rows` rows already (the
    caller vouches for them); only the rows after them are read."""
    lo, base = since if since is not None else (0, None)
    hi = rows_until(ts, now)
    # dict() keeps the last row seen for each author.
    last_row = dict(zip(authors[lo:hi], range(lo, hi), strict=True))
    rows = list(last_row.values())
    last = dict(base.last) if base is not None else {}
    last.update(zip(last_row, map(ts.__getitem__, rows), strict=True))
    last_id = dict(base.last_id) if base is not None else {}
    last_id.update(zip(last_row, map(ids.__getitem__, rows), strict=True))
    intro_rows = list(compress(range(lo, hi), map("introduction".__eq__, kinds[lo:hi])))
    intro_rows.reverse()  # the last value kept is then each author's first introduction
    intro = dict(zip(map(authors.__getitem__, intro_rows), map(ids.__getitem__, intro_rows), strict=True))
    if base is not None:
        intro.update(base.intro)  # an earlier introduction stays the first
    return Activity(last, last_id, intro)


def rows_until(ts: Sequence[int], now: datetime) -> int:
    """How many rows (sorted by `ts`) are at or before `now`, to the second."""
    return bisect.bisect_right(ts, int(now.astimezone(UTC).timestamp()))


@dataclass(frozen=True, slots=True)
class _Counted:
    """`activity` as a console keeps it between runs (`CommunityData.kept`)."""

    now: datetime
    rows: int
    columns: tuple[Sequence[str], Sequence[str], Sequence[int], Sequence[str]]
    figures: Activity
    chain: object
    """The same object for every count grown from one full count: rows below `rows` are then
    the same posts in each (inactive members carry their figures over the rows in between)."""
    mark: Mark | None = None
    """Where the post table stood (its rows start the next one's when it `grew_from` it)."""


_KEPT_ACTIVITY = "member_stats.activity"


def activity_from_data(data: CommunityData, now: datetime) -> Activity:
    """`activity` over the data's post table, once per `data` and `now` (inactive members and
    onboarding run in the same process and both need it). A console keeps it from one run to
    the next: after an import of the latest posts (the first rows the same, `now` no
    earlier) only the new rows are read."""
    key = ("activity", now)
    found = data.memo.get(key)
    if found is None:
        cols = data.columns()
        columns = (cols.id, cols.author, cols.ts, cols.kind)
        seen = data.kept.get(_KEPT_ACTIVITY)
        since = None
        chain = object()
        if (
            isinstance(seen, _Counted)
            and seen.now <= now
            and (grew_from(cols, seen.mark) or _same_rows(seen.columns, columns, seen.rows))
        ):
            since = (seen.rows, seen.figures)
            chain = seen.chain
        found = data.memo[key] = activity(*columns, now, since)
        counted = _Counted(now, rows_until(cols.ts, now), columns, found, chain, mark_of(cols))
        data.kept[_KEPT_ACTIVITY] = counted
    assert isinstance(found, Activity)
    return found


def _same_rows(old: Sequence[Sequence[object]], new: Sequence[Sequence[object]], rows: int) -> bool:
    """Whether the first `rows` rows of the columns are equal."""
    return all(starts_with(b, a[:rows]) for a, b in zip(old, new, strict=True))


def stats_from_posts(
    members: Mapping[str, Member], posts: Iterable[Post], now: datetime
) -> dict[str, MemberStats]:
    """`member_stats` over Post objects (what detectors hold)."""
    cols = columns_of(posts)
    return member_stats(members.values(), cols.ids, cols.authors, cols.ts, cols.kinds, now)


def stats_from_data(data: CommunityData, now: datetime) -> dict[str, MemberStats]:
    """`member_stats` over the data's post table, computed once per `data` and `now`
    (inactive members and onboarding both need it)."""
    key = ("member_stats", now)
    found = data.memo.get(key)
    if found is None:
        cols = data.columns()
        found = member_stats(data.members.values(), cols.id, cols.author, cols.ts, cols.kind, now)
        data.memo[key] = found
    assert isinstance(found, dict)
    return found


def to_datetime(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def days_between(earlier: datetime, later: datetime) -> float:
    return (later - earlier) / timedelta(days=1)


__all__ = [
    "THREAD_KINDS",
    "Activity",
    "Columns",
    "MemberStats",
    "activity",
    "activity_from_data",
    "columns_of",
    "member_stats",
    "stats_from_data",
    "stats_from_posts",
]
