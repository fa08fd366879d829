"""`quiet_group`: the group has gone quiet — far fewer posts and comments than usual.

The last 7 full days (ending at the start of `now`'s day, so a half-elapsed today never
looks like a drop) are compared with a robust baseline: the median and the MAD-based
spread of the weekly counts of the previous `weeks` weeks. Where the data reaches back a
year, the same week last year tells whether a dip is seasonal (holidays): if last year's
week was itself below last year's usual level, today's expectation is lowered by the same
factor, so a usual holiday dip does not fire.

It fires when the week is below `median − k·spread` AND below `ratio·median`, both on the
(seasonally adjusted) expectation, and only for a group busy enough to judge
(`min_median` posts a week) with enough history (`min_weeks` full weeks). The spread is at
least √median (counts are Poisson-like), so a very regular group's small dip stays silent.
Quiet spells that ended within the last `history_weeks` are reported too, scored below
anything due and without a reply: context for a moderator coming back, not a task.

`activity_baseline` is the same computation over daily counts, public so the health
screen can draw the expected band.
"""

from __future__ import annotations

import statistics
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from heuristics.detector import CommunityData
from heuristics.model import Lang, Post, Reply, Signal, format_time, signal_id

KIND = "quiet_group"
_MAD_TO_SIGMA = 1.4826  # makes the MAD comparable to a standard deviation for normal data
_YEAR = 364  # 52 weeks: last year's same weekdays


@dataclass(frozen=True, slots=True)
class ActivityBaseline:
    """What a week "usually" looks like at `end`, and the week that just passed."""

    start: date
    end: date
    """The window: the 7 days start <= day < end."""
    count: int
    """Posts and comments in the window."""
    weeks: tuple[int, ...]
    """The previous full weeks' counts, most recent first (only weeks after the first post)."""
    median: float
    """The expected weekly count (seasonally adjusted when last year's data allows)."""
    spread: float
    """Robust spread of a week's count around `median` (1.4826·MAD, at least √median)."""
    threshold: float
    """Below this a week is "quiet": min(median − k·spread, ratio·median)."""
    high: float
    """The top of the usual band: median + k·spread."""
    raw_median: float
    """The median of `weeks` before any seasonal adjustment."""
    seasonal_factor: float | None
    """Last year's same week over last year's usual level (≤ 1), when known."""

    @property
    def enough(self) -> bool:
        return bool(self.weeks)

    @property
    def daily_expected(self) -> float:
        return self.median / 7

    @property
    def daily_band(self) -> tuple[float, float]:
        """The usual band per day (low, high), for drawing under a daily chart."""
        return max(self.threshold, 0.0) / 7, self.high / 7


def _day(dt: datetime | date) -> date:
    if isinstance(dt, datetime):
        return dt.astimezone(UTC).date()
    return dt


class DailySeries:
    """Posts per day as running totals, so any window's count costs two lookups.

    The detector scans a year of days, each against twenty past weeks: with the totals
    that is a few thousand subtractions instead of a hundred thousand dictionary reads.
    """

    __slots__ = ("_lo", "_totals")

    def __init__(self, counts: Mapping[date, int]) -> None:
        days = [d for d, n in counts.items() if n]
        self._lo = min(days) if days else date(1970, 1, 1)
        span = (max(days) - self._lo).days + 1 if days else 0
        per_day = [0] * span
        for d, n in counts.items():
            if n:
                per_day[(d - self._lo).days] += n
        totals = [0]
        for n in per_day:
            totals.append(totals[-1] + n)
        self._totals = totals

    def _total_before(self, day: date) -> int:
        i = (day - self._lo).days
        return self._totals[min(max(i, 0), len(self._totals) - 1)]

    def window(self, end: date, days: int = 7) -> int:
        """Posts on the `days` days before `end` (end excluded)."""
        return self._total_before(end) - self._total_before(end - timedelta(days=days))


def _window(counts: DailySeries, end: date, days: int = 7) -> int:
    return counts.window(end, days)


def _robust(values: list[int]) -> tuple[float, float]:
    med = float(statistics.median(values))
    mad = float(statistics.median(abs(v - med) for v in values))
    return med, max(_MAD_TO_SIGMA * mad, med**0.5)


def _past_weeks(counts: DailySeries, end: date, weeks: int, first: date | None) -> list[int]:
    out = []
    for i in range(1, weeks + 1):
        week_end = end - timedelta(days=7 * i)
        if first is not None and week_end - timedelta(days=7) < first:
            break  # before the group's first post there is no "usual level"
        out.append(_window(counts, week_end))
    return out


