"""What the health screen and `tact report` show, gathered from the store and the audit log.

Two steps, so the screen paints fast on a big community:

1. `gather` reads only the columnar post index, the members and the audit log — no post
   text — and computes every series, the heat map and the KPIs that need no text.
2. `complete` adds what needs more, or sits below the fold: the question posts of the
   period (their text decides), the signals (open per kind, time to triage), the off-topic
   share and the participation ladder (a pass over every post's history). The pieces other
   helpers provide (`console.signals_service`, `heuristics.off_topic`) are optional: when one
   is missing, the view says so in `notes` instead of failing.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from console.context import Tact
from console.errors import ActionNotSaved, TactError, error_text, os_error_line
from console.storage import read_json, write_json
from heuristics.health import (
    DAY,
    DEFAULT_KPIS,
    KPI_LABELS,
    WEEK,
    Band,
    Bucket,
    Columns,
    Contributor,
    HeatMap,
    Kpis,
    MemberTimes,
    OffTopicWeek,
    Period,
    SignalFact,
    baseline_band,
    compute_kpis,
    daily,
    first_replies,
    heat_map,
    is_question,
    new_members_per_week,
    off_topic_weekly,
    per_utc_day,
    top_contributors,
    weekly,
)
from heuristics.model import Member

KPI_FILE = "health_kpis.json"
#: The status actions whose first occurrence on a signal counts as "triaged".
TRIAGE_ACTIONS = frozenset({"dismiss", "snooze", "handled"})
DAYS_SHOWN = 90
WEEKS_SHOWN = 104
LADDER_MONTHS = 12


@dataclass(frozen=True, slots=True)
class Ladder:
    """The participation ladder at the end of each month (and now), against 90-9-1."""

    labels: list[str]
    lurkers: list[float]
    commenters: list[float]
    creators: list[float]


@dataclass(frozen=True, slots=True)
class HealthView:
    now: datetime
    period: Period
    community: str
    tolerance: float
    """The community's off-topic tolerance (share of posts)."""
    member_count: int
    post_count: int
    daily: list[Bucket]
    daily_band: list[Band | None]
    weekly: list[Bucket]
    weekly_band: list[Band | None]
    baseline: str
    """Where the usual range comes from, in words (for the chart's caption)."""
    new_members: list[int]
    """Joins per trailing week, oldest first, over the same weeks as `weekly`."""
    heat: HeatMap
    kpis: Kpis
    previous: Kpis
    """The same KPIs one period earlier, for the "since last time" column of the report."""
    contributors: list[tuple[str, Contributor]]
    """(display name, counts) of the members to thank this period."""
    ladder: Ladder | None
    """None until `complete` (or when heuristics.ladder is missing)."""
    off_topic: list[OffTopicWeek] | None = None
    questions: frozenset[str] | None = None
    """Ids of the question posts of this period and the previous one (from their text)."""
    signals: tuple[SignalFact, ...] | None = None
    pending: frozenset[str] = frozenset({"details", "signals", "off_topic"})
    """The steps of `STEPS` not run yet: the screen says "computing…" where they matter."""
    notes: tuple[str, ...] = ()
    """What could not be computed, in words a moderator understands."""

    @property
    def complete(self) -> bool:
        return not self.pending


def columns(tact: Tact) -> Columns:
    index = tact.store.post_index()
    return Columns(index.id, index.author, index.ts, index.kind, index.parent)


def _ladder(cols: Columns, members: Sequence[Member], now: datetime) -> Ladder | None:
    try:
        from heuristics.ladder import ladder_by_month
    except ImportError:  # the members helper's module has not landed
        return None
    first = now - timedelta(days=30 * (LADDER_MONTHS - 1))
    shares = ladder_by_month(
        [m.id for m in members],
        zip(cols.authors, cols.ts, cols.kinds, strict=True),
        now,
        joined_at={m.id: m.joined_at for m in members},
        left_at={m.id: m.left_at for m in members},
        first_month=f"{first:%Y-%m}",
    )
    points = [s.shares for s in shares]
    return Ladder(
        [s.label for s in shares],
        [p["lurker"] for p in points],
        [p["commenter"] for p in points],
        [p["creator"] for p in points],
    )


def gather(tact: Tact, period: Period, now: datetime | None = None) -> HealthView:
    """Everything that needs no post text and no signal computation (fast)."""
    now = now or tact.now()
    cols = columns(tact)
    people = tact.store.members()
    members = MemberTimes.of(people.values())
    community = tact.store.community()
    days = period.days
    day_series = daily(cols, now, DAYS_SHOWN)
    week_series = weekly(cols, now, WEEKS_SHOWN)
    # One pass over the threads of the heat map's window serves both the heat map and
    # the KPIs' reply times below (they recompute their own shorter windows cheaply).
    heat_days = 91
    settings = _settings(tact)
    zone = _zone(settings)
    replies = _first_replies(cols, now, days)
    triage = _triage_actions(tact)
    day_band, week_band, baseline_name = _bands(cols, now, day_series, week_series)
    kpis = compute_kpis(cols, members, now, days, triage_actions=triage, replies=replies)
    before = now - timedelta(days=days)
    previous = compute_kpis(cols, members, before, days, triage_actions=triage, replies=replies)
    names = {m.id: m.display_name for m in people.values()}
    thanks = [(names[c.member], c) for c in top_contributors(cols, names.keys(), now, days)]
    return HealthView(
        now=now,
        period=period,
        community=(community.name or community.id) if community else "",
        tolerance=community.off_topic_tolerance if community else 0.2,
        member_count=len(people),
        post_count=len(cols),
        daily=day_series,
        daily_band=day_band,
        weekly=week_series,
        weekly_band=week_band,
        baseline=baseline_name,
        new_members=new_members_per_week(members, now, WEEKS_SHOWN),
        heat=heat_map(cols, now, heat_days, tz=zone, first_reply=replies),
        kpis=kpis,
        previous=previous,
        contributors=thanks,
        ladder=None,
    )


