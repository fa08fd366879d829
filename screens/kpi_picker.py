"""The modal in which a moderator picks the KPIs the health screen shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList

from heuristics.health import KPI_LABELS


class KpiPicker(ModalScreen[tuple[str, ...] | None]):
    """Space toggles a KPI, Enter keeps the choice, Escape leaves it as it was."""

    DEFAULT_CSS = """
    KpiPicker { align: center middle; }
    KpiPicker > Vertical { width: 60; height: auto; border: round $accent; background: $panel;
        padding: 0 1; }
    KpiPicker SelectionList { height: auto; max-height: 14; }
    KpiPicker Label { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "keep", "Keep", tooltip="Show the ticked KPIs", priority=True),
        Binding("escape", "cancel", "Cancel", tooltip="Leave the KPIs as they were"),
    ]

    def __init__(self, chosen: Sequence[str]) -> None:
        super().__init__()
        self._chosen = set(chosen)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "KPIs to show"
            yield SelectionList[str](
                *((label, key, key in self._chosen) for key, label in KPI_LABELS.items()),
                id="kpi-list",
            )
            yield Label("space: tick/untick · enter: keep · escape: cancel")

    def action_keep(self) -> None:
        picked = self.query_one(SelectionList).selected
        self.dismiss(tuple(k for k in KPI_LABELS if k in picked))

    def action_cancel(self) -> None:
        self.dismiss(None)
