"""Members, inactivity and the onboarding calendar, from the store's index and the audit log.

One place for what the members screen, the calendar screen and the `tact members` /
`tact onboarding` commands show, so the screen and the script never disagree. It reads the
columnar post index (no post text), so 50,000 members over a million posts load in well
under a second; the rules themselves are the detectors' (`heuristics/inactive.py`,
`heuristics/onboarding.py`), called with the figures computed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from console.audit import Action, member_notes, moderation_facts
from console.context import Tact
from console.errors import BadInput
from console.storage import read_json
from console.tact_config import TactConfig, detector_error_line, load_config
from heuristics.detector import CommunityData, Moderation
from heuristics.inactive import InactiveMemberDetector, Inactivity, inactive_ids
from heuristics.member_stats import MemberStats, member_stats
from heuristics.model import Community, Lang, Member, Signal, format_time
from heuristics.onboarding import OnboardingDetector, OnboardingStep

LANGS_FILE = "member_langs.json"
"""The signals service's cache of languages detected from posts: {member: [count, lang]}."""


@dataclass(frozen=True, slots=True)
class MemberRow:
    member: Member
    stats: MemberStats
    lang: Lang
    lang_known: bool
    """False when the language is the community's, for want of anything better."""
    notes: tuple[Action, ...] = ()
    inactivity: Inactivity | None = None
    """Set when the inactivity rule flags the member (see `MembersView.checkin`)."""

    @property
    def id(self) -> str:
        return self.member.id

    @property
    def inactive(self) -> bool:
        return self.inactivity is not None


@dataclass(frozen=True, slots=True)
class MembersView:
    now: datetime
    weeks: int
    rows: list[MemberRow]
    community: Community
    detector: InactiveMemberDetector
    data: CommunityData
    """What the check-in replies are rendered from (members, templates, languages)."""

    def checkin(self, row: MemberRow) -> Signal | None:
        """The inactive_member signal with its private check-in, rendered when asked for:
        at 50,000 members most are never looked at."""
        if row.inactivity is None:
            return None
        return self.detector.signal(self.data, row.inactivity)


def _params(config: TactConfig, kind: str) -> dict[str, Any]:
    return dict(config.detectors.get(kind, {}))


def _build(config: TactConfig, kind: str, cls: type, **overrides: Any) -> Any:
    params = {**_params(config, kind), **{k: v for k, v in overrides.items() if v is not None}}
    try:
        return cls(**params)
    except TypeError as err:
        raise BadInput(detector_error_line(config, kind, None, str(err))) from None
    except ValueError as err:
        raise BadInput(detector_error_line(config, kind, None, str(err))) from None


def cached_langs(tact: Tact) -> dict[str, Lang]:
    """Languages the signals service detected from posts (empty until it ran once)."""
    try:
        doc = read_json(tact.store.derived_path(LANGS_FILE))
    except (orjson.JSONDecodeError, OSError):
        return {}
    out: dict[str, Lang] = {}
    if isinstance(doc, dict):
        for mid, hit in doc.items():
            if isinstance(hit, list) and len(hit) == 2 and hit[1] in ("en", "fr"):
                out[mid] = hit[1]
    return out


def _stats(tact: Tact, members: Mapping[str, Member], now: datetime) -> dict[str, MemberStats]:
    index = tact.store.post_index()
    return member_stats(members.values(), index.id, index.author, index.ts, index.kind, now)


def _data(tact: Tact, config: TactConfig, moderation: Moderation, langs: Mapping[str, Lang]) -> CommunityData:
    store = tact.store
    return CommunityData(
        community=store.community() or Community(id="community"),
        members=store.members(),
        posts=(),  # the rules read the figures from the index instead (passed as `stats`)
        moderation=moderation,
        templates=config.templates,
        member_langs=langs,
    )


