"""A `Static` whose height is its text's, set on every update.

Textual measures an `auto` height once per layout request: a request counts only when none is
pending, and it reaches the screen at the widget's own idle. So a text box updated, laid out by
a pass another widget asked for, and updated again before its idle keeps its first text's
height and cuts off the rest (a loaded machine did that to the health, signals and log
screens; `tests/layout_race.py` forces it). A height set as a style is a new style, hence a
new measure, whatever the order.
"""

from __future__ import annotations

from textual import events
from textual.visual import VisualType
from textual.widgets import Static


class FittedStatic(Static):
    """A text box as tall as its text at its width (within its CSS `max-height`)."""

    _fitted_width: int | None = None
    """The width the height was last worked out for."""

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        super().update(content, layout=layout)
        self.fit()

    def fit(self, width: int | None = None) -> None:
        """Set the height from the text at `width`: by default the box's own, or before its
        first layout the screen's less a border's worth."""
        width = width or self.content_size.width or max(self.screen.size.width - 2, 20)
        self._fitted_width = width
        lines = self.visual.get_height(self.styles.get_rules(), width)
        self.styles.height = lines + self.styles.gutter.height

    def on_resize(self, event: events.Resize) -> None:
        """A new width (the terminal resized) wraps the text on another number of lines."""
        if self.content_size.width != self._fitted_width:
            self.fit()
