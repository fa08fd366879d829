"""A virtual list of posts: one line a post, only the visible lines are ever rendered.

The feed of a five-year-old group holds hundreds of thousands of rows; Textual's DataTable
builds a renderable per cell and slows down past ~10k rows. This is a Line-API widget
(`ScrollView.render_line`): the rows are plain tuples, a line is built when it scrolls
into view, and moving the cursor repaints two lines.

Member content (names, texts) is hostile: it reaches the terminal only as the text of
`Segment`s after `safe_text.one_line`, never as markup, so `[@click=…]` stays literal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from console.safe_text import one_line
from heuristics.model import Post
from screens.widgets.cursor_list import CursorList
from screens.widgets.reltime import relative_time

#: Column widths in cells; the text preview takes what is left.
WHEN_W, AUTHOR_W, KIND_W, PICS_W, REPLIES_W = 10, 20, 7, 5, 8
#: On a narrow terminal (the screen's `-narrow` class, TactApp's breakpoint: 80x24 over SSH)
#: the author column takes this many cells: the text preview is what a moderator scans. The
#: terminal decides, not a widget's width: the titles and the rows are two widgets.
NARROW_AUTHOR_W = 14
#: Beyond this many characters a preview is never visible, so it is not cleaned.
_PREVIEW_CHARS = 400
#: The list keeps room for its scrollbar (`scrollbar-gutter: stable`), so columns never shift.
SCROLLBAR_W = 1
_KIND_LABEL = {"post": "post", "introduction": "intro", "comment": "comment"}


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the list: a post, or a comment shown under its expanded post."""

    post: Post
    depth: int = 0
    """0 for a post of the feed, 1 for its comments, 2 for answers to those, ..."""
    comments: int = 0
    """How many direct answers the post has (known from the loaded months or the index)."""
    expanded: bool = False
    match: str = ""
    """The search's text, casefolded: the preview starts a little before it and marks it (a
    result whose match sits mid-text would otherwise not show it)."""


def column_widths(width: int, narrow: bool) -> tuple[int, int]:
    """The author's and the text preview's columns in a list `width` cells wide."""
    author_w = NARROW_AUTHOR_W if narrow else AUTHOR_W
    return author_w, max(width - (2 + WHEN_W + 1 + author_w + 1 + KIND_W + 1 + PICS_W + REPLIES_W), 0)


def header_line(width: int, narrow: bool) -> str:
    """The column titles, aligned with `PostList`'s rows."""
    author_w, text_w = column_widths(width, narrow)
    return (
        "  "
        + "when".rjust(WHEN_W)
        + " "
        + "author".ljust(author_w)
        + " "
        + "kind".ljust(KIND_W)
        + " "
        + "text".ljust(text_w)
        + "pics".rjust(PICS_W)
        + "replies".rjust(REPLIES_W)
    )


class ColumnHeader(Widget):
    """The column titles above a `PostList`, re-aligned on every resize."""

    DEFAULT_CSS = """
    ColumnHeader { height: 1; color: $text-muted; text-style: bold; background: $boost; }
    """

    def render(self) -> Text:
        narrow = self.screen.has_class("-narrow")
        return Text(header_line(self.size.width - SCROLLBAR_W, narrow), no_wrap=True, overflow="crop")


