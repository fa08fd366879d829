"""`?`: every key of the current screen, read from its live bindings, grouped by where it works."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

#: Actions every Textual app binds that a moderator never needs to read about.
_NOISE = frozenset({"app.focus_next", "app.focus_previous", "screen.copy_text", "page_left", "page_right"})


@dataclass(frozen=True, slots=True)
class KeyHelp:
    keys: str
    """Every key bound to the action, e.g. "↓ j"."""
    description: str
    tooltip: str


def key_groups(screen: Screen[object]) -> list[tuple[str, list[KeyHelp]]]:
    """The active bindings of `screen` as [(group title, keys)], this screen's first.

    Keys bound to the same action on the same node are merged ("↓ j  Down"), hidden
    bindings (vim aliases, paging) are listed too: the footer has no room for them, this does.
    """
    app = screen.app
    by_node: dict[int, tuple[str, dict[str, list[ActiveBinding]]]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.action in _NOISE or binding.system:
            continue
        node = active.node
        if isinstance(node, App):
            title = "Everywhere"
        elif isinstance(node, Screen):
            title = _screen_title(node)
        else:
            title = f"{_screen_title(screen)} · {getattr(node, 'HELP_TITLE', type(node).__name__)}"
        group = by_node.setdefault(id(node), (title, {}))
        group[1].setdefault(binding.action, []).append(active)
    groups: list[tuple[str, list[KeyHelp]]] = []
    for title, actions in by_node.values():
        rows = []
        for same in actions.values():
            first = same[0].binding
            keys = " ".join(dict.fromkeys(app.get_key_display(a.binding) for a in same))
            # Textual's own bindings come first; a tooltip the app wrote is the better one.
            tooltip = next((a.binding.tooltip for a in reversed(same) if a.binding.tooltip), "")
            rows.append(KeyHelp(keys, first.description, tooltip))
        groups.append((title, rows))
    # The focused widget's keys first, then its screen's, then the app's.
    groups.sort(key=lambda g: (g[0] == "Everywhere", "·" not in g[0]))
    return groups


def _screen_title(screen: Screen[object]) -> str:
    return type(screen).__name__.removesuffix("Screen").replace("PostView", "Post")


def _table(rows: Iterable[KeyHelp]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", min_width=10)
    table.add_column(min_width=12)
    table.add_column(style="dim")
    for row in rows:
        tooltip = row.tooltip if row.tooltip and row.tooltip != row.description else ""
        table.add_row(Text(row.keys), Text(row.description), Text(tooltip))
    return table


class HelpScreen(ModalScreen[None]):
    """The keys of the screen below, with what each does."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; border-title-color: $accent; background: $panel; padding: 0 1; }
    HelpScreen .about { color: $text-muted; margin: 0 0 1 0; }
    HelpScreen .group { color: $accent; text-style: bold; margin: 1 0 0 0; }
    HelpScreen .close { color: $text-muted; margin: 1 0 0 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close", tooltip="Back to the screen"),
        Binding("j,down", "scroll('down')", "Down", show=False),
        Binding("k,up", "scroll('up')", "Up", show=False),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self._target = screen

    def compose(self) -> ComposeResult:
        scroll = VerticalScroll()
        scroll.border_title = f"Keys — {_screen_title(self._target)}"
        with scroll:
            about = getattr(self._target, "HELP", None)
            if about:
                yield Static(Text(" ".join(about.split())), classes="about")
            for title, rows in key_groups(self._target):
                yield Static(Text(title), classes="group")
                yield Static(_table(rows))
            yield Static(Text("escape, ? or q closes this · ctrl+p lists every command"), classes="close")

    def action_scroll(self, where: str) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_down() if where == "down" else scroll.scroll_up()
