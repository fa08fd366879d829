"""Members: who is here, who went quiet, who climbed the 90-9-1 ladder.

Every member with joined date, last post, last comment, posts and comments over the last
30 and 90 days, rung, language and notes — sortable by any column (click a title, or the
digit keys), filterable (`/`). `i` shows only the inactive members, each with the suggested
*private* check-in; `c` records that you checked in, `x` that this member should never be
suggested, `y` copies the check-in, `n` adds a note, `enter` opens their posts in the feed.

The figures come from the store's post index in a worker thread (`console.members_service`,
shared with `tact members`), so the screen paints at once and fills in when they are ready.
Names and notes are member or moderator text: they reach the table only through `one_line`
and the detail pane only as `Text` built with `plain`.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, Static
from textual.worker import Worker, WorkerState

from console.audit import Action
from console.context import Tact
from console.members_service import MemberRow, MembersView, load_members
from console.safe_text import one_line, plain
from heuristics.ladder import RUNGS, Moves, moved_this_month
from screens.messages import StoreChanged
from screens.not_saved import unless_not_saved
from screens.widgets.fitted_static import FittedStatic
from screens.widgets.sort_table import Column, SortHeader, SortTable
from screens.widgets.steady_footer import SteadyFooter

COLUMNS = (
    Column("name", "Name", 14, flex=3),
    Column("joined", "Joined", 10),
    Column("last_post", "Last post", 10),
    Column("last_comment", "Last comm.", 10),
    Column("p30", "P30", 4, right=True),
    Column("c30", "C30", 4, right=True),
    Column("p90", "P90", 4, right=True),
    Column("c90", "C90", 4, right=True),
    Column("rung", "Rung", 9),
    Column("lang", "Lang", 4),
    Column("notes", "Notes", 8, flex=2),
)
_NEVER = -(2**62)
"""Sort key of a date that never happened: before every real one."""
_RUNG_ORDER = {r: i for i, r in enumerate(RUNGS)}
WINDOW_DAYS = 90
"""The trailing window of the "moved up / down this month" rungs."""


@lru_cache(maxsize=4096)
def _date(day: int) -> str:
    return f"{datetime.fromtimestamp(day * 86_400, UTC):%Y-%m-%d}"


def _day(seconds: int | None) -> str:
    # many members share a day: format each day once
    return "—" if seconds is None else _date(seconds // 86_400)


def _notes_text(row: MemberRow) -> str:
    return " · ".join(one_line(a.note or "", 60) for a in reversed(row.notes[-3:]))


def member_cells(row: MemberRow) -> tuple[str, ...]:
    """A member's table line: cleaned display strings, built only when it scrolls into view."""
    st = row.stats
    m = row.member
    return (
        one_line(m.display_name, 80) + (" (left)" if m.left_at is not None else ""),
        _day(int(m.joined_at.timestamp())),
        _day(st.last_post),
        _day(st.last_comment),
        str(st.posts_30),
        str(st.comments_30),
        str(st.posts_90),
        str(st.comments_90),
        st.rung,
        row.lang if row.lang_known else f"{row.lang}?",
        _notes_text(row),
    )


#: One sort key per column, in the order of COLUMNS.
SORT_KEYS: tuple[Callable[[MemberRow], Any], ...] = (
    lambda r: (r.member.name or r.member.id).casefold(),
    lambda r: r.member.joined_at,
    lambda r: _NEVER if r.stats.last_post is None else r.stats.last_post,
    lambda r: _NEVER if r.stats.last_comment is None else r.stats.last_comment,
    lambda r: r.stats.posts_30,
    lambda r: r.stats.comments_30,
    lambda r: r.stats.posts_90,
    lambda r: r.stats.comments_90,
    lambda r: _RUNG_ORDER[r.stats.rung],
    lambda r: r.lang if r.lang_known else f"{r.lang}?",
    lambda r: _notes_text(r).casefold() if r.notes else "",
)


