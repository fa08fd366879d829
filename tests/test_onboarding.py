"""Who is due which onboarding step, exactly, at a fixed now (Sunday 2026-03-15 12:00 UTC)."""

from __future__ import annotations

from datetime import datetime, timedelta

import orjson
import pytest

from console.cli import main
from console.context import Tact
from heuristics.detector import Moderation
from heuristics.model import signal_id
from heuristics.onboarding import OnboardingDetector, OnboardingStep, join_names
from tests._members_fixtures import NOW, data, member, post, t
from tests.conftest import fill

MEMBERS = [
    # newcomers of the week Mon 2026-03-02 .. Sun 03-08 (UTC): named in weekly:2026-W11
    member("n1", "2026-03-03T10:00:00Z", "Nina", "fr"),
    # Sunday 23:30 UTC is Monday 00:30 in Paris: this week's post in UTC, next week's in Paris
    member("sun", "2026-03-08T23:30:00Z", "Sunny"),
    member("today", "2026-03-15T09:00:00Z", "Tod"),
    member("done", "2026-03-12T09:00:00Z", "Dona"),
    member("gone", "2026-03-04T09:00:00Z", "Gone Gus", left="2026-03-06T00:00:00Z"),
    # 2-month check-ins
    member("c1", "2026-01-10T12:00:00Z", "Cleo"),  # due 03-12 12:00, overdue after 03-15 12:00
    member("c_late", "2026-01-08T12:00:00Z", "Late Lou"),  # due 03-10 12:00, overdue
    member("c_old", "2026-01-02T12:00:00Z", "Old Olga"),  # due 03-04, its week ended 03-11
    member("c_nock", "2026-01-05T12:00:00Z", "No Check"),
    # anniversaries (joined March 2025)
    member("a1", "2025-03-10T08:00:00Z", "Anna"),  # per-member due 03-10, overdue
    member("a2", "2025-03-20T08:00:00Z", "Abel", "fr"),  # per-member due 03-20: upcoming
    member("a_quiet", "2025-03-11T08:00:00Z", "Quiet Quentin"),  # inactive: never in the group post
    member("old", "2024-06-01T08:00:00Z", "Oldie"),
]
POSTS = [
    post("n1", "2026-03-03T11:00:00Z", "introduction", "Bonjour"),
    post("a1", "2026-03-01T08:00:00Z"),
    post("a2", "2026-03-02T08:00:00Z", "comment"),
    post("a_quiet", "2025-06-01T08:00:00Z"),
    post("old", "2026-03-01T08:00:00Z"),
]
MODERATION = Moderation(no_checkin=frozenset({"c_nock"}), onboarding_done=frozenset({("done", "welcome")}))


def due(
    detector: OnboardingDetector | None = None, now: datetime = NOW, moderation: Moderation = MODERATION
) -> dict[tuple[str, str], OnboardingStep]:
    d = data(MEMBERS, POSTS, moderation)
    return {(s.member, s.step): s for s in (detector or OnboardingDetector()).steps(d, now)}


def test_exactly_who_is_due_what() -> None:
    assert set(due()) == {
        ("sun", "welcome"),
        ("today", "welcome"),
        ("*", "weekly:2026-W11"),
        ("c1", "checkin_2m"),
        ("c_late", "checkin_2m"),
        ("a1", "anniversary_1y"),
        ("a_quiet", "anniversary_1y"),
        ("*", "anniversary:2026-03"),
    }


def test_weekly_names_the_weeks_newcomers_in_utc() -> None:
    steps = due()
    weekly = steps["*", "weekly:2026-W11"]
    assert weekly.members == ("n1", "sun")
    assert weekly.due == t("2026-03-09T00:00:00Z")
    reply = weekly.reply
    assert reply is not None
    assert reply.visibility == "public" and reply.to is None and reply.lang == "en"
    assert "Nina and Sunny" in reply.text
    # Nina speaks French: the group post carries a French version below.
    assert "Nina et Sunny" in reply.text


def test_weekly_week_boundary_in_a_configured_zone() -> None:
    steps = due(OnboardingDetector(tz="Europe/Paris"))
    weekly = steps["*", "weekly:2026-W11"]
    # Monday 00:00 in Paris (UTC+1 in March) is Sunday 23:00 UTC; Sunny joined after it.
    assert weekly.due == t("2026-03-08T23:00:00Z")
    assert weekly.members == ("n1",)
    # ... and is in the next week's post, listed as upcoming by the calendar.
    d = data(MEMBERS, POSTS, MODERATION)
    upcoming = {
        s.step: s for s in OnboardingDetector(tz="Europe/Paris").steps(d, NOW, until=NOW + timedelta(days=2))
    }
    assert upcoming["weekly:2026-W12"].members == ("sun", "done", "today")
    assert upcoming["weekly:2026-W12"].due == t("2026-03-15T23:00:00Z")


def test_weekday_is_configurable() -> None:
    # Friday posts: due Fri 2026-03-13, naming who joined Fri 03-06 .. Thu 03-12.
    steps = due(OnboardingDetector(weekday="friday"))
    weekly = steps["*", "weekly:2026-W11"]
    assert weekly.due == t("2026-03-13T00:00:00Z")
    assert weekly.members == ("sun", "done")
    with pytest.raises(ValueError):
        OnboardingDetector(weekday="someday")
    with pytest.raises(ValueError):
        OnboardingDetector(tz="Mars/Olympus")


