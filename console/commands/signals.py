"""`tact signals`: compute what is due; `--json` prints one FORMATS.md object a line."""

from __future__ import annotations

import argparse
import re
import sys

from console.context import Tact
from console.errors import TactError
from console.progress import ProgressBar
from console.safe_text import one_line
from console.signals_service import merge_statuses, run_engine, signal_lines
from heuristics.model import Signal, format_time

# C1 controls (U+009B is a one-byte CSI on some terminals) and bidi overrides are legal
# inside JSON strings; escaping them keeps the output valid and equal, and makes it safe
# to read in a terminal. orjson already escapes C0 controls, ESC included.
_UNSAFE = re.compile("[\u0080-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

#: Lines escaped and written at a time: one string for 50,000 signals held them thrice.
_CHUNK = 1024


def terminal_safe(text: str) -> str:
    """JSON text with terminal-unsafe characters escaped (still the same JSON)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _table(signals: list[Signal]) -> str:
    """A plain table for a terminal: member content passes through `one_line`."""
    if not signals:
        return "no signals"
    rows = [("SCORE", "KIND", "STATUS", "AT", "ID", "WHY")]
    for s in signals:
        why = one_line(s.reasons[0], 70) if s.reasons else ""
        rows.append((f"{s.score:.2f}", s.kind, s.status, format_time(s.at)[:16], s.id, why))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(r[:5], widths, strict=True)) + "  " + r[5] for r in rows
    )


def run(args: argparse.Namespace, tact: Tact) -> int:
    now = tact.now()
    # No drawing thread: a big run forks only from a single-threaded process (a terminal's
    # bar kept `tact signals` in one process: 9.5 s instead of 5.5 at a million posts).
    with ProgressBar(threaded=False) as bar:
        result = run_engine(tact, now, args.kind, bar)
    signals = merge_statuses(tact, result.signals, now)
    if args.kind:
        wanted = set(args.kind)
        signals = [s for s in signals if s.kind in wanted]
    out = sys.stdout
    if args.json:
        lines = signal_lines(tact, signals)
        for start in range(0, len(lines), _CHUNK):
            out.write(terminal_safe(b"\n".join(lines[start : start + _CHUNK]).decode()) + "\n")
    else:
        out.write(_table(signals) + "\n")
    out.flush()
    if result.errors:
        failed = "; ".join(f"{k}: {one_line(v, 120)}" for k, v in sorted(result.errors.items()))
        raise TactError(f"tact signals: detector failed ({failed}); its previous signals are shown")
    return 0
