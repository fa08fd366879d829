"""The triage queue: one line a signal, a cursor, marks for bulk actions.

Ten thousand open signals must move under the cursor without a stutter, so this is a
Line-API widget (`ScrollView.render_line`): rows are the `Signal`s themselves, a line is
built only when it scrolls into view (and cached), and moving the cursor repaints two lines.
Member content (names, reasons quoting posts) reaches the terminal only as `Segment` text
after `safe_text.one_line`, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from console.safe_text import one_line
from heuristics.model import Signal
from screens.widgets.cursor_list import CursorList
from screens.widgets.reltime import relative_time

MARK_W, SCORE_W, KIND_W, WHEN_W, WHO_W = 2, 4, 16, 10, 18
SCROLLBAR_W = 1

#: Short labels, so the kind column stays narrow and readable.
KIND_LABELS: dict[str, str] = {
    "image_repost": "image repost",
    "text_repeat": "text repeat",
    "self_promotion": "self-promotion",
    "spam": "spam",
    "off_topic_drift": "off-topic drift",
    "against_mission": "against mission",
    "conflict": "conflict",
    "quiet_group": "quiet group",
    "inactive_member": "inactive member",
    "onboarding": "onboarding",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind) or one_line(kind.replace("_", " "), KIND_W)


#: Narrower than this, the "why" column is left out and "who" takes its room.
MIN_WHY_W = 16


def layout(width: int) -> tuple[int, int]:
    """(who, why) column widths for a queue `width` cells wide."""
    fixed = MARK_W + SCORE_W + 1 + KIND_W + 1 + WHEN_W + 1
    rest = max(width - fixed - WHO_W - 1, 0)
    if rest < MIN_WHY_W:
        return max(width - fixed, 0), 0
    return WHO_W, rest


def header_line(width: int) -> str:
    who_w, rest = layout(width)
    return (
        " " * MARK_W
        + "scr".rjust(SCORE_W)
        + " "
        + "kind".ljust(KIND_W)
        + " "
        + "when".rjust(WHEN_W)
        + " "
        + "who".ljust(who_w)
        + (" " + "why".ljust(rest) if rest else "")
    )


class QueueHeader(Widget):
    """Column titles above the queue."""

    DEFAULT_CSS = """
    QueueHeader { height: 1; color: $text-muted; text-style: bold; background: $boost; }
    """

    def render(self) -> Text:
        return Text(header_line(self.size.width - SCROLLBAR_W), no_wrap=True, overflow="crop")


class SignalQueue(CursorList):
    """Signals, one a line, most urgent first (the screen sorts), with a cursor and marks."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "signal-queue--cursor",
        "signal-queue--marked",
        "signal-queue--mark",
        "signal-queue--score",
        "signal-queue--kind",
        "signal-queue--when",
        "signal-queue--who",
        "signal-queue--why",
    }

    DEFAULT_CSS = """
    SignalQueue { background: $surface; scrollbar-gutter: stable; scrollbar-size-vertical: 1; }
    SignalQueue > .signal-queue--cursor { background: $block-cursor-background; }
    SignalQueue:focus > .signal-queue--cursor { background: $accent 60%; }
    SignalQueue > .signal-queue--marked { background: $warning 20%; }
    SignalQueue > .signal-queue--mark { color: $warning; text-style: bold; }
    SignalQueue > .signal-queue--score { color: $text-muted; }
    SignalQueue > .signal-queue--kind { color: $accent; }
    SignalQueue > .signal-queue--when { color: $text-muted; }
    SignalQueue > .signal-queue--who { text-style: bold; }
    """

    @dataclass
    class Highlighted(Message):
        """The cursor moved: the screen shows this signal's detail."""

        queue: SignalQueue
        signal: Signal | None

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, SignalQueue.Highlighted)

    def __init__(
        self,
        names: Callable[[str], str],
        now: Callable[[], datetime],
        *,
        id: str | None = None,  # noqa: A002 - Textual's own keyword
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._names = names
        self._now = now
        self._rows: list[Signal] = []
        self._index: dict[str, int] = {}
        self.marked: set[str] = set()
        """Ids of the signals marked with space for a bulk action."""
        self._cache: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)

    # -- contents ----------------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[Signal]:
        return self._rows

    @property
    def current(self) -> Signal | None:
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    def index_of(self, signal_id: str) -> int | None:
        return self._index.get(signal_id)

    def set_rows(self, rows: Sequence[Signal], cursor: int = 0) -> None:
        """Replace the rows (a filter, a reload, an action) and put the cursor on `cursor`."""
        self._rows = list(rows)
        self._index = {s.id: i for i, s in enumerate(self._rows)}
        self.marked = {sid for sid in self.marked if sid in self._index}
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows))
        self.cursor = min(max(cursor, 0), max(len(self._rows) - 1, 0))
        self.refresh()

    def toggle_mark(self) -> None:
        signal = self.current
        if signal is None:
            return
        self.marked ^= {signal.id}
        self.refresh_line(self.cursor)

    def clear_marks(self) -> None:
        self.marked.clear()
        self.refresh()

    # -- cursor --------------------------------------------------------------------------------

    def row_count(self) -> int:
        return len(self._rows)

    def cursor_moved(self, index: int) -> None:
        self.post_message(self.Highlighted(self, self.current))

    async def _on_click(self, event: events.Click) -> None:
        index = event.y + int(self.scroll_y)
        if 0 <= index < len(self._rows):
            self.cursor = index

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows))

    # -- rendering -------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        index = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, self.rich_style)
        signal = self._rows[index]
        now = self._now()
        is_cursor = index == self.cursor
        is_marked = signal.id in self.marked
        key = (signal.id, width, is_cursor, is_marked, self.has_focus, int(now.timestamp()) // 60)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(signal, width, now, is_cursor, is_marked)
            self._cache[key] = strip
        return strip

    def who(self, signal: Signal, width: int = WHO_W) -> str:
        names = [self._names(m) for m in signal.members[:3]]
        more = len(signal.members) - 3
        text = ", ".join(names) + (f" +{more}" if more > 0 else "")
        return one_line(text, width) if text else "—"

    def _render_row(
        self, signal: Signal, width: int, now: datetime, is_cursor: bool, is_marked: bool
    ) -> Strip:
        style = self.get_component_rich_style
        base = self.rich_style
        if is_marked:
            base = base + style("signal-queue--marked", partial=True)
        if is_cursor:
            base = base + style("signal-queue--cursor", partial=True)
        who_w, rest = layout(width)
        why = one_line(signal.reasons[0][:400], rest) if signal.reasons and rest else ""
        cells = [
            ("● " if is_marked else "  ", "signal-queue--mark"),
            (f"{round(signal.score * 100):>3d}".rjust(SCORE_W), "signal-queue--score"),
            (" ", None),
            (set_cell_size(kind_label(signal.kind), KIND_W), "signal-queue--kind"),
            (" ", None),
            (relative_time(signal.at, now).rjust(WHEN_W), "signal-queue--when"),
            (" ", None),
            (set_cell_size(self.who(signal, who_w), who_w), "signal-queue--who"),
        ]
        if rest:
            cells += [(" ", None), (set_cell_size(why, rest), "signal-queue--why")]
        segments = [Segment(text, base + style(cls, partial=True) if cls else base) for text, cls in cells]
        line = Strip(segments, sum(cell_len(s.text) for s in segments))
        return line.adjust_cell_length(width, base).crop(0, width)
