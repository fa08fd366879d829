"""Small modal dialogs of the triage screens: confirm, snooze-until, reason or note input.

Each is keyboard first (the footer-less modal says its keys in its own text), returns its
answer through `dismiss`, and shows any member content (names) only as `Text`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from console.safe_text import one_line
from console.triage import snooze_choices
from heuristics.model import parse_time

_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 64; height: auto; max-height: 90%; border: round $accent;
    background: $panel; padding: 0 1; }}
{name} .dialog-title {{ text-style: bold; margin-bottom: 1; }}
{name} .dialog-hint {{ color: $text-muted; margin-top: 1; }}
{name} .dialog-error {{ color: $error; }}
{name} OptionList, {name} OptionList:focus {{ height: auto; max-height: 8; border: none; padding: 0; }}
{name} Input {{ margin-top: 1; }}
"""


class ConfirmDialog(ModalScreen[bool]):
    """Yes or no; `y`/`enter` say yes, `n`/`escape` no."""

    DEFAULT_CSS = _CSS.format(name="ConfirmDialog")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: Text | str, hint: str = "y / enter: yes · n / escape: no") -> None:
        super().__init__()
        self._question = question if isinstance(question, Text) else Text(question)
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._question, classes="dialog-title")
            yield Static(Text(self._hint), classes="dialog-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class SnoozeDialog(ModalScreen[datetime | None]):
    """Until when: tomorrow, next week, or a date typed in (ISO-8601)."""

    DEFAULT_CSS = _CSS.format(name="SnoozeDialog")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "pick('tomorrow')", "Tomorrow", show=False),
        Binding("w", "pick('next week')", "Next week", show=False),
        Binding("c", "custom", "Custom date", show=False),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, now: datetime, title: Text | str = "Snooze until…") -> None:
        super().__init__()
        self._now = now
        self._choices = snooze_choices(now)
        self._title = title if isinstance(title, Text) else Text(title)

    def compose(self) -> ComposeResult:
        keys = {"tomorrow": "t", "next week": "w"}
        options = [
            Option(Text(f"{keys[name]}  {name.capitalize():<10} {when:%a %d %b %H:%M} UTC"), id=name)
            for name, when in self._choices.items()
        ]
        options.append(Option(Text("c  Custom date…"), id="custom"))
        with Vertical():
            yield Static(self._title, classes="dialog-title")
            yield OptionList(*options)
            yield Input(placeholder="YYYY-MM-DD or YYYY-MM-DDTHH:MM", id="custom-date")
            yield Static("", classes="dialog-error")
            yield Static(Text("t, w, c or enter · escape: cancel"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).display = False
        self.query_one(OptionList).focus()

    def action_pick(self, name: str) -> None:
        if self.query_one(Input).has_focus:
            return
        self.dismiss(self._choices[name])

    def action_custom(self) -> None:
        field = self.query_one(Input)
        field.display = True
        field.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "custom":
            self.action_custom()
        elif event.option.id in self._choices:
            self.dismiss(self._choices[event.option.id])

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        error = self.query_one(".dialog-error", Static)
        try:
            when = parse_time(event.value)
        except ValueError:
            error.update(Text(f"Not a date: {one_line(event.value, 40)} (try 2026-04-01)"))
            return
        if when <= self._now:
            error.update(Text("That date has passed; pick one after now."))
            return
        self.dismiss(when)


@dataclass(frozen=True, slots=True)
class TextAnswer:
    text: str
    choice: str | None = None
    """The option chosen (e.g. which member a note is about), when there were several."""


class TextDialog(ModalScreen[TextAnswer | None]):
    """One line of text (a dismiss reason, a note), optionally about one of several choices.

    `required=False` lets `enter` on an empty line answer "" (a dismiss without a reason);
    `escape` always cancels (None).
    """

    DEFAULT_CSS = _CSS.format(name="TextDialog")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: Text | str,
        placeholder: str = "",
        required: bool = True,
        choices: Sequence[tuple[str, Text]] = (),
        hint: str = "",
    ) -> None:
        super().__init__()
        self._title = title if isinstance(title, Text) else Text(title)
        self._placeholder = placeholder
        self._required = required
        self._choices = list(choices)
        self._hint = hint or ("enter: save · escape: cancel" if required else "enter: go on · escape: cancel")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title, classes="dialog-title")
            if len(self._choices) > 1:
                yield Static(Text("About (tab to choose):"))
                yield OptionList(*[Option(label, id=cid) for cid, label in self._choices])
            yield Input(placeholder=self._placeholder)
            yield Static("", classes="dialog-error")
            yield Static(Text(self._hint), classes="dialog-hint")

    def on_mount(self) -> None:
        if len(self._choices) > 1:
            self.query_one(OptionList).highlighted = 0
        self.query_one(Input).focus()

    def _choice(self) -> str | None:
        if not self._choices:
            return None
        if len(self._choices) == 1:
            return self._choices[0][0]
        options = self.query_one(OptionList)
        index = options.highlighted or 0
        return options.get_option_at_index(index).id

    @on(OptionList.OptionSelected)
    def _back_to_text(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self._required and not text:
            self.query_one(".dialog-error", Static).update(Text("Type something, or escape to cancel."))
            return
        self.dismiss(TextAnswer(text, self._choice()))

    def action_cancel(self) -> None:
        self.dismiss(None)
