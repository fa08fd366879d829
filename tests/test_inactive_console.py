"""A console keeps what `inactive_member` judged in one run (`CommunityData.kept`) and, in
the next, looks again only at the members whose absence, moderation facts or language may
have changed. Whatever happens between runs — posts appended (by regulars, by members who
never wrote, by strangers, after now), the clock moving by minutes, days or weeks (onto a
week boundary to the microsecond, or backwards), check-ins made and expiring, "don't check
in" marks, languages changing, members leaving, the members file or an old post edited —
each run gives exactly what a fresh full run gives, and onboarding's silent members too."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heuristics import inactive
from heuristics.detector import CommunityData, Moderation
from heuristics.inactive import InactiveMemberDetector, _Signals, silent_members
from heuristics.model import Community, Lang, Member, Post, Signal
from heuristics.onboarding import OnboardingDetector
from tests._members_fixtures import shipped

NOW = datetime(2026, 3, 1, 10, 30, 15, 250_000, tzinfo=UTC)
WEEK = timedelta(weeks=1)

STEPS = [
    "posts",
    "posts",
    "minutes",
    "days",
    "weeks",
    "boundary",
    "backwards",
    "checkin",
    "no_checkin",
    "language",
    "language",
    "members",
    "edit",
    "community",
    "templates",
]

TEMPLATES = shipped()
EDITED = TEMPLATES.merged({"en": {"inactive_member": {"default": "Hey {name}, {weeks} weeks!"}}})


def _view(signals: list[Signal]) -> list[tuple[object, ...]]:
    return sorted(
        (s.id, s.kind, s.score, s.at, s.members, s.posts, s.reasons, s.reply, sorted(s.evidence.items()))
        for s in signals
    )


class _Console:
    """A community that changes between runs, as a console sees it: one `kept` dict, the
    members mapping shared until its file changes, a new `CommunityData` per run."""

    def __init__(self, rnd: random.Random, size: int) -> None:
        self.rnd = rnd
        self.now = NOW
        self.members: dict[str, Member] = {}
        for i in range(size):
            joined = NOW - timedelta(days=rnd.uniform(-10, 400), microseconds=rnd.randrange(2))
            left = NOW + timedelta(days=rnd.uniform(-20, 40)) if rnd.random() < 0.15 else None
            lang: Lang | None = rnd.choice(["en", "fr", None])
            self.members[f"m{i}"] = Member(f"m{i}", joined, rnd.choice(["Ann", f"Name {i}"]), lang, left)
        self.posts: list[Post] = []
        at = NOW - timedelta(days=300)
        for _ in range(rnd.randrange(0, 3 * size)):
            at += timedelta(seconds=rnd.choice([0, 1, 3_600, 86_400, 86_400 * 5]))
            self._post(min(at, NOW))
        self.no_checkin: frozenset[str] = frozenset()
        self.last_checkin: dict[str, datetime] = {}
        self.langs: dict[str, Lang] = {m: rnd.choice(["en", "fr"]) for m in list(self.members)[::3]}
        self.kept: dict[object, object] = {}
        self.community = Community("c", "Cats", "en")
        self.templates = TEMPLATES

    def _post(self, at: datetime) -> None:
        author = self.rnd.choice([*self.members, "stranger"])
        kind = self.rnd.choice(["post", "comment", "introduction"])
        parent = "p0" if kind == "comment" else None
        self.posts.append(Post(f"p{len(self.posts)}", author, at, kind, "", (), parent))  # type: ignore[arg-type]

    def step(self, what: str) -> None:
        rnd = self.rnd
        if what == "posts":  # appended, never before the last one; some after now
            last = self.posts[-1].created_at if self.posts else NOW - timedelta(days=300)
            for _ in range(rnd.randrange(1, 6)):
                at = max(last, self.now - timedelta(seconds=rnd.choice([0, 0, 1, 60, 7_200])))
                at += timedelta(seconds=rnd.choice([0, 0, 0, 1, 600]))
                self._post(at)
                last = at
        elif what == "minutes":
            self.now += timedelta(minutes=rnd.randrange(0, 180), microseconds=rnd.choice([0, 1, 999_999]))
        elif what == "days":
            self.now += timedelta(days=rnd.randrange(1, 7), seconds=rnd.randrange(86_400))
        elif what == "weeks":
            self.now += timedelta(days=rnd.randrange(7, 40))
        elif what == "boundary":  # a member's silence reaches a whole week to the microsecond
            member = self.members[rnd.choice(list(self.members))]
            mine = [p.created_at for p in self.posts if p.author == member.id]
            since = max(mine) if mine else member.joined_at
            weeks = -((since - self.now) // WEEK) + rnd.choice([0, 1, 8])
            self.now = max(self.now, since + weeks * WEEK + timedelta(microseconds=rnd.choice([0, 0, -1])))
        elif what == "backwards":
            self.now -= timedelta(days=rnd.choice([0.001, 1, 10]))
        elif what == "checkin":  # some expire as the clock moves on
            mid = rnd.choice(list(self.members))
            days = rnd.choice([0, 1, 55, 56, 57, 90])
            self.last_checkin = {
                **self.last_checkin,
                mid: self.now - timedelta(days=days, seconds=rnd.choice([0, 30])),
            }
        elif what == "no_checkin":
            self.no_checkin = self.no_checkin ^ {rnd.choice(list(self.members))}
        elif what == "language":
            mid = rnd.choice(list(self.members))
            self.langs = {**self.langs, mid: "fr" if self.langs.get(mid) == "en" else "en"}
            if rnd.random() < 0.5:  # one dropped: back to the member's given language
                self.langs.pop(rnd.choice(list(self.langs)), None)
        elif what == "members":  # the members file changed: a new mapping
            mid = rnd.choice(list(self.members))
            self.members = {**self.members, mid: replace(self.members[mid], left_at=self.now)}
            self.members[f"n{len(self.members)}"] = Member(
                f"n{len(self.members)}", self.now - 9 * WEEK, "New"
            )
        elif what == "templates":  # a moderator edited tact.toml
            self.templates = EDITED if self.templates is TEMPLATES else TEMPLATES
        elif what == "community":  # its name is in the replies, its language the default one
            self.community = Community("c", rnd.choice(["Cats", "Chats"]), rnd.choice(["en", "fr"]))
        elif what == "edit" and self.posts:  # an old post moved back in time: rows not only appended
            i = rnd.randrange(len(self.posts))
            before = self.posts[i - 1].created_at if i else self.posts[i].created_at - WEEK
            self.posts[i] = replace(self.posts[i], created_at=before)

    def data(self, kept: dict[object, object] | None = None) -> CommunityData:
        return CommunityData(
            community=self.community,
            members=self.members,
            posts=list(self.posts),
            moderation=Moderation(self.no_checkin, dict(self.last_checkin)),
            templates=self.templates,
            member_langs=dict(self.langs),
            kept=kept if kept is not None else {},
        )


@settings(max_examples=120, deadline=None)
@given(
    st.integers(0, 10**9),
    st.sampled_from([1, 2, 8]),
    st.lists(st.sampled_from(STEPS), min_size=1, max_size=14),
)
def test_each_run_of_a_console_is_a_full_run(seed: int, weeks: int, steps: list[str]) -> None:
    console = _Console(random.Random(seed), random.Random(seed).randrange(5, 60))
    detector = InactiveMemberDetector(weeks)
    onboarding = OnboardingDetector(inactive_weeks=weeks)
    previous: list[Signal] = []
    for what in ["start", *steps]:
        console.step(what)
        data = console.data(console.kept)
        fresh = console.data()
        if console.rnd.random() < 0.3:  # onboarding first: it carries the silence then
            assert silent_members(data, console.now, weeks) == silent_members(fresh, console.now, weeks)
        if what in ("community", "members", "templates"):
            previous = []  # as the engine drops them (`detect_again` says why)
        got = detector.detect_again(data, console.now, previous)
        assert _view(got) == _view(detector.detect(fresh, console.now)), what
        assert silent_members(data, console.now, weeks) == silent_members(fresh, console.now, weeks)
        assert _view(onboarding.detect(data, console.now)) == _view(onboarding.detect(fresh, console.now))
        previous = got


def test_detect_keeps_its_order_after_a_carried_run() -> None:
    """`detect` gives the longest silence first (then by member) even when what it returns
    was carried over from the run before."""
    console = _Console(random.Random(5), 80)
    detector = InactiveMemberDetector(2)
    detector.detect(console.data(console.kept), console.now)
    console.step("posts")
    console.step("days")
    got = detector.detect(console.data(console.kept), console.now)
    assert [s.id for s in got] == [s.id for s in detector.detect(console.data(), console.now)]


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts the members judged anew, the signals built and compared field by field."""
    counts = {"judged": 0, "built": 0, "compared": 0}
    judged, call, same = inactive._judged, _Signals.__call__, _Signals.same

    def counted_judged(*args: object, **kwargs: object) -> object:
        counts["judged"] += 1
        return judged(*args, **kwargs)  # type: ignore[arg-type]

    def counted_call(self: _Signals, *args: object, **kwargs: object) -> Signal:
        counts["built"] += 1
        return call(self, *args, **kwargs)  # type: ignore[arg-type]

    def counted_same(self: _Signals, *args: object) -> bool:
        counts["compared"] += 1
        return same(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(inactive, "_judged", counted_judged)
    monkeypatch.setattr(_Signals, "__call__", counted_call)
    monkeypatch.setattr(_Signals, "same", counted_same)
    return counts


def test_a_console_looks_only_at_the_members_whose_absence_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three hundred silent members; between two runs one of them writes, another is marked
    "don't check in", a third's language changes and the clock moves a minute: three
    signals are looked at, the rest are the very objects of the run before."""
    rnd = random.Random(3)
    members = {
        f"m{i}": Member(f"m{i}", NOW - timedelta(days=100 + rnd.randrange(300), seconds=i), f"Name {i}")
        for i in range(300)
    }
    posts = [Post(f"p{i}", f"m{i}", NOW - timedelta(days=90 - i / 10), "post", "") for i in range(200)]
    kept: dict[object, object] = {}
    base = CommunityData(Community("c", "Cats", "en"), members, posts, templates=TEMPLATES, kept=kept)
    detector = InactiveMemberDetector()
    first = detector.detect_again(base, NOW, [])
    assert len(first) == 300
    counts = _counting(monkeypatch)
    later = NOW + timedelta(minutes=1)
    data = replace(
        base,
        posts=[*posts, Post("p200", "m7", later, "comment", "", (), "p1")],
        moderation=Moderation(no_checkin=frozenset({"m8"})),
        member_langs={"m9": "fr"},
        memo={},
    )
    again = detector.detect_again(data, later, first)
    assert counts == {"judged": 0, "built": 1, "compared": 0}  # m9's reply, now in French
    assert {s.members[0] for s in again} == {f"m{i}" for i in range(300)} - {"m7", "m8"}
    before = {s.members[0]: s for s in first}
    assert sum(s is not before[s.members[0]] for s in again) == 1
    # Onboarding's silent members come from the same carried silence: nobody judged again.
    assert silent_members(data, later) == {f"m{i}" for i in range(300)} - {"m7"}
    assert counts["judged"] == 0
    fresh = replace(data, kept={}, memo={})
    assert _view(again) == _view(detector.detect(fresh, later))


@pytest.mark.parametrize("change", ["members", "edit", "backwards"])
def test_what_the_console_cannot_vouch_for_is_judged_anew(
    change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    console = _Console(random.Random(8), 40)
    detector = InactiveMemberDetector(1)
    previous = detector.detect_again(console.data(console.kept), console.now, [])
    counts = _counting(monkeypatch)
    console.step("posts")
    console.step(change)
    got = detector.detect_again(console.data(console.kept), console.now, previous)
    assert counts["judged"] == 1
    assert _view(got) == _view(detector.detect(console.data(), console.now))
