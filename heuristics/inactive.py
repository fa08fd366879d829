"""`inactive_member`: members who went quiet, each with a warm, private check-in.

The rule (weeks = N, default 8, `[detectors.inactive_member] weeks` in tact.toml):

- a member who posted or commented before is inactive when their last post or comment is
  **N weeks old or older** — posted exactly N weeks ago counts as inactive: N full weeks have
  passed without a word;
- a member who never wrote anything is inactive once they joined N weeks ago or more (a
  member who joined today is never inactive);
- left out: members who left the group (`left_at` at or before now), members a moderator
  marked "don't check in", and members checked in on within the last N weeks.

The signal id is built from the member and the date of their last activity (or of joining,
for those who never wrote): when a member comes back and goes quiet again, that is a new
absence and a new signal, while a moderator's "handled" on the old one stays where it was.

The reply is always **private** and in the member's language. Nobody is ever named
publicly as inactive: no other detector's public post may name a member this one flags
(onboarding consults `inactive_ids` for that).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from string import Formatter

from heuristics.detector import CommunityData, Moderation
from heuristics.member_stats import MemberStats, activity_from_data
from heuristics.model import Lang, Member, Reply, Signal, format_time, signal_id

KIND = "inactive_member"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_SECOND = 1_000_000
_DAY = 86_400
_WEEK_US = 7 * _DAY * _SECOND


@dataclass(frozen=True, slots=True)
class Inactivity:
    """One member's absence, as the rule sees it."""

    member: str
    since: datetime
    """Their last post or comment, or when they joined if they never wrote."""
    never_posted: bool
    weeks: int
    """Whole weeks since `since`."""
    last_post_id: str | None = None


# One absence as the detector carries it: (since in exact microseconds since the epoch,
# member id, never posted, whole weeks, last post id, last activity in epoch seconds or None).
_Absence = tuple[int, str, bool, int, str | None, int | None]


#: `CommunityData.kept` key of the signals the detector built in a console's last run.
_BUILT = "inactive_member.built"


@dataclass(frozen=True, slots=True)
class _Built:
    """The signals built in a run, by member, and the absence each was built for."""

    signals: dict[str, Signal]
    keys: dict[str, int]
    """`_absence_key` of each member's absence (with the signal's last post, the absence)."""


def _absence_key(since_us: int, weeks: int, never: bool) -> int:
    """An absence's start, whole weeks and "never posted" as one int (exact while weeks <
    2**40, some twenty billion years)."""
    return (since_us << 41) | (weeks << 1) | never


def _micros(at: datetime) -> int:
    """Exact microseconds since the epoch (a float timestamp could round at the boundary)."""
    return (at - _EPOCH) // _US