def _bands(
    cols: Columns, now: datetime, days: Sequence[Bucket], weeks: Sequence[Bucket]
) -> tuple[list[Band | None], list[Band | None], str]:
    """The usual range under each day and week: the quiet-group detector's own baseline
    (median and robust spread of past weeks, seasonally adjusted) when it is installed, so the
    chart shows exactly what that detector compares; else a plain trailing median ± 2 MAD."""
    activity_baseline = _optional("heuristics.quiet_group", "activity_baseline")
    if activity_baseline is None or not len(cols):
        return (
            baseline_band([b.total for b in days], lookback=28),
            baseline_band([b.total for b in weeks], lookback=12),
            "median ± 2 MAD of the weeks before",
        )
    # Enough history for the oldest week drawn: its 10 past weeks and last year's.
    hi = int(now.timestamp())
    counts = per_utc_day(cols, hi - (len(weeks) + 52 + 12) * WEEK, hi)
    first = date(1970, 1, 1) + timedelta(days=cols.ts[0] // DAY)
    week_band: list[Band | None] = []
    for b in weeks:
        base = activity_baseline(counts, b.end, first=first)
        week_band.append(Band(max(base.threshold, 0.0), base.median, base.high) if base.enough else None)
    # Per day, the baseline of the trailing week the day lies in, divided by 7: the detector
    # judges weeks, not days, so the daily band steps once a week.
    day_band: list[Band | None] = []
    for i in range(len(days) - 1, -1, -1):
        week = len(weeks) - 1 - (len(days) - 1 - i) // 7
        wb = week_band[week] if 0 <= week < len(week_band) else None
        day_band.append(Band(wb.low / 7, wb.mid / 7, wb.high / 7) if wb is not None else None)
    day_band.reverse()
    return day_band, week_band, "the quiet-group detector's baseline"


def _triage_actions(tact: Tact) -> list[tuple[str, datetime]]:
    return [
        (a.signal, a.at) for a in tact.audit.entries() if a.action in TRIAGE_ACTIONS and a.signal is not None
    ]


def _first_replies(cols: Columns, now: datetime, days: int) -> dict[str, int]:
    """One pass over the threads that serves the heat map (91 days) and both periods' KPIs."""
    hi = int(now.timestamp())
    return first_replies(cols, hi - max(91, 2 * days) * DAY, hi)


def _kpis(tact: Tact, view: HealthView, cols: Columns) -> tuple[Kpis, Kpis]:
    members = MemberTimes.of(tact.store.members().values())
    now, days = view.now, view.period.days
    signals = list(view.signals) if view.signals is not None else None
    triage = _triage_actions(tact)
    replies = _first_replies(cols, now, days)
    kpis = compute_kpis(cols, members, now, days, view.questions, signals, triage, replies)
    previous = compute_kpis(
        cols, members, now - timedelta(days=days), days, view.questions, signals, triage, replies
    )
    # Open signals are a "now" figure: one period ago we cannot know which were open.
    return kpis, dataclasses.replace(previous, open_signals=None)


def with_details(tact: Tact, view: HealthView) -> HealthView:
    """The question posts (their text decides) and the participation ladder (fast)."""
    now = view.now
    start = now - timedelta(days=2 * view.period.days)  # this period and the previous one
    questions = frozenset(
        p.id
        for p in tact.store.posts_between(start, now + timedelta(seconds=1))
        if p.kind != "comment" and is_question(p.text)
    )
    cols = columns(tact)
    view = dataclasses.replace(view, questions=questions)
    kpis, previous = _kpis(tact, view, cols)
    notes = list(view.notes)
    ladder = _ladder(cols, list(tact.store.members().values()), now)
    if ladder is None:
        notes.append("The participation ladder needs heuristics.ladder, not installed yet.")
    return dataclasses.replace(
        view,
        kpis=kpis,
        previous=previous,
        ladder=ladder,
        notes=tuple(notes),
        pending=view.pending - {"details"},
    )


def with_signals(tact: Tact, view: HealthView) -> HealthView:
    """Open signals per kind and the time to triage (runs the detectors: slow the first time)."""
    notes = list(view.notes)
    signals = _signals(tact, view.now, notes)
    view = dataclasses.replace(view, signals=tuple(signals) if signals is not None else None)
    kpis, previous = _kpis(tact, view, columns(tact))
    return dataclasses.replace(
        view, kpis=kpis, previous=previous, notes=tuple(notes), pending=view.pending - {"signals"}
    )


def with_off_topic(tact: Tact, view: HealthView) -> HealthView:
    """The weekly off-topic share (reads every post's text: slow on a big community)."""
    notes = list(view.notes)
    weeks = _off_topic(tact, columns(tact), view.now, notes)
    return dataclasses.replace(
        view, off_topic=weeks, notes=tuple(notes), pending=view.pending - {"off_topic"}
    )


#: What `complete` adds to `gather`'s view, fastest first: (pending key, words, function).
STEPS: tuple[tuple[str, str, Callable[[Tact, HealthView], HealthView]], ...] = (
    ("details", "Questions and ladder", with_details),
    ("signals", "Signals", with_signals),
    ("off_topic", "Off-topic share", with_off_topic),
)


def run_step(tact: Tact, view: HealthView, key: str) -> HealthView:
    """One step of `STEPS`. A step that fails (a detector module raising, say) leaves a note
    and its panels "not available" instead of taking the whole page down."""
    for name, words, step in STEPS:
        if name != key:
            continue
        try:
            return step(tact, view)
        except (TactError, OSError, ValueError, KeyError, TypeError, AttributeError) as err:
            note = f"{words}: could not be computed ({error_text(err)})."
            return dataclasses.replace(view, notes=(*view.notes, note), pending=view.pending - {key})
    raise KeyError(key)


def complete(tact: Tact, view: HealthView, done: Callable[[str], None] | None = None) -> HealthView:
    """Every step of `STEPS` on `view`; `done(step words)` is called after each."""
    for key, words, _step in STEPS:
        view = run_step(tact, view, key)
        if done is not None:
            done(words)
    return view


def _optional(module: str, name: str) -> Any | None:
    """`module.name` when that module has landed (other helpers write them), else None."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def _signals(tact: Tact, now: datetime, notes: list[str]) -> list[SignalFact] | None:
    compute_signals = _optional("console.signals_service", "compute_signals")
    if compute_signals is None:
        notes.append("Signals are not available yet (console.signals_service missing).")
        return None
    found = compute_signals(tact, now=now)
    return [SignalFact(s.id, s.kind, s.at, s.status) for s in found]


def _off_topic(tact: Tact, cols: Columns, now: datetime, notes: list[str]) -> list[OffTopicWeek] | None:
    load_data = _optional("console.signals_service", "load_data")
    off_topic_flags = _optional("heuristics.off_topic", "off_topic_flags")
    if load_data is None or off_topic_flags is None:
        notes.append("The off-topic share needs heuristics.off_topic, not installed yet.")
        return None
    flags = off_topic_flags(load_data(tact))
    return off_topic_weekly(cols, flags, now)


# -- the moderator's choice of KPIs ---------------------------------------------------------


def _settings(tact: Tact) -> dict[str, Any]:
    """The `[health]` table of tact.toml (`tz`, `kpis`); empty when absent or unreadable.

    A broken tact.toml is reported by the commands that own it; the health page still opens.
    """
    load_config = _optional("console.tact_config", "load_config")
    if load_config is None:
        return {}
    try:
        raw = load_config(tact.settings.config_file).raw
    except TactError:
        return {}
    table = raw.get("health")
    out: dict[str, Any] = dict(table) if isinstance(table, dict) else {}
    onboarding = (
        raw.get("detectors", {}).get("onboarding", {}) if isinstance(raw.get("detectors"), dict) else {}
    )
    if "tz" not in out and isinstance(onboarding, dict) and isinstance(onboarding.get("tz"), str):
        out["tz"] = onboarding["tz"]  # the community's zone, already set for the weekly welcome
    return out


def _zone(settings: dict[str, Any]) -> tzinfo:
    """The zone the heat map's hours are in: `[health] tz`, else the onboarding's, else UTC."""
    name = settings.get("tz")
    if not isinstance(name, str) or not name.strip():
        return UTC
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def load_kpi_choice(tact: Tact) -> tuple[str, ...]:
    """The KPIs this data directory's moderators chose: DATA/derived/health_kpis.json (what
    the `k` picker writes), else `[health] kpis = [...]` in tact.toml, else the defaults."""
    try:
        doc: Any = read_json(tact.store.derived_path(KPI_FILE))
    except (OSError, ValueError):  # unreadable: fall back rather than refuse to open
        doc = None
    if not isinstance(doc, dict):
        doc = _settings(tact)
    keys = doc.get("kpis")
    if not isinstance(keys, list):
        return DEFAULT_KPIS
    return tuple(k for k in keys if isinstance(k, str) and k in KPI_LABELS)


def save_kpi_choice(tact: Tact, keys: Sequence[str]) -> None:
    chosen = [k for k in KPI_LABELS if k in set(keys)]
    path = tact.store.derived_path(KPI_FILE)
    try:
        write_json(path, {"kpis": chosen})
    except OSError as err:
        raise ActionNotSaved(os_error_line(err, "the KPI choice was not saved", path)) from None
