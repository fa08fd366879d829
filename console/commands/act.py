"""`tact act` (not built yet)."""

from __future__ import annotations

import argparse

from console.context import Tact
from console.errors import TactError


def run(args: argparse.Namespace, tact: Tact) -> int:
    raise TactError("tact act: not built yet")
