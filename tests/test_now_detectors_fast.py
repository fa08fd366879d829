"""The shortcuts of the detectors that run in full on every signal run (they depend on `now`):
each gives exactly what the plain reading gives, on random communities built to hit the edges
(ties to the second, `now` with microseconds, members in other zones, 29 February, members who
left or joined after now, moderation facts)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.signal_state import signal_from_json, signal_to_json
from heuristics.detector import CommunityData, Moderation
from heuristics.inactive import InactiveMemberDetector, Inactivity, _Signals, inactive_ids
from heuristics.member_stats import MemberStats, activity, columns_of, member_stats, stats_from_posts
from heuristics.model import Community, Lang, Member, Post, format_time
from heuristics.off_topic import _STOP, TopicModel, content_lemmas, post_lemmas
from heuristics.onboarding import OnboardingDetector, _Joined
from heuristics.replies import Templates
from heuristics.textfeatures import distinct_lemmas, lemmas
from tests._members_fixtures import data

ZONES: list[tzinfo] = [UTC, ZoneInfo("Europe/Paris"), timezone(timedelta(hours=5, minutes=30))]
BASE = datetime(2024, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 3, 1, 10, 30, tzinfo=UTC)


def _when(rnd: random.Random, lo_days: int, hi_days: int) -> datetime:
    """A time between NOW + lo_days and NOW + hi_days, often on a round second, sometimes on
    29 February, in one of ZONES."""
    if rnd.random() < 0.05:
        at = datetime(2024, 2, 29, rnd.randrange(24), tzinfo=UTC)
    else:
        at = NOW + timedelta(days=rnd.uniform(lo_days, hi_days))
        if rnd.random() < 0.7:
            at = at.replace(microsecond=0)
    return at.astimezone(rnd.choice(ZONES))


def _community(seed: int) -> tuple[CommunityData, datetime]:
    rnd = random.Random(seed)
    members: list[Member] = []
    for i in range(rnd.randrange(5, 60)):
        joined = _when(rnd, -800, 20)
        left = _when(rnd, -100, 30) if rnd.random() < 0.1 else None
        lang = rnd.choice(["en", "fr", None])
        members.append(Member(f"m{i}", joined, rnd.choice(["", f"Name {i}", "Ann"]), lang, left))  # type: ignore[arg-type]
    # Members who joined right at a step's edge: a welcome's week, a check-in's 61 + 7 days, a
    # year and its window, each moved by the `until` horizons the tests use, give or take a
    # microsecond, a second or a daylight-saving hour.
    for i in range(rnd.randrange(10, 30)):
        days = rnd.choice([0, 7, 61, 68, 365, 366, 367, 372, 373]) - rnd.choice([0, 0, 1, 9, 40])
        jitter = timedelta(microseconds=rnd.choice([0, 0, 1, -1, 1_000_000, -1_000_000, 3_600_000_000]))
        joined = (NOW - timedelta(days=days) + jitter).astimezone(rnd.choice(ZONES))
        members.append(Member(f"e{i}", joined, f"Edge {i}"))
    posts: list[Post] = []
    second = NOW.replace(microsecond=0)
    for j in range(rnd.randrange(0, 200)):
        author = rnd.choice([*(m.id for m in members), "stranger"])
        # Many posts on the very second of now, or 8 weeks before it: the boundaries.
        at = rnd.choice(
            [_when(rnd, -400, 5), second, second - timedelta(weeks=8), second + timedelta(microseconds=5)]
        )
        kind = rnd.choice(["post", "comment", "introduction"])
        parent = "p0" if kind == "comment" else None
        posts.append(Post(f"p{j}", author, at.astimezone(UTC), kind, "", (), parent))  # type: ignore[arg-type]
    ids = [m.id for m in members]
    rnd.shuffle(ids)
    moderation = Moderation(
        no_checkin=frozenset(ids[:3]),
        last_checkin={mid: NOW - timedelta(days=rnd.choice([1, 55, 56, 57, 90])) for mid in ids[3:8]},
        onboarding_done=frozenset({(ids[-1], "welcome"), (ids[-2], "checkin_2m")}),
    )
    langs = {mid: rnd.choice(["en", "fr"]) for mid in ids[::4]}
    now = NOW + timedelta(microseconds=rnd.choice([0, 0, 1, -1, 999_999]), days=rnd.choice([0, 0, 3]))
    return data(members, posts, moderation, langs=langs), now


# -- activity figures ------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9))
def test_activity_is_what_member_stats_says(seed: int) -> None:
    d, now = _community(seed)
    cols = columns_of(d.posts)
    stats = member_stats(d.members.values(), cols.ids, cols.authors, cols.ts, cols.kinds, now)
    figures = activity(cols.ids, cols.authors, cols.ts, cols.kinds, now)
    for mid, st_ in stats.items():
        assert figures.last.get(mid) == st_.last_activity
        assert figures.last_id.get(mid) == st_.last_post_id
        assert figures.intro.get(mid) == st_.intro


# -- inactive members ------------------------------------------------------------------------


def _reference_inactive(
    members: dict[str, Member],
    stats: dict[str, MemberStats],
    moderation: Moderation,
    now: datetime,
    weeks: int,
) -> list[Inactivity]:
    """The rule as the module's docstring words it, in datetimes (the code before the integer
    shortcut)."""
    threshold, week, now = timedelta(weeks=weeks), timedelta(weeks=1), now.astimezone(UTC)
    found = []
    for mid, m in members.items():
        if (m.left_at is not None and m.left_at <= now) or mid in moderation.no_checkin:
            continue
        checked = moderation.last_checkin.get(mid)
        if checked is not None and now - checked < threshold:
            continue
        st_ = stats.get(mid)
        last = st_.last_activity if st_ else None
        if last is None:
            if m.joined_at > now:
                continue
            since, never = m.joined_at, True
        else:
            since, never = datetime.fromtimestamp(last, UTC), False
        if now - since < threshold:
            continue
        last_post = st_.last_post_id if st_ else None
        found.append(Inactivity(mid, since, never, int((now - since) // week), last_post))
    return sorted(found, key=lambda i: (i.since, i.member))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9), st.sampled_from([1, 4, 8]))
def test_inactive_shortcuts_give_the_plain_rule(seed: int, weeks: int) -> None:
    d, now = _community(seed)
    stats = stats_from_posts(d.members, d.posts, now)
    expected = _reference_inactive(dict(d.members), stats, d.moderation, now, weeks)
    assert inactive_ids(d.members, stats, d.moderation, now, weeks) == expected
    detector = InactiveMemberDetector(weeks)
    # The index path (activity figures shared through memo, signals built in bulk) and the
    # members screen's path (its stats, one `signal` per `Inactivity`) agree to the byte.
    fast = detector.detect(d, now)
    assert [s.members[0] for s in fast] == [i.member for i in expected]
    plain = [detector.signal(d, i) for i in expected]
    assert list(map(repr, fast)) == list(map(repr, plain))
    assert [s.evidence for s in fast] == [s.evidence for s in plain]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    "at",
    [
        datetime(2025, 3, 30, 1, 59, 59, tzinfo=UTC),
        datetime(2024, 2, 29, 23, 30, 0, 123456, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(999, 5, 6, 7, 8, 9, tzinfo=UTC),
        datetime(2026, 1, 1, tzinfo=UTC),
    ],
)
def test_signal_times_read_as_format_time_and_strftime(at: datetime, zone: tzinfo) -> None:
    local = at.astimezone(zone)
    make = _Signals(InactiveMemberDetector(), data([]))
    assert make._iso(local) == (format_time(local), f"{local:%Y-%m-%d}")
    assert make._iso(local) == (format_time(local), f"{local:%Y-%m-%d}")  # from the caches


# -- onboarding ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9), st.sampled_from([0, 1, 9, 40]), st.sampled_from(["UTC", "Europe/Paris"]))
def test_onboarding_windows_never_drop_a_step(seed: int, ahead: int, tz: str) -> None:
    d, now = _community(seed)
    detector = OnboardingDetector(tz=tz)
    until = now + timedelta(days=ahead)
    found = detector.steps(d, now, until)
    # The full reading: every member looked at for every step.
    everyone = pytest.MonkeyPatch()
    everyone.setattr(_Joined, "between", lambda self, start, end: self.members)
    try:
        full = detector.steps(d, now, until)
    finally:
        everyone.undo()
    assert found == full
    # The members screen's figures give the same steps as the index's.
    assert detector.steps(d, now, until, stats=stats_from_posts(d.members, d.posts, now)) == found
    assert [s.signal(now) for s in found if s.due <= now] == detector.detect(d, now)


# -- off topic: lemmas -----------------------------------------------------------------------

_TEXT = st.lists(
    st.sampled_from(
        [
            *"abcdeéèçàôûïœ ABÉ-'’‘ʼ`´_0123456789.,;!?\n\t\u00a0\u2003\u200b()«»",
            *["chats", "mangent", "l'insuline", "glycémie", "vétérinaire", "running", "cats", "été"],
            "n'hésitez",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.sampled_from(["en", "fr", None]), st.sampled_from([(frozenset(), 0), (_STOP, 3)]))
def test_distinct_lemmas_are_the_lemmas(
    text: str, lang: str | None, dropped: tuple[frozenset[str], int]
) -> None:
    drop, min_len = dropped
    expected = {w for w in lemmas(text, lang) if len(w) >= min_len and w not in drop}
    assert distinct_lemmas(text, lang, drop, min_len) == expected
    assert distinct_lemmas(text, lang, drop, min_len) == expected  # from the table this time
    assert content_lemmas(text, lang) == {w for w in lemmas(text, lang) if len(w) > 2 and w not in _STOP}


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9), st.sampled_from([0.0, 0.5, 1.0, 3.0, 8.0, 30.0]), st.booleans(), st.booleans())
def test_inactive_detect_again_is_detect(seed: int, days_before: float, stored: bool, console: bool) -> None:
    """The previous run (an earlier now, fewer posts, other moderation facts and languages)
    lends its signals; what comes out is exactly a full run's. `console`: both runs in one
    console, which keeps what the first built (`CommunityData.kept`)."""
    later, now = _community(seed)
    kept: dict[object, object] = {}
    if console:
        later = replace(later, kept=kept)
    rnd = random.Random(seed)
    cut = rnd.randrange(len(later.posts) + 1)
    earlier = CommunityData(
        community=later.community,
        members=later.members,
        # Some posts at another time before (an edit: the engine would drop the previous
        # signals; the check does not rely on it).
        posts=sorted(
            (
                replace(p, created_at=p.created_at - timedelta(hours=rnd.choice([0, 0, 1, 30])))
                for p in later.posts[:cut]
            ),
            key=lambda p: (p.created_at, p.id),
        ),
        moderation=rnd.choice([later.moderation, Moderation(no_checkin=frozenset(list(later.members)[::5]))]),
        templates=later.templates,
        member_langs={mid: "fr" for mid in list(later.members)[::3]},
        kept=kept,
    )
    detector = InactiveMemberDetector(rnd.choice([1, 8]))
    previous = detector.detect_again(earlier, now - timedelta(days=days_before), [])
    if stored:  # as the console keeps them between runs: through JSON
        previous = [signal_from_json(orjson.loads(orjson.dumps(signal_to_json(s)))) for s in previous]
    full = detector.detect(later, now)
    # In no particular order (the engine sorts): compared by id.
    again = sorted(detector.detect_again(later, now, previous), key=lambda s: s.id)
    by_id = sorted(full, key=lambda s: s.id)
    assert [(s.id, s.score, s.at, s.reasons, s.reply, s.members) for s in again] == [
        (s.id, s.score, s.at, s.reasons, s.reply, s.members) for s in by_id
    ]
    assert [s.evidence for s in again] == [s.evidence for s in by_id]
    # Nothing changed: every signal is the previous object itself (the reuse is exercised).
    reused = sorted(detector.detect_again(later, now, full), key=lambda s: s.id)
    assert all(a is b for a, b in zip(reused, by_id, strict=True))


@pytest.mark.parametrize(
    "template",
    [
        "Hi {name}",
        "Hi {name}, {weeks} weeks",
        "{weeks.real} {name}",
        "{name:*>{weeks}}",
        "{name!r} {community}",
        "{",
    ],
)
def test_replies_rendered_once_per_distinct_text(template: str) -> None:
    """Members of one name silent for different weeks: one text when the template does not
    show the weeks, one per weeks when it does (or may: a nested field)."""
    members = [Member(f"m{i}", NOW - timedelta(weeks=9 + i), "Ann") for i in range(6)]
    d = replace(data(members), templates=Templates({"en": {"inactive_member": {"never_posted": template}}}))
    detector = InactiveMemberDetector()
    if template == "{":  # a broken template fails as before, not silently
        with pytest.raises(ValueError):
            detector.detect(d, NOW)
        return
    fast = detector.detect(d, NOW)
    plain = [
        detector.signal(d, i)
        for i in inactive_ids(d.members, stats_from_posts(d.members, [], NOW), d.moderation, NOW)
    ]
    assert [s.reply for s in fast] == [s.reply for s in plain]
    assert len({s.reply.text for s in fast if s.reply}) == (1 if "weeks" not in template else 6)


_VOCAB = [
    "chat",
    "insuline",
    "glycémie",
    "véto",
    "croquettes",
    "vacances",
    "commode",
    "voiture",
    "jardin",
    "cats",
    "insulin",
    "vet",
]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9), st.sampled_from([(), ("insuline",), ("chat", "diabète")]))
def test_topic_verdicts_are_the_judgements(seed: int, topic: tuple[str, ...]) -> None:
    rnd = random.Random(seed)
    posts = [
        Post(
            f"p{i}", "m0", NOW - timedelta(hours=i), "post", " ".join(rnd.choices(_VOCAB, k=rnd.randrange(8)))
        )
        for i in range(rnd.randrange(1, 80))
    ]
    d = replace(data([Member("m0", BASE)], posts), community=Community("c", "C", "fr", topic=topic))
    model = TopicModel.build(d, rnd.choice([5, 30, 3000]), NOW - timedelta(hours=rnd.randrange(40)))
    for post in d.posts:
        words = post_lemmas(d, post)
        judged, verdict = model.judge(post, "fr", words), model.verdict(post.id, words)
        assert (None if judged is None else (judged.off_topic, judged.familiarity)) == verdict


def test_a_console_reuses_the_inactive_signals_it_built_without_comparing_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second run of a console with nothing changed hands back the very signals it built
    (their language checked) without the field-by-field comparison; a language changed since
    builds that member's signal again."""
    later, now = _community(11)
    kept: dict[object, object] = {}
    detector = InactiveMemberDetector(1)
    first = detector.detect_again(replace(later, kept=kept), now, [])
    assert len(first) > 3

    def compared(*args: object) -> bool:
        raise AssertionError("compared again")

    monkeypatch.setattr(_Signals, "same", compared)
    again = detector.detect_again(replace(later, kept=kept, memo={}), now, first)
    assert all(a is b for a, b in zip(again, first, strict=True)) and len(again) == len(first)
    member = first[0].members[0]
    other: Lang = "fr" if first[0].reply is not None and first[0].reply.lang == "en" else "en"
    langs: dict[str, Lang] = {**later.member_langs, member: other}
    changed = detector.detect_again(replace(later, kept=kept, memo={}, member_langs=langs), now, again)
    assert changed[0] is not again[0] and changed[0].reply is not None and changed[0].reply.lang == other
    assert all(a is b for a, b in zip(changed[1:], again[1:], strict=True))