def _absences(
    members: Mapping[str, Member],
    last: Callable[[str], int | None],
    last_id: Callable[[str], str | None],
    moderation: Moderation,
    now: datetime,
    weeks: int,
) -> list[_Absence]:
    """Every inactive member at `now` under the rule above, longest silence first (then by
    id). Exact integer microseconds instead of datetimes: one subtraction a member."""
    threshold = timedelta(weeks=weeks)
    threshold_us = weeks * _WEEK_US
    now = now.astimezone(UTC)
    now_us = _micros(now)
    found: list[_Absence] = []
    no_checkin, last_checkin = moderation.no_checkin, moderation.last_checkin
    for mid, member in members.items():
        if member.left_at is not None and member.left_at <= now:
            continue
        if no_checkin and mid in no_checkin:
            continue
        if last_checkin:
            checked = last_checkin.get(mid)
            if checked is not None and now - checked < threshold:
                continue
        seconds = last(mid)
        # A member who joined after now has a negative absence: below any threshold.
        since_us = _micros(member.joined_at) if seconds is None else seconds * _SECOND
        elapsed = now_us - since_us
        if elapsed < threshold_us:
            continue
        found.append((since_us, mid, seconds is None, elapsed // _WEEK_US, last_id(mid), seconds))
    found.sort()
    return found


def _silent(data: CommunityData, now: datetime, weeks: int) -> list[_Absence]:
    """`_absences` by activity alone (no moderation facts) over every member, once per data,
    `now` and `weeks`: the inactive rule filters it by the moderation facts, onboarding keeps
    the members it holds out of its public posts."""
    key = ("silent", now, weeks)
    found = data.memo.get(key)
    if found is None:
        figures = activity_from_data(data, now)
        found = _absences(data.members, figures.last.get, figures.last_id.get, Moderation(), now, weeks)
        data.memo[key] = found
    assert isinstance(found, list)
    return found


def silent_members(data: CommunityData, now: datetime, weeks: int = 8) -> frozenset[str]:
    """The members inactive at `now` by their activity alone (what `inactive_ids` gives with
    no moderation facts), from the post index."""
    key = ("silent_ids", now, weeks)
    found = data.memo.get(key)
    if found is None:
        found = data.memo[key] = frozenset(a[1] for a in _silent(data, now, weeks))
    assert isinstance(found, frozenset)
    return found


def inactive_ids(
    members: Mapping[str, Member],
    stats: Mapping[str, MemberStats],
    moderation: Moderation,
    now: datetime,
    weeks: int = 8,
) -> list[Inactivity]:
    """Every inactive member at `now` under the rule above, longest silence first."""

    def last(mid: str) -> int | None:
        st = stats.get(mid)
        return st.last_activity if st is not None else None

    def last_id(mid: str) -> str | None:
        st = stats.get(mid)
        return st.last_post_id if st is not None else None

    found = _absences(members, last, last_id, moderation, now, weeks)
    return [
        Inactivity(mid, _since(members[mid], seconds), seconds is None, n, post)
        for _, mid, _never, n, post, seconds in found
    ]


def _unchecked(found: list[_Absence], moderation: Moderation, now: datetime, weeks: int) -> list[_Absence]:
    """`found` without the members a moderator marked "don't check in" or checked in on
    within the last `weeks` weeks (the rule's moderation filters, as `_absences` applies them)."""
    threshold = timedelta(weeks=weeks)
    no_checkin, last_checkin = moderation.no_checkin, moderation.last_checkin
    out: list[_Absence] = []
    for absence in found:
        mid = absence[1]
        if mid in no_checkin:
            continue
        checked = last_checkin.get(mid)
        if checked is not None and now - checked < threshold:
            continue
        out.append(absence)
    return out


def _since(member: Member, seconds: int | None) -> datetime:
    return member.joined_at if seconds is None else datetime.fromtimestamp(seconds, UTC)


class InactiveMemberDetector:
    """Members who posted before but not for `weeks` weeks, or never in `weeks` weeks."""

    kind = KIND

    def __init__(self, weeks: int = 8) -> None:
        if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
            raise ValueError(f"weeks must be a whole number of weeks, 1 or more (not {weeks!r})")
        self.weeks = weeks

    def detect(
        self, data: CommunityData, now: datetime, stats: Mapping[str, MemberStats] | None = None
    ) -> list[Signal]:
        """The signals at `now`. `stats` (the members screen has them) spares the index pass."""
        if stats is not None:
            items = inactive_ids(data.members, stats, data.moderation, now, self.weeks)
            return [self.signal(data, item) for item in items]
        make = _Signals(self, data)
        return [
            make(mid, never, n, post, seconds) for _, mid, never, n, post, seconds in self._found(data, now)
        ]

    def detect_again(self, data: CommunityData, now: datetime, previous: Sequence[Signal]) -> list[Signal]:
        """`detect(data, now)`, keeping each previous signal whose absence is the same.

        The engine hands it the kind's previous signals (`heuristics.detector.ReusingDetector`;
        this is not `detect_new`, whose contract is independence from `now` and the moderation
        facts). Every member is judged again at `now` under the current moderation facts,
        from the post index; from one run to the next most absences are unchanged (the same
        start, whole weeks, last post and language), and such a member's signal is the same:
        its id, reasons, score and reply follow from those, from the member record, the
        community, the templates and `weeks` — and the engine drops a kind's previous
        signals when any of the last four changes. Checking 46,000 signals costs a fraction
        of building them."""
        make = _Signals(self, data)
        kept = {s.members[0]: s for s in previous if s.kind == KIND and len(s.members) == 1}
        # What this detector built in the console's last run: a previous signal that is the
        # very object built for the same absence needs only its language checked (detected
        # languages may change with new posts); `same` costs several times more. Kept as
        # plain ints and the signals themselves: a tuple per member would outlive the run
        # and the collector would scan 46,000 of them after each one.
        built = data.kept.get(_BUILT)
        last = built if isinstance(built, _Built) else _Built({}, {})
        now_built = _Built({}, {})
        out: list[Signal] = []
        for since_us, mid, never, n, post, seconds in self._found(data, now):
            old = kept.get(mid)
            key = _absence_key(since_us, n, never)
            if old is None:
                old = make(mid, never, n, post, seconds)
            elif (
                last.signals.get(mid) is old
                and last.keys.get(mid) == key
                and old.evidence.get("last_post") == post
            ):
                if old.reply is None or old.reply.lang != make.lang(mid):
                    old = make(mid, never, n, post, seconds)
            elif not make.same(old, mid, never, n, post, since_us):
                old = make(mid, never, n, post, seconds)
            now_built.signals[mid] = old
            now_built.keys[mid] = key
            out.append(old)
        data.kept[_BUILT] = now_built
        return out

    def _found(self, data: CommunityData, now: datetime) -> list[_Absence]:
        found = _silent(data, now, self.weeks)
        moderation = data.moderation
        if moderation.no_checkin or moderation.last_checkin:
            found = _unchecked(found, moderation, now, self.weeks)
        return found

    def signal(self, data: CommunityData, item: Inactivity) -> Signal:
        make = _Signals(self, data)
        return make(item.member, item.never_posted, item.weeks, item.last_post_id, None, item.since)


def _names_field(template: str, name: str) -> bool:
    """Whether `template.format_map(...)` may read the field `name`: it names it (also as
    `{name.attr}` or `{name[0]}`), or has a nested field, or does not parse."""
    try:
        for _, field_name, spec, _ in Formatter().parse(template):
            if field_name is not None and re.split(r"[.\[]", field_name, maxsplit=1)[0] == name:
                return True
            if spec and "{" in spec:
                return True
    except ValueError:
        return True
    return False


class _Signals:
    """Builds the signals of one run. Tens of thousands of members are flagged at scale, so
    what several of them share is computed once: the template of each language and variant,
    the score of each number of weeks, each distinct reply, the text of each day and each
    time of day."""

    def __init__(self, detector: InactiveMemberDetector, data: CommunityData) -> None:
        self.weeks = detector.weeks
        self.delta = timedelta(weeks=detector.weeks)
        self.delta_us = detector.weeks * _WEEK_US
        self.members = data.members
        self.langs = data.member_langs
        self.default: Lang = data.community.lang or "en"
        self.community = data.community.name or data.community.id
        self.templates = data.templates
        self.texts: dict[tuple[Lang, bool], tuple[str, bool]] = {}
        self.scores: dict[tuple[int, bool], float] = {}
        self.replies: dict[tuple[Lang, bool, str, int], str] = {}
        """By language, variant, name and weeks (-1 when the template does not show them)."""
        self.days: dict[int, tuple[str, str]] = {}
        self.clocks: dict[int, str] = {}

    def lang(self, mid: str) -> Lang:
        """`CommunityData.lang_of`, with the lookups bound once."""
        lang = self.langs.get(mid)
        if lang is None:
            lang = self.members[mid].lang
        return lang or self.default

    def same(
        self, old: Signal, mid: str, never: bool, weeks: int, last_post: str | None, since_us: int
    ) -> bool:
        """Whether `old` is the signal this absence gives (see `detect_again` for what the
        engine vouches for: the member record, the community, the templates, `weeks`)."""
        evidence = old.evidence
        return (
            evidence.get("weeks_inactive") == weeks
            and evidence.get("never_posted") == never
            and evidence.get("last_post") == last_post
            and evidence.get("threshold_weeks") == self.weeks
            # joined_at + weeks is a wall-clock sum in the member's zone, as `__call__` makes it
            and (
                old.at == self.members[mid].joined_at + self.delta
                if never
                else _micros(old.at) == since_us + self.delta_us
            )
            and old.reply is not None  # no reply (an empty template) is rare: build it again
            and old.reply.lang == self.lang(mid)
        )

    def _template(self, lang: Lang, never: bool) -> tuple[str, bool]:
        """The template of a language and variant, and whether its text may depend on the
        weeks (it names `{weeks}`, or is too unusual to tell: a nested or broken field)."""
        found = self.texts.get((lang, never))
        if found is None:
            template = self.templates.template(KIND, lang, "never_posted" if never else "default")
            found = self.texts[(lang, never)] = (template, _names_field(template, "weeks"))
        return found

    def _score(self, weeks: int, never: bool) -> float:
        found = self.scores.get((weeks, never))
        if found is None:
            # Longer silences rank higher, saturating at three times the threshold; a member
            # who never wrote is a little less urgent than a regular who stopped.
            over = min(1.0, max(0.0, (weeks - self.weeks) / (2 * self.weeks)))
            found = self.scores[(weeks, never)] = round((0.5 + 0.5 * over) * (0.8 if never else 1.0), 3)
        return found

    def _iso(self, at: datetime) -> tuple[str, str]:
        """(`format_time(at)`, `f"{at:%Y-%m-%d}"`), from the day and time-of-day caches when
        `at` is a whole UTC second (`isoformat` and `strftime` cost microseconds each)."""
        if at.tzinfo is UTC and not at.microsecond:
            return self._utc(int(at.timestamp()))  # exact: a whole second
        return format_time(at), f"{at:%Y-%m-%d}"

    def _utc(self, seconds: int) -> tuple[str, str]:
        """`_iso` of the UTC epoch second `seconds`."""
        day, second = divmod(seconds, _DAY)
        days = self.days.get(day)
        if days is None:
            midnight = datetime.fromtimestamp(day * _DAY, UTC)
            days = self.days[day] = (midnight.isoformat()[:10], f"{midnight:%Y-%m-%d}")
        clock = self.clocks.get(second)
        if clock is None:
            minutes, sec = divmod(second, 60)
            clock = self.clocks[second] = f"T{minutes // 60:02d}:{minutes % 60:02d}:{sec:02d}Z"
        return days[0] + clock, days[1]

    def __call__(
        self,
        mid: str,
        never: bool,
        weeks: int,
        last_post: str | None,
        seconds: int | None,
        since: datetime | None = None,
    ) -> Signal:
        """One member's signal; `seconds` is their last activity (None if they never wrote),
        `since` the absence's start when the caller has it as a datetime."""
        member = self.members[mid]
        lang = self.langs.get(mid)
        if lang is None:
            lang = member.lang
        lang = lang or self.default
        name = member.display_name
        # Members share names (4,500 names among 50,000 members at scale): each distinct reply
        # is rendered once, the weeks counting only when the template shows them.
        template, shows_weeks = self._template(lang, never)
        reply_key = (lang, never, name, weeks if shows_weeks else -1)
        text = self.replies.get(reply_key)
        if text is None:
            text = self.replies[reply_key] = self.templates.fill(
                template, name=name, weeks=weeks, community=self.community
            )
        joined, joined_day = self._iso(member.joined_at)
        if since is not None:  # an `Inactivity` from outside: its own time, as it comes
            at = since + self.delta
            last_activity, day = (None, f"{since:%Y-%m-%d}") if never else self._iso(since)
        elif never:
            at = member.joined_at + self.delta
            last_activity, day = None, joined_day
        else:
            assert seconds is not None
            at = datetime.fromtimestamp(seconds, UTC) + self.delta
            last_activity, day = self._utc(seconds)
        if never:
            key = f"joined:{day}"
            reason = (
                f"{mid} joined on {day} and has not posted since "
                f"({weeks} weeks; threshold {self.weeks} weeks)"
            )
        else:
            key = day
            reason = f"{mid} last posted on {day}, {weeks} weeks ago (threshold {self.weeks} weeks)"
        return Signal(
            id=signal_id(KIND, mid, key),
            kind=KIND,
            score=self._score(weeks, never),
            at=at,
            posts=(),
            members=(mid,),
            reasons=(reason,),
            reply=Reply(lang, "private", mid, text) if text else None,
            evidence={
                "last_activity": last_activity,
                "joined_at": joined,
                "weeks_inactive": weeks,
                "threshold_weeks": self.weeks,
                "never_posted": never,
                "last_post": last_post,
            },
        )
