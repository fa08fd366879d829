"""Placeholder until the calendar screen is built."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from console.context import Tact


class CalendarScreen(Screen[None]):
    def __init__(self, tact: Tact) -> None:
        super().__init__()
        self.tact = tact

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Not built yet.")
        yield Footer()
