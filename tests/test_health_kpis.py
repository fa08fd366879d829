"""Each health KPI and series, computed by hand on a small community and compared.

The community (now = 2026-03-15 12:00 UTC, period 30 days, so start = 2026-02-13 12:00):

    m1  joined 2025-01-01   writes p1 (a question), p2 (a link with "?"), welcomes i1
    m2  joined 2025-11-20   (retention cohort) answers p1 and i2, asks p4 (too young)
    m3  joined 2025-12-01   (retention cohort) wrote only in December
    m4  joined 2025-12-15 12:00 exactly: just outside the cohort (it is half-open)
    m5  joined 2026-03-10   introduction i1; question p5 nobody else answers
    m6  joined 2026-03-01   introduction i2, answered by m2 after 26 h (too late)
    m7  joined 2026-03-15   introduction i3, younger than a day (not judged yet)
    m8  joined 2025-06-01, left 2026-02-01: not counted among members at `now`
    s1  a stranger (no member record) who comments on p2
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.context import Tact
from console.health_data import columns, gather, load_kpi_choice, save_kpi_choice
from heuristics.health import (
    DAY,
    DEFAULT_KPIS,
    Columns,
    SignalFact,
    active_members,
    baseline_band,
    compute_kpis,
    daily,
    heat_map,
    human_duration,
    intros_answered,
    is_question,
    kpi_lines,
    new_members_per_week,
    parse_period,
    questions_answered,
    retention,
    top_contributors,
    weekly,
)
from heuristics.model import Member, Post, PostKind, parse_time
from tests.conftest import NOW, fill

T = parse_time


def _m(mid: str, joined: str, left: str | None = None) -> Member:
    return Member(mid, T(joined), name=f"Name {mid}", left_at=T(left) if left else None)


def _p(
    pid: str, author: str, at: str, kind: PostKind = "post", text: str = "", parent: str | None = None
) -> Post:
    return Post(pid, author, T(at), kind, text, parent=parent)


MEMBERS = [
    _m("m1", "2025-01-01T00:00:00Z"),
    _m("m2", "2025-11-20T00:00:00Z"),
    _m("m3", "2025-12-01T00:00:00Z"),
    _m("m4", "2025-12-15T12:00:00Z"),
    _m("m5", "2026-03-10T00:00:00Z"),
    _m("m6", "2026-03-01T00:00:00Z"),
    _m("m7", "2026-03-15T00:00:00Z"),
    _m("m8", "2025-06-01T00:00:00Z", left="2026-02-01T00:00:00Z"),
]
POSTS = [
    _p("p3", "m3", "2025-12-05T10:00:00Z", text="hello?"),
    _p("p8", "m8", "2026-01-10T10:00:00Z", text="bye"),
    _p("p5", "m5", "2026-02-20T10:00:00Z", text="Quelle dose ?"),
    _p("c5", "m5", "2026-02-20T11:00:00Z", "comment", "moi-même", parent="p5"),
    _p("i2", "m6", "2026-03-01T08:00:00Z", "introduction", "Hi all"),
    _p("c2a", "m6", "2026-03-01T09:00:00Z", "comment", "me again", parent="i2"),
    _p("c2b", "m2", "2026-03-02T10:00:00Z", "comment", "welcome!", parent="i2"),
    _p("p2", "m1", "2026-03-05T12:00:00Z", text="See https://vet.example/?q=1 for details"),
    _p("s1c", "s1", "2026-03-05T13:00:00Z", "comment", "buy now", parent="p2"),
    _p("i1", "m5", "2026-03-10T09:00:00Z", "introduction", "Bonjour"),
    _p("c1", "m1", "2026-03-10T20:00:00Z", "comment", "Bienvenue", parent="i1"),
    _p("p1", "m1", "2026-03-13T12:00:00Z", text="How much insulin for a 4 kg cat?"),
    _p("r1", "m2", "2026-03-13T15:00:00Z", "comment", "ask the vet", parent="p1"),
    _p("r1b", "m1", "2026-03-13T16:00:00Z", "comment", "thanks", parent="r1"),
    _p("p4", "m2", "2026-03-14T20:00:00Z", text="Anyone around?"),
    _p("i3", "m7", "2026-03-15T01:00:00Z", "introduction", "Hello"),
    _p("late", "m1", "2026-03-16T01:00:00Z", text="after now: never counted?"),
]


def cols_of(posts: list[Post]) -> Columns:
    rows = sorted(posts, key=lambda p: (p.created_at, p.id))
    return Columns(
        [p.id for p in rows],
        [p.author for p in rows],
        [int(p.created_at.timestamp()) for p in rows],
        [p.kind for p in rows],
        [p.parent for p in rows],
    )


@pytest.fixture
def cols() -> Columns:
    return cols_of(POSTS)


def test_active_members_counts_members_present_who_wrote(cols: Columns) -> None:
    r = active_members(cols, MEMBERS, NOW, 30)
    # m1, m2, m5, m6, m7 wrote; m3, m4 did not; m8 left; s1 is no member.
    assert (r.num, r.den) == (5, 7)


def test_retention_cohort_is_half_open(cols: Columns) -> None:
    r = retention(cols, MEMBERS, NOW)
    # cohort [2025-11-15 12:00, 2025-12-15 12:00): m2, m3 (m4 sits on the open end).
    assert (r.num, r.den) == (1, 2)


def test_introductions_answered_within_a_day(cols: Columns) -> None:
    r = intros_answered(cols, NOW, 30)
    # i1 answered by m1 after 11 h; i2 only by its author, then m2 after 26 h; i3 too young.
    assert (r.num, r.den) == (1, 2)


def test_questions_with_a_reply(cols: Columns) -> None:
    questions = {p.id for p in POSTS if p.kind != "comment" and is_question(p.text)}
    assert questions == {"p3", "p5", "p1", "p4", "late"}  # p2's "?" sits inside a link
    r = questions_answered(cols, NOW, 30, questions)
    # p1 answered; p5 only by its author; p4 younger than a day; p3 before the period.
    assert (r.num, r.den) == (1, 2)


def test_median_first_reply_and_triage(cols: Columns) -> None:
    signals = [
        SignalFact("sA", "spam", T("2026-03-10T00:00:00Z"), "dismissed"),
        SignalFact("sB", "spam", T("2026-03-12T00:00:00Z"), "open"),
        SignalFact("sC", "conflict", T("2026-03-14T00:00:00Z"), "open"),
        SignalFact("sD", "conflict", T("2026-01-01T00:00:00Z"), "handled"),
        SignalFact("sE", "onboarding", T("2026-03-14T00:00:00Z"), "snoozed"),
    ]
    actions = [
        ("sA", T("2026-03-10T06:00:00Z")),  # 6 h
        ("sB", T("2026-03-12T02:00:00Z")),  # 2 h (then reopened: the first touch counts)
        ("sB", T("2026-03-13T02:00:00Z")),
        ("sD", T("2026-01-02T00:00:00Z")),  # before the period
        ("unknown", T("2026-03-14T00:00:00Z")),
        ("sE", T("2026-03-13T00:00:00Z")),  # acted before tact flagged it: 0, not negative
        ("sC", T("2026-03-16T00:00:00Z")),  # after now
    ]
    k = compute_kpis(cols, MEMBERS, NOW, 30, signals=signals, triage_actions=actions)
    # Replies by someone else: p2 1 h (the stranger), p1 3 h, i1 11 h, i2 26 h -> (3+11)/2.
    assert k.median_first_reply == 7 * 3600
    assert k.replied_posts == 4
    assert k.median_triage == 2 * 3600
    assert k.triaged == 3
    assert k.open_signals == {"spam": 1, "conflict": 1}
    assert k.new_members == 3  # m5, m6, m7
    # Rows in (2026-02-13 12:00, now]: p5 c5 i2 c2a c2b p2 s1c i1 c1 p1 r1 r1b p4 i3.
    assert k.posts == 14
    assert k.questions_answered is None  # no texts given


def test_without_signals_the_triage_kpis_are_unknown(cols: Columns) -> None:
    k = compute_kpis(cols, MEMBERS, NOW, 30)
    assert k.median_triage is None and k.open_signals is None
    lines = {line.key: line for line in kpi_lines(k, ("median_triage", "open_signals"))}
    assert lines["median_triage"].value == "—"
    assert lines["open_signals"].detail == "signals not available"


def test_daily_and_weekly_trailing_windows(cols: Columns) -> None:
    days = daily(cols, NOW, 3)
    # (03-14 12:00, 03-15 12:00]: p4, i3; (03-13 12:00, 03-14 12:00]: r1, r1b; p1 at exactly
    # 03-13 12:00 closes the window before.
    assert [(b.posts, b.comments) for b in days] == [(1, 0), (0, 2), (2, 0)]
    assert days[-1].end == NOW
    weeks = weekly(cols, NOW, 2)
    # (03-08 12:00, 03-15 12:00]: i1 c1 p1 r1 r1b p4 i3; (03-01 12:00, 03-08 12:00]: c2b p2 s1c.
    assert [(b.posts, b.comments) for b in weeks] == [(1, 2), (4, 3)]


def test_new_members_per_week() -> None:
    # (03-08 12:00, now]: m5, m7; (03-01 12:00, 03-08 12:00]: none (m6 joined 03-01 00:00).
    assert new_members_per_week(MEMBERS, NOW, 3) == [1, 0, 2]


def test_heat_map_cells_and_waiting(cols: Columns) -> None:
    hm = heat_map(cols, NOW, days=7)
    # In (03-08 12:00, now]: i1 Tue 09, c1 Tue 20, p1 Fri 12, r1 Fri 15, r1b Fri 16,
    # p4 Sat 20, i3 Sun 01.
    assert hm.activity[1][9] == 1 and hm.activity[1][20] == 1
    assert hm.activity[4][12] == 1 and hm.activity[4][15] == 1 and hm.activity[4][16] == 1
    assert hm.activity[5][20] == 1 and hm.activity[6][1] == 1
    assert sum(map(sum, hm.activity)) == 7
    # Waiting more than 2 h: i1 (answered after 11 h), p1 (3 h), p4 and i3 (never).
    assert hm.waiting[1][9] == 1 and hm.waiting[4][12] == 1
    assert hm.waiting[5][20] == 1 and hm.waiting[6][1] == 1
    assert sum(map(sum, hm.waiting)) == 4
    assert hm.peak() == (1, 9, 1)  # ties go to the earliest cell of the week


def test_heat_map_follows_the_time_zone() -> None:
    from zoneinfo import ZoneInfo

    c = cols_of([_p("x", "m1", "2026-03-14T23:30:00Z")])  # Saturday 23:30 UTC
    hm = heat_map(c, NOW, days=7, tz=ZoneInfo("Europe/Paris"))
    assert hm.activity[6][0] == 1  # Sunday 00:30 in Paris


def test_top_contributors_members_only_welcomes_weigh(cols: Columns) -> None:
    top = top_contributors(cols, {m.id for m in MEMBERS}, NOW, 30, limit=3)
    # m1: p2 p1 c1 r1b = 2 posts 2 comments, 1 welcome (c1 on i1) -> 5
    # m2: c2b r1 p4 = 1 post 2 comments, 1 welcome (c2b on i2) -> 4
    # m5: p5 c5 i1 -> 3
    assert [(c.member, c.posts, c.comments, c.welcomes) for c in top] == [
        ("m1", 2, 2, 1),
        ("m2", 1, 2, 1),
        ("m5", 2, 1, 0),
    ]


def test_baseline_band_is_median_and_mad() -> None:
    bands = baseline_band([10, 12, 8, 10, 30], lookback=4, k=2.0)
    assert bands[:4] == [None, None, None, None]
    band = bands[4]
    assert band is not None
    # median(10,12,8,10) = 10; MAD = median(0,2,2,0) = 1 -> σ ≈ 1.4826
    assert band.mid == 10
    assert band.high == pytest.approx(10 + 2 * 1.4826)


def test_is_question_and_period_and_duration() -> None:
    assert is_question("ça va ?")
    assert not is_question("www.shop.example/?ref=me")
    assert parse_period("12w").days == 84 and parse_period("3m").days == 90
    with pytest.raises(ValueError):
        parse_period("soon")
    assert human_duration(7 * 3600 + 20 * 60) == "7 h 20 min"
    assert human_duration(2 * DAY + 3600) == "2 d 1 h"
    assert human_duration(None) == "—"


def test_gather_reads_the_store_like_the_pure_functions(tact: Tact) -> None:
    fill(tact, MEMBERS, POSTS)
    view = gather(tact, parse_period("30d"))
    k = view.kpis
    assert (k.active_members.num, k.active_members.den) == (5, 7)
    assert (k.retention_3m.num, k.retention_3m.den) == (1, 2)
    assert (k.intros_answered_24h.num, k.intros_answered_24h.den) == (1, 2)
    assert k.median_first_reply == 7 * 3600
    assert len(columns(tact)) == len(POSTS)
    assert view.contributors[0] == ("Name m1", view.contributors[0][1])
    assert view.previous.now == NOW - timedelta(days=30)
    assert view.daily[-1].end == NOW and len(view.daily) == 90 and len(view.weekly) == 104


def test_complete_adds_the_questions(tact: Tact) -> None:
    from console.health_data import complete

    fill(tact, MEMBERS, POSTS)
    view = complete(tact, gather(tact, parse_period("30d")))
    assert view.complete
    q = view.kpis.questions_answered
    assert q is not None and (q.num, q.den) == (1, 2)


def test_kpi_choice_persists_in_derived(tact: Tact) -> None:
    assert load_kpi_choice(tact) == DEFAULT_KPIS
    save_kpi_choice(tact, ["open_signals", "active_members", "bogus"])
    assert load_kpi_choice(tact) == ("active_members", "open_signals")
    assert tact.store.derived_path("health_kpis.json").exists()


def test_empty_community_has_no_shares(tact: Tact) -> None:
    view = gather(tact, parse_period("30d"), now=datetime(2026, 3, 15, tzinfo=UTC))
    assert view.kpis.active_members.value is None
    assert all(b.total == 0 for b in view.daily)
    assert kpi_lines(view.kpis)[0].value == "—"


def test_per_utc_day_splits_at_midnight() -> None:
    from datetime import date

    from heuristics.health import per_utc_day

    c = cols_of(
        [
            _p("a", "m1", "2026-03-13T23:59:59Z"),
            _p("b", "m1", "2026-03-14T00:00:00Z"),
            _p("c", "m1", "2026-03-14T23:30:00Z"),
            _p("d", "m1", "2026-03-15T00:10:00Z"),
        ]
    )
    counts = per_utc_day(c, int(T("2026-03-13T23:59:59Z").timestamp()), int(NOW.timestamp()))
    # (lo, hi]: "a" sits exactly on lo and is left out.
    assert counts == {date(2026, 3, 14): 2, date(2026, 3, 15): 1}


def test_one_wide_reply_map_gives_the_same_kpis(cols: Columns) -> None:
    from heuristics.health import MemberTimes, first_replies

    wide = first_replies(cols, int((NOW - timedelta(days=200)).timestamp()), int(NOW.timestamp()))
    for now in (NOW, NOW - timedelta(days=5), NOW - timedelta(days=12)):
        alone = compute_kpis(cols, MEMBERS, now, 30, question_ids={"p1", "p5"})
        shared = compute_kpis(cols, MemberTimes.of(MEMBERS), now, 30, question_ids={"p1", "p5"}, replies=wide)
        assert alone == shared


def test_tact_toml_sets_the_heat_map_zone_and_the_kpis(tact: Tact) -> None:
    fill(tact, MEMBERS, POSTS)
    tact.settings.config_file.write_text(
        '[health]\ntz = "Europe/Paris"\nkpis = ["posts", "retention_3m"]\n', encoding="utf-8"
    )
    view = gather(tact, parse_period("30d"))
    assert view.heat.tz == "Europe/Paris"
    # i3 was written on Sunday 01:00 UTC = 02:00 in Paris (winter time).
    assert view.heat.activity[6][2] == 1 and view.heat.activity[6][1] == 0
    assert load_kpi_choice(tact) == ("posts", "retention_3m")  # in the order the file gives
    save_kpi_choice(tact, ["active_members"])  # the picker's choice wins over the file
    assert load_kpi_choice(tact) == ("active_members",)


def test_a_bad_zone_falls_back_to_utc(tact: Tact) -> None:
    fill(tact, MEMBERS, POSTS)
    tact.settings.config_file.write_text('[health]\ntz = "Mars/Olympus"\n', encoding="utf-8")
    assert gather(tact, parse_period("30d")).heat.tz == "UTC"


def test_a_failing_step_leaves_a_note_not_a_crash(tact: Tact, monkeypatch: pytest.MonkeyPatch) -> None:
    from console import health_data
    from console.health_data import complete

    def broken(tact: Tact, now: datetime, notes: list[str]) -> None:
        raise ValueError("detector exploded [b]loudly[/b]")

    monkeypatch.setattr(health_data, "_signals", broken)
    fill(tact, MEMBERS, POSTS)
    view = complete(tact, gather(tact, parse_period("30d")))
    assert view.complete
    assert view.kpis.open_signals is None
    assert any(n.startswith("Signals: could not be computed (ValueError") for n in view.notes)
    q = view.kpis.questions_answered  # the other steps still ran
    assert q is not None and (q.num, q.den) == (1, 2)
