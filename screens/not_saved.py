"""Moderator actions (and choices) that could not be saved, said on screen instead of ending
the console.

A full disk, or a shared data directory whose log another login made private: the action is
not recorded (`console.errors.ActionNotSaved`), so the screen must not act as if it were. The
console carries on, with the moderator's place in the queue kept, and says why in one line
naming the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from textual.widget import Widget

from console.errors import ActionNotSaved

#: Seconds the error stays: long enough to read a path and a reason at 2 a.m.
NOT_SAVED_SECONDS = 20.0


@contextmanager
def unless_not_saved(widget: Widget) -> Iterator[None]:
    """Run a moderator action and what follows it on screen; if the log refused the action,
    the rest of the block is skipped and the refusal is shown."""
    try:
        yield
    except ActionNotSaved as err:
        widget.notify(str(err), title="Not saved", severity="error", timeout=NOT_SAVED_SECONDS, markup=False)
