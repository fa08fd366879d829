"""The Textual app: it only wires the screens together.

Screens are imported lazily, by mode, so opening the console loads just the feed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from console.context import Tact

#: mode -> (module under screens/, class name). One screen a module, its .tcss beside it.
SCREENS: dict[str, tuple[str, str]] = {
    "feed": ("screens.feed", "FeedScreen"),
    "signals": ("screens.signals", "SignalsScreen"),
    "members": ("screens.members", "MembersScreen"),
    "calendar": ("screens.calendar", "CalendarScreen"),
    "health": ("screens.health", "HealthScreen"),
    "log": ("screens.audit_log", "AuditLogScreen"),
}


class TactApp(App[None]):
    """tact: the moderators' console."""

    TITLE = "tact"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("F", "switch_mode('feed')", "Feed", tooltip="The activity feed, newest first"),
        Binding("S", "switch_mode('signals')", "Signals", tooltip="The triage queue"),
        Binding("M", "switch_mode('members')", "Members", tooltip="Members, inactivity, ladder"),
        Binding("C", "switch_mode('calendar')", "Calendar", tooltip="Onboarding calendar"),
        Binding("H", "switch_mode('health')", "Health", tooltip="Community health"),
        Binding("L", "switch_mode('log')", "Log", tooltip="The audit log"),
        Binding("question_mark", "help", "Keys", tooltip="Every key of this screen"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, tact: Tact, start: str = "feed") -> None:
        self.tact = tact
        self._start = start
        super().__init__()

    def _factory(self, mode: str) -> Callable[[], Screen[None]]:
        module_name, class_name = SCREENS[mode]

        def make() -> Screen[None]:
            screen_class = getattr(importlib.import_module(module_name), class_name)
            return screen_class(self.tact)

        return make

    def on_mount(self) -> None:
        for mode in SCREENS:
            self.add_mode(mode, self._factory(mode))
        self.switch_mode(self._start)

    def action_help(self) -> None:
        from screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))
