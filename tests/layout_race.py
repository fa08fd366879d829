"""Force the layout race a loaded machine runs into, for the screens' tests.

Textual caches a widget's box model per layout request: `refresh(layout=True)` counts a new
request only when none is pending, and the request is handed to the screen at the widget's own
idle. So a widget updated, then laid out by a pass that another widget asked for, then updated
again before its own idle, is laid out with the box model of its first content. A body whose
height is `auto` keeps its first text's height and cuts off the rest (7cf6391, the health
screen). A loaded machine does that now and then; `layout_pass` does it every time.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widget import Widget


def layout_pass(widget: Widget) -> None:
    """Lay the screen out now, re-arranging `widget`'s parents (as another widget's layout
    request does), while `widget`'s own request is still pending."""
    for node in widget.ancestors_with_self:
        if isinstance(node, Widget):
            node._clear_arrangement_cache()
    widget.screen._refresh_layout()


async def settle(pilot: Pilot[Any], rounds: int = 5) -> None:
    """Let every pending idle, layout and repaint run."""
    for _ in range(rounds):
        await pilot.pause()
