"""`?`: every key of the current screen, read from its live bindings."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 72; max-height: 80%; border: round $accent;
        background: $panel; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close", tooltip="Back to the screen"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self._target = screen

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        seen: set[str] = set()
        for key, active in self._target.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            label = self.app.get_key_display(binding)
            table.add_row(Text(label), Text(binding.tooltip or binding.description))
            _ = key
        with VerticalScroll():
            yield Static(
                Text(f"Keys — {self._target.__class__.__name__.removesuffix('Screen')}", style="bold")
            )
            yield Static(table)
