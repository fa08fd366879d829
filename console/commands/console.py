"""`tact` with no command: open the console on the data directory."""

from __future__ import annotations

import argparse

from console.context import Tact

#: Seconds after launch at which the console reads the last signal run in the background
#: (the feed's first page is on screen and read by then), so that `S` shows it at once.
READ_AHEAD_SECONDS = 1.0


def open_console(tact: Tact) -> None:
    """Run the console on `tact` until the moderator quits (also what `tact demo` opens)."""
    from console.feed_head import read_head_soon

    # Read the feed's saved first page while Textual is imported (most of the launch).
    head = read_head_soon(tact.store)
    from console.app import TactApp

    TactApp(tact, feed_head=head, read_ahead=READ_AHEAD_SECONDS).run()


def run(args: argparse.Namespace, tact: Tact) -> int:
    open_console(tact)
    return 0
