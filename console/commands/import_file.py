"""`tact --data DIR import FILE [--skip-invalid]`: check, then import, a community file."""

from __future__ import annotations

import argparse
import sys

from console.context import Tact
from console.importer import import_file
from console.progress import ProgressBar
from console.safe_text import one_line


def run(args: argparse.Namespace, tact: Tact) -> int:
    with ProgressBar() as bar:
        summary = import_file(tact.store, args.file, skip_invalid=args.skip_invalid, bar=bar)
    for problem in summary.skipped:
        print(one_line(problem.format(summary.file)), file=sys.stderr)
    print(one_line(summary.line()))
    return 0