def activity_baseline(
    daily_counts: Mapping[date, int] | DailySeries,
    now: datetime | date,
    weeks: int = 10,
    k: float = 3.0,
    ratio: float = 0.6,
    seasonal: bool = True,
    min_weeks: int = 4,
    first: date | None = None,
) -> ActivityBaseline:
    """The usual weekly level at `now` and the last 7 full days, from posts per UTC day.

    `daily_counts` maps a day to its posts and comments (days without any may be absent),
    or is a `DailySeries` built once from such a map when calling this for many days.
    Weeks before `first` (default: the first day in `daily_counts` with activity) are not
    counted as zero weeks: before the group existed there was no usual level.
    """
    end = _day(now)
    if isinstance(daily_counts, DailySeries):
        series = daily_counts
    else:
        series = DailySeries(daily_counts)
        if first is None:
            active_days = [d for d, n in daily_counts.items() if n > 0]
            first = min(active_days) if active_days else None
    past = _past_weeks(series, end, weeks, first)
    count = _window(series, end)
    if first is None or len(past) < min_weeks:
        return ActivityBaseline(end - timedelta(days=7), end, count, (), 0.0, 0.0, 0.0, 0.0, 0.0, None)
    raw_median, spread = _robust(past)
    median = raw_median
    factor: float | None = None
    if seasonal:
        ly_end = end - timedelta(days=_YEAR)
        ly_past = _past_weeks(series, ly_end, weeks, first)
        if len(ly_past) >= min_weeks and first is not None and ly_end - timedelta(days=7) >= first:
            ly_median, _ = _robust(ly_past)
            if ly_median > 0:
                # Only a dip is explained away: a busier season last year must not make an
                # ordinary week look quiet.
                factor = min(1.0, _window(series, ly_end) / ly_median)
                median = raw_median * factor
                spread = max(spread * factor, median**0.5)
    threshold = min(median - k * spread, ratio * median)
    return ActivityBaseline(
        end - timedelta(days=7),
        end,
        count,
        tuple(past),
        median,
        spread,
        threshold,
        median + k * spread,
        raw_median,
        factor,
    )


def daily_counts_since(data: CommunityData, since: date) -> tuple[dict[date, int], date | None]:
    """Posts per UTC day from `since` on, and the day of the very first post.

    Posts are oldest first, so each day's count is the distance between two bisections:
    a group of a million posts costs a few thousand comparisons, not a pass over them all.
    """
    posts = data.posts
    if not posts:
        return {}, None
    if data.table is not None:
        # The table's times (whole seconds): no post is read, only the index bisected.
        ts = data.table.ts
        counts: dict[date, int] = {}
        lo = bisect_left(ts, int(datetime.combine(since, time(), tzinfo=UTC).timestamp()))
        while lo < len(ts):
            day = datetime.fromtimestamp(ts[lo], UTC).date()
            end = int(datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC).timestamp())
            hi = bisect_left(ts, end, lo=lo)
            counts[day] = hi - lo
            lo = hi
        return counts, datetime.fromtimestamp(ts[0], UTC).date()

    def at(p: Post) -> datetime:
        return p.created_at

    counts = {}
    lo = bisect_left(posts, datetime.combine(since, time(), tzinfo=UTC), key=at)
    while lo < len(posts):
        day = _day(posts[lo].created_at)
        hi = bisect_left(posts, datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC), lo=lo, key=at)
        counts[day] = hi - lo
        lo = hi
    return counts, _day(posts[0].created_at)


def reply_langs(data: CommunityData, min_share: float = 0.10) -> list[Lang]:
    """The languages a public post should speak: the community's, then any other that at
    least `min_share` of the current members read (a bilingual group gets both)."""
    counts: Counter[Lang] = Counter(data.lang_of(mid) for mid, m in data.members.items() if m.left_at is None)
    total = sum(counts.values())
    first: Lang = data.community.lang or (counts.most_common(1)[0][0] if counts else "en")
    others = [lg for lg, n in counts.most_common() if lg != first and total and n / total >= min_share]
    return [first, *others]


