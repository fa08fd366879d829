"""`onboarding`: the welcome cadence, so nobody is welcomed twice or forgotten.

Steps (member is the member id, or "*" for a post to the whole group):

- `welcome` (each new member): due on joining, while joined < `welcome_days` ago; overdue
  after `welcome_grace_days`; a public reply to their introduction (or a post naming them).
- `weekly:<ISO year-week>` ("*"): due at 00:00 on `weekday`; overdue after
  `weekly_grace_days`; a public group post naming the newcomers of the 7 days before.
- `checkin_2m` (each member): due `checkin_days` (61: two months) after joining, proposed
  for `checkin_window_days` (7); overdue after `checkin_grace_days` (3); private.
- `anniversary:<YYYY-MM>` ("*"): due on the 1st of the month; overdue after
  `anniversary_grace_days`; a public group post naming who joined that month a year before.
- `anniversary_1y` (each member): due one year after joining, proposed for
  `anniversary_window_days` (7); overdue after `anniversary_grace_days` (3); private.

Week and month boundaries are computed in `tz` (default UTC; any IANA name such as
"Europe/Paris"): a member who joins on Sunday at 23:30 UTC joins, in Paris, on Monday at 00:30
and so belongs to the next weekly welcome. The weekly step's ISO week is the week of the day
the post is due. Only the current week's and month's group posts are proposed: an older one
that was missed is superseded by the next (its newcomers are long past their own welcome).

Each personal step is proposed during the week after its date (the demo's ground truth,
`console/demo.py::onboarding_rule`, uses the same rule); past that week it is dropped rather
than nagged about — the next step of the cadence takes over. Every interval is a kwarg.

Done steps (`data.moderation.onboarding_done`) are never proposed again. Members who left are
left out; members marked "don't check in" get no 2-month check-in. Public group posts never
name a member the inactive rule flags (nobody is named publicly as inactive) — with
`inactive_weeks` (default 8) that only matters for the anniversary post.

`steps(data, now, until=...)` also lists what becomes due before `until` (the calendar's
"later this week"); `detect` returns the steps due at `now` as signals.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from heuristics.detector import CommunityData, Moderation
from heuristics.inactive import inactive_ids, silent_members
from heuristics.member_stats import MemberStats, activity_from_data
from heuristics.model import Lang, Member, Reply, Signal, Visibility, format_time, signal_id

KIND = "onboarding"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_BASE_SCORE = {"welcome": 0.6, "weekly": 0.5, "checkin_2m": 0.4, "anniversary": 0.35, "anniversary_1y": 0.3}
_AND: Mapping[str, str] = {"en": "and", "fr": "et"}


@dataclass(frozen=True, slots=True)
class OnboardingStep:
    member: str
    """A member id, or "*" for a post to the whole group."""
    step: str
    due: datetime
    deadline: datetime
    """Overdue after this moment."""
    members: tuple[str, ...]
    """The members the step concerns (named in group posts)."""
    reply: Reply | None
    reasons: tuple[str, ...] = ()
    posts: tuple[str, ...] = ()
    extra: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def family(self) -> str:
        """The step without its week or month: welcome, weekly, checkin_2m, anniversary…"""
        return self.step.split(":", 1)[0]

    def overdue_days(self, now: datetime) -> int:
        """Whole days past the deadline; 0 when not overdue."""
        if now <= self.deadline:
            return 0
        return max(1, (now - self.deadline).days)

    def is_due(self, now: datetime) -> bool:
        return self.due <= now

    def signal(self, now: datetime) -> Signal:
        late = self.overdue_days(now)
        base = _BASE_SCORE.get(self.family, 0.4)
        # Overdue steps climb the queue, a little more each day late.
        score = round(min(1.0, base + 0.2 + 0.02 * late) if late else base, 3)
        reasons = self.reasons + ((f"overdue by {late} days",) if late else ())
        return Signal(
            id=signal_id(KIND, self.member, self.step),
            kind=KIND,
            score=score,
            at=self.due,
            posts=self.posts,
            members=self.members,
            reasons=reasons,
            reply=self.reply,
            evidence={
                "member": self.member,
                "step": self.step,
                "due": format_time(self.due),
                "deadline": format_time(self.deadline),
                "overdue_days": late,
                "overdue": f"overdue by {late} days" if late else "",
                **self.extra,
            },
        )


@dataclass(frozen=True, slots=True)
class _Joined:
    """The members by time of joining, so that each step reads only the few who joined in
    its window instead of all of them (50,000 at scale, on every run)."""

    times: Sequence[float]
    """`joined_at` timestamps, ascending."""
    members: Sequence[Member]
    source: Mapping[str, Member]
    """The members mapping it was made from."""

    @classmethod
    def of(cls, data: CommunityData) -> _Joined:
        """Once per members mapping (the calendar asks twice in a row; a console's store hands
        out the same mapping, never mutated, from one run to the next while its members file
        is unchanged)."""
        found = data.kept.get(_Joined)
        if not isinstance(found, _Joined) or found.source is not data.members:
            pairs = sorted(
                ((m.joined_at.timestamp(), i, m) for i, m in enumerate(data.members.values())),
                key=lambda x: x[:2],
            )
            found = data.kept[_Joined] = cls([p[0] for p in pairs], [p[2] for p in pairs], data.members)
        return found

    def between(self, start: datetime, end: datetime) -> Sequence[Member]:
        """Every member who joined in [start, end], and some just outside: callers test each
        exactly. Two days of slack: a member's due dates are wall-clock sums in their own zone
        (`joined_at + 61 days` is an hour shorter across a daylight-saving change; Samoa
        once skipped a whole day), and the timestamps are floats."""
        lo = bisect_left(self.times, start.timestamp() - _SLACK)
        hi = bisect_right(self.times, end.timestamp() + _SLACK)
        return self.members[lo:hi]


_SLACK = 2 * 86_400.0


def _weekday(value: str | int) -> int:
    if isinstance(value, int):
        if not 0 <= value <= 6:
            raise ValueError(f"weekday must be 0 (monday) to 6 (sunday), not {value}")
        return value
    name = value.strip().lower()
    for i, day in enumerate(WEEKDAYS):
        if day.startswith(name[:3]) and len(name) >= 3:
            return i
    raise ValueError(f"unknown weekday {value!r}")


def _zone(value: str | tzinfo) -> tzinfo:
    if isinstance(value, tzinfo):
        return value
    if value.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        # a bad name in tact.toml must read as bad input, not as a crash
        raise ValueError(f"unknown time zone {value!r} (an IANA name such as Europe/Paris)") from None


def _add_year(d: datetime) -> datetime:
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 February: the anniversary falls on the 28th
        return d.replace(year=d.year + 1, day=28)


def join_names(names: Sequence[str], lang: str) -> str:
    """ "a", "a and b", "a, b and c" (or "et" in French)."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {_AND.get(lang, 'and')} {names[-1]}"


