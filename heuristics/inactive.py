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

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from heuristics.detector import CommunityData, Moderation
from heuristics.member_stats import MemberStats, stats_from_data
from heuristics.model import Member, Reply, Signal, format_time, signal_id

KIND = "inactive_member"


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


def inactive_ids(
    members: Mapping[str, Member],
    stats: Mapping[str, MemberStats],
    moderation: Moderation,
    now: datetime,
    weeks: int = 8,
) -> list[Inactivity]:
    """Every inactive member at `now` under the rule above, longest silence first."""
    threshold = timedelta(weeks=weeks)
    week = timedelta(weeks=1)
    now = now.astimezone(UTC)
    found: list[Inactivity] = []
    no_checkin, last_checkin = moderation.no_checkin, moderation.last_checkin
    for mid, member in members.items():
        if member.left_at is not None and member.left_at <= now:
            continue
        if mid in no_checkin:
            continue
        checked = last_checkin.get(mid)
        if checked is not None and now - checked < threshold:
            continue
        st = stats.get(mid)
        last = st.last_activity if st is not None else None
        if last is None:
            if member.joined_at > now:
                continue
            since, never = member.joined_at, True
        else:
            since, never = datetime.fromtimestamp(last, UTC), False
        elapsed = now - since
        if elapsed < threshold:
            continue
        found.append(Inactivity(mid, since, never, int(elapsed // week), st.last_post_id if st else None))
    found.sort(key=lambda i: (i.since, i.member))
    return found


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
        """The signals at `now`. `stats` (from the post index) saves a pass over `data.posts`."""
        if stats is None:
            stats = stats_from_data(data, now)
        return [
            self.signal(data, item)
            for item in inactive_ids(data.members, stats, data.moderation, now, self.weeks)
        ]

    def signal(self, data: CommunityData, item: Inactivity) -> Signal:
        member = data.members[item.member]
        lang = data.lang_of(item.member)
        variant = "never_posted" if item.never_posted else "default"
        text = data.templates.render(
            KIND,
            lang,
            variant,
            name=member.display_name,
            weeks=item.weeks,
            community=data.community.name or data.community.id,
        )
        day = f"{item.since:%Y-%m-%d}"
        key = f"joined:{day}" if item.never_posted else day
        if item.never_posted:
            reason = (
                f"{item.member} joined on {day} and has not posted since "
                f"({item.weeks} weeks; threshold {self.weeks} weeks)"
            )
        else:
            reason = (
                f"{item.member} last posted on {day}, {item.weeks} weeks ago (threshold {self.weeks} weeks)"
            )
        # Longer silences rank higher, saturating at three times the threshold; a member who
        # never wrote is a little less urgent than a regular who stopped.
        over = min(1.0, max(0.0, (item.weeks - self.weeks) / (2 * self.weeks)))
        score = round((0.5 + 0.5 * over) * (0.8 if item.never_posted else 1.0), 3)
        return Signal(
            id=signal_id(KIND, item.member, key),
            kind=KIND,
            score=score,
            at=item.since + timedelta(weeks=self.weeks),
            posts=(),
            members=(item.member,),
            reasons=(reason,),
            reply=Reply(lang, "private", item.member, text) if text else None,
            evidence={
                "last_activity": None if item.never_posted else format_time(item.since),
                "joined_at": format_time(member.joined_at),
                "weeks_inactive": item.weeks,
                "threshold_weeks": self.weeks,
                "never_posted": item.never_posted,
                "last_post": item.last_post_id,
            },
        )
