"""Community health: activity series, a heat map and the moderators' KPIs, from plain columns.

Pure: no I/O, no store. The inputs are the store's columnar post index (ids, authors,
`ts` in whole seconds since the epoch sorted oldest first, kinds, parents), the members,
and the moderators' triage actions as (signal id, when) pairs. The console gathers them
(`console/health_data.py`); the health screen and `tact report` draw what comes out.

Every window is *trailing* and ends at `now`: "day 0" is the 24 hours before `now`, "week 0"
the 7 days before it. A calendar week would end half-empty on a Wednesday and look like a
collapse on every chart; a trailing week is also what the quiet-group detector compares.

The KPIs, defined precisely (the tests compute each one by hand):

- **active members** — members (people with a member record, not strangers) who wrote at
  least one post, comment or introduction in `(now - active_days, now]` (30 days by default),
  out of the members who had joined by `now` and not left.
- **retention (3 months)** — the cohort is the members who joined in
  `[now - 120 d, now - 90 d)` (the 30 days that began four months ago and ended three months
  ago); retained are those of them who wrote anything in `(now - 30 d, now]`.
- **introductions answered within 24 h** — introductions written in
  `(start, now - 24 h]` (an introduction younger than a day has not had its chance yet); one is
  answered when a comment anywhere in its thread, by someone other than its author, came at
  most 24 h after it.
- **questions with a reply** — top-level posts (posts and introductions) whose text holds a
  question mark outside links (`is_question`), written in `(start, now - 24 h]`; answered when
  someone other than the author commented in the thread by `now`.
- **median time to first reply** — over the top-level posts written in `(start, now]` that got a
  comment from someone else by `now`: the median of (first such comment − post). Posts never
  answered are left out here (the two shares above count them).
- **median time to triage** — over the signals whose first status action (dismiss, snooze,
  handled) by a moderator fell in `(start, now]`: the median of (that action − signal `at`),
  never below zero (a moderator may act on a post before tact flags it).
- **open signals** — signals whose status is `open`, per kind.

`start` is `now - period`; the period is 30 days unless the caller says otherwise.
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from heuristics.model import Member

DAY = 86_400
WEEK = 7 * DAY
HOUR = 3_600
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TOP_LEVEL = frozenset({"post", "introduction"})

#: The KPIs a moderator may pick from, in display order: key -> label.
KPI_LABELS: dict[str, str] = {
    "active_members": "Active members",
    "retention_3m": "Retention (joined 3 months ago)",
    "intros_answered_24h": "Introductions answered within 24 h",
    "questions_answered": "Questions with a reply",
    "median_first_reply": "Median time to first reply",
    "median_triage": "Median time to triage",
    "open_signals": "Open signals",
    "new_members": "New members",
    "posts": "Posts and comments",
}
#: What the panel shows before a moderator chooses.
DEFAULT_KPIS: tuple[str, ...] = (
    "active_members",
    "retention_3m",
    "intros_answered_24h",
    "questions_answered",
    "median_first_reply",
    "median_triage",
)

_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)


def is_question(text: str) -> bool:
    """A question mark outside links ("?" in `https://x.org/?a=1` asks nothing).

    French puts a space before "?" ("ça va ?"); that still holds a question mark.
    """
    return "?" in text and "?" in _URL.sub(" ", text)


@dataclass(frozen=True, slots=True)
class Columns:
    """The post index, as parallel sequences sorted by `ts` (oldest first)."""

    ids: Sequence[str]
    authors: Sequence[str]
    ts: Sequence[int]
    kinds: Sequence[str]
    parents: Sequence[str | None]

    def __len__(self) -> int:
        return len(self.ids)

    def span(self, lo: int, hi: int) -> range:
        """Row numbers with lo < ts <= hi (trailing windows are closed at `now`)."""
        return range(bisect_right(self.ts, lo), bisect_right(self.ts, hi))

    def span_from(self, lo: int, hi: int) -> range:
        """Row numbers with lo <= ts <= hi."""
        return range(bisect_left(self.ts, lo), bisect_right(self.ts, hi))


def _ts(dt: datetime) -> int:
    return int(dt.timestamp())


# -- series ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bucket:
    """One trailing window: `end` is exclusive of nothing — the window is (end - span, end]."""

    end: datetime
    posts: int
    """Top-level posts and introductions."""
    comments: int

    @property
    def total(self) -> int:
        return self.posts + self.comments

    @property
    def label(self) -> date:
        """The calendar day of the window's last second (what a chart axis shows)."""
        return (self.end - timedelta(seconds=1)).date()


