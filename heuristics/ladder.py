"""The 90-9-1 participation ladder: lurkers, commenters, creators.

A member's *rung* is a pure function of what they wrote:

- **lurker** — never posted anything (no thread, no comment);
- **commenter** — only comments;
- **creator** — started at least one thread (a `post` or an `introduction`).

Two views of it, both computed here from plain rows `(author, ts, kind)`:

- **all time** (`rungs`, `ladder_by_month`, `ladder_now`): what a member has ever done up to a
  moment. This is the rung the members screen shows and the shares the health screen draws
  against 90-9-1. A rung in this view can only go up.
- **windowed** (`rungs(..., since=...)`, `moved_this_month`): what a member did in a trailing
  window (default 90 days). Only this view lets a member move *down* — a creator who has been
  silent for three months is, today, a lurker — so "who moved up or down a rung this month"
  compares the windowed rung at the start of the month with the windowed rung now.

Times are whole seconds since the epoch (the store's index form) or aware datetimes; members
who joined after, or left before, a moment are not counted at that moment.
"""

from __future__ import annotations

import bisect
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

Rung = Literal["lurker", "commenter", "creator"]
RUNGS: tuple[Rung, ...] = ("lurker", "commenter", "creator")
#: The 90-9-1 rule: the shares a typical online community shows.
TARGET: Mapping[Rung, float] = {"lurker": 0.90, "commenter": 0.09, "creator": 0.01}
#: Post kinds that start a thread (and so make a creator).
THREAD_KINDS = frozenset({"post", "introduction"})
_LEVEL: Mapping[Rung, int] = {r: i for i, r in enumerate(RUNGS)}

TimeLike = int | float | datetime
Row = tuple[str, TimeLike, str]
"""(author, created_at as epoch seconds or datetime, kind)."""