class OnboardingDetector:
    """The onboarding steps due at `now`; every interval, the weekday and the zone are kwargs."""

    kind = KIND

    def __init__(
        self,
        welcome_days: int = 7,
        welcome_grace_days: int = 2,
        weekday: str | int = "monday",
        weekly_grace_days: int = 1,
        checkin_days: int = 61,
        checkin_window_days: int = 7,
        checkin_grace_days: int = 3,
        anniversary_window_days: int = 7,
        anniversary_grace_days: int = 3,
        tz: str | tzinfo = "UTC",
        links: str | Sequence[str] = (),
        inactive_weeks: int = 8,
    ) -> None:
        for name, value in (
            ("welcome_days", welcome_days),
            ("welcome_grace_days", welcome_grace_days),
            ("weekly_grace_days", weekly_grace_days),
            ("checkin_days", checkin_days),
            ("checkin_window_days", checkin_window_days),
            ("checkin_grace_days", checkin_grace_days),
            ("anniversary_window_days", anniversary_window_days),
            ("anniversary_grace_days", anniversary_grace_days),
            ("inactive_weeks", inactive_weeks),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number, 0 or more (not {value!r})")
        self.welcome_days = welcome_days
        self.welcome_grace_days = welcome_grace_days
        self.weekday = _weekday(weekday)
        self.weekly_grace_days = weekly_grace_days
        self.checkin_days = checkin_days
        self.checkin_window_days = checkin_window_days
        self.checkin_grace_days = checkin_grace_days
        self.anniversary_window_days = anniversary_window_days
        self.anniversary_grace_days = anniversary_grace_days
        self.tz = _zone(tz)
        self.links = (links,) if isinstance(links, str) else tuple(links)
        self.inactive_weeks = inactive_weeks

    # -- public ---------------------------------------------------------------------------

    def detect(
        self, data: CommunityData, now: datetime, stats: Mapping[str, MemberStats] | None = None
    ) -> list[Signal]:
        return [s.signal(now) for s in self.steps(data, now, stats=stats)]

    def steps(
        self,
        data: CommunityData,
        now: datetime,
        until: datetime | None = None,
        stats: Mapping[str, MemberStats] | None = None,
    ) -> list[OnboardingStep]:
        """Steps due at `now` (not done), plus those becoming due up to `until`; by due time."""
        now = now.astimezone(UTC)
        until = max(now, until.astimezone(UTC)) if until is not None else now
        done = data.moderation.onboarding_done
        joined = _Joined.of(data)

        def present(m: Member) -> bool:
            return (m.left_at is None or m.left_at > now) and m.joined_at <= until

        # Silent members by activity alone: a "don't check in" mark or a recent check-in keeps
        # them out of the check-in list, never puts them into a public post.
        quiet: Collection[str]
        intro: Callable[[str], str | None]
        if stats is None:
            quiet = silent_members(data, now, self.inactive_weeks)
            intro = activity_from_data(data, now).intro.get
        else:  # the caller's figures (the calendar has them from the members screen)
            here = {mid: m for mid, m in data.members.items() if present(m)}
            quiet = {i.member for i in inactive_ids(here, stats, Moderation(), now, self.inactive_weeks)}

            def intro(mid: str) -> str | None:
                st = stats.get(mid)
                return st.intro if st is not None else None

        out: list[OnboardingStep] = []
        out += self._welcomes(data, joined, present, intro, now)
        out += self._weekly(data, joined, present, quiet, now, until)
        out += self._checkins(data, joined, present, now, until)
        out += self._anniversaries(data, joined, present, quiet, now, until)
        out = [s for s in out if (s.member, s.step) not in done]
        out.sort(key=lambda s: (s.due, s.member != "*", s.step, s.member))
        return out

    # -- steps ----------------------------------------------------------------------------

    def _local_midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), self.tz).astimezone(UTC)

    def _links_text(self, data: CommunityData, lang: Lang) -> str:
        links = self.links
        if not links:
            raw = data.community.extra.get("links")
            if isinstance(raw, str):
                links = (raw,)
            elif isinstance(raw, list | tuple):
                links = tuple(str(x) for x in raw)
        if not links:
            return ""
        return data.templates.render(KIND, lang, "links", links=" · ".join(links))

    def _community_name(self, data: CommunityData) -> str:
        return data.community.name or data.community.id

    def _render(self, data: CommunityData, lang: Lang, variant: str, **fields: object) -> str:
        return data.templates.render(
            KIND,
            lang,
            variant,
            community=self._community_name(data),
            links=self._links_text(data, lang),
            **fields,
        )

    def _personal(
        self,
        data: CommunityData,
        member: Member,
        step: str,
        due: datetime,
        grace: int,
        visibility: Visibility,
        to: str | None,
        reason: str,
        posts: tuple[str, ...] = (),
    ) -> OnboardingStep:
        lang = data.lang_of(member.id)
        text = self._render(data, lang, step, name=member.display_name)
        return OnboardingStep(
            member=member.id,
            step=step,
            due=due,
            deadline=due + timedelta(days=grace),
            members=(member.id,),
            reply=Reply(lang, visibility, to, text) if text else None,
            reasons=(reason,),
            posts=posts,
        )

    def _welcomes(
        self,
        data: CommunityData,
        joined: _Joined,
        present: Callable[[Member], bool],
        intro_of: Callable[[str], str | None],
        now: datetime,
    ) -> list[OnboardingStep]:
        window = timedelta(days=self.welcome_days)
        out: list[OnboardingStep] = []
        for m in joined.between(now - window, now):
            if not present(m) or m.joined_at > now or now - m.joined_at >= window:
                continue
            intro = intro_of(m.id)
            out.append(
                self._personal(
                    data,
                    m,
                    "welcome",
                    m.joined_at,
                    self.welcome_grace_days,
                    "public",
                    intro,
                    f"{m.id} joined on {m.joined_at:%Y-%m-%d}"
                    + (f" and introduced themselves ({intro})" if intro else ""),
                    (intro,) if intro else (),
                )
            )
        return out

    def _group_post(
        self,
        data: CommunityData,
        step: str,
        variant: str,
        due: datetime,
        grace: int,
        named: list[Member],
        reason: str,
        **fields: object,
    ) -> OnboardingStep:
        lang: Lang = data.community.lang or "en"
        names = [m.display_name for m in named]
        text = self._render(data, lang, variant, names=join_names(names, lang), count=len(names), **fields)
        # A bilingual group: when some of those named speak the other language, add it below.
        others = sorted({data.lang_of(m.id) for m in named} - {lang})
        for other in others:
            extra = self._render(
                data, other, variant, names=join_names(names, other), count=len(names), **fields
            )
            if extra:
                text = f"{text}\n\n{extra}" if text else extra
        return OnboardingStep(
            member="*",
            step=step,
            due=due,
            deadline=due + timedelta(days=grace),
            members=tuple(m.id for m in named),
            reply=Reply(lang, "public", None, text) if text else None,
            reasons=(reason,),
        )

    def _weekly(
        self,
        data: CommunityData,
        joined: _Joined,
        present: Callable[[Member], bool],
        quiet: Collection[str],
        now: datetime,
        until: datetime,
    ) -> list[OnboardingStep]:
        today = now.astimezone(self.tz).date()
        due_day = today - timedelta(days=(today.weekday() - self.weekday) % 7)
        out: list[OnboardingStep] = []
        while True:
            due = self._local_midnight(due_day)
            if due > until:
                break
            start = self._local_midnight(due_day - timedelta(days=7))
            named = sorted(
                (
                    m
                    for m in joined.between(start, due)
                    if start <= m.joined_at < due and present(m) and m.id not in quiet
                ),
                key=lambda m: (m.joined_at, m.id),
            )
            if named:
                iso = due_day.isocalendar()
                step = f"weekly:{iso.year}-W{iso.week:02d}"
                reason = (
                    f"{len(named)} members joined between {due_day - timedelta(days=7):%Y-%m-%d} "
                    f"and {due_day - timedelta(days=1):%Y-%m-%d}"
                )
                out.append(self._group_post(data, step, "weekly", due, self.weekly_grace_days, named, reason))
            due_day += timedelta(days=7)
        return out

    def _checkins(
        self,
        data: CommunityData,
        joined: _Joined,
        present: Callable[[Member], bool],
        now: datetime,
        until: datetime,
    ) -> list[OnboardingStep]:
        after = timedelta(days=self.checkin_days)
        window = timedelta(days=self.checkin_window_days)
        out: list[OnboardingStep] = []
        for m in joined.between(now - after - window, until - after):
            if not present(m) or m.id in data.moderation.no_checkin:
                continue
            due = m.joined_at + after
            if due > until or now >= due + window:
                continue
            reason = f"{m.id} joined on {m.joined_at:%Y-%m-%d}: {self.checkin_days} days on {due:%Y-%m-%d}"
            out.append(
                self._personal(data, m, "checkin_2m", due, self.checkin_grace_days, "private", m.id, reason)
            )
        return out

    def _anniversaries(
        self,
        data: CommunityData,
        joined: _Joined,
        present: Callable[[Member], bool],
        quiet: Collection[str],
        now: datetime,
        until: datetime,
    ) -> list[OnboardingStep]:
        out: list[OnboardingStep] = []
        window = timedelta(days=self.anniversary_window_days)
        # A year later is 365 or 366 days later (29 February: the 28th).
        for m in joined.between(now - window - timedelta(days=366), until - timedelta(days=365)):
            if not present(m):
                continue
            due = _add_year(m.joined_at)
            if due > until or now >= due + window:
                continue
            reason = f"{m.id} joined on {m.joined_at:%Y-%m-%d}: one year on {due:%Y-%m-%d}"
            out.append(
                self._personal(
                    data, m, "anniversary_1y", due, self.anniversary_grace_days, "private", m.id, reason
                )
            )
        local = now.astimezone(self.tz)
        month = date(local.year, local.month, 1)
        while True:
            due = self._local_midnight(month)
            if due > until:
                break
            year_ago = date(month.year - 1, month.month, 1)
            nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
            start, end = (
                self._local_midnight(year_ago),
                self._local_midnight(date(nxt.year - 1, nxt.month, 1)),
            )
            named = sorted(
                (
                    m
                    for m in joined.between(start, end)
                    if start <= m.joined_at < end and present(m) and m.id not in quiet
                ),
                key=lambda m: (m.joined_at, m.id),
            )
            if named:
                step = f"anniversary:{month:%Y-%m}"
                reason = f"{len(named)} members joined in {year_ago:%Y-%m}, one year ago"
                out.append(
                    self._group_post(
                        data,
                        step,
                        "anniversary",
                        due,
                        self.anniversary_grace_days,
                        named,
                        reason,
                        month=f"{year_ago:%Y-%m}",
                    )
                )
            month = nxt
        return out