def activity(cols: Columns, now: datetime, count: int, span: int) -> list[Bucket]:
    """Posts and comments in `count` trailing windows of `span` seconds, oldest first.

    Each window's rows are found by bisection in the sorted times and its comments counted
    by `list.count` on a slice: no Python loop over the rows (two years of a big group are
    hundreds of thousands of them).
    """
    hi = _ts(now)
    kinds = cols.kinds
    out: list[Bucket] = []
    for i in range(count - 1, -1, -1):
        rows = cols.span(hi - (i + 1) * span, hi - i * span)
        total = len(rows)
        comments = list(kinds[rows.start : rows.stop]).count("comment") if total else 0
        out.append(Bucket(now - timedelta(seconds=i * span), total - comments, comments))
    return out


def per_utc_day(cols: Columns, lo: int, hi: int) -> dict[date, int]:
    """Posts and comments per calendar day (UTC) for lo < ts <= hi: the quiet-group
    detector's input, so the health charts can draw its baseline. Two bisections a day."""
    epoch = date(1970, 1, 1)
    out: dict[date, int] = {}
    for day in range(lo // DAY, hi // DAY + 1):
        start, end = max(lo, day * DAY - 1), min(hi, (day + 1) * DAY - 1)
        n = len(cols.span(start, end))
        if n:
            out[epoch + timedelta(days=day)] = n
    return out


def daily(cols: Columns, now: datetime, days: int = 90) -> list[Bucket]:
    return activity(cols, now, days, DAY)


def weekly(cols: Columns, now: datetime, weeks: int = 104) -> list[Bucket]:
    return activity(cols, now, weeks, WEEK)


def new_members_per_week(
    members: Iterable[Member] | MemberTimes, now: datetime, weeks: int = 104
) -> list[int]:
    """How many members joined in each trailing week, oldest first."""
    hi = _ts(now)
    counts = [0] * weeks
    for joined in MemberTimes.of(members).joined:
        age = hi - joined
        if 0 <= age < weeks * WEEK:
            counts[age // WEEK] += 1
    counts.reverse()
    return counts


@dataclass(frozen=True, slots=True)
class Band:
    """The usual level of one window, from the windows before it: median and a robust spread."""

    low: float
    mid: float
    high: float


def baseline_band(values: Sequence[float], lookback: int = 12, k: float = 2.0) -> list[Band | None]:
    """For each value, the median ± k·MAD (scaled to σ) of the `lookback` values before it.

    A fallback for `heuristics.quiet_group.activity_baseline` while that lands; None where
    fewer than four earlier values exist.
    """
    out: list[Band | None] = []
    for i in range(len(values)):
        past = values[max(0, i - lookback) : i]
        if len(past) < 4:
            out.append(None)
            continue
        mid = statistics.median(past)
        mad = statistics.median(abs(v - mid) for v in past) * 1.4826
        out.append(Band(max(0.0, mid - k * mad), mid, mid + k * mad))
    return out


# -- when the group is busy -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeatMap:
    """Counts by weekday (0 = Monday) and hour, in `tz`."""

    activity: tuple[tuple[int, ...], ...]
    """Posts and comments written in each weekday × hour cell."""
    waiting: tuple[tuple[int, ...], ...]
    """Top-level posts that waited more than `wait_hours` for a reply from someone else
    (or are still waiting): the hours when moderators are most needed."""
    tz: str
    days: int
    wait_hours: int

    def peak(self, grid: str = "activity") -> tuple[int, int, int]:
        """(weekday, hour, count) of the busiest cell."""
        cells = self.activity if grid == "activity" else self.waiting
        return max(((d, h, cells[d][h]) for d in range(7) for h in range(24)), key=lambda c: c[2])


def heat_map(
    cols: Columns,
    now: datetime,
    days: int = 91,
    tz: tzinfo = UTC,
    wait_hours: int = 2,
    first_reply: Mapping[str, int] | None = None,
) -> HeatMap:
    """When the group writes, and when its posts wait for an answer, over `days` days."""
    hi = _ts(now)
    lo = hi - days * DAY
    act = [[0] * 24 for _ in range(7)]
    wait = [[0] * 24 for _ in range(7)]
    replies = first_reply if first_reply is not None else first_replies(cols, lo, hi)
    limit = wait_hours * HOUR
    offset_cache: dict[int, int] = {}
    for row in cols.span(lo, hi):
        t = cols.ts[row]
        # The zone's offset changes at most twice a year: cache it per hour of time.
        key = t // HOUR
        off = offset_cache.get(key)
        if off is None:
            delta = datetime.fromtimestamp(t, tz).utcoffset()
            off = int(delta.total_seconds()) if delta is not None else 0
            offset_cache[key] = off
        local = t + off
        weekday = (local // DAY + 3) % 7  # 1970-01-01 was a Thursday
        hour = (local % DAY) // HOUR
        act[weekday][hour] += 1
        if cols.kinds[row] in TOP_LEVEL and t <= hi - limit:
            answered = replies.get(cols.ids[row])
            if answered is None or answered - t > limit:
                wait[weekday][hour] += 1
    return HeatMap(
        tuple(tuple(r) for r in act),
        tuple(tuple(r) for r in wait),
        str(tz),
        days,
        wait_hours,
    )


# -- replies --------------------------------------------------------------------------------


def first_replies(cols: Columns, lo: int, hi: int) -> dict[str, int]:
    """For each top-level post with lo < ts <= hi: when someone else first commented in its
    thread (at or before `hi`). Posts nobody else answered are absent.

    Only rows from `lo` on are read: a reply always comes after the post it answers, so a
    thread that starts in the window lies entirely after `lo`.
    """
    root_of: dict[str, str] = {}
    author_of: dict[str, str] = {}
    first: dict[str, int] = {}
    ids, authors, ts, kinds, parents = cols.ids, cols.authors, cols.ts, cols.kinds, cols.parents
    for row in cols.span(lo, hi):
        pid = ids[row]
        if kinds[row] != "comment":
            root_of[pid] = pid
            author_of[pid] = authors[row]
            continue
        parent = parents[row]
        root = root_of.get(parent) if parent is not None else None
        if root is None:  # the thread began before the window (or the parent is unknown)
            continue
        root_of[pid] = root
        if authors[row] != author_of[root] and root not in first:
            first[root] = ts[row]
    return first


# -- KPIs -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ratio:
    """A share with what it is a share of, so a report can say "12 of 15"."""

    num: int
    den: int

    @property
    def value(self) -> float | None:
        return self.num / self.den if self.den else None


@dataclass(frozen=True, slots=True)
class Kpis:
    now: datetime
    period_days: int
    active_members: Ratio
    retention_3m: Ratio
    intros_answered_24h: Ratio
    questions_answered: Ratio | None
    """None when the question texts were not available (they need the posts' text)."""
    median_first_reply: float | None
    """Seconds; None when no post was answered in the period."""
    median_triage: float | None
    """Seconds; None when no signal was triaged in the period, or signals are unknown."""
    open_signals: Mapping[str, int] | None
    """Open signals per kind; None when the signals are unknown."""
    new_members: int
    posts: int
    """Posts, comments and introductions in the period."""
    replied_posts: int = 0
    """How many posts the median time to first reply is over."""
    triaged: int = 0
    """How many signals the median time to triage is over."""


@dataclass(frozen=True, slots=True)
class MemberTimes:
    """Members as columns of epoch seconds: the KPIs scan every member several times, and
    a big group has 50,000 of them — converting each datetime once is what keeps it fast."""

    ids: tuple[str, ...]
    joined: tuple[int, ...]
    left: tuple[int | None, ...]

    @classmethod
    def of(cls, members: Iterable[Member] | MemberTimes) -> MemberTimes:
        if isinstance(members, MemberTimes):
            return members
        items = list(members)
        return cls(
            tuple(m.id for m in items),
            tuple(_ts(m.joined_at) for m in items),
            tuple(_ts(m.left_at) if m.left_at is not None else None for m in items),
        )

    def present(self, at: int) -> set[str]:
        """Who had joined by `at` and not left."""
        return {
            i
            for i, j, gone in zip(self.ids, self.joined, self.left, strict=True)
            if j <= at and (gone is None or gone > at)
        }

    def joined_between(self, lo: int, hi: int) -> set[str]:
        """Who joined with lo <= joined < hi."""
        return {i for i, j in zip(self.ids, self.joined, strict=True) if lo <= j < hi}


Members = Iterable[Member] | MemberTimes


def _writers(cols: Columns, lo: int, hi: int) -> set[str]:
    rows = cols.span(lo, hi)
    return set(cols.authors[rows.start : rows.stop])


def active_members(cols: Columns, members: Members, now: datetime, days: int = 30) -> Ratio:
    hi = _ts(now)
    ids = MemberTimes.of(members).present(hi)
    return Ratio(len(ids & _writers(cols, hi - days * DAY, hi)), len(ids))


def retention(
    cols: Columns,
    members: Members,
    now: datetime,
    joined_days_ago: int = 90,
    cohort_days: int = 30,
    active_days: int = 30,
) -> Ratio:
    hi = _ts(now)
    cohort_end = hi - joined_days_ago * DAY
    cohort = MemberTimes.of(members).joined_between(cohort_end - cohort_days * DAY, cohort_end)
    return Ratio(len(cohort & _writers(cols, hi - active_days * DAY, hi)), len(cohort))


def _replies(cols: Columns, lo: int, hi: int, replies: Mapping[str, int] | None) -> Mapping[str, int]:
    """`first_replies` for (lo, hi], or the given wider map read as of `hi`.

    A map computed once over a wider window ending later serves every KPI: a thread that
    starts after its `lo` is resolved the same way, and a first reply after `hi` had not
    happened yet at `hi` (the callers check `first <= hi`).
    """
    return replies if replies is not None else first_replies(cols, lo, hi)


def intros_answered(
    cols: Columns,
    now: datetime,
    period_days: int,
    within_hours: int = 24,
    replies: Mapping[str, int] | None = None,
) -> Ratio:
    hi = _ts(now)
    lo = hi - period_days * DAY
    limit = within_hours * HOUR
    replies = _replies(cols, lo, hi, replies)
    num = den = 0
    for row in cols.span(lo, hi - limit):
        if cols.kinds[row] != "introduction":
            continue
        den += 1
        first = replies.get(cols.ids[row])
        if first is not None and first - cols.ts[row] <= limit:
            num += 1
    return Ratio(num, den)


def questions_answered(
    cols: Columns,
    now: datetime,
    period_days: int,
    question_ids: Collection[str],
    mature_hours: int = 24,
    replies: Mapping[str, int] | None = None,
) -> Ratio:
    hi = _ts(now)
    lo = hi - period_days * DAY
    replies = _replies(cols, lo, hi, replies)
    num = den = 0
    for row in cols.span(lo, hi - mature_hours * HOUR):
        pid = cols.ids[row]
        if cols.kinds[row] not in TOP_LEVEL or pid not in question_ids:
            continue
        den += 1
        first = replies.get(pid)
        if first is not None and first <= hi:
            num += 1
    return Ratio(num, den)


def first_reply_delays(
    cols: Columns, now: datetime, period_days: int, replies: Mapping[str, int] | None = None
) -> list[int]:
    """Seconds from each top-level post of the period to its first reply by someone else."""
    hi = _ts(now)
    lo = hi - period_days * DAY
    replies = _replies(cols, lo, hi, replies)
    out: list[int] = []
    for row in cols.span(lo, hi):
        first = replies.get(cols.ids[row])
        if first is not None and first <= hi:
            out.append(first - cols.ts[row])
    return out


@dataclass(frozen=True, slots=True)
class SignalFact:
    """What health needs of a signal: no texts, no evidence."""

    id: str
    kind: str
    at: datetime
    status: str


def triage_delays(
    signals: Iterable[SignalFact],
    actions: Iterable[tuple[str, datetime]],
    now: datetime,
    period_days: int,
) -> list[float]:
    """Seconds from each signal's `at` to its first status action, for first actions in the
    period. `actions` are (signal id, when) of the status actions still in effect or not —
    the first touch is what "time to triage" measures, even if it was later undone."""
    at = {s.id: s.at for s in signals}
    first: dict[str, datetime] = {}
    for sid, when in actions:
        if sid in at and when <= now and (sid not in first or when < first[sid]):
            first[sid] = when
    start = now - timedelta(days=period_days)
    return [max(0.0, (when - at[sid]).total_seconds()) for sid, when in first.items() if when > start]


def open_per_kind(signals: Iterable[SignalFact]) -> dict[str, int]:
    return dict(Counter(s.kind for s in signals if s.status == "open"))


def _median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def compute_kpis(
    cols: Columns,
    members: Members,
    now: datetime,
    period_days: int = 30,
    question_ids: Collection[str] | None = None,
    signals: Sequence[SignalFact] | None = None,
    triage_actions: Sequence[tuple[str, datetime]] = (),
    replies: Mapping[str, int] | None = None,
) -> Kpis:
    """Every KPI at `now` over the period. `replies` may be `first_replies` over any window
    that starts at or before the period and ends at or after `now` (one pass serves all)."""
    hi = _ts(now)
    lo = hi - period_days * DAY
    members = MemberTimes.of(members)
    replies = _replies(cols, lo, hi, replies)
    delays = first_reply_delays(cols, now, period_days, replies)
    triage = triage_delays(signals, triage_actions, now, period_days) if signals is not None else []
    return Kpis(
        now=now,
        period_days=period_days,
        active_members=active_members(cols, members, now, period_days),
        retention_3m=retention(cols, members, now),
        intros_answered_24h=intros_answered(cols, now, period_days, replies=replies),
        questions_answered=(
            questions_answered(cols, now, period_days, question_ids, replies=replies)
            if question_ids is not None
            else None
        ),
        median_first_reply=_median(delays),
        median_triage=_median(triage) if signals is not None else None,
        open_signals=open_per_kind(signals) if signals is not None else None,
        new_members=len(members.joined_between(lo + 1, hi + 1)),
        posts=len(cols.span(lo, hi)),
        replied_posts=len(delays),
        triaged=len(triage),
    )


# -- who to thank ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Contributor:
    member: str
    posts: int
    comments: int
    welcomes: int
    """Comments on other members' introductions: the people who make newcomers feel seen."""


def top_contributors(
    cols: Columns, members: Collection[str], now: datetime, period_days: int, limit: int = 5
) -> list[Contributor]:
    """The members who wrote most in the period (welcomes weigh double), to thank them.

    Only members: a stranger's comment (often spam) never makes this list.
    """
    hi = _ts(now)
    lo = hi - period_days * DAY
    posts: Counter[str] = Counter()
    comments: Counter[str] = Counter()
    welcomes: Counter[str] = Counter()
    intro_author: dict[str, str] = {}
    for row in cols.span(lo, hi):
        who = cols.authors[row]
        kind = cols.kinds[row]
        if kind == "introduction":
            intro_author[cols.ids[row]] = who
        if who not in members:
            continue
        if kind == "comment":
            comments[who] += 1
            parent = cols.parents[row]
            if parent in intro_author and intro_author[parent] != who:
                welcomes[who] += 1
        else:
            posts[who] += 1
    people = set(posts) | set(comments)
    ranked = sorted(people, key=lambda w: (-(posts[w] + comments[w] + welcomes[w]), w))
    return [Contributor(w, posts[w], comments[w], welcomes[w]) for w in ranked[:limit]]


# -- off topic ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OffTopicWeek:
    end: datetime
    off_topic: int
    posts: int

    @property
    def share(self) -> float | None:
        return self.off_topic / self.posts if self.posts else None


def off_topic_weekly(
    cols: Columns, flags: Mapping[str, bool], now: datetime, weeks: int = 26
) -> list[OffTopicWeek]:
    """The share of flagged posts (of those the flags cover) per trailing week, oldest first."""
    hi = _ts(now)
    off = [0] * weeks
    seen = [0] * weeks
    for row in cols.span(hi - weeks * WEEK, hi):
        flag = flags.get(cols.ids[row])
        if flag is None:
            continue
        slot = (hi - cols.ts[row]) // WEEK
        if slot >= weeks:
            continue
        seen[slot] += 1
        off[slot] += bool(flag)
    return [OffTopicWeek(now - timedelta(weeks=i), off[i], seen[i]) for i in range(weeks - 1, -1, -1)]


# -- display helpers shared by the screen and the report ------------------------------------


def human_duration(seconds: float | None) -> str:
    """ "3 h 20 min", "2 d 4 h", "12 min"; an em dash when unknown."""
    if seconds is None:
        return "—"
    s = round(seconds)
    if s < HOUR:
        return f"{max(s // 60, 0)} min" if s >= 60 else f"{s} s"
    if s < DAY:
        h, rest = divmod(s, HOUR)
        return f"{h} h {rest // 60} min" if rest >= 60 else f"{h} h"
    d, rest = divmod(s, DAY)
    return f"{d} d {rest // HOUR} h" if rest >= HOUR else f"{d} d"


def percent(ratio: Ratio | None) -> str:
    if ratio is None or ratio.value is None:
        return "—"
    return f"{ratio.value:.0%}"


@dataclass(frozen=True, slots=True)
class KpiLine:
    key: str
    label: str
    value: str
    detail: str


def kpi_lines(k: Kpis, keys: Sequence[str] = DEFAULT_KPIS) -> list[KpiLine]:
    """The chosen KPIs as label, value and a short "of what" — one text for screen and report."""
    days = k.period_days
    out: list[KpiLine] = []
    for key in keys:
        label = KPI_LABELS.get(key)
        if label is None:
            continue
        value, detail = "—", ""
        if key == "active_members":
            r = k.active_members
            value, detail = percent(r), f"{r.num} of {r.den} members wrote in {days} days"
        elif key == "retention_3m":
            r = k.retention_3m
            value = percent(r)
            detail = f"{r.num} of {r.den} who joined 90–120 d ago still write"
        elif key == "intros_answered_24h":
            r = k.intros_answered_24h
            value, detail = percent(r), f"{r.num} of {r.den} introductions"
        elif key == "questions_answered":
            r2 = k.questions_answered
            value = percent(r2)
            detail = f"{r2.num} of {r2.den} questions" if r2 is not None else "needs the post texts"
        elif key == "median_first_reply":
            value = human_duration(k.median_first_reply)
            detail = f"over {k.replied_posts} answered posts"
        elif key == "median_triage":
            value = human_duration(k.median_triage)
            if k.open_signals is None:
                detail = "signals not available"
            else:
                detail = f"over {k.triaged} signals" if k.triaged else "no signal triaged in the period"
        elif key == "open_signals":
            if k.open_signals is None:
                detail = "signals not available"
            else:
                value = str(sum(k.open_signals.values()))
                detail = ", ".join(f"{n} {kind}" for kind, n in sorted(k.open_signals.items())) or "none"
        elif key == "new_members":
            value, detail = str(k.new_members), f"joined in the last {days} days"
        elif key == "posts":
            value, detail = str(k.posts), f"in the last {days} days"
        out.append(KpiLine(key, label, value, detail))
    return out


@dataclass(frozen=True, slots=True)
class Period:
    days: int
    text: str


_PERIOD = re.compile(r"^\s*(\d{1,4})\s*([dwm])\s*$", re.IGNORECASE)


def parse_period(value: str) -> Period:
    """ "30d", "12w", "3m" (a month is 30 days); raises ValueError."""
    match = _PERIOD.match(value)
    if match is None:
        raise ValueError(f"not a period like 30d, 12w or 3m: {value!r}")
    n = int(match.group(1))
    unit = match.group(2).lower()
    days = n * {"d": 1, "w": 7, "m": 30}[unit]
    if days <= 0:
        raise ValueError(f"the period must be at least one day: {value!r}")
    name = {"d": "day", "w": "week", "m": "month"}[unit]
    return Period(days, f"{n} {name}{'s' if n != 1 else ''}")
