"""The 90-9-1 ladder: each rung, the shares month by month, who moved up or down."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from heuristics.ladder import TARGET, ladder_by_month, ladder_now, moved_this_month, rung, rungs, secs
from tests._members_fixtures import NOW, t

IDS = ["lurk", "comm", "crea", "intro", "late", "left", "fell"]
JOINED = {m: t("2025-12-01T00:00:00Z") for m in IDS} | {"late": t("2026-02-10T00:00:00Z")}
LEFT = {"left": t("2026-02-15T00:00:00Z")}
ROWS = [
    ("comm", t("2026-01-10T00:00:00Z"), "comment"),
    ("comm", t("2026-02-10T00:00:00Z"), "comment"),
    ("crea", t("2026-01-20T00:00:00Z"), "comment"),
    ("crea", t("2026-02-05T00:00:00Z"), "post"),
    ("intro", t("2026-03-02T00:00:00Z"), "introduction"),
    ("late", t("2026-03-03T00:00:00Z"), "comment"),
    ("left", t("2026-01-05T00:00:00Z"), "post"),
    ("fell", t("2025-12-05T00:00:00Z"), "post"),  # a creator who went silent
    ("stranger", t("2026-01-01T00:00:00Z"), "post"),
]


def test_rung_rule() -> None:
    assert rung(0, 0) == "lurker"
    assert rung(0, 3) == "commenter"
    assert rung(1, 0) == "creator" == rung(2, 5)


def test_each_members_rung_now() -> None:
    assert rungs(IDS, ROWS, until=NOW) == {
        "lurk": "lurker",
        "comm": "commenter",
        "crea": "creator",
        "intro": "creator",  # an introduction starts a thread
        "late": "commenter",
        "left": "creator",
        "fell": "creator",
    }


def test_shares_month_by_month() -> None:
    months = ladder_by_month(IDS, ROWS, NOW, JOINED, LEFT)
    assert [m.label for m in months] == ["2025-12", "2026-01", "2026-02", "now"]
    counts = {m.label: dict(m.counts) for m in months}
    assert counts["2025-12"] == {"lurker": 5, "commenter": 0, "creator": 1}  # fell
    assert counts["2026-01"] == {"lurker": 2, "commenter": 2, "creator": 2}  # +comm +crea(c), left(p)
    # February: crea became a creator, late joined (a lurker), left left
    assert counts["2026-02"] == {"lurker": 3, "commenter": 1, "creator": 2}
    assert counts["now"] == {"lurker": 1, "commenter": 2, "creator": 3}
    now = months[-1]
    assert now.total == 6 and abs(sum(now.shares.values()) - 1) < 1e-9
    assert abs(now.gap()["lurker"] - (1 / 6 - TARGET["lurker"])) < 1e-9
    assert ladder_now(IDS, ROWS, NOW, JOINED, LEFT).counts == now.counts


def test_moves_this_month_use_a_trailing_window() -> None:
    moves = moved_this_month(IDS, ROWS, NOW, window_days=90, left_at=LEFT)
    # On March 1 (window from Dec 1): comm commenter, crea creator, fell creator, intro/late lurkers.
    # Now (window from Dec 15): fell's only post (Dec 5) fell out of the window.
    assert [(m.member, m.before, m.after) for m in moves.up] == [
        ("intro", "lurker", "creator"),
        ("late", "lurker", "commenter"),
    ]
    assert [(m.member, m.before, m.after) for m in moves.down] == [("fell", "creator", "lurker")]


def test_no_rows_no_members() -> None:
    (only,) = ladder_by_month([], [], NOW, first_month="2026-03")
    assert only.label == "now" and only.total == 0 and only.shares["lurker"] == 0.0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", "d"]),
            st.integers(secs(t("2025-10-01T00:00:00Z")), secs(NOW)),
            st.sampled_from(["post", "comment", "introduction"]),
        ),
        max_size=30,
    )
)
def test_the_sweep_agrees_with_the_direct_rule(rows: list[tuple[str, int, str]]) -> None:
    ids = ["a", "b", "c", "d", "e"]
    months = ladder_by_month(ids, rows, NOW, first_month="2025-10")
    for m in months:
        direct = rungs(ids, rows, until=secs(m.at) + (1 if m.label == "now" else 0))
        expect = {r: sum(1 for v in direct.values() if v == r) for r in ("lurker", "commenter", "creator")}
        assert dict(m.counts) == expect, m.label
