"""A virtual, sortable, filterable table: only the visible lines are ever rendered.

Textual's DataTable measures and builds a renderable for every cell when rows are added, so
50,000 members take seconds to appear (benchmarks/members_screen.py measures both). Here the
table holds only row keys; a `TableSource` gives a column's sort keys the first time the
table is sorted by it, and a row's text the first time it scrolls into view. Sorting and
filtering permute a list of row indices.

`SortHeader` shows the column titles above the table with the sort arrow; clicking a title
sorts by it (again: reverses). Cells hold member content (names, notes): the screen passes
them through `safe_text.one_line`, and they reach the terminal only as `Segment` text.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from screens.widgets.cursor_list import CursorList

SCROLLBAR_W = 1


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    width: int
    """Cells; a flexible column's minimum."""
    flex: int = 0
    """Share of the width left over by the fixed columns (0 = fixed)."""
    right: bool = False
    """Right-align (numbers)."""


class TableSource(Protocol):
    """What a `SortTable` shows, asked for by row key, only when needed.

    The table holds nothing but keys: at 50,000 rows, building a row object per member
    costs more than everything the screen ever displays.
    """

    def cells(self, key: str) -> tuple[str, ...]:
        """Display text per column, cleaned (no control characters, one line)."""
        ...

    def sort_values(self, column: int, keys: Sequence[str]) -> list[Any]:
        """One sort key per row of `keys` for `column`; keys of one column compare."""
        ...

    def style(self, key: str) -> str:
        """A component-class suffix for the row ("" = normal), e.g. "flagged"."""
        ...


def layout(columns: Sequence[Column], width: int) -> list[int]:
    """Column widths for a total `width` (one space between columns)."""
    fixed = sum(c.width for c in columns if not c.flex) + len(columns) - 1
    flex_total = sum(c.flex for c in columns)
    spare = max(width - fixed - sum(c.width for c in columns if c.flex), 0)
    widths: list[int] = []
    given = 0
    flex_cols = [i for i, c in enumerate(columns) if c.flex]
    for i, c in enumerate(columns):
        if not c.flex:
            widths.append(c.width)
            continue
        extra = spare * c.flex // flex_total if flex_total else 0
        if i == flex_cols[-1]:
            extra = spare - given
        given += extra
        widths.append(c.width + extra)
    return widths


def fit(text: str, width: int, right: bool = False) -> str:
    """`text` cut (with an ellipsis) or padded to exactly `width` cells."""
    if width <= 0:
        return ""
    if len(text) > 2 * width:  # only the start can ever show
        text = text[: 2 * width]
    n = cell_len(text)
    if n <= width:
        pad = " " * (width - n)
        return pad + text if right else text + pad
    return set_cell_size(text, width - 1) + "…"


