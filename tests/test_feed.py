"""The activity feed, driven as a moderator would: move, open threads, open a post, search."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import Future
from datetime import timedelta
from pathlib import Path

import pytest
from rich.console import RenderableType
from textual.message import Message
from textual.pilot import Pilot
from textual.screen import Screen

from console.app import TactApp
from console.context import Tact
from console.feed_head import FILE as HEAD_FILE
from console.feed_head import FeedHead, read_head, read_head_soon
from heuristics.model import Post, parse_time
from screens import feed as feed_module
from screens.feed import FeedScreen, HeadLoaded
from screens.help import HelpScreen
from screens.post_view import PostViewScreen
from screens.widgets.post_list import PostList, preview_around
from screens.widgets.reltime import relative_time
from tests.conftest import NOW, fill
from tests.feed_community import MEMBERS, community_posts, fill_community, screen_text

SIZE = (100, 30)
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def settle(pilot: Pilot[None]) -> None:
    """Let every worker finish and every message land."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def feed_of(app: TactApp) -> FeedScreen:
    screen = app.screen
    assert isinstance(screen, FeedScreen), screen
    return screen


def ids(app: TactApp) -> list[str]:
    return [r.post.id for r in feed_of(app).post_list.rows]


@pytest.fixture
def app(tact: Tact) -> TactApp:
    return TactApp(fill_community(tact))


# -- relative times ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ago", "shown"),
    [
        (timedelta(seconds=20), "just now"),
        (timedelta(minutes=7), "7 min ago"),
        (timedelta(hours=3, minutes=59), "3 h ago"),
        (timedelta(days=2, hours=1), "2 d ago"),
        (timedelta(days=20), "2 w ago"),
        (timedelta(days=200), "2025-08-27"),
        (-timedelta(hours=5), "in 5 h"),
        (-timedelta(seconds=30), "just now"),
    ],
)
def test_relative_time_reads_at_a_glance(ago: timedelta, shown: str) -> None:
    assert relative_time(NOW - ago, NOW) == shown


# -- the list -----------------------------------------------------------------------------


async def test_feed_opens_first_with_newest_posts_and_exact_counts(app: TactApp) -> None:
    posts = community_posts()
    answers = Counter(p.parent for p in posts if p.parent)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = feed_of(app).post_list.rows
        expected = sorted((p for p in posts if p.parent is None), key=lambda p: p.created_at, reverse=True)
        assert [r.post.id for r in rows] == [p.id for p in expected]
        assert {r.post.id: r.comments for r in rows} == {p.id: answers[p.id] for p in expected}
        assert app.sub_title == "Chats diabétiques"
        assert isinstance(app.focused, PostList)


async def test_at_80_columns_the_author_narrows_and_the_text_keeps_room(app: TactApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "author" in line and "text" in line)
        start = header.index("text")
        assert header.index("kind") == header.index("author") + 15  # 14 cells and a space, not 20
        first = feed_of(app).post_list.rows[0].post
        row = next(line for line in lines if line.startswith(("  ", "▸ ")) and first.text[:12] in line)
        # the preview starts under its title and shows 30 characters of the post
        assert row[start:].startswith(first.text[:30])
        # a name longer than the column is cut with an ellipsis ("Priya Natarajan", 15)
        assert "Priya Nataraj… " in screen_text(app) and "Priya Natarajan" not in screen_text(app)


