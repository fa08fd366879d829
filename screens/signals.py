"""The signals screen: the triage queue, most urgent first, and the evidence of the selected one.

One key an action (`r` reply, `d` dismiss, `s` snooze, `h` handled, `n` note, `o` open the
post, `u` undo, `space` mark for a bulk action); after an action the cursor moves to the next
signal, so a queue of fifty is triaged without the mouse. Each action is an append to the
audit log (`console.triage`) before the screen shows it done: what the screen says was
recorded, was recorded.

Two moderators at once: every couple of seconds the screen compares the audit log's size
and the store's generation with what it saw; another console's actions fold in, new posts
reload the queue. Nothing is overwritten: actions are appends.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header
from textual.worker import get_current_worker

from console import triage
from console.audit import Action, SignalState, member_notes, signal_states
from console.context import Tact
from console.errors import error_text
from console.safe_text import one_line
from console.store_posts import PostCache
from heuristics.model import SIGNAL_KINDS, URGENCY_TIER, Post, Signal
from screens.dialogs import ConfirmDialog, SnoozeDialog, TextAnswer, TextDialog
from screens.frame import wait_for_frame
from screens.not_saved import unless_not_saved
from screens.palette import SignalCommands
from screens.signal_detail import DetailContext, SignalDetail, pictures, read_posts
from screens.signal_queue import QueueHeader, SignalQueue, kind_label
from screens.widgets.fitted_static import FittedStatic
from screens.widgets.steady_footer import SteadyFooter

Loader = Callable[[Tact], Sequence[Signal]]
#: What was computed last time, shown at once while the loader recomputes; None: no last time.
QuickLoader = Callable[[Tact], Sequence[Signal] | None]

#: Keys 1..9 filter on these kinds (fixed, so the keys never move); 0 shows all, f cycles.
FILTER_KEYS: dict[str, str] = {str(i + 1): kind for i, kind in enumerate(SIGNAL_KINDS[:9])}
#: Signals whose posts the loader reads with the queue: the one under the cursor (the queue
#: itself needs none; the others' are read by a worker when first shown).
PRELOAD = 1
#: How often another console's actions and new posts are looked for.
POLL_SECONDS = 2.0
#: Pictures are drawn this long after the cursor settles, so holding a key stays smooth.
PICTURE_DELAY = 0.3


def default_loader(tact: Tact) -> list[Signal]:
    """The signals due now, computed incrementally by the signals service."""
    from console.signals_service import compute_signals

    return compute_signals(tact)


def warm_up(tact: Tact) -> None:
    """Prepare what the signal runs after the next import reuse (see `warm_signals`)."""
    from console.signals_service import warm_signals

    warm_signals(tact)


def last_run(tact: Tact) -> list[Signal] | None:
    """The signals of the last engine run as saved, statuses merged: nothing is computed, so
    the queue shows at once (the first full run on a big community takes a minute)."""
    from console.signals_service import last_signals

    return last_signals(tact)


#: The kinds of the last urgency tier: the bottom of the queue (the inactive members'
#: check-ins, 46,000 of them at a million posts).
LATER_KINDS = frozenset(k for k, tier in URGENCY_TIER.items() if tier == max(URGENCY_TIER.values()))

InTwo = Callable[[Tact], tuple[Sequence[Signal], Callable[[], Sequence[Signal] | None]] | None]
"""The last run in two steps: every kind but the last tier's, then a call that gives them all."""


def urgent_first(tact: Tact) -> tuple[Sequence[Signal], Callable[[], Sequence[Signal] | None]] | None:
    """The last run as saved, the top of the queue first (`last_signals_in_two`)."""
    from console.signals_service import last_signals_in_two

    return last_signals_in_two(tact, LATER_KINDS)


def urgency(signal: Signal) -> tuple[int, float, float]:
    """Most urgent first: the kind's urgency tier, then the highest score, then the newest."""
    return (URGENCY_TIER.get(signal.kind, 0), -signal.score, -signal.at.timestamp())


@dataclass(frozen=True)
class Loaded:
    """What the loader worker hands to the UI thread in one piece."""

    signals: list[Signal]
    posts: Mapping[str, Post]
    names: dict[str, str]
    community: str
    generation: int
    error: str | None = None