def test_who_left_is_never_named_and_done_steps_stay_done() -> None:
    steps = due()
    assert not any("gone" in s.members for s in steps.values())
    assert ("done", "welcome") not in steps
    mod = Moderation(
        no_checkin=frozenset({"c_nock"}),
        onboarding_done=frozenset({("done", "welcome"), ("*", "weekly:2026-W11"), ("a1", "anniversary_1y")}),
    )
    after = due(moderation=mod)
    assert ("*", "weekly:2026-W11") not in after and ("a1", "anniversary_1y") not in after
    assert ("*", "anniversary:2026-03") in after


def test_the_anniversary_post_never_names_an_inactive_member() -> None:
    # even one a moderator checked in on, or marked "don't check in"
    for mod in (
        MODERATION,
        Moderation(no_checkin=frozenset({"a_quiet"})),
        Moderation(last_checkin={"a_quiet": t("2026-03-14T00:00:00Z")}),
    ):
        assert due(moderation=mod)["*", "anniversary:2026-03"].members == ("a1", "a2")
    group = due()["*", "anniversary:2026-03"]
    assert group.members == ("a1", "a2")
    assert group.reply is not None
    assert "Quiet Quentin" not in group.reply.text
    assert "Anna and Abel" in group.reply.text


def test_overdue_steps_score_higher_and_say_so() -> None:
    d = data(MEMBERS, POSTS, MODERATION)
    signals = {(s.evidence["member"], s.evidence["step"]): s for s in OnboardingDetector().detect(d, NOW)}
    late, on_time = signals["c_late", "checkin_2m"], signals["c1", "checkin_2m"]
    assert late.evidence["overdue"] == "overdue by 2 days"  # due 03-10 12:00, deadline 03-13 12:00
    assert on_time.evidence["overdue_days"] == 0 and on_time.evidence["overdue"] == ""
    assert late.score > on_time.score
    assert "overdue by 2 days" in late.reasons
    assert signals["*", "weekly:2026-W11"].evidence["overdue"] == "overdue by 5 days"
    assert signals["sun", "welcome"].evidence["overdue"] == "overdue by 4 days"
    assert signals["today", "welcome"].evidence["overdue_days"] == 0
    assert signals["*", "anniversary:2026-03"].evidence["overdue"] == "overdue by 11 days"
    assert late.id == signal_id("onboarding", "c_late", "checkin_2m")
    assert signals["*", "weekly:2026-W11"].id == signal_id("onboarding", "*", "weekly:2026-W11")


def test_replies_welcome_public_checkins_private_in_their_language() -> None:
    d = data(MEMBERS, POSTS, MODERATION)
    steps = {(s.member, s.step): s for s in OnboardingDetector().steps(d, NOW, until=NOW + timedelta(days=7))}
    welcome = steps["today", "welcome"].reply
    assert welcome is not None and welcome.visibility == "public" and "Welcome Tod" in welcome.text
    checkin = steps["c1", "checkin_2m"].reply
    assert checkin is not None and checkin.visibility == "private" and checkin.to == "c1"
    a2 = steps["a2", "anniversary_1y"]
    assert a2.due == t("2026-03-20T08:00:00Z") and a2.reply is not None and a2.reply.lang == "fr"
    assert a2.reply.visibility == "private"
    # a member who introduced themselves is welcomed under their introduction
    d2 = data(
        [member("x", "2026-03-14T08:00:00Z", "Xa")], [post("x", "2026-03-14T09:00:00Z", "introduction")]
    )
    (w,) = OnboardingDetector().steps(d2, NOW)
    assert w.reply is not None and w.reply.to == w.posts[0]


def test_joined_today_is_welcomed_not_checked_in() -> None:
    d = data([member("new", "2026-03-15T11:59:00Z")])
    # Their weekly group welcome is due tomorrow (Monday), not yet.
    assert [(s.member, s.step) for s in OnboardingDetector().steps(d, NOW)] == [("new", "welcome")]
    later = OnboardingDetector().steps(d, NOW, until=t("2026-03-16T00:00:00Z"))
    assert [(s.member, s.step, s.members) for s in later][-1] == ("*", "weekly:2026-W12", ("new",))


def test_links_and_intervals_are_configurable() -> None:
    det = OnboardingDetector(welcome_days=30, checkin_days=30, links=["https://example.org/faq"])
    steps = due(det)
    assert ("n1", "welcome") in steps  # joined 12 days ago, within 30
    assert ("c_old", "checkin_2m") not in steps
    weekly = steps["*", "weekly:2026-W11"]
    assert weekly.reply is not None
    assert "Useful links: https://example.org/faq" in weekly.reply.text
    assert "Liens utiles : https://example.org/faq" in weekly.reply.text


def test_join_names() -> None:
    assert join_names(["a"], "en") == "a"
    assert join_names(["a", "b", "c"], "fr") == "a, b et c"


def test_cli_onboarding_json(tact: Tact, capsys: pytest.CaptureFixture[str]) -> None:
    fill(tact, MEMBERS, POSTS)
    tact.audit.record("no_checkin", "alice", member="c_nock")
    tact.audit.record("onboarding_done", "alice", member="done", step="welcome")
    tact.audit.record("onboarding_done", "alice", member="*", step="weekly:2026-W11")
    code = main(["--data", str(tact.settings.data), "onboarding", "--json", "--now", "2026-03-15T12:00:00Z"])
    docs = [orjson.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    assert {(d["member"], d["step"]) for d in docs} == set(due()) - {("*", "weekly:2026-W11")}
    late = next(d for d in docs if d["member"] == "c_late")
    assert late["overdue_days"] == 2 and late["reply"]["visibility"] == "private"
    assert late["due"] == "2026-03-10T12:00:00Z" and late["members"] == ["c_late"]
    assert [d["due"] for d in docs] == sorted(d["due"] for d in docs)