async def test_j_k_and_arrows_move_the_cursor(app: TactApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        post_list = feed_of(app).post_list
        await pilot.press("j", "j", "down", "k")
        assert post_list.cursor == 2
        await pilot.press("up", "up", "up")
        assert post_list.cursor == 0  # stops at the top
        await pilot.press("end")
        assert post_list.cursor == len(post_list.rows) - 1
        await pilot.press("g")
        assert post_list.cursor == 0


async def test_threads_expand_and_collapse_in_place(app: TactApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        post_list = feed_of(app).post_list
        post_list.cursor = post_list.index_of("p2") or 0
        before = len(post_list.rows)
        await pilot.press("space")
        at = post_list.index_of("p2")
        assert at is not None
        assert [r.post.id for r in post_list.rows[at + 1 : at + 4]] == ["c1", "c2", "c3"]  # oldest first
        assert all(r.depth == 1 for r in post_list.rows[at + 1 : at + 4])
        await pilot.press("h")
        assert len(post_list.rows) == before
        await pilot.press("l")
        assert len(post_list.rows) == before + 3
        await pilot.press("j", "left")  # on a comment, left goes up to its post
        assert post_list.cursor == at
        await pilot.press("left")
        assert len(post_list.rows) == before
        await pilot.press("right")
        assert len(post_list.rows) == before + 3


async def test_nested_answers_open_under_their_comment(app: TactApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        post_list = feed_of(app).post_list
        post_list.cursor = post_list.index_of("p5") or 0
        await pilot.press("l", "j", "l")
        assert [(r.post.id, r.depth) for r in post_list.rows[post_list.index_of("p5") or 0 :][:3]] == [
            ("p5", 0),
            ("c4", 1),
            ("c5", 2),
        ]


async def test_enter_opens_the_post_with_comments_and_notes(app: TactApp, tact: Tact) -> None:
    tact.audit.record("note", "bob", member="m3", note="Prefers private messages.", at=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        post_list = feed_of(app).post_list
        post_list.cursor = post_list.index_of("p2") or 0
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, PostViewScreen) and view.post is not None
        assert view.post.id == "p2"
        shown = "\n".join(str(s.render()) for s in view.query("Static"))
        assert "Photo du jour" in shown
        assert "Comments (3)" in shown and "Merci pour vos réponses !" in shown
        assert "Notes on Sam Carter (1)" in shown and "Prefers private messages." in shown
        assert "bob" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, FeedScreen)


async def test_a_comment_view_goes_up_to_its_post(app: TactApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        feed_of(app).show_post("c5")
        await settle(pilot)
        assert isinstance(app.screen, PostViewScreen) and app.screen.post_id == "c5"
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, PostViewScreen) and app.screen.post_id == "c4"


async def test_search_by_text_then_escape_restores_the_feed(app: TactApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        feed = feed_of(app)
        await pilot.press("j", "j")
        before = ids(app)
        await pilot.press("slash")
        await pilot.press(*"vet")
        await pilot.pause(feed_module.SEARCH_DELAY + 0.1)
        await settle(pilot)
        found = ids(app)
        texts = {p.id: p.text for p in community_posts()}
        assert found and all("vet" in texts[i].casefold() for i in found)
        assert "c2" not in found and "p1" in found
        await pilot.press("enter")  # to the results
        assert feed.focused is feed.post_list
        await pilot.press("escape")
        assert ids(app) == before and feed.post_list.cursor == 2


async def test_search_results_show_and_mark_the_words_found(app: TactApp) -> None:
    """At 80 columns the text column shows 30 cells: a result whose words sit further in
    starts a little before them, with them marked."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"VÉTÉRINAIRE", "enter")
        await settle(pilot)
        found = ids(app)
        assert found and all("vétérinaire" in p.text for p in community_posts() if p.id in found)
        rows = [line for line in screen_text(app).splitlines() if "vétérinaire" in line]
        assert len(rows) == len(found) and all("…elez le vétérinaire." in line for line in rows)
        strip = feed_of(app).post_list.render_line(0)
        marked = [seg for seg in strip if seg.text == "vétérinaire"]
        assert marked and marked[0].style is not None and marked[0].style.reverse
        await pilot.press("escape")  # back to the feed: previews from the start, unmarked
        assert not any("vétérinaire" in line for line in screen_text(app).splitlines())


@pytest.mark.parametrize("width", [80, 99, 100, 120])
async def test_column_titles_stay_over_their_columns_in_the_feed_and_in_results(
    app: TactApp, width: int
) -> None:
    """The titles and the rows are drawn by two widgets whose widths differ while the search
    box shows: both take the author column's width from the terminal's."""

    def kinds_aligned() -> bool:
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "author" in line and "kind" in line)
        at = header.index("kind")
        rows = [line for line in lines if line[at:].startswith(("post ", "intro ", "comment "))]
        # the picture counts end where their title does ("pics", right-aligned)
        pics = header.index("pics")
        counts = [line[pics - 1 : pics + 4] for line in rows if line[pics - 1 : pics + 4].strip()]
        return (
            len(rows) >= 2 and bool(counts) and all(c.rstrip() == c and c.strip().isdigit() for c in counts)
        )

    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        assert kinds_aligned()
        await pilot.press("slash", *"vet", "enter")
        await settle(pilot)
        assert kinds_aligned()


@pytest.mark.parametrize(
    ("text", "match", "width", "shown"),
    [
        ("Hello there, dose matters", "", 10, ("", "", "Hello ther…")),  # the feed's own cut
        ("Ask the Vet first", "vet", 30, ("Ask the ", "Vet", " first")),
        ("a" * 40 + " the Dose", "dose", 20, ("…aaa the ", "Dose", "")),  # 8 characters before
        ("a" * 40 + " the Dose", "dose", 5, ("…aaa ", "", "")),  # never wider than the column
        ("Straße ist nass", "nass", 8, ("", "", "Straße i…")),  # folding changes its length
        ("x\x1b[31m \x07 red dose", "dose", 40, ("x red ", "dose", "")),  # escapes stripped
        ("anything", "nothing", 5, ("", "", "anyth…")),
    ],
)
def test_a_preview_starts_before_the_words_found(
    text: str, match: str, width: int, shown: tuple[str, str, str]
) -> None:
    assert preview_around(text, match, width) == shown


async def test_search_by_author_name_lists_posts_and_comments(app: TactApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"chloé", "enter")
        await settle(pilot)
        by_m4 = [p for p in community_posts() if p.author == "m4" or "chloé" in p.text.casefold()]
        assert sorted(ids(app)) == sorted(p.id for p in by_m4)
        assert "c6" in ids(app)


async def test_author_key_and_show_member_list_a_members_posts(app: TactApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        feed = feed_of(app)
        feed.show_member("m1")
        await settle(pilot)
        mine = sorted((p for p in community_posts() if p.author == "m1"), key=lambda p: p.created_at)
        assert ids(app) == [p.id for p in reversed(mine)]
        await pilot.press("escape")
        assert ids(app)[0] == "p0"


async def test_help_lists_the_feed_keys(app: TactApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        shown = screen_text(app)
        for words in ("Search", "Thread", "Open", "Feed", "Quit", "↓ j"):
            assert words in shown, words
        await pilot.press("escape")
        assert isinstance(app.screen, FeedScreen)


async def test_q_quits(app: TactApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_older_months_load_on_demand(tact: Tact) -> None:
    # A year of 40 posts a month: the first page needs four months, the rest waits.
    posts = [Post(f"y{i}", "m1", NOW - timedelta(hours=9 * i + 1), text=f"post {i}") for i in range(480)]
    # An answer this month to the oldest post: its count must be right once it is reached.
    posts.append(Post("late", "m2", NOW - timedelta(minutes=30), "comment", "still here?", parent="y479"))
    app = TactApp(fill(tact, MEMBERS, posts))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        feed = feed_of(app)
        assert feed._source is not None
        first = len(feed.post_list.rows)
        assert feed_module.FIRST_PAGE <= first < 480
        assert feed._source.pending
        assert ids(app)[:3] == ["y0", "y1", "y2"]
        for _ in range(6):
            await pilot.press("end")
            await settle(pilot)
        assert ids(app) == [f"y{i}" for i in range(480)]
        assert not feed._source.pending
        assert feed.post_list.row is not None and feed.post_list.row.post.id == "y479"
        assert feed.post_list.row.comments == 1
        await pilot.press("space")
        assert ids(app)[-1] == "late"


async def test_another_process_writing_refreshes_the_feed(app: TactApp, tact: Tact) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tact.store.save_posts([Post("new", "m2", NOW - timedelta(minutes=5), text="Fresh from an import")])
        app.poll_store()
        await settle(pilot)
        assert ids(app)[0] == "new"


async def test_an_empty_store_says_how_to_import(tmp_path: Path) -> None:
    from console.config import Settings

    app = TactApp(Tact.open(Settings(tmp_path / "empty", "alice"), parse_time("2026-03-15T12:00:00Z")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        status = str(app.screen.query_one("#status").render())
        assert "tact --data DIR import FILE" in status


# -- snapshots (pinned now and size) ------------------------------------------------------


def test_snapshot_feed(snap_compare: object, tact: Tact) -> None:
    app = TactApp(fill_community(tact))

    async def before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("j", "j", "space")

    assert snap_compare(app, terminal_size=SIZE, run_before=before)  # type: ignore[operator]


def test_snapshot_post_view(snap_compare: object, tact: Tact) -> None:
    tact.audit.record("note", "bob", member="m3", note="Prefers private messages.", at=NOW)
    app = TactApp(fill_community(tact))

    async def before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=before)  # type: ignore[operator]


def test_snapshot_help(snap_compare: object, tact: Tact) -> None:
    app = TactApp(fill_community(tact))

    async def before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=before)  # type: ignore[operator]


# -- the saved first page (console.feed_head) -------------------------------------------------


async def test_second_launch_paints_from_the_saved_first_page(tact: Tact) -> None:
    fill_community(tact)
    async with TactApp(tact).run_test(size=SIZE) as pilot:
        await settle(pilot)
    head = read_head(tact.store)
    assert head is not None and [r.post.id for r in head.rows][:3] == ["p0", "p1", "p2"]
    assert head.names["m1"] == "Louis Favre" and head.community == "Chats diabétiques"
    seen: list[Message] = []
    app = TactApp(tact)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(pilot)
        assert any(isinstance(m, HeadLoaded) for m in seen)
        assert ids(app) == [r.post.id for r in head.rows]
        assert feed_of(app)._source is not None  # the store was read behind it


async def test_a_page_read_during_launch_is_in_the_very_first_frame(tact: Tact) -> None:
    fill_community(tact)
    async with TactApp(tact).run_test(size=SIZE) as pilot:
        await settle(pilot)
    early = read_head_soon(tact.store)  # what `tact` starts before importing Textual
    head = early.result(timeout=10)
    assert head is not None
    frames: list[int] = []

    class Watched(TactApp):
        def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
            super()._display(screen, renderable)
            if renderable is not None and isinstance(screen, FeedScreen):
                frames.append(len(screen.post_list.rows))

    seen: list[Message] = []
    app = Watched(tact, feed_head=early)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(pilot)
        assert frames and frames[0] == len(head.rows)  # no empty "reading…" frame before it
        assert not any(isinstance(m, HeadLoaded) for m in seen)  # no trip through a worker
        assert ids(app) == [r.post.id for r in head.rows]
        assert feed_of(app)._source is not None  # the store was read behind it


@pytest.mark.parametrize("first_page", [2, 5, 150])
def test_the_page_built_from_documents_is_the_page_the_feed_reads(
    tact: Tact, monkeypatch: pytest.MonkeyPatch, first_page: int
) -> None:
    """`refresh_head` counts comments on the months' documents and builds only the page's
    posts; it must save what the feed's own reading of the store shows."""
    from collections import defaultdict

    import console.feed_head as feed_head

    monkeypatch.setattr(feed_head, "FIRST_PAGE", first_page)
    fill_community(tact)
    feed_head.refresh_head(tact.store)
    head = read_head(tact.store)
    assert head is not None
    children: defaultdict[str, list[Post]] = defaultdict(list)
    top, _ = feed_head.read_newest(tact.store, list(reversed(tact.store.months())), first_page, {}, children)
    assert [(e.post, e.comments) for e in head.rows] == [(p, len(children.get(p.id, ()))) for p in top]
    assert any(e.comments for e in head.rows)  # the community has threads


# A fresh interpreter, as `tact` is when it reads the page: one thread, so it may fork.
_LAUNCH_READ = """
import os, sys
from pathlib import Path
import console.feed_head as fh
from console.store import Store
store = Store(Path(sys.argv[1]))
if sys.argv[2] == "fail":
    fh.refresh_head = lambda store: 1 / 0  # the child's build breaks
me = os.getpid()
head = fh.read_head_soon(store).result(timeout=30)
assert os.getpid() == me  # the child never got back here
print(None if head is None else ",".join(r.post.id for r in head.rows))
try:
    os.waitpid(-1, os.WNOHANG)
    print("child left unreaped")
except ChildProcessError:
    print("no child left")
"""


@pytest.mark.parametrize("child", ["builds", "fail"])
def test_a_missing_saved_page_is_built_by_a_child_during_launch(tact: Tact, child: str) -> None:
    import subprocess
    import sys

    fill_community(tact)
    assert read_head(tact.store) is None  # never launched: nothing saved yet
    out = subprocess.run(
        [sys.executable, "-c", _LAUNCH_READ, str(tact.store.root), child],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.splitlines()
    assert out[1] == "no child left"
    head = read_head(tact.store)
    if child == "fail":
        assert out[0] == "None" and head is None  # the feed will read the store itself
        return
    assert head is not None and out[0] == ",".join(r.post.id for r in head.rows)
    newest = sorted((p for p in community_posts() if p.parent is None), key=lambda p: p.created_at)
    assert [r.post.id for r in head.rows][:3] == [p.id for p in reversed(newest[-3:])]


async def test_a_page_still_being_read_when_the_feed_opens_is_shown_once_read(tact: Tact) -> None:
    fill_community(tact)
    async with TactApp(tact).run_test(size=SIZE) as pilot:
        await settle(pilot)
    early: Future[FeedHead | None] = Future()  # a slow disk: not read yet at mount
    seen: list[Message] = []
    app = TactApp(tact, feed_head=early)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.pause()
        assert ids(app) == [] and feed_of(app).post_list.loading
        head = read_head(tact.store)
        assert head is not None
        early.set_result(head)
        await settle(pilot)
        assert any(isinstance(m, HeadLoaded) for m in seen)
        assert ids(app) == [r.post.id for r in head.rows]
        assert feed_of(app)._source is not None


async def test_a_stale_or_broken_saved_page_is_ignored(tact: Tact) -> None:
    fill_community(tact)
    async with TactApp(tact).run_test(size=SIZE) as pilot:
        await settle(pilot)
    tact.store.save_posts([Post("fresh", "m2", NOW - timedelta(minutes=1), text="after the head")])
    assert read_head(tact.store) is None  # the generation moved on
    seen: list[Message] = []
    app = TactApp(tact)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(pilot)
        assert not any(isinstance(m, HeadLoaded) for m in seen)
        assert ids(app)[0] == "fresh"
    tact.store.derived_path(HEAD_FILE).write_bytes(b"{not json")
    assert read_head(tact.store) is None
    async with TactApp(tact).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert ids(pilot.app)[0] == "fresh"  # type: ignore[arg-type]


async def test_a_reload_keeps_the_cursor_and_open_threads(app: TactApp, tact: Tact) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        post_list = feed_of(app).post_list
        post_list.cursor = post_list.index_of("p2") or 0
        await pilot.press("space")
        post_list.cursor = post_list.index_of("p5") or 0
        tact.store.save_posts([Post("new", "m2", NOW - timedelta(minutes=5), text="news")])
        app.poll_store()
        await settle(pilot)
        assert ids(app)[0] == "new"
        assert post_list.row is not None and post_list.row.post.id == "p5"
        at = post_list.index_of("p2")
        assert at is not None and post_list.rows[at].expanded
        assert post_list.rows[at + 1].post.id == "c1"


# -- FeedSource, without the screen -------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_feed_source_counts_are_exact_page_by_page(tact: Tact, seed: int) -> None:
    # Threads that cross month boundaries, answers to answers: every row handed out, at
    # whatever page, carries the count a full scan of the store gives.
    import random

    rng = random.Random(seed)
    posts: list[Post] = []
    for i in range(400):
        at = NOW - timedelta(hours=6 * (400 - i))
        if posts and rng.random() < 0.6:
            parent = rng.choice(posts[-80:])
            posts.append(Post(f"x{i}", "m1", max(at, parent.created_at), "comment", "re", parent=parent.id))
        else:
            posts.append(Post(f"x{i}", "m2", at, text=f"post {i}"))
    fill(tact, MEMBERS, posts)
    truth = Counter(p.parent for p in posts if p.parent)
    source = feed_module.FeedSource(tact.store)
    seen: list[str] = []
    while source.more:
        for row in source.next_rows(rng.randint(1, 40)):
            assert row.comments == truth[row.post.id], row.post.id
            seen.append(row.post.id)
        for post_id in seen:
            # Any thread handed out so far opens from memory, complete, oldest first.
            kids = [r.post.id for r in source.child_rows(post_id)]
            assert kids == [p.id for p in posts if p.parent == post_id]
    tops = sorted((p for p in posts if p.parent is None), key=lambda p: p.created_at, reverse=True)
    assert seen == [p.id for p in tops]


async def test_show_post_of_an_unknown_id_says_so(app: TactApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        feed_of(app).show_post("[b]nope")
        await settle(pilot)
        assert isinstance(app.screen, PostViewScreen) and app.screen.post is None
        assert "No post [b]nope here." in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, FeedScreen)


async def test_posts_the_feed_holds_open_from_memory(app: TactApp) -> None:
    # At a million posts the store's first lookup by id loads the whole post index: the
    # feed hands the post view what it already holds instead.
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        post_list = feed_of(app).post_list
        post_list.cursor = post_list.index_of("p5") or 0
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, PostViewScreen) and view._known is not None
        assert [c.id for c in view._known.comments] == ["c4"]
        assert "1 unit twice a day." not in screen_text(app)  # an answer to c4, not to p5
        await pilot.press("escape")
        feed_of(app).show_post("c5")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, PostViewScreen) and view._known is not None
        assert view._known.parent is not None and view._known.parent.id == "c4"
        assert "Which dose was that?" in screen_text(app)


async def test_help_on_the_post_view_lists_its_keys(app: TactApp) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        feed_of(app).show_post("c4")
        await settle(pilot)
        await pilot.press("question_mark")
        shown = screen_text(app)
        assert "Keys — Post" in shown
        for words in ("Back", "Parent", "Open the post this comment answers", "Post · scrolling"):
            assert words in shown, words
