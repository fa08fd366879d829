"""The app shell: mode keys, `?` on every screen, the command palette, the store poll."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.message import Message
from textual.pilot import Pilot

from console.app import SCREENS, TactApp, first_stylesheet
from console.context import Tact
from heuristics.model import Post
from screens.commands import MODE_TITLES, screen_actions
from screens.feed import FeedScreen
from screens.help import HelpScreen, key_groups
from screens.messages import StoreChanged
from tests.conftest import NOW
from tests.feed_community import fill_community

pytestmark = pytest.mark.anyio
SIZE = (100, 30)
MODE_KEYS = {"F": "feed", "S": "signals", "M": "members", "C": "calendar", "H": "health", "L": "log"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def app(tact: Tact) -> TactApp:
    return TactApp(fill_community(tact))


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_mode_keys_reach_every_screen_and_each_has_key_help(app: TactApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.current_mode == "feed"
        for key, mode in MODE_KEYS.items():
            await pilot.press(key)
            await settle(pilot)
            assert app.current_mode == mode
            assert type(app.screen).__name__ == SCREENS[mode][1]
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            titles = [title for title, _ in key_groups(app.screen._target)]
            assert "Everywhere" in titles
            await pilot.press("escape")
            assert type(app.screen).__name__ == SCREENS[mode][1]
        await pilot.press("F")
        assert isinstance(app.screen, FeedScreen)


async def test_help_groups_merge_keys_of_one_action(app: TactApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        groups = dict(key_groups(app.screen))
        everywhere = {k.description: k.keys for k in groups["Everywhere"]}
        assert everywhere["Quit"] == "^q q"
        listed = {k.description: k.keys for k in groups["Feed · the list"]}
        assert listed["Down"] == "↓ j"
        assert {k.description for k in groups["Feed"]} >= {"Search", "Author"}


async def test_palette_lists_screens_and_the_screens_actions(app: TactApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = [c.name for c in screen_actions(app.screen)]
        assert "Search (/)" in names and "Open (⏎)" in names
        assert not any(name.startswith("Quit") for name in names)  # the app's keys are listed apart
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"search")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        feed = app.screen
        assert isinstance(feed, FeedScreen) and feed.has_class("-searching")


async def test_palette_switches_mode(app: TactApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*MODE_TITLES["log"][0])
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "log"


async def test_a_write_from_elsewhere_reaches_the_current_screen(app: TactApp, tact: Tact) -> None:
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(pilot)
        app.poll_store()
        assert not [m for m in seen if isinstance(m, StoreChanged)]  # nothing changed yet
        tact.store.save_posts([Post("late", "m1", NOW - timedelta(minutes=1), text="late news")])
        app.poll_store()
        await settle(pilot)
        changed = [m for m in seen if isinstance(m, StoreChanged)]
        # One message (the hook may see it at more than one dispatch), with the new generation.
        assert len({id(m) for m in changed}) == 1 and changed[0].generation == tact.store.generation()


@pytest.mark.parametrize("mode", ["feed", "members"])
async def test_the_first_screen_finds_its_stylesheet_read_with_the_app(tact: Tact, mode: str) -> None:
    # Read with the app's own, a screen's CSS_PATH costs no re-parse of every stylesheet.
    app = TactApp(fill_community(tact), start=mode)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == SCREENS[mode][1]
        assert app.screen.css_path and app.screen.css_path == first_stylesheet(mode)
        assert all(app.stylesheet.has_source(str(path)) for path in app.css_path)


def test_quitting_ends_the_process_at_once_with_the_app_s_code(tmp_path: Path) -> None:
    """A worker still computing (a signal run takes seconds at a million posts) does not
    hold `q` up, and the app's return code is the process's."""
    import subprocess
    import sys
    import time

    code = f"""
import sys, threading, time
import console.app

class Quick:
    def __init__(self, tact, **kw):
        self.return_code = None
    def run(self, loop):
        # A worker that is still busy when the moderator quits (not a daemon thread).
        threading.Thread(target=time.sleep, args=(60,)).start()
        self.return_code = 3

console.app.TactApp = Quick
sys.argv = ["tact", "--data", {str(tmp_path)!r}]
from console.cli import entry
entry()
print("not reached")
"""
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=50)
    assert time.monotonic() - started < 20 and run.returncode == 3
    assert "not reached" not in run.stdout and run.stderr == ""
