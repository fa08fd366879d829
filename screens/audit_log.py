"""The audit log screen: every moderator action, newest first, filterable.

Who did what, when, on which signal or member, with the note or the reply text. Entries a
later `undo` cancelled stay listed (nothing in the log is rewritten) and say so. The screen
follows the log as other consoles append to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input
from textual.widgets.data_table import ColumnKey

from console import triage
from console.audit import Action
from console.context import Tact
from console.safe_text import one_line, plain
from console.triage import AuditTail
from screens.not_saved import unless_not_saved
from screens.widgets.fitted_static import FittedStatic
from screens.widgets.steady_footer import SteadyFooter

POLL_SECONDS = 2.0
_COLUMNS = (("when (UTC)", 16), ("who", 12), ("action", 9), ("signal", 22), ("member", 10))
_ACTION_STYLES = {
    "dismiss": "dim",
    "snooze": "yellow",
    "handled": "green",
    "reopen": "cyan",
    "note": "magenta",
    "reply": "bold green",
    "undo": "red",
}


def details(entry: Action) -> str:
    """The entry's content on one line (the pane below the table shows it whole)."""
    parts: list[str] = []
    if entry.undoes:
        parts.append(f"cancels {entry.undoes[:8]}")
    if entry.until is not None:
        parts.append(f"until {entry.until:%Y-%m-%d %H:%M}")
    if entry.step:
        parts.append(f"step {entry.step}")
    if entry.note:
        parts.append(entry.note)
    if entry.reply:
        parts.append(f"{entry.reply.get('visibility', '')} reply: {entry.reply.get('text', '')}")
    return one_line(" · ".join(parts), 200)


def haystack(entry: Action) -> str:
    """Everything the filter matches against, lower case."""
    fields = [entry.moderator, entry.action, entry.signal, entry.member, entry.post, entry.note, entry.step]
    if entry.reply:
        fields.append(str(entry.reply.get("text", "")))
    return " ".join(f for f in fields if f).lower()


