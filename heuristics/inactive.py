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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import compress
from operator import ne
from string import Formatter

import numpy as np
import numpy.typing as npt

from heuristics.detector import CommunityData, Kept, Moderation
from heuristics.member_stats import _KEPT_ACTIVITY, Activity, MemberStats, _Counted, activity_from_data
from heuristics.model import Community, Lang, Member, Reply, Signal, format_time, signal_id
from heuristics.replies import Templates

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


# -- a console's run after an import: only the members whose absence may have changed ----------
#
# Judging 50,000 members and building 46,000 signals on every run cost most of a console's
# run after an import, where a few hundred members wrote and a few crossed a week. So the
# members' absences are kept as arrays by member (`_Silence`), carried from one run to the
# next over only the rows appended since (the activity count a console keeps vouches for the
# rows before them), and compared whole, at numpy speed, with the previous run's: the signals
# of the members whose absence, moderation facts or language differ are built again, every
# other one is the very object built before (`_Flagged`).

_NEVER = np.iinfo(np.int64).max
"""`left_us` of a member who never left."""

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

#: `CommunityData.kept` keys: the roster, the silences by weeks, the flagged by weeks.
_ROSTER = "inactive_member.roster"
_SILENCES = "inactive_member.silences"
_FLAGGED = "inactive_member.flagged"


@dataclass(frozen=True, slots=True)
class _Roster:
    """The members as arrays by row, made once per members mapping: a console's store hands
    out the same mapping, never mutated, while its members file is unchanged."""

    members: Mapping[str, Member]
    ids: list[str]
    row: dict[str, int]
    joined_us: Ints
    left_us: Ints
    """When each left, `_NEVER` if they did not."""
    rank: Ints
    """Each row's place in id order: the tie-break of `detect`'s order."""

    @classmethod
    def of(cls, data: CommunityData) -> _Roster:
        found = data.kept.get(_ROSTER)
        if isinstance(found, _Roster) and found.members is data.members:
            return found
        members = data.members
        ids = list(members)
        n = len(ids)
        joined = np.fromiter((_micros(m.joined_at) for m in members.values()), np.int64, n)
        left = np.fromiter(
            (_NEVER if m.left_at is None else _micros(m.left_at) for m in members.values()), np.int64, n
        )
        rank = np.empty(n, np.int64)
        rank[sorted(range(n), key=ids.__getitem__)] = np.arange(n, dtype=np.int64)
        found = cls(members, ids, {mid: i for i, mid in enumerate(ids)}, joined, left, rank)
        data.kept[_ROSTER] = found
        return found


@dataclass(frozen=True, slots=True)
class _Silence:
    """Every member's absence at one `now` by activity alone (no moderation facts), by row of
    the roster: what onboarding keeps out of its public posts, and what the inactive rule then
    filters by the moderation facts."""

    roster: _Roster
    weeks: int
    now_us: int
    chain: object
    """`_Counted.chain` of the activity count it was made from (None: not to be carried)."""
    rows: int
    """The rows that count covered: the next run's count grown from it reads the rows after."""
    since_us: Ints
    """Each member's last post or comment, else when they joined (exact microseconds)."""
    wrote: Flags
    """Whether `since_us` is their last post or comment."""
    counts: Ints
    """Whole weeks of silence of each silent member, -1 for the others."""
    ids: frozenset[str]
    """The silent members."""
    parent: object
    """`token` of the silence this one was carried from (None when judged anew)."""
    changed: Ints
    """Rows (sorted) whose absence may differ from the parent's: the others' are the same."""
    token: object