def secs(value: TimeLike) -> int:
    """Epoch seconds of a time given as seconds or as a datetime (naive = UTC)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return int(value.timestamp())
    return int(value)


def rung(threads: int, comments: int) -> Rung:
    """The rung of a member who started `threads` threads and wrote `comments` comments."""
    if threads > 0:
        return "creator"
    if comments > 0:
        return "commenter"
    return "lurker"


def level(r: Rung) -> int:
    """0 for lurker, 1 for commenter, 2 for creator: rungs compare by this."""
    return _LEVEL[r]


def _levels(known: Container[str], rows: Iterable[Row], hi: int, lo: int | None) -> dict[str, int]:
    """Level (1 commenter, 2 creator) of every member of `known` who wrote in [lo, hi)."""
    best: dict[str, int] = {}
    for author, ts, kind in rows:
        if best.get(author) == 2 or author not in known:
            continue
        t = ts if type(ts) is int else secs(ts)  # the index's ints: skip the conversion
        if t >= hi or (lo is not None and t < lo):
            continue
        best[author] = 2 if kind in THREAD_KINDS else max(1, best.get(author, 0))
    return best


def rungs(
    member_ids: Iterable[str],
    rows: Iterable[Row],
    until: TimeLike,
    since: TimeLike | None = None,
) -> dict[str, Rung]:
    """Each member's rung from the rows with `since <= ts < until` (all history if no `since`).

    Authors that are not in `member_ids` (strangers) are ignored.
    """
    ids = list(member_ids)
    best = _levels(set(ids), rows, secs(until), secs(since) if since is not None else None)
    return {m: RUNGS[best.get(m, 0)] for m in ids}


@dataclass(frozen=True, slots=True)
class LadderShares:
    """How many members stood on each rung at one moment, and the shares."""

    label: str
    """"YYYY-MM" for the end of that month, "now" for the current moment."""
    at: datetime
    counts: Mapping[Rung, int]
    total: int

    @property
    def shares(self) -> dict[Rung, float]:
        if self.total == 0:
            return dict.fromkeys(RUNGS, 0.0)
        return {r: self.counts.get(r, 0) / self.total for r in RUNGS}

    def gap(self) -> dict[Rung, float]:
        """Share minus the 90-9-1 target, per rung (positive = more than the rule says)."""
        shares = self.shares
        return {r: shares[r] - TARGET[r] for r in RUNGS}


@dataclass(frozen=True, slots=True)
class _Timeline:
    joined: int
    left: int | None
    first_comment: int | None
    first_thread: int | None


def _timelines(
    member_ids: Iterable[str],
    rows: Iterable[Row],
    joined_at: Mapping[str, TimeLike] | None,
    left_at: Mapping[str, TimeLike | None] | None,
) -> list[_Timeline]:
    first_comment: dict[str, int] = {}
    first_thread: dict[str, int] = {}
    ids = list(member_ids)
    known = set(ids)
    for author, ts, kind in rows:
        if author not in known:
            continue
        t = ts if type(ts) is int else secs(ts)  # the index's ints: skip the conversion
        target = first_thread if kind in THREAD_KINDS else first_comment
        prev = target.get(author)
        if prev is None or t < prev:
            target[author] = t
    out: list[_Timeline] = []
    floor = -(2**62)
    for m in ids:
        j = secs(joined_at[m]) if joined_at is not None and m in joined_at else floor
        raw_left = left_at.get(m) if left_at is not None else None
        out.append(
            _Timeline(
                j,
                secs(raw_left) if raw_left is not None else None,
                first_comment.get(m),
                first_thread.get(m),
            )
        )
    return out


def _counts_at(lines: list[_Timeline], moments: list[int]) -> list[dict[Rung, int]]:
    """Rung counts at each moment (strictly before it), by a sweep over sorted change times.

    A member is counted from `joined` until `left`; they are a commenter from their first
    comment and a creator from their first thread (both clamped to `joined`, since an import
    may hold posts dated a little before the join record).
    """
    # (time, rung level, +1/-1): each member contributes enter/leave events per rung.
    events: list[tuple[int, int, int]] = []
    for tl in lines:
        end = tl.left
        starts: list[tuple[int, int]] = [(tl.joined, 0)]
        t_comment = max(tl.first_comment, tl.joined) if tl.first_comment is not None else None
        t_thread = max(tl.first_thread, tl.joined) if tl.first_thread is not None else None
        if t_thread is not None and (t_comment is None or t_thread <= t_comment):
            starts.append((t_thread, 2))
        else:
            if t_comment is not None:
                starts.append((t_comment, 1))
            if t_thread is not None:
                starts.append((t_thread, 2))
        for i, (t, lvl) in enumerate(starts):
            stop = starts[i + 1][0] if i + 1 < len(starts) else None
            if end is not None and (stop is None or end < stop):
                stop = end
            if stop is not None and stop <= t:
                continue
            events.append((t, lvl, 1))
            if stop is not None:
                events.append((stop, lvl, -1))
            if end is not None and stop == end:
                break
    events.sort()
    times = [e[0] for e in events]
    out: list[dict[Rung, int]] = []
    running = [0, 0, 0]
    pos = 0
    for moment in moments:
        upto = bisect.bisect_left(times, moment)
        while pos < upto:
            _, lvl, delta = events[pos]
            running[lvl] += delta
            pos += 1
        out.append({r: running[i] for i, r in enumerate(RUNGS)})
    return out


def _month_start(dt: datetime) -> datetime:
    return dt.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(dt: datetime) -> datetime:
    return (dt.replace(day=28) + timedelta(days=4)).replace(day=1)


def ladder_by_month(
    member_ids: Iterable[str],
    rows: Iterable[Row],
    now: datetime,
    joined_at: Mapping[str, TimeLike] | None = None,
    left_at: Mapping[str, TimeLike | None] | None = None,
    first_month: str | None = None,
) -> list[LadderShares]:
    """All-time rung shares at the end of every month (UTC) up to `now`, then at `now`.

    The months run from `first_month` ("YYYY-MM"), else from the earliest join or post,
    to the month before `now`'s; the last entry, labelled "now", is the ladder at `now`.
    """
    now = now.astimezone(UTC)
    row_list = list(rows)
    ids = list(member_ids)
    lines = _timelines(ids, row_list, joined_at, left_at)
    if first_month is not None:
        start = datetime(int(first_month[:4]), int(first_month[5:7]), 1, tzinfo=UTC)
    else:
        earliest = [tl.joined for tl in lines if tl.joined > -(2**61)]
        if row_list:
            earliest.append(min(secs(r[1]) for r in row_list))
        first = min(earliest) if earliest else secs(now)
        start = _month_start(datetime.fromtimestamp(min(first, secs(now)), UTC))
    ends: list[datetime] = []
    cursor = _next_month(start)
    this_month = _month_start(now)
    while cursor <= this_month:
        ends.append(cursor)
        cursor = _next_month(cursor)
    moments = [secs(e) for e in ends] + [secs(now) + 1]
    counts = _counts_at(lines, moments)
    out: list[LadderShares] = []
    for end, c in zip(ends, counts, strict=False):
        label = f"{(end - timedelta(days=1)):%Y-%m}"
        out.append(LadderShares(label, end, c, sum(c.values())))
    last = counts[-1]
    out.append(LadderShares("now", now, last, sum(last.values())))
    return out


def ladder_now(
    member_ids: Iterable[str],
    rows: Iterable[Row],
    now: datetime,
    joined_at: Mapping[str, TimeLike] | None = None,
    left_at: Mapping[str, TimeLike | None] | None = None,
) -> LadderShares:
    """The all-time ladder at `now` (posts at or before `now` count)."""
    lines = _timelines(member_ids, rows, joined_at, left_at)
    c = _counts_at(lines, [secs(now) + 1])[0]
    return LadderShares("now", now.astimezone(UTC), c, sum(c.values()))


@dataclass(frozen=True, slots=True)
class Move:
    member: str
    before: Rung
    after: Rung


@dataclass(frozen=True, slots=True)
class Moves:
    """Who changed rung between the start of the month and now (windowed rungs)."""

    since: datetime
    window_days: int
    up: list[Move] = field(default_factory=list)
    """Worth a thank-you: they took a step up this month."""
    down: list[Move] = field(default_factory=list)
    """Gone quieter: maybe worth a private word (never a public one)."""


def moved_this_month(
    member_ids: Iterable[str],
    rows: Iterable[Row],
    now: datetime,
    window_days: int = 90,
    left_at: Mapping[str, TimeLike | None] | None = None,
) -> Moves:
    """Members whose windowed rung (last `window_days` days) differs now from the 1st of the month.

    The month is `now`'s calendar month in UTC. Members who have left by `now` are left out.
    Up and down lists are sorted by member id.
    """
    now = now.astimezone(UTC)
    start = _month_start(now)
    span = int(timedelta(days=window_days).total_seconds())
    row_list = list(rows)
    now_s = secs(now)
    known = set(member_ids)
    if left_at is not None:
        known -= {m for m, left in left_at.items() if left is not None and secs(left) <= now_s}
    # Only members who wrote in one of the two windows can have changed rung: the others are
    # lurkers at both ends, so the work follows the window's rows, not the member count.
    before = _levels(known, row_list, secs(start), secs(start) - span)
    after = _levels(known, row_list, now_s + 1, now_s + 1 - span)
    moves = Moves(start, window_days)
    for m in sorted(before.keys() | after.keys()):
        b, a = before.get(m, 0), after.get(m, 0)
        if a > b:
            moves.up.append(Move(m, RUNGS[b], RUNGS[a]))
        elif a < b:
            moves.down.append(Move(m, RUNGS[b], RUNGS[a]))
    return moves
