"""The command palette (ctrl+p): every screen of the console and every action of this one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

#: mode -> (palette name, what it shows). The app's SCREENS holds the classes.
MODE_TITLES: dict[str, tuple[str, str]] = {
    "feed": ("Go to the feed", "The activity feed, newest posts first"),
    "signals": ("Go to signals", "The triage queue of weak signals"),
    "members": ("Go to members", "Members, inactivity and the participation ladder"),
    "calendar": ("Go to the calendar", "Onboarding: welcomes, check-ins, anniversaries"),
    "health": ("Go to health", "Community health over time"),
    "log": ("Go to the log", "The audit log of moderator actions"),
}


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    name: str
    help: str
    run: Callable[[], object]


def screen_actions(screen: Screen[object]) -> Iterator[PaletteCommand]:
    """The described bindings of `screen` and its focused widget (not the app's: listed apart)."""
    seen: set[tuple[int, str]] = set()
    app = screen.app
    for active in screen.active_bindings.values():
        binding, node = active.binding, active.node
        if node is app or not binding.description or not active.enabled:
            continue
        key = (id(node), binding.action)
        if key in seen:
            continue
        seen.add(key)
        keys = app.get_key_display(binding)
        yield PaletteCommand(
            f"{binding.description} ({keys})",
            binding.tooltip or binding.description,
            partial(app.run_action, binding.action, node),
        )


class TactCommands(Provider):
    """Screens to go to, then what the current screen can do."""

    def _commands(self) -> list[PaletteCommand]:
        app = self.app
        commands = [
            PaletteCommand(title, about, partial(app.switch_mode, mode))
            for mode, (title, about) in MODE_TITLES.items()
            if mode != app.current_mode
        ]
        commands.extend(screen_actions(self.screen))
        return commands

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = max(matcher.match(command.name), matcher.match(command.help) * 0.8)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, help=command.help)