def _counts(roster: _Roster, since_us: Ints, now_us: int, weeks: int) -> Ints:
    """`_absences`' rule without moderation facts, over every member at once."""
    elapsed = now_us - since_us
    silent = (roster.left_us > now_us) & (elapsed >= weeks * _WEEK_US)
    return np.where(silent, elapsed // _WEEK_US, -1)


def _silence(data: CommunityData, now: datetime, weeks: int) -> _Silence:
    """The members' absences at `now`, once per data, `now` and `weeks`: carried from the one
    a console kept when the activity count grew from the one it was made from, else anew."""
    key = ("silence", now, weeks)
    found = data.memo.get(key)
    if isinstance(found, _Silence):
        return found
    figures = activity_from_data(data, now)
    counted = data.kept.get(_KEPT_ACTIVITY)
    if not isinstance(counted, _Counted) or counted.figures is not figures:
        counted = None  # another thread counted since: nothing to vouch for the rows
    roster = _Roster.of(data)
    kept: Kept[int, _Silence] = Kept.of(data, _SILENCES, 4)
    before = kept.get(weeks)
    now_us = _micros(now.astimezone(UTC))
    if (
        before is not None
        and counted is not None
        and before.roster is roster
        and before.chain is counted.chain  # so its rows are the first of this count's
    ):
        found = _carried(before, counted, figures, now_us)
    else:
        found = _judged(roster, figures, counted, now_us, weeks)
    kept.put(weeks, found)
    data.memo[key] = found
    return found


def _judged(
    roster: _Roster, figures: Activity, counted: _Counted | None, now_us: int, weeks: int
) -> _Silence:
    last = figures.last
    seconds = [last.get(mid) for mid in roster.ids]
    wrote = np.fromiter((s is not None for s in seconds), np.bool_, len(seconds))
    since = roster.joined_us.copy()
    since[wrote] = np.fromiter((s for s in seconds if s is not None), np.int64) * _SECOND
    counts = _counts(roster, since, now_us, weeks)
    ids = frozenset(roster.ids[i] for i in np.flatnonzero(counts >= 0).tolist())
    chain, rows = (counted.chain, counted.rows) if counted is not None else (None, 0)
    return _Silence(roster, weeks, now_us, chain, rows, since, wrote, counts, ids, None, _ALL, object())


_ALL = np.empty(0, np.int64)
"""`_Silence.changed` of a silence judged anew (it has no parent to differ from)."""


def _carried(before: _Silence, counted: _Counted, figures: Activity, now_us: int) -> _Silence:
    """`before` at `now_us`, its members who wrote in the rows counted since taking their last
    post or comment from `figures` (the count grew from `before`'s: the rows below are the
    same posts, so nobody else's last activity moved)."""
    roster = before.roster
    row = roster.row
    authors = counted.columns[1][before.rows : counted.rows]
    wrote_now = sorted(row[a] for a in set(authors) if a in row)
    since, wrote = before.since_us, before.wrote
    if wrote_now:
        since, wrote = since.copy(), wrote.copy()
        last, ids = figures.last, roster.ids
        since[wrote_now] = np.fromiter((last[ids[i]] for i in wrote_now), np.int64, len(wrote_now)) * _SECOND
        wrote[wrote_now] = True
    counts = _counts(roster, since, now_us, before.weeks)
    changed = np.union1d(np.flatnonzero(counts != before.counts), np.array(wrote_now, np.int64))
    silent_ids = before.ids
    if changed.size:
        was, now_silent = before.counts[changed] >= 0, counts[changed] >= 0
        gone = [roster.ids[i] for i in changed[was & ~now_silent].tolist()]
        came = [roster.ids[i] for i in changed[now_silent & ~was].tolist()]
        if gone or came:
            silent_ids = silent_ids.difference(gone).union(came)
    return _Silence(
        roster,
        before.weeks,
        now_us,
        counted.chain,
        counted.rows,
        since,
        wrote,
        counts,
        silent_ids,
        before.token,
        changed,
        object(),
    )


def silent_members(data: CommunityData, now: datetime, weeks: int = 8) -> frozenset[str]:
    """The members inactive at `now` by their activity alone (what `inactive_ids` gives with
    no moderation facts), from the post index."""
    return _silence(data, now, weeks).ids


def _excluded(roster: _Roster, moderation: Moderation, now: datetime, weeks: int) -> Flags:
    """The members the moderation facts leave out at `now`: marked "don't check in", or
    checked in on within the last `weeks` weeks (as `_absences` tells them)."""
    threshold = timedelta(weeks=weeks)
    row = roster.row
    out = np.zeros(len(roster.ids), np.bool_)
    hits = [row[mid] for mid in moderation.no_checkin if mid in row]
    hits += [row[mid] for mid, at in moderation.last_checkin.items() if mid in row and now - at < threshold]
    out[hits] = True
    return out


@dataclass(frozen=True, slots=True)
class _Flagged:
    """The signals one run built, by member, and everything they were built from besides the
    member records (the roster's)."""

    silence: _Silence
    excluded: Flags
    langs: Mapping[str, Lang]
    """A copy of `CommunityData.member_langs` (the caller's dict is not ours to keep)."""
    community: Community
    templates: Templates
    signals: dict[str, Signal]


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


def _languages(
    roster: _Roster, langs: Mapping[str, Lang], before: Mapping[str, Lang]
) -> tuple[list[int], Mapping[str, Lang]]:
    """The rows of the members whose language entry differs from `before`'s, and the entries
    to keep for the next run (`before` itself when none differs)."""
    if langs is before or langs == before:
        return [], before
    keys = list(langs)
    if keys == list(before):  # the same members in the same order: values compared in step, in C
        moved: Iterable[str] = compress(keys, map(ne, langs.values(), before.values()))
    else:
        get = before.get
        moved = [*(mid for mid, lang in langs.items() if get(mid) != lang), *(before.keys() - langs.keys())]
    row = roster.row
    return [row[mid] for mid in moved if mid in row], dict(langs)


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
        """The signals at `now`, longest silence first (then by member). `stats` (the members
        screen has them) spares the index pass."""
        if stats is not None:
            items = inactive_ids(data.members, stats, data.moderation, now, self.weeks)
            return [self.signal(data, item) for item in items]
        signals = self._signals(data, now, ())
        silence = _silence(data, now, self.weeks)
        roster = silence.roster
        rows = np.fromiter((roster.row[mid] for mid in signals), np.int64, len(signals))
        rows = rows[np.lexsort((roster.rank[rows], silence.since_us[rows]))]
        return [signals[roster.ids[i]] for i in rows.tolist()]

    def detect_again(self, data: CommunityData, now: datetime, previous: Sequence[Signal]) -> list[Signal]:
        """`detect(data, now)` in no particular order (the engine sorts), keeping each
        previous signal whose absence is the same.

        The engine hands it the kind's previous signals (`heuristics.detector.ReusingDetector`;
        this is not `detect_new`, whose contract is independence from `now` and the moderation
        facts). A member's signal follows from their absence, their language, the member
        record, the community, the templates and `weeks` (and the engine drops a kind's
        previous signals when any of the last four changes). In a console, which keeps what
        the last run built, only the members whose absence, moderation facts or language
        changed are looked at (see `_Silence`); otherwise every member is judged again and a
        previous signal found the same is kept, which costs a fraction of building it."""
        return list(self._signals(data, now, previous).values())

    def _signals(self, data: CommunityData, now: datetime, previous: Sequence[Signal]) -> dict[str, Signal]:
        """The signals at `now` by member, carried from the last run's when a console kept it
        and the silence it was built on is this one or its parent, else built anew."""
        silence = _silence(data, now, self.weeks)
        excluded = _excluded(silence.roster, data.moderation, now, self.weeks)
        kept: Kept[int, _Flagged] = Kept.of(data, _FLAGGED, 4)
        before = kept.get(self.weeks)
        if (
            before is not None
            and (before.silence is silence or before.silence.token is silence.parent)
            and before.community == data.community
            and before.templates == data.templates
        ):
            signals, langs = self._carry(data, now, silence, excluded, before)
        else:
            signals, langs = self._build(data, now, silence, excluded, previous), dict(data.member_langs)
        kept.put(self.weeks, _Flagged(silence, excluded, langs, data.community, data.templates, signals))
        return signals

    def _build(
        self,
        data: CommunityData,
        now: datetime,
        silence: _Silence,
        excluded: Flags,
        previous: Sequence[Signal],
    ) -> dict[str, Signal]:
        """Every flagged member's signal, a previous one kept where it is the same."""
        make = _Signals(self, data)
        figures = activity_from_data(data, now)
        last, last_id, ids = figures.last, figures.last_id, silence.roster.ids
        kept = {s.members[0]: s for s in previous if s.kind == KIND and len(s.members) == 1}
        rows = np.flatnonzero((silence.counts >= 0) & ~excluded)
        out: dict[str, Signal] = {}
        for i, since_us, n, wrote in zip(
            rows.tolist(),
            silence.since_us[rows].tolist(),
            silence.counts[rows].tolist(),
            silence.wrote[rows].tolist(),
            strict=True,
        ):
            mid = ids[i]
            post = last_id.get(mid)
            old = kept.get(mid)
            if old is None or not make.same(old, mid, not wrote, n, post, since_us):
                old = make(mid, not wrote, n, post, last.get(mid))
            out[mid] = old
        return out

    def _carry(
        self, data: CommunityData, now: datetime, silence: _Silence, excluded: Flags, before: _Flagged
    ) -> tuple[dict[str, Signal], Mapping[str, Lang]]:
        """`before`'s signals, those of the members whose absence, moderation facts or
        language differ built again (or dropped)."""
        roster = silence.roster
        changed = silence.changed if before.silence is not silence else _ALL
        moved = np.flatnonzero(excluded != before.excluded)
        spoken, langs = _languages(roster, data.member_langs, before.langs)
        rows = np.union1d(np.union1d(changed, moved), np.array(spoken, np.int64))
        if not rows.size:
            return before.signals, langs
        make = _Signals(self, data)
        figures = activity_from_data(data, now)
        last, last_id, ids = figures.last, figures.last_id, roster.ids
        signals = dict(before.signals)  # copied: another thread may still read the old one
        for i in rows.tolist():
            mid = ids[i]
            n = int(silence.counts[i])
            if n < 0 or excluded[i]:
                signals.pop(mid, None)
            else:
                signals[mid] = make(mid, not silence.wrote[i], n, last_id.get(mid), last.get(mid))
        return signals, langs

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