class MembersSource:
    """The members table's `TableSource`: text and sort keys by member id, on demand."""

    def __init__(self) -> None:
        self.by_id: dict[str, MemberRow] = {}

    def cells(self, key: str) -> tuple[str, ...]:
        row = self.by_id.get(key)
        return member_cells(row) if row is not None else ()

    def sort_values(self, column: int, keys: Sequence[str]) -> list[Any]:
        get, by_id = SORT_KEYS[column], self.by_id
        return [get(by_id[k]) for k in keys]

    def style(self, key: str) -> str:
        row = self.by_id.get(key)
        if row is None:
            return ""
        if row.member.left_at is not None:
            return "muted"
        return "flagged" if row.inactive else ""


def fold(text: str) -> str:
    """Lower-case without accents: "Élodie" is found by typing "elodie"."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def haystack(row: MemberRow) -> str:
    """What `/` searches: id, name, rung, language and notes, folded."""
    m = row.member
    notes = " ".join(a.note or "" for a in row.notes)
    return fold(f"{m.id} {m.name} {row.stats.rung} {row.lang} {notes}")


@dataclass(slots=True)
class Loaded:
    view: MembersView
    by_id: dict[str, MemberRow]
    moves: Moves | None
    keys: list[str] = field(default_factory=list)
    """Member ids, sorted (the table's base order)."""
    columns: dict[int, list[Any]] = field(default_factory=dict)
    """Sort keys computed in the worker (the default sort), so the UI thread only sorts."""
    haystack: dict[str, str] = field(default_factory=dict)
    """Lower-cased text a filter searches, by member id (built on the first filter)."""


def build(tact: Tact, now: datetime | None = None) -> Loaded:
    """Everything the screen shows, computed off the UI thread."""
    view = load_members(tact, now)
    by_id = {r.id: r for r in view.rows}
    index = tact.store.post_index()
    # Only the posts of the two 90-day windows can change a windowed rung: skip the rest.
    start = view.now.replace(day=1, hour=0, minute=0, second=0, microsecond=0) - timedelta(days=WINDOW_DAYS)
    lo = bisect.bisect_left(index.ts, int(start.timestamp()))
    moves = moved_this_month(
        by_id,
        zip(index.author[lo:], index.ts[lo:], index.kind[lo:], strict=True),
        view.now,
        window_days=WINDOW_DAYS,
        left_at={r.id: r.member.left_at for r in view.rows if r.member.left_at is not None},
    )
    keys = sorted(by_id)
    name_key = SORT_KEYS[0]
    return Loaded(view, by_id, moves, keys, {0: [name_key(by_id[k]) for k in keys]})


class MembersScreen(Screen[None]):
    """Every member, the inactive ones, and the ladder."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    HELP_TITLE = "Members"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "filter",
            "Filter",
            tooltip="Show only members whose name, id, rung, language or notes match",
        ),
        Binding(
            "i", "toggle_inactive", "Inactive", tooltip="Only the inactive members, with a private check-in"
        ),
        Binding("enter", "open_feed", "Their posts", tooltip="Open this member's posts in the feed"),
        Binding("c", "checkin", "Checked in", tooltip="Record that you checked in on this member privately"),
        Binding("x", "no_checkin", "No check-in", tooltip="Never suggest a check-in for this member"),
        Binding("y", "copy", "Copy", show=False, tooltip="Copy the suggested private check-in (OSC 52)"),
        Binding("n", "note", "Note", tooltip="Add a note about this member (shared with the moderators)"),
        Binding(
            "u", "undo", "Undo", show=False, tooltip="Undo your last check-in, don't-check-in or note here"
        ),
        Binding("s", "sort_next", "Sort", tooltip="Sort by the next column"),
        Binding("r", "sort_reverse", "Reverse", show=False, tooltip="Reverse the sort order"),
        *[
            Binding(
                str((i + 1) % 10),
                f"sort({i})",
                f"Sort by {c.title}",
                show=False,
                tooltip=f"Sort by {c.title}",
            )
            for i, c in enumerate(COLUMNS[:10])
        ],
        Binding(
            "escape", "clear", "Clear", show=False, tooltip="Close the filter, or leave the inactive view"
        ),
        Binding("ctrl+r", "reload", "Reload", show=False, tooltip="Recompute the figures"),
    ]

    @dataclass
    class Ready(Message):
        loaded: Loaded

    def __init__(self, tact: Tact) -> None:
        super().__init__()
        self.tact = tact
        self.loaded: Loaded | None = None
        self.source = MembersSource()
        """What the table shows, by member id (the loaded rows, once loaded)."""
        self.inactive_only = False
        """True while only the inactive members are listed."""
        self.filter_text = ""
        """The filter typed after `/` (case-insensitive substring)."""
        self._generation = -1
        self._done: list[Action] = []
        """Actions taken on this screen, most recent last (for `u`)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="members-body"):
            yield Static(Text("Loading members…"), id="members-summary")
            table = SortTable(COLUMNS, self.source, id="members-table")
            yield SortHeader(table, id="members-header")
            yield table
            yield Input(
                placeholder="filter: name, id, rung, language, notes — enter to keep, escape to clear",
                id="members-filter",
            )
            with VerticalScroll(id="members-detail"):
                yield FittedStatic(Text(""), id="members-detail-text")
        yield SteadyFooter()

    @property
    def table(self) -> SortTable:
        return self.query_one(SortTable)

    def on_mount(self) -> None:
        self.query_one("#members-filter", Input).display = False
        self.table.focus()
        self.load()

    # -- loading -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="members")
    def load(self) -> None:
        generation = self.tact.store.generation()
        loaded = build(self.tact)
        self._generation = generation
        self.post_message(self.Ready(loaded))

    @on(Ready)
    def _ready(self, message: Ready) -> None:
        self.loaded = message.loaded
        self.source.by_id = message.loaded.by_id
        loaded = message.loaded
        self.table.set_keys(loaded.keys, columns=dict(loaded.columns))
        self._apply_filter()
        self._summary()
        self._detail()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A bad tact.toml or an unreadable store: say so instead of "Loading…" forever.
        if event.state == WorkerState.ERROR and event.worker.group == "members":
            error = event.worker.error
            message = one_line(error, 300) if error is not None else "unknown error"
            self.query_one("#members-summary", Static).update(plain("Could not load: " + message, "bold red"))
            self.notify("Could not load: " + message, severity="error", markup=False)

    @on(StoreChanged)
    def _store_changed(self, message: StoreChanged) -> None:
        if message.generation != self._generation:
            self.load()

    def on_screen_resume(self) -> None:
        if self.loaded is not None and self.tact.store.generation() != self._generation:
            self.load()

    def action_reload(self) -> None:
        self.load()

    # -- summary and detail ------------------------------------------------------------------

    def _summary(self) -> None:
        loaded = self.loaded
        if loaded is None:
            return
        rows = list(loaded.by_id.values())
        present = [r for r in rows if r.member.left_at is None]
        counts = {rung: 0 for rung in RUNGS}
        for r in present:
            counts[r.stats.rung] += 1
        total = len(present) or 1
        inactive = sum(1 for r in rows if r.inactive)
        text = Text()
        shown = self.table.visible_count
        text.append(f"{len(rows):,} members", "bold")
        text.append(" · ")
        text.append(f"{inactive:,} inactive", "bold yellow" if inactive else "")
        text.append(f" (no post for {loaded.view.weeks}+ weeks)")
        if self.inactive_only:
            text.append("  ")
            text.append(" inactive only ", "reverse")
        if self.filter_text:
            text.append("  filter: ")
            text.append_text(plain(one_line(self.filter_text, 30), "italic"))
        if shown != len(rows):
            text.append(f"  {shown:,} shown")
        text.append("\nladder now  ")
        text.append(
            "  ".join(f"{rung}s {counts[rung] / total:.0%}" for rung in reversed(RUNGS)),
            "bold",
        )
        text.append("  (90-9-1: 1 · 9 · 90%)", "dim")
        if loaded.moves is not None:
            text.append(f"   this month ↑{len(loaded.moves.up)} up ↓{len(loaded.moves.down)} down")
        self.query_one("#members-summary", Static).update(text)

    def _current(self) -> MemberRow | None:
        key = self.table.key
        if key is None or self.loaded is None:
            return None
        return self.loaded.by_id.get(key)

    def _detail(self) -> None:
        target = self.query_one("#members-detail-text", FittedStatic)
        row = self._current()
        if row is None:
            empty = "No inactive member to check in on." if self.inactive_only else "No member matches."
            target.update(Text(empty if self.loaded else "", style="dim"))
            return
        m, st = row.member, row.stats
        text = Text()
        text.append_text(plain(one_line(m.display_name, 80), "bold"))
        text.append("  ")
        text.append_text(plain(one_line(m.id, 40), "dim"))
        text.append(f"  · {row.lang}{'' if row.lang_known else ' (group language)'} · {st.rung}")
        text.append(f" · joined {m.joined_at:%Y-%m-%d}")
        if m.left_at is not None:
            text.append(f" · left {m.left_at:%Y-%m-%d}", "dim")
        text.append(
            f"\nlast post {_day(st.last_post)} · last comment {_day(st.last_comment)} · "
            f"{st.posts_total} posts and {st.comments_total} comments in all"
        )
        for note in row.notes[-5:]:
            text.append(f"\nnote by {one_line(note.moderator, 30)} on {note.at:%Y-%m-%d}: ", "italic dim")
            text.append_text(plain(one_line(note.note or "", 300)))
        checkin = self.loaded.view.checkin(row) if self.loaded is not None else None
        if checkin is not None and checkin.reply is not None:
            reply = checkin.reply
            text.append(f"\n\n{checkin.reasons[0] if checkin.reasons else ''}\n", "dim")
            text.append(
                f"Suggested private check-in ({reply.lang}) — c: done · x: don't check in · y: copy\n", "bold"
            )
            text.append_text(plain(reply.text))
        target.update(text)

    @on(SortTable.Highlighted)
    def _highlighted(self) -> None:
        self._detail()

    # -- sort, filter, views -----------------------------------------------------------------

    @on(SortHeader.Clicked)
    def _header_clicked(self, message: SortHeader.Clicked) -> None:
        self.table.sort_by(message.column)

    def action_sort(self, column: int) -> None:
        self.table.sort_by(column)

    def action_sort_next(self) -> None:
        self.table.sort_by((self.table.sort_column + 1) % len(COLUMNS), reverse=False)

    def action_sort_reverse(self) -> None:
        self.table.sort_by(self.table.sort_column, reverse=not self.table.sort_reverse)

    def _keep(self) -> Callable[[str], bool] | None:
        loaded = self.loaded
        if loaded is None:
            return None
        needle = fold(self.filter_text).strip()
        inactive = self.inactive_only
        if not needle and not inactive:
            return None
        by_id, hay = loaded.by_id, loaded.haystack
        if needle and not hay:
            hay.update((mid, haystack(r)) for mid, r in by_id.items())

        def keep(key: str) -> bool:
            if inactive and not by_id[key].inactive:
                return False
            return not needle or needle in hay[key]

        return keep

    def _apply_filter(self) -> None:
        self.table.set_filter(self._keep())
        self._summary()
        self._detail()

    def action_filter(self) -> None:
        box = self.query_one("#members-filter", Input)
        box.display = True
        box.value = self.filter_text
        box.focus()

    @on(Input.Changed, "#members-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self._apply_filter()

    @on(Input.Submitted, "#members-filter")
    def _filter_done(self) -> None:
        box = self.query_one("#members-filter", Input)
        box.display = bool(self.filter_text)
        self.table.focus()

    def action_clear(self) -> None:
        box = self.query_one("#members-filter", Input)
        if self.filter_text or box.display:
            self.filter_text = ""
            box.value = ""
            box.display = False
        elif self.inactive_only:
            self.inactive_only = False
        self.table.focus()
        self._apply_filter()

    def action_toggle_inactive(self) -> None:
        self.inactive_only = not self.inactive_only
        if self.inactive_only and self.table.sort_column == 0:
            # the longest silences first: what a moderator checks on first
            self.table.sort_by(2, reverse=False)
        self._apply_filter()

    # -- actions on a member ------------------------------------------------------------------

    def _update(self, row: MemberRow) -> None:
        assert self.loaded is not None
        self.loaded.by_id[row.id] = row
        if self.loaded.haystack:
            self.loaded.haystack[row.id] = haystack(row)
        self.table.update_key(row.id)
        if self.inactive_only and not row.inactive:
            # Checked on: it leaves the list and the cursor lands on the next member.
            self.table.refilter()
        self._summary()
        self._detail()

    def action_checkin(self) -> None:
        row = self._current()
        if row is None:
            return
        checkin = self.loaded.view.checkin(row) if self.loaded is not None else None
        signal = checkin.id if checkin is not None else None
        with unless_not_saved(self):
            self._done.append(
                self.tact.audit.record("checkin", self.tact.moderator, member=row.id, signal=signal)
            )
            self._update(replace(row, inactivity=None))
            self.notify("Check-in recorded for " + one_line(row.member.display_name, 40), markup=False)

    def action_no_checkin(self) -> None:
        row = self._current()
        if row is None:
            return
        with unless_not_saved(self):
            self._done.append(self.tact.audit.record("no_checkin", self.tact.moderator, member=row.id))
            self._update(replace(row, inactivity=None))
            self.notify(
                "No check-in will be suggested for " + one_line(row.member.display_name, 40), markup=False
            )

    def action_undo(self) -> None:
        if not self._done:
            self.notify("Nothing to undo here.", severity="warning")
            return
        last = self._done[-1]
        with unless_not_saved(self):
            self.tact.audit.record("undo", self.tact.moderator, undoes=last.id, member=last.member)
            self._done.pop()  # only once undone: a refused undo can be tried again
            self.notify(f"Undone: {last.action}.", markup=False)
            self.load()  # the rules decide again who is inactive

    def action_copy(self) -> None:
        row = self._current()
        checkin = self.loaded.view.checkin(row) if row is not None and self.loaded is not None else None
        if checkin is None or checkin.reply is None:
            self.notify("No check-in to copy for this member.", severity="warning")
            return
        self.app.copy_to_clipboard(checkin.reply.text)
        self.notify("Check-in copied to the clipboard (OSC 52).")

    def action_note(self) -> None:
        row = self._current()
        if row is None:
            return
        from screens.dialogs import TextAnswer, TextDialog

        def saved(answer: TextAnswer | None) -> None:
            if answer is None or not answer.text:
                return
            with unless_not_saved(self):
                action = self.tact.audit.record("note", self.tact.moderator, member=row.id, note=answer.text)
                self._done.append(action)
                current = self.loaded.by_id.get(row.id, row) if self.loaded else row
                self._update(replace(current, notes=(*current.notes, action)))

        title = Text.assemble("Note about ", plain(one_line(row.member.display_name, 40)))
        self.app.push_screen(TextDialog(title, placeholder="visible to every moderator"), saved)

    async def action_open_feed(self) -> None:
        row = self._current()
        if row is None:
            return
        await self.app.switch_mode("feed")
        feed = self.app.screen
        if hasattr(feed, "show_member"):
            feed.show_member(row.id)
