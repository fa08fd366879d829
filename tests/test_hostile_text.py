"""Member content is hostile (DEVELOPERS.md rule 1): it shows as literal text and does nothing.

Posts and member names carrying Rich/Textual markup (`[@click=app.quit]`, `[link=…]`),
terminal escape sequences (CSI, OSC 52 clipboard writes, OSC 8 hyperlinks), control
characters, bidi overrides and 10,000-character lines go through the real store, then the
feed and the post view are driven with Pilot: the brackets are on screen, the escapes are
not, clicking does nothing, and the app is still running.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from textual.pilot import Pilot

from console.app import TactApp
from console.context import Tact
from console.safe_text import _BIDI, clean, one_line, plain
from heuristics.model import Community, Member, Post, parse_time
from screens.feed import FeedScreen
from screens.post_view import PostViewScreen
from screens.widgets.post_list import PostList
from tests.conftest import NOW, fill
from tests.feed_community import screen_text

pytestmark = pytest.mark.anyio

CLICK = "[@click=app.quit]x[/]"
LINK = "[link=file:///etc/passwd]y[/]"
BOLD = "[bold red]loud"
OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
CLEAR = "\x1b[2J\x1b[H"
OSC8 = "\x1b]8;;http://evil.example\x07click me\x1b]8;;\x07"
C1_CSI = "\x9b31m"
BIDI = "\u202egnp.exe\u202c"
CONTROLS = "a\x00b\x07c\x08d\x7fe\x85f"
LONG = "w" * 10_000

MEMBERS = [
    Member("evil", parse_time("2025-01-01"), name=f"{BOLD} {CLICK}\x1b[31m"),
    Member("m2", parse_time("2025-01-01"), name="Anne Martin"),
]
POSTS = [
    Post("h1", "evil", NOW - timedelta(hours=1), text=f"{CLICK} then {LINK}"),
    Post("h2", "m2", NOW - timedelta(hours=2), text=f"{OSC52}{CLEAR}{OSC8} {C1_CSI}red{BIDI}"),
    Post("h3", "evil", NOW - timedelta(hours=3), text=f"{CONTROLS} {LINK}"),
    Post("h4", "m2", NOW - timedelta(hours=4), text=LONG, images=(f"img/{CLICK}.jpg",)),
    Post("h5", "evil", NOW - timedelta(hours=5), kind="comment", text=f"reply {LINK}", parent="h1"),
]
ESCAPE_BYTES = ("\x1b", "\x07", "\x9b", "\x9d", "\x00", "\x08", "\x7f", "\x85")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def app(tact: Tact) -> TactApp:
    community = Community("c", f"Group {CLICK}\x1b]0;pwned\x07", "en")
    return TactApp(fill(tact, MEMBERS, POSTS, community))


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def assert_inert(app: TactApp, shown: str) -> None:
    assert app.is_running
    for byte in ESCAPE_BYTES:
        assert byte not in shown, repr(byte)
    assert not any(ch in _BIDI for ch in shown)
    svg = app.export_screenshot()
    assert "\x1b" not in svg and "\x07" not in svg


# -- safe_text -------------------------------------------------------------------------------


def test_clean_strips_escapes_controls_and_bidi_but_keeps_brackets() -> None:
    assert clean(CLICK) == CLICK
    assert clean(OSC52 + "ok") == "ok"
    assert clean(CLEAR + "ok") == "ok"
    assert clean(OSC8) == "click me"
    assert clean(C1_CSI + "red") == "red"
    assert clean(BIDI) == "gnp.exe"
    assert clean(CONTROLS) == "abcdef"
    assert clean("a\tb\r\nc") == "a b\nc"
    assert clean("a\nb", keep_newlines=False) == "a b"
    assert clean("line\u2028sep") == "line\nsep"


def test_plain_is_literal_text_without_markup_spans() -> None:
    text = plain(f"{CLICK} {LINK} {BOLD}")
    assert isinstance(text, Text)
    assert text.plain == f"{CLICK} {LINK} {BOLD}"
    assert text.spans == []
    assert all(not seg.style or not seg.style.meta for seg in text.render(_console()))


def test_one_line_folds_whitespace_and_cuts_with_an_ellipsis() -> None:
    assert one_line("a\n\n  b\tc") == "a b c"
    assert one_line(LONG, 10) == "w" * 9 + "…"
    assert one_line("short", 10) == "short"


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FFF), max_size=200))
def test_clean_never_lets_a_control_or_bidi_character_through(value: str) -> None:
    out = clean(value)
    for ch in out:
        assert ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs"), repr(ch)
        assert ch not in _BIDI
    assert "\n" not in one_line(value)


@given(st.lists(st.sampled_from([CLICK, LINK, BOLD, OSC52, CLEAR, OSC8, C1_CSI, BIDI, CONTROLS, "x"])))
def test_clean_of_mixed_attacks_keeps_only_printable_text(parts: list[str]) -> None:
    out = clean("".join(parts))
    assert not any(b in out for b in ESCAPE_BYTES)
    assert out.count("[@click=app.quit]") == parts.count(CLICK)


def _console() -> Console:
    return Console(width=80)


# -- the feed and the post view ------------------------------------------------------------


async def test_feed_shows_markup_literally_and_no_escape_reaches_the_screen(app: TactApp) -> None:
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FeedScreen)
        shown = screen_text(app)
        assert CLICK in shown
        assert "[link=file:///etc/passwd]y[/]" in shown
        assert "[bold red]loud" in shown  # the member's name, literally
        assert "click me" in shown and "gnp.exe" in shown
        assert "abcdef" in shown
        assert "Group [@click=app.quit]x[/]" in app.sub_title
        assert_inert(app, shown)
        # Every segment the list paints is plain: no link, no click action hidden in a style.
        post_list = app.screen.query_one(PostList)
        for y in range(len(post_list.rows)):
            for segment in post_list.render_line(y):
                assert segment.style is None or (not segment.style.link and not segment.style.meta)


async def test_clicking_hostile_text_does_nothing_harmful(app: TactApp) -> None:
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        post_list = app.screen.query_one(PostList)
        # Row 0 is h1, whose text starts with [@click=app.quit]; row 1 holds the escapes.
        await pilot.click(PostList, offset=(50, 1))
        assert post_list.cursor == 1 and app.is_running
        await pilot.click(PostList, offset=(50, 0))
        assert post_list.cursor == 0 and app.is_running
        assert isinstance(app.screen, FeedScreen)
        await pilot.click(PostList, offset=(50, 0))  # a click on the highlighted row opens it
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, PostViewScreen)  # the second click opened the post
        shown = screen_text(app)
        assert CLICK in shown and LINK in shown
        for static_y in range(2, 12):
            await pilot.click(offset=(6, static_y))
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, PostViewScreen)
        assert_inert(app, screen_text(app))


async def test_post_view_shows_every_hostile_field_literally(app: TactApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        feed = app.screen
        assert isinstance(feed, FeedScreen)
        for post_id in ("h2", "h3", "h4"):
            feed.show_post(post_id)
            await settle(pilot)
            view = app.screen
            assert isinstance(view, PostViewScreen) and view.post is not None
            shown = screen_text(app)
            assert_inert(app, shown)
            if post_id == "h2":
                assert "click me" in shown and "red" in shown
            if post_id == "h3":
                assert "abcdef" in shown and LINK in shown
            if post_id == "h4":
                assert "w" * 100 in shown  # the 10,000-character line wraps
                await pilot.press("end")
                await pilot.pause()
                shown = screen_text(app)
                assert f"img/{CLICK}.jpg" in shown
                assert_inert(app, shown)
            await pilot.press("escape")
            await settle(pilot)


async def test_searching_for_markup_finds_it_as_text(app: TactApp) -> None:
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"[link=", "enter")
        await settle(pilot)
        feed = app.screen
        assert isinstance(feed, FeedScreen)
        assert sorted(r.post.id for r in feed.post_list.rows) == ["h1", "h3", "h5"]
        shown = screen_text(app)
        assert "[link=" in shown
        assert_inert(app, shown)