def load_members(tact: Tact, now: datetime | None = None, weeks: int | None = None) -> MembersView:
    """Every member with figures, language, notes and, when inactive, the check-in."""
    if weeks is not None and weeks < 1:
        raise BadInput(f"--weeks: must be 1 or more, not {weeks}")
    now = now or tact.now()
    config = load_config(tact.settings.config_file)
    detector: InactiveMemberDetector = _build(config, "inactive_member", InactiveMemberDetector, weeks=weeks)
    entries = tact.audit.entries()
    moderation = moderation_facts(entries)
    notes = member_notes(entries)
    members = tact.store.members()
    langs = {**cached_langs(tact), **{mid: m.lang for mid, m in members.items() if m.lang}}
    data = _data(tact, config, moderation, langs)
    stats = _stats(tact, members, now)
    flagged = {i.member: i for i in inactive_ids(members, stats, moderation, now, detector.weeks)}
    # data.lang_of inlined: the member's language, else the group's (one lookup, not three)
    default: Lang = data.community.lang or "en"
    rows = [
        MemberRow(
            m,
            stats[mid],
            langs.get(mid) or default,
            mid in langs,
            tuple(notes.get(mid, ())),
            flagged.get(mid),
        )
        for mid, m in members.items()
    ]
    return MembersView(now, detector.weeks, rows, data.community, detector, data)


def onboarding_detector(tact: Tact, config: TactConfig | None = None) -> OnboardingDetector:
    config = config or load_config(tact.settings.config_file)
    det: OnboardingDetector = _build(config, "onboarding", OnboardingDetector)
    return det


def load_onboarding(
    tact: Tact, now: datetime | None = None, until: datetime | None = None
) -> tuple[OnboardingDetector, list[OnboardingStep]]:
    """The onboarding steps due at `now` (not done yet), plus those due up to `until`."""
    now = now or tact.now()
    config = load_config(tact.settings.config_file)
    detector = onboarding_detector(tact, config)
    members = tact.store.members()
    langs = {**cached_langs(tact), **{mid: m.lang for mid, m in members.items() if m.lang}}
    data = _data(tact, config, moderation_facts(tact.audit.entries()), langs)
    return detector, detector.steps(data, now, until=until, stats=_stats(tact, members, now))


def week_bounds(detector: OnboardingDetector, now: datetime) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 of `now`'s week, in the detector's zone (as UTC)."""
    local = now.astimezone(detector.tz)
    monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    start = datetime.combine(monday.date(), monday.time(), detector.tz)
    end = datetime.combine((monday + timedelta(days=7)).date(), monday.time(), detector.tz)
    return start, end


# -- JSON for scripts -----------------------------------------------------------------------


def _time(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    return format_time(datetime.fromtimestamp(seconds, UTC))


def reply_json(signal_reply: Any) -> dict[str, Any] | None:
    if signal_reply is None:
        return None
    return {
        "lang": signal_reply.lang,
        "visibility": signal_reply.visibility,
        "to": signal_reply.to,
        "text": signal_reply.text,
    }


def inactive_json(view: MembersView, row: MemberRow) -> dict[str, Any]:
    """`tact members --inactive --json`: one object a member."""
    checkin = view.checkin(row)
    assert checkin is not None
    ev = checkin.evidence
    return {
        "member": row.id,
        "name": row.member.name,
        "lang": row.lang,
        "last_activity": ev.get("last_activity"),
        "joined_at": format_time(row.member.joined_at),
        "weeks_inactive": ev.get("weeks_inactive"),
        "reply": reply_json(checkin.reply),
        "signal": checkin.id,
    }


def member_json(row: MemberRow) -> dict[str, Any]:
    """`tact members --json`: every member with their figures."""
    st = row.stats
    return {
        "member": row.id,
        "name": row.member.name,
        "lang": row.lang,
        "joined_at": format_time(row.member.joined_at),
        "left_at": format_time(row.member.left_at) if row.member.left_at else None,
        "last_post": _time(st.last_post),
        "last_comment": _time(st.last_comment),
        "posts_30": st.posts_30,
        "comments_30": st.comments_30,
        "posts_90": st.posts_90,
        "comments_90": st.comments_90,
        "rung": st.rung,
        "inactive": row.inactive,
        "notes": [a.note for a in row.notes if a.note],
    }


def step_json(step: OnboardingStep, now: datetime) -> dict[str, Any]:
    """`tact onboarding --json`: one object a due step."""
    sig = step.signal(now)
    return {
        "member": step.member,
        "step": step.step,
        "due": format_time(step.due),
        "deadline": format_time(step.deadline),
        "overdue_days": step.overdue_days(now),
        "members": list(step.members),
        "reply": reply_json(step.reply),
        "signal": sig.id,
        "score": sig.score,
    }