class QuietGroupDetector:
    """Activity over the last 7 days well below the group's usual level for the time of year.

    Quiet spells of the past `history_weeks` are reported too, scored low and without a
    reply (the moment has passed), so a moderator back from a break sees that the group
    went quiet and when it recovered. A spell is a run of days whose 7-day window was
    quiet; its id is keyed on its first such day, so an ongoing spell stays one signal.
    """

    kind = KIND
    version = 2

    def __init__(
        self,
        weeks: int = 10,
        k: float = 3.0,
        ratio: float = 0.6,
        min_median: float = 10.0,
        min_weeks: int = 4,
        seasonal: bool = True,
        history_weeks: int = 52,
    ) -> None:
        if weeks < 1 or min_weeks < 1 or not 0 < ratio <= 1 or k < 0 or history_weeks < 0:
            raise ValueError("weeks, min_weeks ≥ 1; 0 < ratio ≤ 1; k, history_weeks ≥ 0")
        self.weeks = weeks
        self.k = k
        self.ratio = ratio
        self.min_median = min_median
        self.min_weeks = min_weeks
        self.seasonal = seasonal
        self.history_weeks = history_weeks

    def _baseline(self, counts: DailySeries, end: date, first: date | None) -> ActivityBaseline:
        return activity_baseline(
            counts, end, self.weeks, self.k, self.ratio, self.seasonal, self.min_weeks, first
        )

    def _quiet(self, b: ActivityBaseline) -> bool:
        return b.enough and b.median >= self.min_median and b.count < b.threshold

    def spells(self, data: CommunityData, now: datetime) -> list[list[ActivityBaseline]]:
        """Runs of consecutive days whose 7-day window was quiet, oldest first."""
        end = _day(now)
        horizon = 7 * self.history_weeks
        reach = horizon + 7 * (self.weeks + 2)
        since = end - timedelta(days=reach + (_YEAR if self.seasonal else 0))
        daily, first = daily_counts_since(data, since)
        if first is None:
            return []
        counts = DailySeries(daily)
        runs: list[list[ActivityBaseline]] = []
        last: date | None = None
        for back in range(horizon, -1, -1):
            day = end - timedelta(days=back)
            if day - timedelta(days=7) < first:
                continue
            b = self._baseline(counts, day, first)
            if not self._quiet(b):
                continue
            if last is not None and runs and day - last == timedelta(days=1):
                runs[-1].append(b)
            else:
                runs.append([b])
            last = day
        return runs

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        end = _day(now)
        return [self._signal(data, run, current=run[-1].end == end) for run in self.spells(data, now)]

    def _signal(self, data: CommunityData, run: list[ActivityBaseline], current: bool) -> Signal:
        community = data.community
        # The window shown: the last 7 days for a spell still going on, else its quietest week.
        b = run[-1] if current else min(run, key=lambda x: (x.count / x.median, x.end))
        onset = run[0].end
        drop = 1 - b.count / b.median if b.median else 0.0
        depth = (b.threshold - b.count) / b.threshold if b.threshold > 0 else 0.0
        depth = min(1.0, max(0.0, depth))
        # Now: 0.5 at the threshold, 1.0 for complete silence. Past: context, below anything due.
        score = 0.5 + 0.5 * depth if current else 0.1 + 0.3 * depth
        last_day = b.end - timedelta(days=1)
        reasons = [
            f"{b.count} posts and comments in the 7 days {b.start.isoformat()} to {last_day.isoformat()}, "
            f"{drop:.0%} below the usual {b.median:.0f} a week",
            f"usual level: median of the previous {len(b.weeks)} weeks {b.raw_median:.0f} "
            f"(spread {b.spread:.1f}); a week is quiet below {b.threshold:.0f} "
            f"(median − {self.k:g}·spread, at most {self.ratio:.0%} of the median)",
        ]
        if b.seasonal_factor is not None and b.seasonal_factor < 1:
            reasons.append(
                f"the same week last year ran at {b.seasonal_factor:.0%} of its usual level; "
                "the expectation is lowered to match"
            )
        if current:
            if len(run) > 1:
                reasons.append(f"quiet since the week ending {(onset - timedelta(days=1)).isoformat()}")
            langs = reply_langs(data)
            texts = [
                data.templates.render(
                    KIND, lg, community=community.name or community.id, count=b.count, usual=round(b.median)
                )
                for lg in langs
            ]
            text = "\n\n".join(t for t in texts if t)
            reply = Reply(langs[0], "public", None, text) if text else None
        else:
            reasons.append(
                f"past: activity has been back above the quiet level since {run[-1].end.isoformat()}"
            )
            reply = None
        start_dt = datetime.combine(b.start, time(), tzinfo=UTC)
        end_dt = datetime.combine(b.end, time(), tzinfo=UTC)
        spell_start = datetime.combine(run[0].start, time(), tzinfo=UTC)
        spell_end = datetime.combine(run[-1].end, time(), tzinfo=UTC)
        evidence: dict[str, object] = {
            "window": [format_time(start_dt), format_time(end_dt)],
            "count": b.count,
            "median": round(b.median, 2),
            "raw_median": round(b.raw_median, 2),
            "spread": round(b.spread, 2),
            "threshold": round(b.threshold, 2),
            "weeks": list(b.weeks),
            "seasonal_factor": None if b.seasonal_factor is None else round(b.seasonal_factor, 3),
            "spell": [format_time(spell_start), format_time(spell_end)],
            "current": current,
        }
        return Signal(
            id=signal_id(KIND, community.id, onset.isoformat()),
            kind=KIND,
            score=round(score, 3),
            at=end_dt,
            reasons=tuple(reasons),
            reply=reply,
            evidence=evidence,
        )
