"""Who is inactive, exactly, on a small community with a fixed now; and the per-member figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.cli import main
from console.context import Tact
from heuristics.detector import Moderation
from heuristics.inactive import InactiveMemberDetector, inactive_ids
from heuristics.member_stats import member_stats, stats_from_posts
from heuristics.model import Post, signal_id
from tests._members_fixtures import NOW, data, member, post, t
from tests.conftest import fill

MEMBERS = [
    member("reg", "2025-06-01T10:00:00Z", "Regular Rita"),
    member("exact", "2025-01-01T10:00:00Z", "Exact Ed"),
    member("almost", "2025-01-01T10:00:00Z", "Almost Al"),
    member("commenter", "2025-01-01T10:00:00Z", "Comment Cat", lang="fr"),
    member("never_old", "2026-01-01T10:00:00Z", "Never Old"),
    member("never_new", "2026-02-01T10:00:00Z", "Never New"),
    member("today", "2026-03-15T09:00:00Z", "Today Tom"),
    member("left", "2025-01-01T10:00:00Z", "Left Lea", left="2026-02-01T00:00:00Z"),
    member("nock", "2025-01-01T10:00:00Z", "No Check"),
    member("checked", "2025-01-01T10:00:00Z", "Checked Recently"),
    member("checked_old", "2025-01-01T10:00:00Z", "Checked Long Ago"),
]

POSTS = [
    post("reg", "2026-01-05T10:00:00Z"),
    post("reg", "2026-03-10T10:00:00Z", "introduction"),
    post("reg", "2026-03-12T10:00:00Z", "comment"),
    # Exactly 8 weeks before now: counts as inactive (8 full weeks without a word).
    post("exact", "2026-01-18T12:00:00Z"),
    # One second later: 8 weeks have not quite passed.
    post("almost", "2026-01-18T12:00:01Z"),
    post("commenter", "2025-12-01T08:00:00Z", "comment"),
    post("left", "2025-10-01T08:00:00Z"),
    post("nock", "2025-11-01T08:00:00Z"),
    post("checked", "2025-11-01T08:00:00Z"),
    post("checked_old", "2025-11-01T08:00:00Z"),
    post("stranger", "2026-03-14T08:00:00Z", "comment"),
    # After now: a fixed now means these have not happened yet.
    post("never_old", "2026-03-20T08:00:00Z"),
]

MODERATION = Moderation(
    no_checkin=frozenset({"nock"}),
    last_checkin={"checked": t("2026-02-20T10:00:00Z"), "checked_old": t("2025-12-01T10:00:00Z")},
)


def test_exactly_who_is_inactive() -> None:
    d = data(MEMBERS, POSTS, MODERATION)
    found = {
        i.member: i
        for i in inactive_ids(d.members, stats_from_posts(d.members, d.posts, NOW), MODERATION, NOW)
    }
    assert set(found) == {"exact", "commenter", "never_old", "checked_old"}
    assert found["exact"].weeks == 8 and not found["exact"].never_posted
    assert found["never_old"].never_posted and found["never_old"].since == t("2026-01-01T10:00:00Z")
    assert found["commenter"].since == t("2025-12-01T08:00:00Z")


def test_weeks_is_a_parameter() -> None:
    d = data(MEMBERS, POSTS, MODERATION)
    ids = {s.members[0] for s in InactiveMemberDetector(weeks=4).detect(d, NOW)}
    # at 4 weeks the almost-8-weeks member and the 6-week-old lurker are inactive too,
    # and the recent check-in (23 days ago) no longer protects "checked".
    assert ids == {"exact", "almost", "commenter", "never_old", "never_new", "checked_old"}
    with pytest.raises(ValueError):
        InactiveMemberDetector(weeks=0)


def test_signals_are_private_in_the_members_language_and_warm() -> None:
    d = data(MEMBERS, POSTS, MODERATION)
    by_member = {s.members[0]: s for s in InactiveMemberDetector().detect(d, NOW)}
    fr = by_member["commenter"].reply
    assert fr is not None and fr.visibility == "private" and fr.lang == "fr" and fr.to == "commenter"
    assert "Comment Cat" in fr.text and "nouvelles" in fr.text
    en = by_member["exact"].reply
    assert en is not None and en.lang == "en"
    assert "we haven't heard from you and your cat in a while" in en.text
    never = by_member["never_old"].reply
    assert never is not None and "since you joined Diabetic cats" in never.text
    for s in by_member.values():
        assert s.kind == "inactive_member" and s.posts == () and 0 < s.score <= 1
        assert s.reply is not None and s.reply.visibility == "private"


def test_signal_id_follows_the_absence() -> None:
    d = data(MEMBERS, POSTS, MODERATION)
    sig = {s.members[0]: s for s in InactiveMemberDetector().detect(d, NOW)}["exact"]
    assert sig.id == signal_id("inactive_member", "exact", "2026-01-18")
    # Ten weeks on, still silent: the same absence, the same id.
    later = {s.members[0]: s for s in InactiveMemberDetector().detect(d, NOW + timedelta(weeks=2))}
    assert later["exact"].id == sig.id
    assert later["exact"].score > sig.score
    # The member comes back, then goes quiet again: a new absence, a new id.
    back = data(MEMBERS, [*POSTS, post("exact", "2026-03-16T09:00:00Z")], MODERATION)
    far = NOW + timedelta(weeks=12)
    again = {s.members[0]: s for s in InactiveMemberDetector().detect(back, far)}["exact"]
    assert again.id == signal_id("inactive_member", "exact", "2026-03-16") != sig.id
    assert again.evidence["last_activity"] == "2026-03-16T09:00:00Z"


def test_member_stats_from_the_index_columns() -> None:
    d = data(MEMBERS, POSTS, MODERATION)
    posts = sorted(d.posts, key=lambda p: p.created_at)
    stats = member_stats(
        MEMBERS,
        [p.id for p in posts],
        [p.author for p in posts],
        [int(p.created_at.timestamp()) for p in posts],
        [p.kind for p in posts],
        NOW,
    )
    reg = stats["reg"]
    assert reg.last_post == int(t("2026-03-10T10:00:00Z").timestamp())
    assert reg.last_comment == int(t("2026-03-12T10:00:00Z").timestamp())
    assert (reg.posts_30, reg.comments_30, reg.posts_90, reg.comments_90) == (1, 1, 2, 1)
    assert reg.intro is not None and reg.rung == "creator"
    only_comments = stats["commenter"]
    assert only_comments.last_post is None and only_comments.rung == "commenter"
    assert (only_comments.posts_90, only_comments.comments_90) == (0, 0)
    assert stats["today"].rung == "lurker" and stats["today"].last_activity is None
    # the post dated after now does not count
    assert stats["never_old"].last_activity is None and stats["never_old"].posts_total == 0
    assert "stranger" not in stats


def test_thirty_day_window_edges() -> None:
    m = [member("a", "2025-01-01T00:00:00Z")]
    exactly_30 = post("a", "2026-02-13T12:00:00Z")  # now - 30 days: outside (window is open there)
    just_inside = post("a", "2026-02-13T12:00:01Z")
    st = stats_from_posts({"a": m[0]}, [exactly_30, just_inside], NOW)["a"]
    assert st.posts_30 == 1 and st.posts_90 == 2


def test_left_in_the_future_still_counts() -> None:
    m = member("soon", "2025-01-01T00:00:00Z", left="2026-04-01T00:00:00Z")
    d = data([m], [post("soon", "2025-12-01T00:00:00Z")])
    assert [s.members for s in InactiveMemberDetector().detect(d, NOW)] == [("soon",)]
    assert InactiveMemberDetector().detect(d, t("2026-04-02T00:00:00Z")) == []


def test_hostile_name_stays_literal_in_the_reply() -> None:
    evil = "[@click=app.quit]Eve[/] {weeks}"
    d = data([member("e", "2025-01-01T00:00:00Z", evil)])
    (sig,) = InactiveMemberDetector().detect(d, NOW)
    assert sig.reply is not None and evil in sig.reply.text


# -- `tact members` ------------------------------------------------------------------------


def _cli(tact: Tact, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, Any]], str]:
    code = main(["--data", str(tact.settings.data), "--now", "2026-03-15T12:00:00Z", *argv])
    out, err = capsys.readouterr()
    return code, [orjson.loads(line) for line in out.splitlines() if line.startswith("{")], err


def test_cli_members_inactive_json(tact: Tact, capsys: pytest.CaptureFixture[str]) -> None:
    fill(tact, MEMBERS, [p for p in POSTS if p.created_at <= NOW])
    tact.audit.record("no_checkin", "alice", member="nock")
    tact.audit.record("checkin", "alice", member="checked", at=t("2026-02-20T10:00:00Z"))
    tact.audit.record("checkin", "alice", member="checked_old", at=t("2025-12-01T10:00:00Z"))
    code, docs, _ = _cli(tact, capsys, "members", "--inactive", "--json")
    assert code == 0
    assert [d["member"] for d in docs] == ["checked_old", "commenter", "never_old", "exact"]
    exact = docs[-1]
    assert set(exact) >= {"member", "name", "lang", "last_activity", "joined_at", "weeks_inactive", "reply"}
    assert exact["last_activity"] == "2026-01-18T12:00:00Z" and exact["weeks_inactive"] == 8
    assert exact["reply"]["visibility"] == "private" and exact["reply"]["lang"] == "en"
    assert docs[2]["last_activity"] is None and docs[2]["weeks_inactive"] == 10
    code, docs, _ = _cli(tact, capsys, "members", "--inactive", "--weeks", "4", "--json")
    assert {d["member"] for d in docs} == {
        "exact",
        "almost",
        "commenter",
        "never_old",
        "never_new",
        "checked_old",
    }
    code, _, err = _cli(tact, capsys, "members", "--inactive", "--weeks", "0", "--json")
    assert code == 2 and "--weeks" in err and len(err.splitlines()) == 1


def test_cli_members_all_with_stats(tact: Tact, capsys: pytest.CaptureFixture[str]) -> None:
    fill(tact, MEMBERS, [p for p in POSTS if p.created_at <= NOW])
    tact.audit.record("note", "alice", member="reg", note="[b]prefers[/b] French")
    code, docs, _ = _cli(tact, capsys, "members", "--json")
    assert code == 0 and len(docs) == len(MEMBERS)
    reg = next(d for d in docs if d["member"] == "reg")
    assert reg["rung"] == "creator" and reg["posts_90"] == 2 and reg["comments_30"] == 1
    assert reg["last_comment"] == "2026-03-12T10:00:00Z" and reg["notes"] == ["[b]prefers[/b] French"]
    assert next(d for d in docs if d["member"] == "commenter")["rung"] == "commenter"


def test_inactive_weeks_from_tact_toml(tact: Tact, capsys: pytest.CaptureFixture[str]) -> None:
    fill(tact, MEMBERS, [p for p in POSTS if p.created_at <= NOW])
    tact.settings.config_file.write_text("[detectors.inactive_member]\nweeks = 4\n", encoding="utf-8")
    _, docs, _ = _cli(tact, capsys, "members", "--inactive", "--json")
    assert "never_new" in {d["member"] for d in docs}


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.integers(0, 40), st.booleans()),
        max_size=30,
    ),
    st.integers(0, 30),
    st.integers(0, 40),
    st.integers(0, 10),
    st.booleans(),
)
def test_activity_kept_by_a_console_equals_counting_again(
    rows: list[tuple[str, int, bool]], cut: int, first_now: int, later: int, edit_early: bool
) -> None:
    """The second run of a console reads only the rows added since (`now` no earlier): the
    figures equal counting every row again, also when an early row changed in between."""
    from heuristics.member_stats import activity, activity_from_data

    def at(hour: int) -> datetime:
        return NOW - timedelta(hours=60 - hour)

    ordered = sorted(rows, key=lambda r: r[1])
    posts = [
        Post(f"p{i:02d}", author, at(hour), "introduction" if intro else "post")
        for i, (author, hour, intro) in enumerate(ordered)
    ]
    early = posts[: min(cut, len(posts))]
    if edit_early and early:
        early = [replace(early[0], author="e"), *early[1:]]
    kept: dict[object, object] = {}
    first = replace(data([], early), kept=kept)
    now1, now2 = at(first_now), at(first_now + later)
    activity_from_data(first, now1)
    second = replace(data([], posts), kept=kept)
    got = activity_from_data(second, now2)
    cols = data([], posts).columns()
    want = activity(cols.id, cols.author, cols.ts, cols.kind, now2)
    assert (got.last, got.last_id, got.intro) == (want.last, want.last_id, want.intro)


def test_a_console_counts_only_the_rows_added_since_its_last_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from heuristics import member_stats as mod

    posts = [Post(f"p{i}", f"m{i % 3}", NOW - timedelta(hours=30 - i)) for i in range(20)]
    calls: list[object] = []
    counted = mod.activity

    def spy(*args: Any, **kw: Any) -> Any:
        calls.append(args[5] if len(args) > 5 else kw.get("since"))
        return counted(*args, **kw)

    monkeypatch.setattr(mod, "activity", spy)
    kept: dict[object, object] = {}
    mod.activity_from_data(replace(data([], posts[:12]), kept=kept), NOW)
    mod.activity_from_data(replace(data([], posts), kept=kept), NOW)
    assert calls[0] is None and calls[1] is not None and calls[1][0] == 12  # type: ignore[index]
    # An earlier `now` or a changed old row: counted from the first row again.
    mod.activity_from_data(replace(data([], posts), kept=kept), NOW - timedelta(hours=1))
    assert calls[2] is None
