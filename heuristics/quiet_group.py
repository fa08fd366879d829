"""`quiet_group`: the group has gone quiet — far fewer posts and comments than usual.

The last 7 full days (ending at the start of `now`'s day, so a half-elapsed today never
looks like a drop) are compared with a robust baseline: the median and the MAD-based
spread of the weekly counts of the previous `weeks` weeks. Where the data reaches back a
year, the same week last year tells whether a dip is seasonal (holidays): if last year's
week was itself below last year's usual level, today's expectation is lowered by the same
factor, so a usual holiday dip does not fire.

It fires when the week is below `median − k·spread` AND below `ratio·median`, both on the
(seasonally adjusted) expectation, and only for a group busy enough to judge
(`min_median` posts a week) with enough history (`min_weeks` full weeks).

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
from heuristics.model import Reply, Signal, format_time, signal_id

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


def _window(counts: Mapping[date, int], end: date, days: int = 7) -> int:
    return sum(counts.get(end - timedelta(days=i), 0) for i in range(1, days + 1))


def _robust(values: list[int]) -> tuple[float, float]:
    med = float(statistics.median(values))
    mad = float(statistics.median(abs(v - med) for v in values))
    return med, max(_MAD_TO_SIGMA * mad, med**0.5)


def _past_weeks(counts: Mapping[date, int], end: date, weeks: int, first: date | None) -> list[int]:
    out = []
    for i in range(1, weeks + 1):
        week_end = end - timedelta(days=7 * i)
        if first is not None and week_end - timedelta(days=7) < first:
            break  # before the group's first post there is no "usual level"
        out.append(_window(counts, week_end))
    return out


def activity_baseline(
    daily_counts: Mapping[date, int],
    now: datetime | date,
    weeks: int = 10,
    k: float = 3.0,
    ratio: float = 0.6,
    seasonal: bool = True,
    min_weeks: int = 4,
    first: date | None = None,
) -> ActivityBaseline:
    """The usual weekly level at `now` and the last 7 full days, from posts per UTC day.

    `daily_counts` maps a day to its posts and comments; days without any may be absent.
    Weeks before `first` (default: the first day in `daily_counts` with activity) are not
    counted as zero weeks: before the group existed there was no usual level.
    """
    end = _day(now)
    if first is None:
        active_days = [d for d, n in daily_counts.items() if n > 0]
        first = min(active_days) if active_days else None
    past = _past_weeks(daily_counts, end, weeks, first)
    count = _window(daily_counts, end)
    if first is None or len(past) < min_weeks:
        return ActivityBaseline(end - timedelta(days=7), end, count, (), 0.0, 0.0, 0.0, 0.0, 0.0, None)
    raw_median, spread = _robust(past)
    median = raw_median
    factor: float | None = None
    if seasonal:
        ly_end = end - timedelta(days=_YEAR)
        ly_past = _past_weeks(daily_counts, ly_end, weeks, first)
        if len(ly_past) >= min_weeks and first is not None and ly_end - timedelta(days=7) >= first:
            ly_median, _ = _robust(ly_past)
            if ly_median > 0:
                # Only a dip is explained away: a busier season last year must not make an
                # ordinary week look quiet.
                factor = min(1.0, _window(daily_counts, ly_end) / ly_median)
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


def daily_counts_since(data: CommunityData, since: date) -> tuple[Counter[date], date | None]:
    """Posts per UTC day from `since` on, and the day of the very first post.

    Posts are oldest first, so the start is found by bisection: a five-year-old group
    only pays for the months the baseline looks at.
    """
    posts = data.posts
    if not posts:
        return Counter(), None
    start = datetime.combine(since, time(), tzinfo=UTC)
    i = bisect_left(posts, start, key=lambda p: p.created_at)
    counts: Counter[date] = Counter(
        (at if at.tzinfo is UTC else at.astimezone(UTC)).date() for at in (p.created_at for p in posts[i:])
    )
    return counts, _day(posts[0].created_at)


class QuietGroupDetector:
    """Activity over the last 7 days well below the group's usual level for the time of year."""

    kind = KIND
    version = 1

    def __init__(
        self,
        weeks: int = 10,
        k: float = 3.0,
        ratio: float = 0.6,
        min_median: float = 10.0,
        min_weeks: int = 4,
        seasonal: bool = True,
        lookback_days: int = 28,
    ) -> None:
        if weeks < 1 or min_weeks < 1 or not 0 < ratio <= 1 or k < 0 or lookback_days < 0:
            raise ValueError("weeks, min_weeks ≥ 1; 0 < ratio ≤ 1; k, lookback_days ≥ 0")
        self.weeks = weeks
        self.k = k
        self.ratio = ratio
        self.min_median = min_median
        self.min_weeks = min_weeks
        self.seasonal = seasonal
        self.lookback_days = lookback_days

    def _baseline(self, counts: Mapping[date, int], end: date, first: date | None) -> ActivityBaseline:
        return activity_baseline(
            counts, end, self.weeks, self.k, self.ratio, self.seasonal, self.min_weeks, first
        )

    def _quiet(self, b: ActivityBaseline) -> bool:
        return b.enough and b.median >= self.min_median and b.count < b.threshold

    def detect(self, data: CommunityData, now: datetime) -> list[Signal]:
        end = _day(now)
        reach = 7 * (self.weeks + 1) + self.lookback_days + 7
        since = end - timedelta(days=reach + (_YEAR if self.seasonal else 0))
        counts, first = daily_counts_since(data, since)
        if first is None:
            return []
        b = self._baseline(counts, end, first)
        if not self._quiet(b):
            return []
        # The quiet spell started where a 7-day window was last normal: keying the id on
        # that day keeps one signal (and a moderator's dismissal) for the whole spell.
        onset = b.end
        for back in range(1, self.lookback_days + 1):
            earlier = self._baseline(counts, end - timedelta(days=back), first)
            if not self._quiet(earlier):
                break
            onset = earlier.end
        community = data.community
        lang = community.lang or "en"
        drop = 1 - b.count / b.median if b.median else 0.0
        # 0.5 at the threshold, 1.0 for complete silence.
        depth = (b.threshold - b.count) / b.threshold if b.threshold > 0 else 0.0
        score = 0.5 + 0.5 * min(1.0, max(0.0, depth))
        reasons = [
            f"{b.count} posts and comments in the 7 days {b.start.isoformat()} to "
            f"{(b.end - timedelta(days=1)).isoformat()}, {drop:.0%} below the usual {b.median:.0f} a week",
            f"usual level: median of the previous {len(b.weeks)} weeks {b.raw_median:.0f} "
            f"(spread {b.spread:.1f}); a week is quiet below {b.threshold:.0f} "
            f"(median − {self.k:g}·spread, at most {self.ratio:.0%} of the median)",
        ]
        if b.seasonal_factor is not None and b.seasonal_factor < 1:
            reasons.append(
                f"the same week last year ran at {b.seasonal_factor:.0%} of its usual level; "
                "the expectation is lowered to match"
            )
        text = data.templates.render(
            KIND, lang, community=community.name or community.id, count=b.count, usual=round(b.median)
        )
        reply = Reply(lang, "public", None, text) if text else None
        start_dt = datetime.combine(b.start, time(), tzinfo=UTC)
        end_dt = datetime.combine(b.end, time(), tzinfo=UTC)
        evidence: dict[str, object] = {
            "window": [format_time(start_dt), format_time(end_dt)],
            "count": b.count,
            "median": round(b.median, 2),
            "raw_median": round(b.raw_median, 2),
            "spread": round(b.spread, 2),
            "threshold": round(b.threshold, 2),
            "weeks": list(b.weeks),
            "seasonal_factor": None if b.seasonal_factor is None else round(b.seasonal_factor, 3),
            "since": onset.isoformat(),
        }
        return [
            Signal(
                id=signal_id(KIND, community.id, onset.isoformat()),
                kind=KIND,
                score=round(score, 3),
                at=end_dt,
                reasons=tuple(reasons),
                reply=reply,
                evidence=evidence,
            )
        ]