class SortHeader(Widget):
    """Column titles aligned with a `SortTable`; a click on a title sorts by that column."""

    DEFAULT_CSS = """
    SortHeader { height: 1; background: $boost; color: $text-muted; text-style: bold; }
    """

    @dataclass
    class Clicked(Message):
        header: SortHeader
        column: int

    def __init__(self, table: SortTable, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._table = table

    def render(self) -> Text:
        t = self._table
        widths = layout(t.columns, self.size.width - SCROLLBAR_W)
        text = Text(no_wrap=True, overflow="crop")
        for i, (col, w) in enumerate(zip(t.columns, widths, strict=True)):
            arrow = ("▼" if t.sort_reverse else "▲") if i == t.sort_column else ""
            title = f"{col.title}{arrow}"
            text.append(fit(title, w, col.right), "reverse" if i == t.sort_column else "")
            if i < len(widths) - 1:
                text.append(" ")
        return text

    def column_at(self, x: int) -> int | None:
        widths = layout(self._table.columns, self.size.width - SCROLLBAR_W)
        edge = 0
        for i, w in enumerate(widths):
            if edge <= x < edge + w + 1:
                return i
            edge += w + 1
        return None

    def on_click(self, event: events.Click) -> None:
        col = self.column_at(event.x)
        if col is not None:
            self.post_message(self.Clicked(self, col))


class SortTable(CursorList):
    """Rows with a cursor; `sort_by`, `set_filter` and `set_rows` permute an index list."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "sort-table--cursor",
        "sort-table--flagged",
        "sort-table--muted",
    }

    DEFAULT_CSS = """
    SortTable { background: $surface; scrollbar-gutter: stable; scrollbar-size-vertical: 1; }
    SortTable > .sort-table--cursor {
        color: $block-cursor-blurred-foreground; background: $block-cursor-blurred-background;
    }
    SortTable:focus > .sort-table--cursor {
        color: $block-cursor-foreground; background: $block-cursor-background; text-style: bold;
    }
    SortTable > .sort-table--flagged { color: $warning; }
    SortTable > .sort-table--muted { color: $text-muted; }
    """

    @dataclass
    class Highlighted(Message):
        table: SortTable
        key: str | None

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, SortTable.Highlighted)

    @dataclass
    class Selected(Message):
        table: SortTable
        key: str

    def __init__(
        self,
        columns: Sequence[Column],
        source: TableSource,
        *,
        id: str | None = None,  # noqa: A002 - Textual's own keyword
    ) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self.source = source
        self._cell_cache: dict[str, tuple[str, ...]] = {}
        self._column_keys: dict[int, list[Any]] = {}
        """Sort keys of one column for every row (in `_keys` order), built on first use."""
        self._keys: list[str] = []
        """Every row key, sorted: ties of any sort stay in this order (Python sorts are stable)."""
        self._order: list[int] = []
        self._keep: Callable[[str], bool] | None = None
        self.sort_column = 0
        self.sort_reverse = False

    # -- contents ----------------------------------------------------------------------------

    @property
    def keys(self) -> Sequence[str]:
        """Every row key, sorted."""
        return self._keys

    @property
    def visible_count(self) -> int:
        return len(self._order)

    def shown_keys(self) -> list[str]:
        """The keys of the rows shown, in display order."""
        keys = self._keys
        return [keys[i] for i in self._order]

    @property
    def key(self) -> str | None:
        """The key of the highlighted row."""
        if 0 <= self.cursor < len(self._order):
            return self._keys[self._order[self.cursor]]
        return None

    def set_keys(
        self,
        keys: Sequence[str],
        keep_key: str | None = None,
        columns: dict[int, list[Any]] | None = None,
    ) -> None:
        """Replace the rows; the sort and filter stay; the cursor stays on `keep_key` if shown.

        `columns` may hand over sort keys computed elsewhere (a worker thread), one list per
        column in the order of `keys`, which must then be sorted already."""
        key = keep_key if keep_key is not None else self.key
        self._cell_cache.clear()
        self._column_keys.clear()
        if columns:
            self._keys = list(keys)
            self._column_keys.update(columns)
        else:
            self._keys = sorted(keys)
        self._reorder(key)

    def update_key(self, key: str) -> None:
        """The row's data changed: its text and sort keys are asked for again (no re-sort,
        so the cursor does not jump)."""
        self._cell_cache.pop(key, None)
        i = bisect.bisect_left(self._keys, key)
        if i < len(self._keys) and self._keys[i] == key:
            for col, values in self._column_keys.items():
                values[i] = self.source.sort_values(col, [key])[0]
        self.refresh()

    def set_filter(self, keep: Callable[[str], bool] | None) -> None:
        key = self.key
        self._keep = keep
        self._reorder(key)

    def refilter(self) -> None:
        """Apply the filter again after rows changed; the cursor keeps its position."""
        position = self.cursor
        keep, keys = self._keep, self._keys
        self._order = [i for i in self._order if keep is None or keep(keys[i])]
        self.virtual_size = Size(self.size.width, len(self._order))
        self.cursor = position
        self.refresh()

    def sort_by(self, column: int, reverse: bool | None = None) -> None:
        """Sort by `column`; the same column again reverses unless `reverse` is given.

        The cursor goes to the top: after a sort one wants to see the first rows (a filter
        or a reload, on the other hand, keeps the cursor on its row)."""
        if reverse is None:
            reverse = not self.sort_reverse if column == self.sort_column else False
        self.sort_column, self.sort_reverse = column, reverse
        self._reorder(None)

    def _reorder(self, keep_key: str | None) -> None:
        keys = self._keys
        keep = self._keep
        order = [i for i, k in enumerate(keys) if keep(k)] if keep is not None else list(range(len(keys)))
        col = self.sort_column
        # One key list per column, read by C-level `__getitem__`: no Python call per comparison.
        column = self._column_keys.get(col)
        if column is None:
            column = self._column_keys[col] = self.source.sort_values(col, keys)
        order.sort(key=column.__getitem__, reverse=self.sort_reverse)
        self._order = order
        self.virtual_size = Size(self.size.width, len(order))
        cursor = 0
        if keep_key is not None:
            i = bisect.bisect_left(keys, keep_key)
            if i < len(keys) and keys[i] == keep_key:
                try:
                    cursor = order.index(i)
                except ValueError:
                    cursor = 0
        self.cursor = cursor
        self.refresh()
        for header in self.screen.query(SortHeader) if self.is_attached else ():
            header.refresh()

    # -- cursor ------------------------------------------------------------------------------

    def row_count(self) -> int:
        return len(self._order)

    def cursor_moved(self, index: int) -> None:
        self.post_message(self.Highlighted(self, self.key))

    def action_select(self) -> None:
        if self.key is not None:
            self.post_message(self.Selected(self, self.key))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_offset.y) + event.y
        if 0 <= index < len(self._order):
            self.cursor = index
            if event.chain >= 2:
                self.action_select()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._order))

    # -- rendering ---------------------------------------------------------------------------

    def cells_of(self, key: str) -> tuple[str, ...]:
        """The display text of a row (asked of the source once, when first shown)."""
        cached = self._cell_cache.get(key)
        if cached is None:
            cached = self._cell_cache[key] = self.source.cells(key)
        return cached

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.size.width
        base = self.rich_style
        if not 0 <= index < len(self._order):
            return Strip.blank(width, base)
        key = self._keys[self._order[index]]
        widths = layout(self.columns, width)
        parts = [
            fit(cell, w, col.right)
            for cell, w, col in zip(self.cells_of(key), widths, self.columns, strict=False)
        ]
        line = " ".join(parts)
        style: Style = base
        row_style = self.source.style(key)
        if row_style:
            style = style + self.get_component_rich_style(f"sort-table--{row_style}", partial=True)
        if index == self.cursor:
            style = style + self.get_component_rich_style("sort-table--cursor", partial=True)
        return Strip([Segment(set_cell_size(line, width), style)], width)
