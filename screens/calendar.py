"""The onboarding calendar: what is due this week, what is overdue, with the draft to send.

Overdue steps come first, highlighted; then each day of the current week (Monday to Sunday
in the onboarding zone, `[detectors.onboarding] tz`), with what falls due that day — personal
welcomes, the weekly group welcome, 2-month check-ins, anniversaries. The selected step's
draft shows below: `y` copies it (OSC 52, works over SSH), `d` marks the step done (recorded
in the audit log, so nobody is welcomed twice), `u` undoes that, `enter` opens the member's
posts in the feed.

The steps come from `console.members_service.load_onboarding` (the same rules as
`tact onboarding` and the `onboarding` signals) in a worker thread. Names are member content:
they reach the table and the draft pane only as `Text` built with `plain`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, WorkerState

from console.audit import Action
from console.context import Tact
from console.members_service import load_onboarding, onboarding_detector, week_bounds
from console.safe_text import one_line, plain
from heuristics.model import Member
from heuristics.onboarding import OnboardingDetector, OnboardingStep
from screens.messages import StoreChanged
from screens.not_saved import unless_not_saved
from screens.widgets.fitted_static import FittedStatic
from screens.widgets.steady_footer import SteadyFooter

STEP_NAMES = {
    "welcome": "welcome",
    "weekly": "weekly welcome post",
    "checkin_2m": "2-month check-in",
    "anniversary": "anniversary post",
    "anniversary_1y": "1-year anniversary",
}


@dataclass(frozen=True, slots=True)
class Agenda:
    now: datetime
    week_start: datetime
    week_end: datetime
    detector: OnboardingDetector
    steps: list[OnboardingStep]
    members: dict[str, Member]


def load_agenda(tact: Tact) -> Agenda:
    now = tact.now()
    detector = onboarding_detector(tact)
    start, end = week_bounds(detector, now)
    _, steps = load_onboarding(tact, now, until=end - timedelta(seconds=1))
    return Agenda(now, start, end, detector, steps, tact.store.members())


def step_label(step: OnboardingStep) -> str:
    family = step.family
    label = STEP_NAMES.get(family, family)
    if ":" in step.step:
        label += f" {step.step.split(':', 1)[1]}"
    return label


class CalendarScreen(Screen[None]):
    """The onboarding cadence of the week, one line a step."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    HELP_TITLE = "Onboarding calendar"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "done", "Done", tooltip="Mark this step done (recorded: it is never proposed again)"),
        Binding(
            "y", "copy", "Copy draft", tooltip="Copy the draft to the clipboard (OSC 52, works over SSH)"
        ),
        Binding("u", "undo", "Undo", tooltip="Undo the last step you marked done here"),
        Binding("o", "open_feed", "Their posts", tooltip="Open the member's posts in the feed (or enter)"),
        Binding("ctrl+r", "reload", "Reload", show=False, tooltip="Recompute the calendar"),
    ]

    @dataclass
    class Ready(Message):
        agenda: Agenda

    def __init__(self, tact: Tact) -> None:
        super().__init__()
        self.tact = tact
        self.agenda: Agenda | None = None
        self._keys: list[OnboardingStep | None] = []
        """The step of each table row (None for a day heading)."""
        self._done: list[Action] = []
        """Steps marked done from this screen, most recent last (for `u`)."""
        self._generation = -1

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="calendar-body"):
            yield Static(Text("Loading the onboarding calendar…"), id="calendar-summary")
            yield DataTable(id="calendar-table", cursor_type="row", zebra_stripes=False)
            with VerticalScroll(id="calendar-detail"):
                yield FittedStatic(Text(""), id="calendar-draft")
        yield SteadyFooter()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#calendar-table", DataTable)

    def on_mount(self) -> None:
        table = self.table
        table.add_column(Text("Day"), key="day", width=12)
        table.add_column(Text("Step"), key="step", width=32)
        table.add_column(Text("Who"), key="who", width=34)
        table.add_column(Text("Status"), key="status", width=20)
        table.focus()
        self.load()

    # -- loading ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="calendar")
    def load(self) -> None:
        generation = self.tact.store.generation()
        agenda = load_agenda(self.tact)
        self._generation = generation
        self.post_message(self.Ready(agenda))

    @on(Ready)
    def _ready(self, message: Ready) -> None:
        self.agenda = message.agenda
        self._fill()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A bad tact.toml or an unreadable store: say so instead of "Loading…" forever.
        if event.state == WorkerState.ERROR and event.worker.group == "calendar":
            error = event.worker.error
            message = one_line(error, 300) if error is not None else "unknown error"
            self.query_one("#calendar-summary", Static).update(
                plain("Could not load: " + message, "bold red")
            )
            self.notify("Could not load: " + message, severity="error", markup=False)

    @on(StoreChanged)
    def _store_changed(self, message: StoreChanged) -> None:
        if message.generation != self._generation:
            self.load()

    def on_screen_resume(self) -> None:
        if self.agenda is not None and self.tact.store.generation() != self._generation:
            self.load()

    def action_reload(self) -> None:
        self.load()

    # -- the table --------------------------------------------------------------------------

    def _who(self, step: OnboardingStep) -> Text:
        agenda = self.agenda
        assert agenda is not None
        if step.member == "*":
            n = len(step.members)
            return Text(f"group post · {n} member{'s' if n != 1 else ''}", style="italic")
        member = agenda.members.get(step.member)
        name = member.display_name if member is not None else step.member
        return plain(one_line(name, 34))

    def _fill(self, cursor_step: tuple[str, str] | None = None) -> None:
        agenda = self.agenda
        if agenda is None:
            return
        table = self.table
        previous = cursor_step or self._cursor_key()
        table.clear()
        self._keys = []
        now = agenda.now
        overdue = [s for s in agenda.steps if s.is_due(now) and s.overdue_days(now) > 0]
        rest = [s for s in agenda.steps if s not in overdue]
        groups: list[tuple[str, list[OnboardingStep]]] = []
        if overdue:
            groups.append(("Overdue", sorted(overdue, key=lambda s: -s.overdue_days(now))))
        tz = agenda.detector.tz
        by_day: dict[str, list[OnboardingStep]] = {}
        for s in rest:
            local = s.due.astimezone(tz)
            label = f"{local:%a %m-%d}" if s.due >= agenda.week_start else "Earlier"
            by_day.setdefault(label, []).append(s)
        groups.extend(by_day.items())
        target_row = 0
        for label, steps in groups:
            for i, s in enumerate(steps):
                late = s.overdue_days(now)
                if late:
                    status = Text(f"overdue by {late} day{'s' if late != 1 else ''}", style="bold red")
                elif s.is_due(now):
                    status = Text("due now", style="bold")
                else:
                    status = Text(f"from {s.due.astimezone(tz):%a %H:%M}", style="dim")
                day = Text(label if i == 0 else "", style="bold red" if label == "Overdue" else "bold")
                table.add_row(day, Text(step_label(s)), self._who(s), status)
                if previous is not None and (s.member, s.step) == previous:
                    target_row = len(self._keys)
                self._keys.append(s)
        if self._keys:
            table.move_cursor(row=min(target_row, len(self._keys) - 1))
        self._summary()
        self._detail()

    def _summary(self) -> None:
        agenda = self.agenda
        if agenda is None:
            return
        now = agenda.now
        due = [s for s in agenda.steps if s.is_due(now)]
        late = sum(1 for s in due if s.overdue_days(now))
        later = len(agenda.steps) - len(due)
        end = agenda.week_end - timedelta(days=1)
        det = agenda.detector
        text = Text()
        start = agenda.week_start.astimezone(det.tz)
        text.append(f"Week of {start:%a %Y-%m-%d} – {end.astimezone(det.tz):%a %m-%d}", "bold")
        text.append(f" · {len(due)} due")
        if late:
            text.append(" (")
            text.append(f"{late} overdue", "bold red")
            text.append(")")
        text.append(f" · {later} later this week")
        weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[det.weekday]
        text.append(f"  · weekly post {weekday}, {det.tz}", "dim")
        self.query_one("#calendar-summary", Static).update(text)

    def _current(self) -> OnboardingStep | None:
        row = self.table.cursor_row
        if 0 <= row < len(self._keys):
            return self._keys[row]
        return None

    def _cursor_key(self) -> tuple[str, str] | None:
        step = self._current() if self._keys else None
        return (step.member, step.step) if step is not None else None

    def _detail(self) -> None:
        target = self.query_one("#calendar-draft", FittedStatic)
        step = self._current()
        agenda = self.agenda
        if step is None or agenda is None:
            target.update(
                Text("Nothing due this week: every welcome is sent." if agenda else "", style="dim")
            )
            return
        text = Text()
        for reason in step.reasons:
            text.append_text(plain(one_line(reason, 200), "dim"))
            text.append("\n")
        if step.member == "*" and step.members:
            names = [agenda.members[m].display_name if m in agenda.members else m for m in step.members]
            text.append("Names: ", "dim")
            text.append_text(plain(one_line(", ".join(names), 400), "dim"))
            text.append("\n")
        reply = step.reply
        if reply is None:
            text.append("No template for this step.", "italic")
        else:
            where = (
                "public group post"
                if step.member == "*"
                else ("public reply" if reply.visibility == "public" else "private message")
            )
            text.append(f"Draft — {where} ({reply.lang}) — y: copy · d: done\n", "bold")
            text.append_text(plain(reply.text))
        target.update(text)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._detail()

    @on(DataTable.RowSelected)
    async def _selected(self) -> None:
        await self.action_open_feed()

    # -- actions ----------------------------------------------------------------------------

    def action_done(self) -> None:
        step = self._current()
        agenda = self.agenda
        if step is None or agenda is None:
            return
        with unless_not_saved(self):
            action = self.tact.audit.record(
                "onboarding_done",
                self.tact.moderator,
                member=step.member,
                step=step.step,
                signal=step.signal(agenda.now).id,
            )
            self._done.append(action)
            row = self.table.cursor_row
            agenda.steps.remove(step)
            following = self._keys[row + 1] if row + 1 < len(self._keys) else None
            self._fill((following.member, following.step) if following else None)
            who = one_line(self._who(step).plain, 40)
            self.notify(f"Marked done: {step_label(step)} · " + who, markup=False)

    def action_undo(self) -> None:
        if not self._done:
            self.notify("Nothing to undo here.", severity="warning")
            return
        last = self._done[-1]
        with unless_not_saved(self):
            self.tact.audit.record(
                "undo", self.tact.moderator, undoes=last.id, member=last.member, step=last.step
            )
            self._done.pop()  # only once undone: a refused undo can be tried again
            self.notify("Undone: the step is due again.")
            self.load()

    def action_copy(self) -> None:
        step = self._current()
        if step is None or step.reply is None:
            self.notify("No draft to copy.", severity="warning")
            return
        self.app.copy_to_clipboard(step.reply.text)
        self.notify("Draft copied to the clipboard (OSC 52).")

    async def action_open_feed(self) -> None:
        step = self._current()
        if step is None or step.member == "*":
            return
        await self.app.switch_mode("feed")
        feed = self.app.screen
        if hasattr(feed, "show_member"):
            feed.show_member(step.member)
