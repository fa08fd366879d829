"""`tact` with no command: open the console on the data directory."""

from __future__ import annotations

import argparse

from console.context import Tact


def run(args: argparse.Namespace, tact: Tact) -> int:
    from console.app import TactApp

    TactApp(tact).run()
    return 0
