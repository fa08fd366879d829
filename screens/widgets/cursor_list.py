"""The base of tact's long lists: rows drawn with the Line API and a one-line cursor.

DataTable slows down badly past ~10k rows; these lists render only the visible lines, and
moving the cursor repaints two lines instead of the widget. The feed, the signals queue and
the members table each add their rows, columns and messages on top of this.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.reactive import reactive
from textual.scroll_view import ScrollView


class CursorList(ScrollView, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, tooltip="Next line"),
        Binding("up,k", "cursor_up", "Up", show=False, tooltip="Previous line"),
        Binding("pagedown,ctrl+d", "page_down", "Page down", show=False, tooltip="One screen further"),
        Binding("pageup,ctrl+u", "page_up", "Page up", show=False, tooltip="One screen back"),
        Binding("home,g", "first", "First", show=False, tooltip="The first line"),
        Binding("end,G", "last", "Last", show=False, tooltip="The last line"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)
    """Index of the highlighted row. No repaint on change: `watch_cursor` repaints two lines."""

    def row_count(self) -> int:
        """How many rows the list shows now (after filters)."""
        raise NotImplementedError

    def cursor_moved(self, index: int) -> None:
        """Called after the cursor moved and its lines were repainted: post a message here."""

    def validate_cursor(self, value: int) -> int:
        return min(max(value, 0), max(self.row_count() - 1, 0))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        top = int(self.scroll_y)
        if not top <= new < top + self.scrollable_content_region.height:
            # Only when the cursor leaves the view: scroll_to_region costs more than a repaint.
            region = Region(0, new, 1, 1)
            self.scroll_to_region(region, animate=False, force=True, x_axis=False, immediate=True)
        self.cursor_moved(new)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_page_down(self) -> None:
        self.cursor += max(self.size.height - 1, 1)

    def action_page_up(self) -> None:
        self.cursor -= max(self.size.height - 1, 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self.row_count() - 1
