"""The Textual app: it only wires the screens together.

Screens are imported lazily, by mode, so opening the console loads just the feed. The app
polls the store's generation counter so a second console or an import in another terminal
shows up without a restart.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from console.context import Tact
from screens.messages import StoreChanged

if TYPE_CHECKING:
    from textual.command import Provider

    from console.feed_head import FeedHead

#: Seconds between two looks at the store's generation counter (one small file read).
POLL_SECONDS = 3.0

#: mode -> (module under screens/, class name). One screen a module, its .tcss beside it.
SCREENS: dict[str, tuple[str, str]] = {
    "feed": ("screens.feed", "FeedScreen"),
    "signals": ("screens.signals", "SignalsScreen"),
    "members": ("screens.members", "MembersScreen"),
    "calendar": ("screens.calendar", "CalendarScreen"),
    "health": ("screens.health", "HealthScreen"),
    "log": ("screens.audit_log", "AuditLogScreen"),
}


#: Terminals known to draw real pixels (sixel or kitty graphics), by $TERM_PROGRAM.
GRAPHICS_TERMINALS = frozenset({"WezTerm", "iTerm.app", "ghostty", "mintty", "rio"})


def wants_graphics(env: Mapping[str, str]) -> bool:
    """Whether to ask the terminal for graphics at launch. `TACT_PICTURES=graphics` or
    `blocks` decides; otherwise only terminals known to draw pixels, and never inside tmux
    or screen (they pass no graphics through by default)."""
    choice = env.get("TACT_PICTURES", "").lower()
    if choice in ("graphics", "blocks"):
        return choice == "graphics"
    if env.get("TMUX") or env.get("TERM", "").startswith("screen"):
        return False
    return (
        env.get("TERM") == "xterm-kitty"
        or "KITTY_WINDOW_ID" in env
        or env.get("TERM_PROGRAM", "") in GRAPHICS_TERMINALS
    )


def first_stylesheet(mode: str) -> list[str | PurePath]:
    """The stylesheet of the screen the app opens on (`screens/<module>.tcss`), if it has one.

    The app reads it with its own: a screen whose CSS_PATH is not read yet makes Textual
    re-parse every stylesheet and restyle every widget when it is installed (~10 % of the
    launch). Read once here, the screen finds it loaded; the rules are the same."""
    root = Path(__file__).resolve().parent.parent
    path = root.joinpath(*SCREENS[mode][0].split(".")).with_suffix(".tcss")
    return [path] if path.exists() else []


def _tact_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (not at launch)."""
    from screens.commands import TactCommands

    return TactCommands


