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
    # For a person only (stderr, on a terminal): stdout stays the one summary line scripts
    # read. The first signals run on a big community takes a minute; run once after the
    # import, it lets the console's Signals screen open at once.
    if sys.stderr.isatty():
        data = one_line(str(tact.settings.data), 200)
        print(
            f"Hint: `tact --data {data} signals > /dev/null` computes the signals once now, "
            "so the console's Signals screen opens at once.",
            file=sys.stderr,
        )
    return 0
