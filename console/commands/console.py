"""`tact` with no command: open the console on the data directory."""

from __future__ import annotations

import argparse
import asyncio

from console.context import Tact

#: Seconds after launch at which the console reads the last signal run in the background
#: (the feed's first page is on screen and read by then), so that `S` shows it at once.
READ_AHEAD_SECONDS = 1.0


def open_console(tact: Tact) -> int:
    """Run the console on `tact` until the moderator quits; returns the app's exit code (also
    what `tact demo` opens)."""
    from console.feed_head import read_head_soon

    # Read the feed's saved first page while Textual is imported (most of the launch).
    head = read_head_soon(tact.store)
    from console.app import TactApp

    app = TactApp(tact, feed_head=head, read_ahead=READ_AHEAD_SECONDS)
    # `q` must quit now: with a loop of its own, leaving it does not wait for a worker still
    # computing signals (seconds at a million posts; nobody wants the result any more, and
    # the state it saves is written file by file, atomically, the main file last). `tact`
    # then ends the process without waiting for it either (`console.cli.entry`).
    app.run(loop=asyncio.new_event_loop())
    return app.return_code or 0


def run(args: argparse.Namespace, tact: Tact) -> int:
    return open_console(tact)
