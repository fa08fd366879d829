"""Command palette provider for the signals screen: every triage action and kind filter.

Built from the screen's live state (which kinds are in the queue, how many are marked), the
way Posting builds its provider from the current screen. The app-wide provider (screens and
global actions) lives elsewhere; this one only exists while the signals screen is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from heuristics.model import SIGNAL_KINDS

if TYPE_CHECKING:
    from screens.signals import SignalsScreen

#: (action, title, help) of the triage actions, in the footer's order.
ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("reply", "Reply to this signal", "Open the composer with the suggested reply (r)"),
    ("dismiss_signal", "Dismiss", "A false positive, optionally with a reason (d)"),
    ("snooze", "Snooze", "Hide until tomorrow, next week or a date (s)"),
    ("handled", "Mark as handled", "The signal was dealt with (h)"),
    ("note", "Note on the member", "A note shared with the other moderators (n)"),
    ("open_post", "Open the post in the feed", "Jump to the post (o)"),
    ("undo", "Undo my last action", "Take back your last step (u)"),
    ("mark", "Mark for a bulk action", "Then d or h acts on every marked signal (space)"),
    ("clear_marks", "Clear the marks", "Forget every mark (escape)"),
)


class SignalCommands(Provider):
    """Triage actions and kind filters of the signals screen."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        screen: SignalsScreen = self.screen  # type: ignore[assignment]
        out: list[tuple[str, Callable[[], object], str]] = []
        for action, title, help_text in ACTIONS:
            out.append((title, partial(screen.run_action, action), help_text))
        present = {s.kind for s in screen.open_signals()} if hasattr(screen, "open_signals") else set()
        out.append(("Show every kind", partial(screen.run_action, "filter('')"), "Filter: all (0)"))
        for kind in SIGNAL_KINDS:
            if kind in present:
                label = kind.replace("_", " ")
                out.append((f"Show only {label}", partial(screen.run_action, f"filter('{kind}')"), "Filter"))
        return out

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