def fetch(tact: Tact, signals: Sequence[Signal], generation: int, preload: int = PRELOAD) -> Loaded:
    """What the queue and the detail pane need of `signals` (worker thread)."""
    store = tact.store
    ordered = sorted(signals, key=urgency)
    ids: set[str] = set()
    # The posts of the first signals of the queue now, the others' when shown.
    for s in ordered[:preload]:
        ids.update(read_posts(s))
    posts = PostCache(store, store.posts(ids) if ids else {})
    names = store.member_names()
    community = store.community()
    return Loaded(ordered, posts, names, community.name if community else "", generation)


def read_last_run(tact: Tact, quick: QuickLoader | None = None) -> Loaded | None:
    """The last run's queue as the screen first shows it (`quick` reads it; by default the
    saved one). No post is read: finding them needs the post index, a second at a million
    posts, and the queue is wanted now; the detail reads its own. None when there was no run.
    tact's own last run is read in two steps (`read_last_run_in_two`): parsing and ordering
    50,000 saved signals takes a second or two."""
    generation = tact.store.generation()
    last = (quick or last_run)(tact)
    return fetch(tact, last, generation, preload=0) if last is not None else None


def read_last_run_in_two(
    tact: Tact, in_two: InTwo | None = None
) -> tuple[Loaded, Callable[[], Loaded | None]] | None:
    """`read_last_run` in two steps (`in_two`, by default `urgent_first`): the queue's top,
    and a call that gives all of it (None if the state went meanwhile)."""
    generation = tact.store.generation()
    found = (in_two or urgent_first)(tact)
    if found is None:
        return None
    top, whole = found

    def rest() -> Loaded | None:
        everything = whole()
        return fetch(tact, everything, generation, preload=0) if everything is not None else None

    return fetch(tact, top, generation, preload=0), rest


@dataclass
class TriageState:
    """What the screen knows of the queue and of the audit log."""

    signals: list[Signal] = field(default_factory=list)
    posts: Mapping[str, Post] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    community: str = ""
    entries: list[Action] = field(default_factory=list)
    states: dict[str, SignalState] = field(default_factory=dict)
    acted: set[str] = field(default_factory=set)
    notes: dict[str, list[Action]] = field(default_factory=dict)
    generation: int = -1