class PostList(CursorList):
    """Posts, one a line, with a cursor; threads open in place under their post."""

    HELP_TITLE = "the list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("end,G", "last", "Last", show=False, tooltip="The last loaded post (loads older ones)"),
        Binding("enter", "select", "Open", tooltip="Open the post: full text, pictures, comments, notes"),
        Binding("space", "toggle_thread", "Thread", tooltip="Show or hide the comments under the post"),
        Binding("right,l", "expand", "Expand", show=False, tooltip="Show the comments under the post"),
        Binding(
            "left,h", "collapse", "Collapse", show=False, tooltip="Hide the comments (or go to the parent)"
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "post-list--cursor",
        "post-list--when",
        "post-list--author",
        "post-list--kind-post",
        "post-list--kind-introduction",
        "post-list--kind-comment",
        "post-list--text",
        "post-list--comment-text",
        "post-list--count",
        "post-list--marker",
        "post-list--match",
    }

    DEFAULT_CSS = """
    PostList { background: $surface; scrollbar-gutter: stable; scrollbar-size-vertical: 1; }
    PostList > .post-list--cursor { background: $block-cursor-background; }
    PostList:focus > .post-list--cursor { background: $accent 60%; }
    PostList > .post-list--when { color: $text-muted; }
    PostList > .post-list--author { text-style: bold; }
    PostList > .post-list--kind-post { color: $text-muted; }
    PostList > .post-list--kind-introduction { color: $success; text-style: bold; }
    PostList > .post-list--kind-comment { color: $text-muted; text-style: italic; }
    PostList > .post-list--comment-text { color: $text-muted; }
    PostList > .post-list--match { text-style: bold reverse; }
    PostList > .post-list--count { color: $text-muted; }
    PostList > .post-list--marker { color: $accent; }
    """

    @dataclass
    class Selected(Message):
        """Enter on a row: the screen opens the post."""

        post_list: PostList
        row: Row

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another row."""

        post_list: PostList
        row: Row | None
        index: int

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, PostList.Highlighted)

    @dataclass
    class ExpandRequested(Message):
        """The screen should find the comments of `row` and call `expand_at`."""

        post_list: PostList
        index: int
        row: Row

    @dataclass
    class NearEnd(Message):
        """The cursor or the view came within two screens of the last row: load older posts."""

        post_list: PostList

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, PostList.NearEnd)

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
        self._rows: list[Row] = []
        self._cache: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._width = 0
        """Width of the lines (the widget without its scrollbar), set on resize."""
        self.more_available = False
        """True while older posts can still be appended (set by the screen)."""

    # -- contents ----------------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[Row]:
        return self._rows

    @property
    def row(self) -> Row | None:
        """The highlighted row, if any."""
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    def set_rows(self, rows: Sequence[Row], cursor: int = 0) -> None:
        """Replace every row (a new search, a reload) and put the cursor on `cursor`."""
        self._rows = list(rows)
        self._resized()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.cursor = min(max(cursor, 0), max(len(self._rows) - 1, 0))
        self.refresh()

    def append_rows(self, rows: Sequence[Row]) -> None:
        """Add older rows at the end (the next month of the feed)."""
        if not rows:
            return
        self._rows.extend(rows)
        self._resized()
        self.refresh()
        self._check_near_end()

    def index_of(self, post_id: str) -> int | None:
        for i, row in enumerate(self._rows):
            if row.post.id == post_id:
                return i
        return None

    def expand_at(self, index: int, children: Sequence[Row]) -> None:
        """Show `children` under row `index` (the answer to an `ExpandRequested`)."""
        if not 0 <= index < len(self._rows) or self._rows[index].expanded:
            return
        parent = self._rows[index]
        self._rows[index] = replace(parent, expanded=True, comments=max(parent.comments, len(children)))
        self._rows[index + 1 : index + 1] = [replace(c, depth=parent.depth + 1) for c in children]
        self._resized()
        self.refresh()

    def collapse_at(self, index: int) -> None:
        if not 0 <= index < len(self._rows) or not self._rows[index].expanded:
            return
        parent = self._rows[index]
        end = index + 1
        while end < len(self._rows) and self._rows[end].depth > parent.depth:
            end += 1
        del self._rows[index + 1 : end]
        self._rows[index] = replace(parent, expanded=False)
        self._resized()
        self.refresh()
        if self.cursor > index:
            self.cursor = index

    def _resized(self) -> None:
        self.virtual_size = Size(self._width, len(self._rows))

    def on_resize(self) -> None:
        # Read once here, not per line: the content region is recomputed on every access.
        self._width = self.scrollable_content_region.width
        self._resized()

    # -- cursor --------------------------------------------------------------------------------

    def row_count(self) -> int:
        return len(self._rows)

    def cursor_moved(self, index: int) -> None:
        self.post_message(self.Highlighted(self, self.row, index))
        self._check_near_end()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._check_near_end()

    def _check_near_end(self) -> None:
        margin = 2 * max(self.size.height, 20)
        bottom = max(self.cursor, int(self.scroll_y) + self.size.height)
        if self.more_available and bottom + margin >= len(self._rows):
            self.post_message(self.NearEnd(self))

    def action_select(self) -> None:
        if (row := self.row) is not None:
            self.post_message(self.Selected(self, row))

    def action_expand(self) -> None:
        row = self.row
        if row is not None and not row.expanded and row.comments:
            self.post_message(self.ExpandRequested(self, self.cursor, row))

    def action_collapse(self) -> None:
        row = self.row
        if row is None:
            return
        if row.expanded:
            self.collapse_at(self.cursor)
            return
        # On a comment, left goes up to the post it answers: the way a file tree behaves.
        for i in range(self.cursor - 1, -1, -1):
            if self._rows[i].depth < row.depth:
                self.cursor = i
                return

    def action_toggle_thread(self) -> None:
        row = self.row
        if row is not None and row.expanded:
            self.collapse_at(self.cursor)
        else:
            self.action_expand()

    async def _on_click(self, event: events.Click) -> None:
        index = event.y + int(self.scroll_y)
        if not 0 <= index < len(self._rows):
            return
        if index == self.cursor or event.chain > 1:
            self.cursor = index
            self.action_select()
        else:
            self.cursor = index

    # -- rendering -------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        index = y + int(self.scroll_y)
        width = self._width
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, self.rich_style)
        row = self._rows[index]
        now = self._now()
        is_cursor = index == self.cursor
        # The minute is part of the key so "3 min ago" moves on without stale lines.
        key = (row, width, is_cursor, self.has_focus, int(now.timestamp()) // 60)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(row, width, now, is_cursor)
            self._cache[key] = strip
        return strip

    def _render_row(self, row: Row, width: int, now: datetime, is_cursor: bool) -> Strip:
        style = self.get_component_rich_style
        base = self.rich_style
        if is_cursor:
            base = base + style("post-list--cursor", partial=True)
        post = row.post
        marker = "▾ " if row.expanded else ("▸ " if row.comments else "  ")
        indent = "  " * row.depth
        author_w, text_w = column_widths(width, self.screen.has_class("-narrow"))
        prefix = indent + ("└ " if row.depth else "")
        # Cut to the column with an ellipsis: a name cut bare reads as another name.
        author = prefix + one_line(self._names(post.author), max(author_w - len(prefix), 2))
        kind_class = f"post-list--kind-{post.kind}" if post.kind in _KIND_LABEL else "post-list--kind-post"
        text_class = "post-list--comment-text" if row.depth else "post-list--text"
        before, found, after = preview_around(post.text, row.match, text_w)
        pics = str(len(post.images)) if post.images else ""
        replies = str(row.comments) if row.comments else ""
        cells = [
            (marker, "post-list--marker"),
            (relative_time(post.created_at, now).rjust(WHEN_W), "post-list--when"),
            (" ", None),
            (set_cell_size(author, author_w), "post-list--author"),
            (" ", None),
            (set_cell_size(_KIND_LABEL.get(post.kind, one_line(post.kind, KIND_W)), KIND_W), kind_class),
            (" ", None),
            (before, text_class),
            (found, "post-list--match"),
            (set_cell_size(after, max(text_w - cell_len(before) - cell_len(found), 0)), text_class),
            (pics.rjust(PICS_W), "post-list--count"),
            (replies.rjust(REPLIES_W), "post-list--count"),
        ]
        segments = [
            Segment(text, base + style(cls, partial=True) if cls else base) for text, cls in cells if text
        ]
        line = Strip(segments, sum(cell_len(s.text) for s in segments))
        return line.adjust_cell_length(width, base).crop(0, width)


#: Characters of context kept before a search's words when the preview starts at them.
_LEAD = 8


def preview_around(text: str, match: str, width: int) -> tuple[str, str, str]:
    """The preview of `text` in `width` cells as (before, the match, after): from the start,
    or from a little before `match` (casefolded) when it would not show there. Without a
    match (or one folding changes the length of, so its place is unknown) all is `after`."""
    if width <= 0:
        return "", "", ""
    if not match:  # the feed's rows: as they always were
        return "", "", one_line(text[:_PREVIEW_CHARS], width + 1)
    flat = one_line(text[: _PREVIEW_CHARS * 4])
    folded = flat.casefold()
    at = folded.find(match) if len(folded) == len(flat) else -1
    if at < 0:
        return "", "", one_line(flat[:_PREVIEW_CHARS], width + 1)
    end = at + len(match)
    start = at - _LEAD
    if cell_len(flat[:end]) > width and start > 0:  # not visible from the start
        flat, at, end = "…" + flat[start:], _LEAD + 1, end - start + 1
    # Never wider than the column, however narrow: the counts after it keep their place.
    before = set_cell_size(flat[:at], min(cell_len(flat[:at]), width))
    found = set_cell_size(flat[at:end], min(cell_len(flat[at:end]), width - cell_len(before)))
    # Cleaned already (its first space kept); the row crops it to the cells left.
    return before, found, flat[end : end + _PREVIEW_CHARS]
