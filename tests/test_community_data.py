"""The detectors' view of the store: lazy posts over the index, windows by bisection."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from console.signals_service import load_data
from console.store_posts import StorePosts
from heuristics.detector import CommunityData, ListTable
from heuristics.member_stats import stats_from_data, stats_from_posts
from heuristics.model import Community, Member, Post, parse_time
from tests.conftest import fill

T0 = parse_time("2026-01-01T00:00:00Z")


def _posts(offsets_ms: list[int]) -> list[Post]:
    posts = [
        Post(
            f"p{i:03d}",
            f"m{i % 3}",
            T0 + timedelta(milliseconds=ms),
            "comment" if i % 3 == 1 else "post",
            text=f"t{i}",
        )
        for i, ms in enumerate(offsets_ms)
    ]
    # The store's order: by whole second, then id (what the post index sorts by).
    return sorted(posts, key=lambda p: (int(p.created_at.timestamp()), p.id))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 5_000), min_size=0, max_size=25),
    st.integers(-500, 5_500),
    st.integers(-500, 5_500),
)
def test_windows_by_bisection_equal_a_plain_filter(offsets: list[int], a: int, b: int) -> None:
    posts = _posts(offsets)
    start, end = T0 + timedelta(milliseconds=min(a, b)), T0 + timedelta(milliseconds=max(a, b))
    for table in (None, ListTable.of(posts)):
        # Without a table `posts` must be sorted by exact time.
        ordered = sorted(posts, key=lambda p: p.created_at) if table is None else posts
        data = CommunityData(Community("c"), {}, ordered, table=table)
        assert set(data.since(start)) == {p for p in ordered if p.created_at >= start}
        window = [p for p in ordered if start < p.created_at <= end]
        assert data.between(start, end) == window
        # Without the comments: the table tells them apart (off topic counts posts only).
        assert data.between(start, end, comments=False) == [p for p in window if not p.is_comment]
        upto = [p for p in ordered if p.created_at <= end]
        for last in (0, 1, 3, 30):
            assert set(data.until(end, last)) == set(upto[-last:] if last else [])


def test_store_posts_follow_the_index_and_read_months_lazily(tact) -> None:  # type: ignore[no-untyped-def]
    members = [Member("m1", T0), Member("m2", T0)]
    posts = [
        Post(f"p{i}", "m1" if i % 2 else "m2", T0 + timedelta(days=13 * i, seconds=i), text=f"post {i}")
        for i in range(12)
    ]
    fill(tact, members, posts)
    data = load_data(tact)
    assert isinstance(data.posts, StorePosts)
    assert data.table is not None
    assert [p.id for p in data.posts] == list(data.table.id) == [p.id for p in tact.store.all_posts()]
    assert data.posts[3] == tact.store.post(data.table.id[3])
    assert data.posts[-1].id == data.table.id[-1]
    every = tact.store.all_posts()
    for cut in (slice(2, 5), slice(-3, None), slice(None, None, 2), slice(5, 2), slice(1, -1), slice(None)):
        assert [p.id for p in data.posts[cut]] == [p.id for p in every[cut]], cut
    assert set(data.posts_by_id(["p3", "p7", "nope"])) == {"p3", "p7"}
    rows = data.rows_of(["p3", "nope"])
    assert rows == {"p3": list(data.table.id).index("p3")}
    plain = CommunityData(data.community, data.members, list(data.posts))
    assert plain.rows_of(["p3", "nope"]) == rows  # the same without the store's door
    light = data.light_posts(["p3"])["p3"]
    full = tact.store.post("p3")
    assert full is not None and light.text == ""
    assert (light.author, light.kind, light.parent, light.images) == (
        full.author,
        full.kind,
        full.parent,
        full.images,
    )
    assert light.created_at == full.created_at.replace(microsecond=0)
    # Nothing but the months asked for were read.
    fresh = load_data(tact)
    assert isinstance(fresh.posts, StorePosts)
    fresh.posts[0]
    assert len(fresh.posts._months) == 1


def test_member_stats_from_the_table_equal_those_from_posts(tact) -> None:  # type: ignore[no-untyped-def]
    members = [Member(f"m{i}", T0) for i in range(4)]
    posts = [
        Post(f"p{i}", f"m{i % 3}", T0 + timedelta(days=9 * i), kind="comment" if i % 4 else "post")
        for i in range(30)
    ]
    fill(tact, members, posts)
    data = load_data(tact)
    now = T0 + timedelta(days=300)
    assert stats_from_data(data, now) == stats_from_posts(data.members, tact.store.all_posts(), now)
    assert stats_from_data(data, now) is stats_from_data(data, now)  # once per run


def test_daily_counts_from_the_table_equal_those_from_posts() -> None:
    from heuristics.quiet_group import daily_counts_since

    posts = _posts([h * 3_600_000 + 17 for h in range(0, 24 * 20, 5)])
    plain = CommunityData(Community("c"), {}, sorted(posts, key=lambda p: p.created_at))
    tabled = CommunityData(Community("c"), {}, posts, table=ListTable.of(posts))
    for since_days in (0, 3, 19, 40):
        since = (T0 + timedelta(days=since_days)).date()
        assert daily_counts_since(tabled, since) == daily_counts_since(plain, since)


def test_the_post_cache_reads_only_when_told_and_each_post_once(tact, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from console.store_posts import PostCache
    from tests.conftest import spy_months

    posts = [Post(f"p{i}", "m1", T0 + timedelta(days=40 * i), text=f"t{i}") for i in range(3)]
    fill(tact, [Member("m1", T0)], posts)
    read = spy_months(monkeypatch)
    cache = PostCache(tact.store, {"p0": posts[0]})
    assert cache.get("p2") is None and read == []  # looking up never reads
    assert cache.missing(["p0", "p2", "nope"]) == ["p2", "nope"]
    cache.load(["p0", "p2", "nope"])
    assert cache.get("p2") == posts[2] and read == ["2026-03"]
    assert cache.missing(["p2", "nope"]) == []  # an absent post is not looked for again
    cache.load(["p2", "nope"])
    assert read == ["2026-03"] and set(cache) == {"p0", "p2"} and len(cache) == 2


def test_a_post_cache_told_to_stop_reads_no_further_month_and_marks_nothing_absent(tact, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from console.store_posts import PostCache
    from tests.conftest import spy_months

    posts = [Post(f"p{i}", "m1", T0 + timedelta(days=40 * i), text=f"t{i}") for i in range(3)]
    fill(tact, [Member("m1", T0)], posts)
    read = spy_months(monkeypatch)
    cache = PostCache(tact.store)
    asked: list[int] = []

    def stop_after_one() -> bool:
        asked.append(1)
        return len(asked) > 1

    cache.load(["p0", "p1", "p2"], stop=stop_after_one)
    assert len(read) == 1 and len(cache) == 1
    assert len(cache.missing(["p0", "p1", "p2"])) == 2  # not absent: read when asked again


def test_a_fresh_process_reads_the_community_file_once(tact, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The members' parse gives the community record too: at 50,000 members a second parse of
    their file cost a fresh `tact signals` ~0.3 s."""
    from console.config import Settings
    from console.context import Tact
    from console.store import Store

    fill(tact, [Member("m1", T0, name="Ana")], [Post("p1", "m1", T0, text="hello")])
    fresh = Tact.open(Settings(tact.settings.data, "alice"), T0)  # nothing cached yet
    parsed: list[str] = []
    real = Store._raw_tables

    def counting(self: Store, path):  # type: ignore[no-untyped-def]
        parsed.append(path.name)
        return real(self, path)

    monkeypatch.setattr(Store, "_raw_tables", counting)
    data = load_data(fresh)
    assert data.community.name == "Test group" and set(data.members) == {"m1"}
    assert parsed.count("community.json") == 1


def test_a_lookup_of_recent_posts_maps_only_the_newest_rows(tact, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Rows by id: the newest rows answer while they hold every id asked for (the parents
    of new comments); an older or unknown id makes the map of every id, as before."""
    import console.store as store_mod
    from console.store import Store

    members = [Member("m1", T0)]
    posts = [Post(f"p{i}", "m1", T0 + timedelta(hours=i), text=f"post {i}") for i in range(12)]
    fill(tact, members, posts)
    monkeypatch.setattr(store_mod, "RECENT_ROWS", 4)
    store = Store(tact.store.root)
    ids = list(store.post_index().id)
    assert store.rows_of(["p11", "p9", "p11"]) == {"p11": ids.index("p11"), "p9": ids.index("p9")}
    assert store._positions is None  # the newest four rows answered
    assert store.rows_of([]) == {}
    assert store.rows_of(["p2", "p10", "nope"]) == {"p2": ids.index("p2"), "p10": ids.index("p10")}
    assert store._positions is not None
    fresh = Store(tact.store.root)
    assert fresh.rows_of(["nope"]) == {}
    assert fresh._positions is not None  # an unknown id cannot be told absent from the newest rows
