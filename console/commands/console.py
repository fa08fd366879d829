"""`tact` with no command: open the console on the data directory."""

from __future__ import annotations

import argparse

from console.context import Tact


def run(args: argparse.Namespace, tact: Tact) -> int:
    from console.feed_head import read_head_soon

    # Read the feed's saved first page while Textual is imported (most of the launch).
    head = read_head_soon(tact.store)
    from console.app import TactApp

    TactApp(tact, feed_head=head).run()
    return 0