class AuditLogScreen(Screen[None]):
    """Every action, newest first; `/` filters on any word (who, action, signal, text)."""

    # Absolute, so subclasses elsewhere (tests, benchmarks) still find it.
    CSS_PATH = Path(__file__).with_name("audit_log.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter", tooltip="Filter on who, action, signal, member, text"),
        Binding("escape", "clear_filter", "Clear filter", tooltip="Show every entry again"),
        Binding("r", "reopen", "Reopen signal", tooltip="Put this entry's signal back in the queue"),
        Binding("down,j", "cursor('down')", "Down", show=False),
        Binding("up,k", "cursor('up')", "Up", show=False),
    ]

    def __init__(self, tact: Tact, poll_seconds: float | None = POLL_SECONDS) -> None:
        super().__init__()
        self.tact = tact
        self._tail = AuditTail(tact.audit)
        self._poll_seconds = poll_seconds
        self.entries: list[Action] = []
        """Every entry read so far, oldest first."""
        self._undone: set[str] = set()
        self._shown: list[Action] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="/ filter: who, action, signal, member or words", id="log-filter")
        yield DataTable(id="log-table", cursor_type="row", zebra_stripes=True)
        yield FittedStatic(id="log-entry")
        yield SteadyFooter()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#log-table", DataTable)

    def on_mount(self) -> None:
        self.sub_title = "Audit log"
        table = self.table
        for label, width in _COLUMNS:
            table.add_column(label, width=width)
        table.add_column("details", key="details", width=self._details_width())
        self.refresh_entries()
        table.focus()
        if self._poll_seconds:
            self.set_interval(self._poll_seconds, self.poll)

    def _details_width(self) -> int:
        # The other columns, their padding (2 each) and the scrollbar; at least 20 cells.
        used = sum(width + 2 for _, width in _COLUMNS) + 2 + 2
        return max(self.size.width - used, 20)

    def on_resize(self) -> None:
        table = self.table
        column = table.columns.get(ColumnKey("details"))
        if column is not None:
            column.width = self._details_width()
            column.auto_width = False
            table.refresh()

    def poll(self) -> None:
        if self.tact.audit.size() != self._tail.offset:
            self.refresh_entries()

    def refresh_entries(self) -> None:
        new = self._tail.read_new()
        if not new and self.entries:
            return
        self.entries.extend(new)
        self._undone.update(a.undoes for a in new if a.undoes)
        self._fill()

    def _fill(self) -> None:
        words = self.query_one("#log-filter", Input).value.lower().split()
        shown = [e for e in reversed(self.entries) if all(w in haystack(e) for w in words)]
        self._shown = shown
        table = self.table
        table.clear()
        for entry in shown:
            undone = entry.id in self._undone
            style = "dim strike" if undone else ""
            table.add_row(
                Text(f"{entry.at:%Y-%m-%d %H:%M}", style="dim"),
                Text(one_line(entry.moderator, 12), style=style or "bold"),
                Text(entry.action, style=style or _ACTION_STYLES.get(entry.action, "")),
                Text(one_line(entry.signal or "", 22), style=style),
                Text(one_line(entry.member or "", 10), style=style),
                Text(("(undone) " if undone else "") + details(entry), style=style),
                key=entry.id,
            )
        total = len(self.entries)
        self.sub_title = f"Audit log · {len(shown)} of {total}" if words else f"Audit log · {total} entries"
        self._show_entry(shown[0] if shown else None)

    def _show_entry(self, entry: Action | None) -> None:
        pane = self.query_one("#log-entry", FittedStatic)
        if entry is None:
            empty = "No entries yet." if not self.entries else "No entry matches the filter."
            pane.update(Text(empty, style="dim"))
            return
        head = Text.assemble(
            (entry.action, "bold"),
            (f" by {one_line(entry.moderator, 30)} at {entry.at:%Y-%m-%d %H:%M:%S} UTC", ""),
            (f"  {entry.id}", "dim"),
        )
        for label, value in (("signal", entry.signal), ("member", entry.member), ("post", entry.post)):
            if value:
                head.append(f"\n{label}: ", "dim")
                head.append(one_line(value, 80))
        if entry.id in self._undone:
            head.append("\nundone later", "red")
        if entry.undoes:
            head.append(f"\ncancels entry {entry.undoes}", "dim")
        if entry.until is not None:
            head.append(f"\nuntil {entry.until:%Y-%m-%d %H:%M} UTC")
        if entry.note:
            head.append("\nnote: ", "dim")
            head.append(plain(entry.note))
        if entry.reply:
            reply = entry.reply
            head.append(f"\n{reply.get('visibility', '')} reply in {reply.get('lang', '')}", "dim")
            if reply.get("to"):
                head.append(f" to {one_line(reply.get('to'), 40)}", "dim")
            head.append("\n")
            head.append(plain(reply.get("text", "")))
        pane.update(head)

    @on(DataTable.RowHighlighted, "#log-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self._shown):
            self._show_entry(self._shown[event.cursor_row])

    @on(Input.Changed, "#log-filter")
    def _filter_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#log-filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def _highlighted_entry(self) -> Action | None:
        row = self.table.cursor_row
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def action_reopen(self) -> None:
        """A signal dismissed, snoozed or handled by mistake long ago (undo only takes back
        the last step): reopen it from its entry here."""
        entry = self._highlighted_entry()
        if entry is None or not entry.signal:
            self.notify("This entry is not about a signal.", timeout=3)
            return
        with unless_not_saved(self):
            triage.reopen(self.tact, entry.signal)
            self.refresh_entries()
            message = f"Reopened {one_line(entry.signal, 40)}: it is back in the queue."
            self.notify(message, timeout=3, markup=False)

    def action_focus_filter(self) -> None:
        self.query_one("#log-filter", Input).focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#log-filter", Input)
        field.value = ""
        self.table.focus()

    def action_cursor(self, direction: str) -> None:
        if direction == "down":
            self.table.action_cursor_down()
        else:
            self.table.action_cursor_up()
