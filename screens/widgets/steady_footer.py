"""Textual's `Footer`, laid out again only when what it shows changes.

The footer is each screen's map of its keys. Textual's rebuilds every key in it whenever the
screen says its bindings may have changed: a focus move, a screen switch, a `refresh_bindings`
— five times while the signals screen opens at a million posts, each mounting and styling
its twenty-odd keys (~0.3 s together, ahead of the queue's first frame). Most of those times
nothing it shows has changed; this one compares first.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.dom import NoScreen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """A `Footer` that skips a recompose showing the same keys as the last one."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: Hashable | None = None

    def _showing(self) -> Hashable:
        """Everything `Footer.compose` reads: the screen's active bindings as they stand."""
        if not self._bindings_ready:
            return None
        app = self.app
        try:
            active = self.screen.active_bindings
        except NoScreen:
            return None
        bindings = tuple(
            (key, b.key, b.action, b.description, b.show, b.key_display, b.group, enabled, tooltip)
            for key, (_node, b, enabled, tooltip) in active.items()
        )
        palette = self.show_command_palette and app.ENABLE_COMMAND_PALETTE
        return (bindings, palette, app.COMMAND_PALETTE_BINDING, self.compact, self.combine_groups)

    async def recompose(self) -> None:
        if not self.is_attached:  # a recompose queued before the screen closed
            return
        showing = self._showing()
        if showing is not None and showing == self._shown:
            return
        self._shown = showing
        await super().recompose()