class TactApp(App[None]):
    """tact: the moderators' console."""

    TITLE = "tact"
    ENABLE_COMMAND_PALETTE = True
    # Under 100 columns (80x24 over SSH) every screen has the class `-narrow`: the signals
    # screen puts the evidence under the queue, the feed narrows its author column. (Textual
    # annotates it `ClassVar[...] | None`, which mypy reads as an instance variable.)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    COMMANDS = App.COMMANDS | {_tact_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("F", "switch_mode('feed')", "Feed", tooltip="The activity feed, newest first"),
        Binding("S", "switch_mode('signals')", "Signals", tooltip="The triage queue"),
        Binding("M", "switch_mode('members')", "Members", tooltip="Members, inactivity, ladder"),
        Binding("C", "switch_mode('calendar')", "Calendar", tooltip="Onboarding calendar"),
        Binding("H", "switch_mode('health')", "Health", tooltip="Community health"),
        Binding("L", "switch_mode('log')", "Log", tooltip="The audit log"),
        Binding("question_mark", "help", "Keys", tooltip="Every key of this screen, with what it does"),
        Binding("q", "quit", "Quit", tooltip="Leave tact (every action is already saved)"),
    ]

    def __init__(
        self,
        tact: Tact,
        start: str = "feed",
        feed_head: Future[FeedHead | None] | None = None,
        read_ahead: float | None = None,
    ) -> None:
        self.tact = tact
        self._start = start
        self._feed_head = feed_head
        """The feed's saved first page, being read since launch (`read_head_soon`)."""
        self._read_ahead = read_ahead
        """Seconds after launch to read the last signal run in the background, so that `S`
        shows the queue at once (None: when the screen opens)."""
        self._last_run: Future[Any] | None = None
        self._last_top: Future[Any] | None = None
        """The top of the last run's queue, read first (the signals screen may show it)."""
        self._signals_made = False
        self._generation = -1
        """The store generation the screens last saw."""
        super().__init__(css_path=first_stylesheet(start))

    def run(self, *args: Any, **kwargs: Any) -> None:
        # textual-image asks the terminal what it can draw (sixel, kitty graphics, cell size)
        # when it is imported, which it cannot do once Textual owns the terminal: ask first,
        # where graphics may work. Elsewhere pictures are drawn with half blocks, and the
        # launch does not pay for the question and for NumPy and Pillow (~0.1 s).
        if wants_graphics(os.environ):
            with contextlib.suppress(Exception):
                importlib.import_module("textual_image.widget")
        # Pass the return value on: snap_compare reads the screenshot from it.
        return super().run(*args, **kwargs)

    def _factory(self, mode: str) -> Callable[[], Screen[None]]:
        module_name, class_name = SCREENS[mode]

        def make() -> Screen[None]:
            screen_class = getattr(importlib.import_module(module_name), class_name)
            if mode == "feed" and self._feed_head is not None:
                head, self._feed_head = self._feed_head, None
                return screen_class(self.tact, head)
            if mode == "signals":
                self._signals_made = True
                early, self._last_run = self._last_run, None
                top, self._last_top = self._last_top, None
                if early is not None:
                    return screen_class(self.tact, early=early, early_top=top)
            return screen_class(self.tact)

        return make

    def on_mount(self) -> None:
        for mode in SCREENS:
            self.add_mode(mode, self._factory(mode))
        self.switch_mode(self._start)
        self._generation = self.tact.store.generation()
        self.set_interval(POLL_SECONDS, self.poll_store)
        if self._read_ahead is not None and self._start != "signals":
            self.set_timer(self._read_ahead, self._read_last_run)

    def _read_last_run(self) -> None:
        """Start reading the last signal run, unless the signals screen was opened already."""
        if self._last_run is None and not self._signals_made:
            self._last_top, self._last_run = Future(), Future()
            self._read_last_run_into(self._last_top, self._last_run)

    @work(thread=True, exit_on_error=False, group="read-ahead")
    def _read_last_run_into(self, top: Future[Any], whole: Future[Any]) -> None:
        # After the feed's first page, off the UI thread: parsing the saved signals shares the
        # interpreter with the feed for a second or two, keys still answer meanwhile. The top
        # of the queue first: `S` pressed meanwhile shows it without waiting for the rest.
        try:
            found = importlib.import_module("screens.signals").read_last_run_in_two(self.tact)
            top.set_result(found[0] if found is not None else None)
            whole.set_result(found[1]() if found is not None else None)
        except Exception as err:  # the screen then reads the last run itself
            for future in (top, whole):
                if not future.done():
                    future.set_exception(err)

    def poll_store(self) -> None:
        """Tell the current screen when another process wrote to the store.

        Screens not on view check the generation themselves when they come back.
        """
        generation = self.tact.store.generation()
        if generation != self._generation:
            self._generation = generation
            self.screen.post_message(StoreChanged(generation))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # The palette's own "Keys" entry opens Textual's side panel; ours is the `?` screen.
        for command in super().get_system_commands(screen):
            if command.title != "Keys":
                yield command
        yield SystemCommand("Keys", "Every key of this screen, with what it does", self.action_help)

    def action_help(self) -> None:
        from screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))