class SignalsScreen(Screen[None]):
    """The triage queue of open signals, with filters, actions and the evidence pane."""

    # Absolute, so subclasses elsewhere (tests, benchmarks) still find it.
    CSS_PATH = Path(__file__).with_name("signals.tcss")
    COMMANDS: ClassVar[set[Any]] = {SignalCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reply", "Reply", tooltip="Open the reply composer with the suggested reply"),
        Binding("d", "dismiss_signal", "Dismiss", tooltip="A false positive, or all marked"),
        Binding("s", "snooze", "Snooze", tooltip="Hide until tomorrow, next week or a date"),
        Binding("h", "handled", "Handled", tooltip="Mark as dealt with; or all marked"),
        Binding("n", "note", "Note", tooltip="A note on the member, shared with the other moderators"),
        Binding("o", "open_post", "Open post", tooltip="Show the post in the feed"),
        Binding("u", "undo", "Undo", tooltip="Take back your last action"),
        Binding("space", "mark", "Mark", tooltip="Mark for a bulk dismiss or handled, then move down"),
        Binding("escape", "clear_marks", "Clear marks", tooltip="Forget the marks"),
        Binding("f", "next_filter", "Filter", tooltip="Next kind (1-9: a kind, 0: all)"),
        Binding("shift+down,J", "scroll_detail(3)", "Scroll detail", show=False, tooltip="Evidence: down"),
        Binding("shift+up,K", "scroll_detail(-3)", "Scroll detail up", show=False, tooltip="Evidence: up"),
        Binding("0", "filter('')", "All kinds", show=False, tooltip="Show every kind"),
        *[
            Binding(key, f"filter('{k}')", kind_label(k), show=False, tooltip=f"Only {kind_label(k)}")
            for key, k in FILTER_KEYS.items()
        ],
    ]

    def __init__(
        self,
        tact: Tact,
        loader: Loader | None = None,
        poll_seconds: float | None = POLL_SECONDS,
        quick: QuickLoader | None = None,
        warm: Callable[[Tact], object] | None = None,
        early: Future[Loaded | None] | None = None,
        in_two: InTwo | None = None,
        early_top: Future[Loaded | None] | None = None,
    ) -> None:
        super().__init__()
        self.tact = tact
        self._early = early
        """The last run, read ahead by the console (`read_last_run_in_two`), if it was."""
        self._early_top = early_top
        """The top of that queue, read first (`read_last_run_in_two`), if it was."""
        self._loader: Loader = loader or default_loader
        # The last run goes with the default loader; a given loader brings its own (or none).
        self._quick: QuickLoader | None = quick if loader is not None else (quick or last_run)
        # In two steps when the screen reads tact's own last run (a given `quick` has its way).
        own = loader is None and quick is None
        self._in_two: InTwo | None = in_two or (urgent_first if own else None)
        """When the screen reads the last run itself: its top first, then all (`_read_last_run`)."""
        # Likewise the warm-up, done once the first signals are shown.
        self._warm: Callable[[Tact], object] | None = warm if loader is not None else (warm or warm_up)
        self._poll_seconds = poll_seconds
        self.state = TriageState()
        self.kind_filter: str = ""
        """The kind shown ("" for all)."""
        self.loaded = False
        """True once signals are shown: the last run's or freshly computed (tests and the
        benchmark wait on it)."""
        self.updating = False
        """True while the signals shown are recomputed (the status line says "updating…")."""
        self._tail = triage.AuditTail(tact.audit)
        self._frame_out = threading.Event()
        """Set once the last run's queue has had time to reach the terminal, or once the
        signals are loaded: the detail's post reads wait for it."""
        self._picture_timer: Timer | None = None
        self._open_cache: list[Signal] | None = None
        self._counts: Counter[str] = Counter()
        self._next_wake: datetime | None = None
        """When the first snooze runs out (the queue is folded again then)."""
        self._filter_bar_pieces: list[Text] = []
        """The filter bar's items, laid out again when the terminal is resized."""
        self.last_message = ""
        """What the last action did, shown quietly on the filter bar."""
        self.poll_timer: Timer | None = None
        """Looks for other consoles' actions every `poll_seconds`."""

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield FittedStatic(Text("Loading signals…"), id="filter-bar")
        with Horizontal(id="triage"):
            with Vertical(id="queue-pane"):
                yield QueueHeader()
                yield SignalQueue(self.member_name, self.tact.now, id="queue")
            yield SignalDetail(id="detail")
        yield SteadyFooter()

    @property
    def queue(self) -> SignalQueue:
        return self.query_one("#queue", SignalQueue)

    @property
    def detail(self) -> SignalDetail:
        return self.query_one("#detail", SignalDetail)

    def member_name(self, member_id: str) -> str:
        return self.state.names.get(member_id) or member_id

    def on_mount(self) -> None:
        self.sub_title = "Signals"
        self.queue.focus()
        self.detail.show_message(Text("Computing signals…", style="dim"))
        self.reload()
        if self._poll_seconds:
            self.poll_timer = self.set_interval(self._poll_seconds, self.poll)

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        if self.loaded:
            self._set_updating(True)  # the queue stays usable while it is recomputed
        self._load(first=not self.loaded)

    def _set_updating(self, updating: bool) -> None:
        self.updating = updating
        self._show_status()

    @work(thread=True, exclusive=True, exit_on_error=False, group="signals-load")
    def _load(self, first: bool = False) -> None:
        """Compute the signals and fetch what the detail pane shows, off the UI thread.

        The first time, the last run's signals are shown before the recompute starts: a
        moderator sees the queue at once, and it is refreshed in place when the run ends."""
        generation = self.tact.store.generation()
        if first and self._quick is not None:
            try:
                early = None
                if self._early is not None:
                    # `S` while the console reads ahead: the top of the queue once it is read.
                    if self._early_top is not None and not self._early.done():
                        top = self._early_top.result()
                        if top is not None and not self._early.done():
                            self._show_first(top)
                    early = self._early.result()
                if early is None:
                    early = self._read_last_run()
            except Exception:  # an unreadable last run: the recompute below still shows
                early = None
            if early is not None:
                self.app.call_from_thread(self._loaded, early, True)
                wait_for_frame(self)  # on screen before the run below holds the interpreter
                self._frame_out.set()
        try:
            loaded = fetch(self.tact, self._loader(self.tact), generation)
        except Exception as err:  # a failing detector must not take the console down
            loaded = Loaded([], {}, {}, "", generation, error=error_text(err))
        self.app.call_from_thread(self._loaded, loaded)
        if first and self._warm is not None and not loaded.error:
            # The console's first import would otherwise pay what later ones reuse (at a
            # million posts, several seconds more). Done here, after the queue shows, in this
            # thread: keys still answer, sharing the interpreter for a few seconds.
            with contextlib.suppress(Exception):
                self._warm(self.tact)

    def _read_last_run(self) -> Loaded | None:
        """The last run, read here: nobody read it ahead (`S` pressed as the console opened).
        With `in_two` the top of the queue shows first, before the last tier's kinds are
        decoded (at a million posts, ~1 s of the ~2 s this read takes before the queue shows)."""
        if self._in_two is None:
            return read_last_run(self.tact, self._quick)
        found = read_last_run_in_two(self.tact, self._in_two)
        if found is None:
            return None
        top, rest = found
        self._show_first(top)
        return rest()

    def _show_first(self, top: Loaded) -> None:
        """From the loading worker: the top of the queue on screen before the rest is read."""
        self.app.call_from_thread(self._loaded, top, True)
        wait_for_frame(self)

    def _loaded(self, loaded: Loaded, more_to_come: bool = False) -> None:
        if not more_to_come:
            self._frame_out.set()  # nothing runs behind a finished load
        if loaded.error and self.loaded:
            # Keep the last run's queue on screen rather than an empty one; say why it is old.
            self._set_updating(False)
            message = one_line(loaded.error, 300)
            self.notify(message, title="Signals could not be recomputed", severity="error", markup=False)
            return
        st = self.state
        st.signals, st.posts, st.names = loaded.signals, loaded.posts, loaded.names
        st.community, st.generation = loaded.community, loaded.generation
        self._open_cache = None
        self._fold(self._tail.read_new())
        self.loaded = True
        self.updating = more_to_come
        current = self.queue.current
        rows = self.queue.rows
        # The cursor stays on its signal; if the recompute dropped it, on the next one still there.
        following = (rows[i].id for i in range(self.queue.cursor, len(rows))) if current else ()
        self._rebuild(keep=current.id if current else None, next_from=following)
        self._show_status()
        if loaded.error:
            message = one_line(loaded.error, 300)
            self.notify(message, title="Signals could not be computed", severity="error", markup=False)

    def poll(self) -> None:
        """Fold in other consoles' actions; reload when the store changed."""
        if not self.loaded:
            return
        if self.tact.store.generation() != self.state.generation:
            self.reload()
        elif self.tact.audit.size() != self._tail.offset:
            self._refresh_statuses()
        elif self._next_wake is not None and self.tact.now() >= self._next_wake:
            # A snooze ran out: the signal comes back without anyone acting.
            self._fold([], force=True)
            current = self.queue.current
            self._rebuild(keep=current.id if current else None)

    def _fold(self, new: list[Action], force: bool = False) -> None:
        if not new and not force:
            return
        st = self.state
        st.entries.extend(new)
        st.states = signal_states(st.entries, self.tact.now())
        st.acted.update(a.signal for a in new if a.signal)
        st.notes = member_notes(st.entries)
        snoozed = [s.until for s in st.states.values() if s.status == "snoozed" and s.until is not None]
        self._next_wake = min(snoozed, default=None)
        self._open_cache = None

    def _refresh_statuses(self, start: int | None = None) -> None:
        """Read the log's new entries and rebuild the queue. The cursor stays on its signal;
        when that one left the queue (acted on here or in another console) it lands on the
        next one still open, from `start` (the acted-on row) or from where it was."""
        rows = self.queue.rows
        old_cursor = self.queue.cursor if start is None else start
        self._fold(self._tail.read_new())
        self._rebuild(next_from=(rows[i].id for i in range(old_cursor, len(rows))))

    # -- the queue ---------------------------------------------------------------------------

    def status_of(self, signal: Signal) -> str:
        st = self.state
        state = st.states.get(signal.id)
        if state is not None:
            return state.status
        # Acted on, then undone: open again, whatever the loader saw at its time.
        return "open" if signal.id in st.acted else signal.status

    def open_signals(self) -> list[Signal]:
        """The open signals, most urgent first; cached until the statuses change, because
        ten thousand of them are filtered on every action and every filter key."""
        if self._open_cache is None:
            st = self.state
            closed = {sid for sid, state in st.states.items() if state.status != "open"}
            closed.update(s.id for s in st.signals if s.status != "open" and s.id not in st.acted)
            self._open_cache = [s for s in st.signals if s.id not in closed] if closed else list(st.signals)
        return self._open_cache

    def _rebuild(self, keep: str | None = None, next_from: Iterable[str] = ()) -> None:
        if not self.loaded:
            return  # a filter key before the first load: applied when the signals arrive
        open_now = self.open_signals()
        counts = self._counts = Counter(s.kind for s in open_now)
        kind = self.kind_filter
        rows = [s for s in open_now if s.kind == kind] if kind else open_now
        queue = self.queue
        queue.set_rows(rows)
        cursor = queue.index_of(keep) if keep is not None else None
        if cursor is None:
            moved = False
            for sid in next_from:
                moved = True
                if (index := queue.index_of(sid)) is not None:
                    cursor = index
                    break
            if moved and cursor is None:
                cursor = len(rows) - 1
        queue.cursor = max(cursor or 0, 0)
        self._show_filter_bar(counts, len(open_now))
        self._show_detail(queue.current)

    def _show_filter_bar(self, counts: Counter[str], total: int) -> None:
        active = self.kind_filter
        pieces: list[Text] = []

        def item(key: str, label: str, count: int, chosen: bool) -> None:
            style = "reverse bold" if chosen else ("" if count else "dim")
            piece = Text(f" {key} ", "bold" if not chosen else style)
            piece.append(f"{label} {count} ", style)
            pieces.append(piece)

        item("0", "all", total, not active)
        keys = {kind: key for key, kind in FILTER_KEYS.items()}
        for kind in SIGNAL_KINDS:
            if counts.get(kind) or kind == active:
                item(keys.get(kind, "f"), kind_label(kind), counts.get(kind, 0), kind == active)
        marked = len(self.queue.marked)
        if marked:
            pieces.append(Text(f" {marked} marked: d dismisses, h handles all · esc clears", "bold yellow"))
        self._filter_bar_pieces = pieces
        self._lay_filter_bar()

    def _lay_filter_bar(self) -> None:
        """The filter bar's items, a line break only between two of them: "7 conflict 4" is
        never cut in half at the terminal's edge."""
        bar_widget = self.query_one("#filter-bar", FittedStatic)
        width = bar_widget.content_size.width or max(self.app.size.width - 2, 20)
        bar = Text(no_wrap=True, overflow="ellipsis")
        used = 0
        for piece in self._filter_bar_pieces:
            size = piece.cell_len
            if used and used + 1 + size > width:
                bar.append("\n")
                used = 0
            elif used:
                bar.append(" ")
                used += 1
            bar.append_text(piece)
            used += size
        bar_widget.update(bar)

    def on_resize(self) -> None:
        if self._filter_bar_pieces:
            # After the layout: the bar's new width is known only then.
            self.call_after_refresh(self._lay_filter_bar)

    def say(self, message: str) -> None:
        """A quiet word in the header (not a toast: triaging fifty signals would pile up
        fifty of them, and each one costs a layout)."""
        self.last_message = message
        self._show_status()

    def _show_status(self) -> None:
        parts = ["Signals"]
        if self.updating:
            parts.append("updating…")
        if self.last_message:
            parts.append(self.last_message)
        self.sub_title = " · ".join(parts)

    def _authors(self, signal: Signal) -> dict[str, str]:
        """Who wrote each post of `signal` (and the post its reply answers)."""
        posts = self.state.posts
        return {pid: post.author for pid in read_posts(signal) if (post := posts.get(pid)) is not None}

    def detail_context(self) -> DetailContext:
        st = self.state
        return DetailContext(st.posts, self.member_name, st.notes, self.tact.now())

    def _show_detail(self, signal: Signal | None) -> None:
        posts = self.state.posts
        reading = False
        if signal is not None and isinstance(posts, PostCache):
            wanted = read_posts(signal)
            if posts.missing(wanted):
                self._read_posts(posts, wanted, signal)  # shown again once read
                reading = True
        ctx = replace(self.detail_context(), reading=reading)
        self.detail.show(signal, ctx)
        if self._picture_timer is not None:
            self._picture_timer.stop()
        paths = pictures(signal, ctx) if signal is not None else []
        self.detail.show_pictures([])
        if paths:
            self._picture_timer = self.set_timer(PICTURE_DELAY, lambda: self.detail.show_pictures(paths))

    @work(thread=True, exclusive=True, exit_on_error=False, group="signal-posts")
    def _read_posts(self, posts: PostCache, post_ids: list[str], signal: Signal) -> None:
        """A signal's posts, read off the UI thread (a month of a million posts takes a
        fraction of a second); the detail is shown again if that signal is still the one."""
        worker = get_current_worker()
        # The first read may load the post index, which holds the interpreter for a second
        # at a million posts: the last run's queue goes on screen first.
        self._frame_out.wait(timeout=3.0)
        posts.load(post_ids, stop=lambda: worker.is_cancelled)  # the cursor moved on: stop
        if not worker.is_cancelled:
            self.app.call_from_thread(self._posts_read, signal)

    def _posts_read(self, signal: Signal) -> None:
        if self.detail.signal is signal:
            self._show_detail(signal)

    def on_signal_queue_highlighted(self, message: SignalQueue.Highlighted) -> None:
        if self.detail.signal is not message.signal:
            self._show_detail(message.signal)

    # -- actions -----------------------------------------------------------------------------

    def _targets(self) -> list[Signal]:
        """The marked signals (bulk), else the one under the cursor."""
        queue = self.queue
        if queue.marked:
            return [s for s in queue.rows if s.id in queue.marked]
        return [queue.current] if queue.current is not None else []

    def _done(self, verb: str, signals: Sequence[Signal]) -> None:
        first = min((self.queue.index_of(s.id) or 0 for s in signals), default=self.queue.cursor)
        had_marks = bool(self.queue.marked)
        self.queue.clear_marks()
        if had_marks:
            self.refresh_bindings()  # "Clear marks" leaves the footer
        what = one_line(kind_label(signals[0].kind)) if len(signals) == 1 else f"{len(signals)} signals"
        self.say(f"{verb}: {what} (u undoes)")
        self._refresh_statuses(start=first)

    def action_dismiss_signal(self) -> None:
        targets = self._targets()
        if not targets:
            return
        title = f"Dismiss {len(targets)} signals?" if len(targets) > 1 else "Dismiss this signal?"

        def done(answer: TextAnswer | None) -> None:
            if answer is None:
                return
            with unless_not_saved(self):
                triage.bulk_dismiss(self.tact, targets, reason=answer.text or None)
                self._done("Dismissed", targets)

        self.app.push_screen(
            TextDialog(
                f"{title} Why (optional)",
                placeholder="e.g. a neighbour's cat, not a repost",
                required=False,
                hint="enter: dismiss · escape: cancel",
            ),
            done,
        )

    def action_handled(self) -> None:
        targets = self._targets()
        if not targets:
            return
        if len(targets) == 1:
            with unless_not_saved(self):
                triage.handled(self.tact, targets[0])
                self._done("Handled", targets)
            return

        def done(yes: bool | None) -> None:
            if yes:
                with unless_not_saved(self):
                    triage.bulk_handled(self.tact, targets)
                    self._done("Handled", targets)

        self.app.push_screen(ConfirmDialog(f"Mark {len(targets)} signals as handled?"), done)

    def action_snooze(self) -> None:
        targets = self._targets()
        if not targets:
            return

        def done(until: datetime | None) -> None:
            if until is None:
                return
            with unless_not_saved(self):
                triage.bulk(self.tact, "snooze", targets, until=until)
                self._done(f"Snoozed until {until:%a %d %b}", targets)

        title = f"Snooze {len(targets)} signals until…" if len(targets) > 1 else "Snooze until…"
        self.app.push_screen(SnoozeDialog(self.tact.now(), title), done)

    def action_note(self) -> None:
        signal = self.queue.current
        if signal is None:
            return
        ctx = self.detail_context()
        from screens.signal_detail import note_members

        members = note_members(signal, ctx)
        if not members:
            self.notify("This signal names no member to write a note about.", severity="warning")
            return
        subject = triage.subject_member(signal, self._authors(signal))
        if subject in members:
            members.remove(subject)
            members.insert(0, subject)
        choices = [(m, Text(f"{one_line(self.member_name(m), 40)} ({one_line(m, 20)})")) for m in members]

        def done(answer: TextAnswer | None) -> None:
            if answer is None:
                return
            member = answer.choice or members[0]
            with unless_not_saved(self):
                triage.note(self.tact, member, answer.text, signal=signal)
                self._refresh_statuses()
                self.say(f"Note saved on {one_line(self.member_name(member), 40)}")

        title = Text("Note on ")
        title.append(one_line(self.member_name(members[0]), 40) if len(members) == 1 else "a member")
        self.app.push_screen(
            TextDialog(title, placeholder="Shared with the other moderators", choices=choices), done
        )

    def action_reply(self) -> None:
        signal = self.queue.current
        if signal is None:
            return
        from screens.composer import ComposerResult, ComposerScreen

        def done(result: ComposerResult | None) -> None:
            if result is None:
                return
            authors = self._authors(signal)
            with unless_not_saved(self):
                triage.reply(
                    self.tact,
                    signal,
                    result.text,
                    result.lang,
                    result.visibility,
                    result.to,
                    member=triage.subject_member(signal, authors),
                )
                self._done("Replied and handled", [signal])

        composer = ComposerScreen(self.tact, signal, self.detail_context(), self.state.community)
        self.app.push_screen(composer, done)

    def action_undo(self) -> None:
        with unless_not_saved(self):
            self._undo()

    def _undo(self) -> None:
        undone = triage.undo(self.tact)
        if not undone:
            self.say("Nothing of yours to undo.")
            return
        self._refresh_statuses()
        back = next((a.signal for a in undone if a.signal), None)
        if back is not None:
            kinds = {s.kind for s in self.state.signals if s.id == back}
            if self.kind_filter and self.kind_filter not in kinds:
                self.kind_filter = ""
                self._rebuild(keep=back)
            elif (index := self.queue.index_of(back)) is not None:
                self.queue.cursor = index
        actions = sorted({a.action for a in undone})
        self.say(f"Undone: {', '.join(actions)} ({len(undone)})")

    def _marks_changed(self, had_marks: bool) -> None:
        self._show_filter_bar(self._counts, len(self.open_signals()))
        if had_marks != bool(self.queue.marked):
            self.refresh_bindings()  # "Clear marks" comes or goes in the footer

    def action_mark(self) -> None:
        had_marks = bool(self.queue.marked)
        self.queue.toggle_mark()
        self.queue.action_cursor_down()
        self._marks_changed(had_marks)

    def action_clear_marks(self) -> None:
        had_marks = bool(self.queue.marked)
        self.queue.clear_marks()
        self._marks_changed(had_marks)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_marks":
            return bool(self.queue.marked) if self.is_mounted else False
        return True

    def action_scroll_detail(self, lines: int) -> None:
        self.detail.scroll_body(lines)

    def action_filter(self, kind: str) -> None:
        self.kind_filter = kind
        current = self.queue.current
        self._rebuild(keep=current.id if current else None)

    def action_next_filter(self) -> None:
        present = [k for k in SIGNAL_KINDS if any(s.kind == k for s in self.open_signals())]
        cycle = ["", *present]
        position = cycle.index(self.kind_filter) if self.kind_filter in cycle else 0
        self.action_filter(cycle[(position + 1) % len(cycle)])

    async def action_open_post(self) -> None:
        signal = self.queue.current
        if signal is None:
            return
        reply_to = signal.reply.to if signal.reply is not None else None
        post_id = reply_to if reply_to in self.state.posts else None
        post_id = post_id or (signal.posts[-1] if signal.posts else None)
        if post_id is None:
            self.notify("This signal has no post to open.", timeout=3)
            return
        await self.app.switch_mode("feed")
        show_post = getattr(self.app.screen, "show_post", None)
        if callable(show_post):
            show_post(post_id)
        else:
            self.notify(f"The feed cannot jump to {one_line(post_id, 30)} yet.", timeout=4, markup=False)
